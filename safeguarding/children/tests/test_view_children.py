"""The children pages: list (scoped, search in the session), add with the duplicate check,
the chronology page, changing details."""

import datetime as dt

from safeguarding.children.models import Child
from safeguarding.core.models import AccessEvent
from safeguarding.missing import services as missing_services
from safeguarding.missing.tests.fixtures import CHILD_NAME, assert_refuses_others, at


def test_list_is_scoped_to_the_agency(client_for, met_officer, met_owner, met_outsider, child):
    assert CHILD_NAME in client_for(met_officer).get("/children/").content.decode()
    assert CHILD_NAME in client_for(met_owner).get("/children/").content.decode()
    response = client_for(met_outsider).get("/children/")
    assert response.status_code == 200 and CHILD_NAME not in response.content.decode()


def test_list_refuses_readers_and_anonymous(client_for, met_reader, child):
    assert assert_refuses_others(client_for, "/children/", reader=met_reader)


def test_search_goes_in_the_session(client_for, met_officer, child):
    client = client_for(met_officer)
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


def test_adding_a_possible_duplicate_needs_confirmation(client_for, met_owner, child):
    client = client_for(met_owner)
    assert client.get("/children/new/").status_code == 200
    response = client.post("/children/new/", NEW)
    assert "already recorded with this name and date of birth" in response.content.decode()
    assert Child.objects.count() == 1
    response = client.post("/children/new/", dict(NEW, not_duplicate="on"))
    assert response.status_code == 302
    assert Child.objects.count() == 2


def test_adding_a_new_child(client_for, met_owner, school):
    response = client_for(met_owner).post("/children/new/", dict(NEW, first_name="Bo"))
    child = Child.objects.get()
    assert response["Location"] == f"/children/{child.pk}/"
    assert child.owning_agency == school


def test_adding_without_names_names_the_fields(client_for, met_owner):
    html = client_for(met_owner).post("/children/new/", {"sex": "male"}).content.decode()
    assert "Enter the child&#x27;s first name" in html or "Enter the child's first name" in html
    assert not Child.objects.exists()


def test_add_refuses_readers_and_anonymous(client_for, met_reader):
    assert assert_refuses_others(client_for, "/children/new/", reader=met_reader)


def test_the_chronology_brings_everything_together(
    client_for, met_officer, child, episode, met_entry, school
):
    for day in (10, 20):
        missing_services.episode_create(
            acting_user=met_officer,
            child=child,
            looked_after=True,
            episode_type="absent",
            start=at(f"2016-05-{day} 10:00"),
            end=at(f"2016-05-{day} 12:00"),
        )
    missing_services.interview_save(
        acting_user=met_officer,
        episode=episode,
        expected_version=None,
        offered_at=at("2016-05-04 10:00"),
        offered_by="Runaways",
        response="accepted",
        completed_on=dt.date(2016, 5, 6),
    )
    missing_services.screening_add(
        acting_user=met_officer,
        child=child,
        date=dt.date(2016, 8, 30),
        exploitation_type="sexual",
        tool="CSE toolkit",
        score=20,
        level="",
        owning_agency=school,
    )
    html = client_for(met_officer).get(f"/children/{child.pk}/").content.decode()
    for text in (
        "Repeat missing",
        "Interview offered",
        "Interview completed",
        "Screening",
        "Added to the MET list",
        episode.reference,
        "On the MET list",
    ):
        assert text in html
    assert html.index("Added to the MET list") < html.index(episode.reference)  # newest first
    assert AccessEvent.objects.filter(object_type="children.child").exists()


def test_other_agency_gets_404_on_the_child(client_for, met_outsider, child):
    response = client_for(met_outsider).get(f"/children/{child.pk}/")
    assert response.status_code == 404 and CHILD_NAME not in response.content.decode()


def test_detail_refuses_readers_and_anonymous(client_for, met_reader, child):
    assert assert_refuses_others(client_for, f"/children/{child.pk}/", reader=met_reader)


def test_officer_changes_the_details(client_for, met_officer, child):
    url = f"/children/{child.pk}/edit/"
    client = client_for(met_officer)
    assert "Featherstonehaugh" in client.get(url).content.decode()
    response = client.post(url, dict(NEW, version=1, home_area="Catford", sex="female"))
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.home_area == "Catford" and child.version == 2


def test_edit_is_for_officers(client_for, met_owner, met_outsider, met_reader, child):
    url = f"/children/{child.pk}/edit/"
    assert client_for(met_owner).get(url).status_code == 403
    assert client_for(met_outsider).post(url, NEW).status_code == 403
    assert assert_refuses_others(client_for, url, reader=met_reader)


def test_the_list_costs_the_same_number_of_queries(
    client_for, met_officer, child, django_assert_num_queries
):
    from safeguarding.children.services import child_create

    client = client_for(met_officer)
    client.get("/children/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/children/")
    for i in range(20):
        child_create(acting_user=met_officer, first_name=f"Kid{i}", last_name="Test")
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get("/children/").status_code == 200
