"""The children pages: list (core's, scoped, search in the session), add with the duplicate
check, the child's page, changing details (only from the version the form was made from)."""

from safeguarding.children.models import Child
from safeguarding.core.models import AccessEvent, AuditEvent

from .helpers import CHILD_NAME, assert_refuses_others


def test_list_is_scoped_to_the_agency(
    client_for, child_officer, child_owner, child_outsider, child
):
    assert CHILD_NAME in client_for(child_officer).get("/children/").content.decode()
    assert CHILD_NAME in client_for(child_owner).get("/children/").content.decode()
    response = client_for(child_outsider).get("/children/")
    assert response.status_code == 200 and CHILD_NAME not in response.content.decode()
    assert AccessEvent.objects.filter(module="children", kind="list").count() == 3


def test_list_shows_the_buttons_the_user_may_use(client_for, child_owner, child_manager, child):
    html = client_for(child_owner).get("/children/").content.decode()
    assert "Add a child" in html and "Possible duplicates" not in html
    assert "Possible duplicates" in client_for(child_manager).get("/children/").content.decode()


def test_list_refuses_readers_and_anonymous(client_for, child_reader, child):
    assert assert_refuses_others(client_for, "/children/", reader=child_reader)


def test_search_goes_in_the_session(client_for, child_officer, child):
    client = client_for(child_officer)
    response = client.post("/children/", {"q": "tallulah"})
    assert response["Location"] == "/children/"
    assert CHILD_NAME in client.get("/children/").content.decode()
    client.post("/children/", {"q": "zzz"})
    assert CHILD_NAME not in client.get("/children/").content.decode()
    client.post("/children/search/clear/")
    assert CHILD_NAME in client.get("/children/").content.decode()
    assert client.get("/children/search/clear/").status_code == 405


NEW = {
    "first_name": "Tallulah",
    "last_name": "Featherstonehaugh",
    "date_of_birth_0": "1",
    "date_of_birth_1": "2",
    "date_of_birth_2": "2003",
    "sex": "female",
    "looked_after": "no",
    "ethnicity": "WBRI",
}


def test_adding_a_possible_duplicate_needs_confirmation(client_for, child_owner, child):
    client = client_for(child_owner)
    assert client.get("/children/new/").status_code == 200
    response = client.post("/children/new/", NEW)
    assert "already recorded with this name and date of birth" in response.content.decode()
    assert f"Record {child.pk}" in response.content.decode()
    assert Child.objects.count() == 1
    response = client.post("/children/new/", dict(NEW, not_duplicate="on"))
    assert response.status_code == 302
    assert Child.objects.count() == 2


def test_adding_a_new_child(client_for, child_owner, school):
    response = client_for(child_owner).post("/children/new/", dict(NEW, first_name="Bo"))
    child = Child.objects.get()
    assert response["Location"] == f"/children/{child.pk}/"
    assert child.owning_agency == school
    event = AuditEvent.objects.get(object_type="children.child")
    assert (event.action, event.module) == ("create", "children")


def test_adding_without_names_names_the_fields(client_for, child_owner):
    html = client_for(child_owner).post("/children/new/", {"sex": "male"}).content.decode()
    assert "Enter the child&#x27;s first name" in html or "Enter the child's first name" in html
    assert not Child.objects.exists()


def test_add_refuses_readers_and_anonymous(client_for, child_reader):
    assert assert_refuses_others(client_for, "/children/new/", reader=child_reader)


def test_the_childs_page_is_logged(client_for, child_officer, child):
    html = client_for(child_officer).get(f"/children/{child.pk}/").content.decode()
    assert CHILD_NAME in html and "C-1001" in html and "Change details" in html
    assert AccessEvent.objects.filter(object_type="children.child", module="children").exists()


def test_other_agency_gets_404_on_the_child(client_for, child_outsider, child):
    response = client_for(child_outsider).get(f"/children/{child.pk}/")
    assert response.status_code == 404 and CHILD_NAME not in response.content.decode()


def test_detail_refuses_readers_and_anonymous(client_for, child_reader, child):
    assert assert_refuses_others(client_for, f"/children/{child.pk}/", reader=child_reader)


def test_officer_changes_the_details(client_for, child_officer, child):
    url = f"/children/{child.pk}/edit/"
    client = client_for(child_officer)
    assert "Featherstonehaugh" in client.get(url).content.decode()
    response = client.post(url, dict(NEW, version=1, home_area="Catford", sex="female"))
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.home_area == "Catford" and child.version == 2


def test_an_edit_without_its_version_is_refused_and_overwrites_nothing(
    client_for, child_officer, child
):
    """Issue 12: an edit posted without its version was saved over a colleague's change."""
    url = f"/children/{child.pk}/edit/"
    colleague, me = client_for(child_officer), client_for(child_officer)
    colleague.post(url, dict(NEW, version=1, home_area="Catford"))
    response = me.post(url, dict(NEW, home_area="Deptford"))
    assert response.status_code == 200
    assert "does not say which copy of the record it was made from" in response.content.decode()
    child.refresh_from_db()
    assert (child.home_area, child.version) == ("Catford", 2)
    assert AuditEvent.objects.filter(summary="Child changed").count() == 1


def test_a_stale_edit_is_refused(client_for, child_officer, child):
    url = f"/children/{child.pk}/edit/"
    client_for(child_officer).post(url, dict(NEW, version=1, home_area="Catford"))
    response = client_for(child_officer).post(url, dict(NEW, version=1, home_area="Deptford"))
    assert "Someone else changed this record" in response.content.decode()
    assert Child.objects.get(pk=child.pk).home_area == "Catford"


def test_changing_to_another_childs_name_needs_confirmation(client_for, child_officer, child):
    from safeguarding.children.services import child_create

    other = child_create(acting_user=child_officer, first_name="Bo", last_name="Peep")
    url = f"/children/{other.pk}/edit/"
    response = client_for(child_officer).post(url, dict(NEW, version=1))
    assert "Another child has this name and date of birth" in response.content.decode()
    assert f"Record {child.pk}" in response.content.decode()
    assert Child.objects.get(pk=other.pk).first_name == "Bo"
    response = client_for(child_officer).post(url, dict(NEW, version=1, not_duplicate="on"))
    assert response.status_code == 302


def test_edit_is_for_officers(client_for, child_owner, child_outsider, child_reader, child):
    url = f"/children/{child.pk}/edit/"
    assert client_for(child_owner).get(url).status_code == 403
    assert client_for(child_outsider).post(url, NEW).status_code == 403
    assert assert_refuses_others(client_for, url, reader=child_reader)


def test_the_list_costs_the_same_number_of_queries(
    client_for, child_officer, child, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeguarding.children.services import child_create

    client = client_for(child_officer)
    client.get("/children/")
    with CaptureQueriesContext(connection) as few:
        client.get("/children/")
    for i in range(20):
        child_create(acting_user=child_officer, first_name=f"Kid{i}", last_name="Test")
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get("/children/").status_code == 200


# ---- what a user may not see is never shown, only said to exist ------------------------

HIDDEN_DUPLICATE = "A possible duplicate exists; the register&#x27;s officers have been told."


def test_a_duplicate_outside_scope_is_not_shown_and_the_officers_are_told(
    client_for, child_outsider, child_officer, child_manager, child
):
    from django.core import mail

    client = client_for(child_outsider)
    response = client.post("/children/new/", NEW)
    assert response.status_code == 302  # the user goes on: they cannot choose that record
    html = client.get(response["Location"]).content.decode()
    assert HIDDEN_DUPLICATE in html
    assert f"Record {child.pk}" not in html and "C-1001" not in html
    assert f"/children/{child.pk}/" not in html
    new = Child.objects.exclude(pk=child.pk).get()
    assert new.owning_agency == child_outsider.agency
    [email] = mail.outbox
    assert set(email.to) == {child_officer.email, child_manager.email}
    assert f"/children/{new.pk}/" in email.body and "/children/duplicates/" in email.body
    for text in ("Tallulah", "Featherstonehaugh", "C-1001", "2003"):
        assert text not in email.body and text not in email.subject


def test_the_duplicate_check_shows_only_the_duplicates_the_user_may_see(
    client_for, child_owner, child_officer, child, school
):
    """The school sees its own record as a possible duplicate, not another agency's."""
    from django.core import mail

    from safeguarding.children.services import child_create

    other = child_create(
        acting_user=child_officer,
        owning_agency=child_officer.agency,
        first_name="Tallulah",
        last_name="Featherstonehaugh",
        date_of_birth=child.date_of_birth,
        external_reference="C-5005",
    )
    response = client_for(child_owner).post("/children/new/", NEW)
    html = response.content.decode()
    assert response.status_code == 200 and f"Record {child.pk}" in html
    assert f"Record {other.pk}" not in html and "C-5005" not in html
    assert Child.objects.count() == 2 and not mail.outbox
