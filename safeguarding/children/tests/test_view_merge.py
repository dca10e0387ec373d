"""Possible duplicates and the merge: managers only, audited."""

import datetime as dt

from safeguarding.children import services
from safeguarding.children.models import Child
from safeguarding.core.models import AuditEvent

from .helpers import assert_refuses_others


def twin(user):
    return services.child_create(
        acting_user=user,
        first_name="Tallulah",
        last_name="Featherstonehaugh",
        date_of_birth=dt.date(2003, 2, 1),
    )


def test_manager_sees_duplicates_and_merges_them(client_for, child_manager, child):
    other = twin(child_manager)
    client = client_for(child_manager)
    html = client.get("/children/duplicates/").content.decode()
    assert f"Record {child.pk}" in html and f"Record {other.pk}" in html
    assert client.get(f"/children/{child.pk}/merge/").status_code == 200
    response = client.post(f"/children/{child.pk}/merge/", {"keep": child.pk})
    assert response["Location"] == f"/children/{child.pk}/"
    assert Child.objects.get(pk=other.pk).merged_into_id == child.pk
    assert AuditEvent.objects.filter(action="merge").count() == 2
    assert "No possible duplicates" in client.get("/children/duplicates/").content.decode()
    # the merged record's page leads to the one kept
    assert client.get(f"/children/{other.pk}/")["Location"] == f"/children/{child.pk}/"


def test_merge_without_a_duplicate_is_404(client_for, child_manager, child):
    assert client_for(child_manager).get(f"/children/{child.pk}/merge/").status_code == 404


def test_officers_and_contributors_cannot_merge(
    client_for, child_officer, child_owner, child_outsider, child
):
    other = twin(child_officer)
    for user in (child_officer, child_owner, child_outsider):
        assert (
            client_for(user).post(f"/children/{child.pk}/merge/", {"keep": child.pk}).status_code
            == 403
        )
        assert client_for(user).get("/children/duplicates/").status_code == 403
    assert Child.objects.get(pk=other.pk).merged_into_id is None


def test_readers_anonymous_and_wrong_methods(client_for, child_reader, child):
    assert_refuses_others(client_for, "/children/duplicates/", reader=child_reader)
    assert_refuses_others(client_for, f"/children/{child.pk}/merge/", reader=child_reader)
    assert client_for(child_reader).post("/children/duplicates/").status_code == 405
    assert client_for(child_reader).put(f"/children/{child.pk}/merge/").status_code == 405
