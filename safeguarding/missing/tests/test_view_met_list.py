"""The MET list, adding a child with a lead agency and risk, leaving with a reason."""

from safeguarding.missing.models import MetListEntry

from .fixtures import CHILD_NAME, assert_refuses_others


def test_officer_sees_the_list_and_who_left(client_for, met_officer, met_entry):
    html = client_for(met_officer).get("/missing/met/").content.decode()
    assert CHILD_NAME in html and "High" in html
    assert CHILD_NAME not in client_for(met_officer).get("/missing/met/?show=left").content.decode()


def test_contributors_see_entries_their_agency_leads(
    client_for, met_owner, met_outsider, met_entry
):
    assert CHILD_NAME in client_for(met_owner).get("/missing/met/").content.decode()
    response = client_for(met_outsider).get("/missing/met/")
    assert response.status_code == 200 and CHILD_NAME not in response.content.decode()


def test_met_list_refuses_readers_and_anonymous(client_for, met_reader, met_entry):
    assert assert_refuses_others(
        client_for, "/missing/met/", reader=met_reader, wrong_method="post"
    )


def add_url(child):
    return f"/missing/children/{child.pk}/met/add/"


def test_officer_adds_a_child(client_for, met_officer, child, school):
    client = client_for(met_officer)
    assert client.get(add_url(child)).status_code == 200
    response = client.post(
        add_url(child),
        {
            "owning_agency": school.pk,
            "risk_level": "high",
            "added_on_0": "1",
            "added_on_1": "9",
            "added_on_2": "2016",
        },
    )
    assert response.status_code == 302
    entry = MetListEntry.objects.get()
    assert entry.owning_agency == school and entry.risk_level == "high"


def test_adding_without_a_risk_level_names_the_field(client_for, met_officer, child, school):
    response = client_for(met_officer).post(add_url(child), {"owning_agency": school.pk})
    assert "Choose the risk level" in response.content.decode()
    assert not MetListEntry.objects.exists()


def test_contributors_cannot_add(client_for, met_owner, met_outsider, child):
    assert client_for(met_owner).get(add_url(child)).status_code == 403
    assert client_for(met_outsider).post(add_url(child), {}).status_code == 403


def test_officer_of_another_scope_gets_404_for_an_unknown_child(client_for, met_officer, child):
    assert (
        client_for(met_officer).get(f"/missing/children/{child.pk + 50}/met/add/").status_code
        == 404
    )


def test_add_refuses_readers_and_anonymous(client_for, met_reader, child):
    assert assert_refuses_others(client_for, add_url(child), reader=met_reader)


def remove_url(entry):
    return f"/missing/met/{entry.pk}/remove/"


def test_officer_removes_a_child_with_a_reason(client_for, met_officer, met_entry):
    response = client_for(met_officer).post(
        remove_url(met_entry),
        {
            "version": 1,
            "left_on_0": "5",
            "left_on_1": "1",
            "left_on_2": "2017",
            "leaving_reason": "risk_reduced",
        },
    )
    assert response.status_code == 302
    met_entry.refresh_from_db()
    assert met_entry.leaving_reason == "risk_reduced"
    assert client_for(met_officer).get(remove_url(met_entry)).status_code == 404  # already left


def test_leaving_without_the_version_is_refused(client_for, met_officer, met_entry):
    """Issue 12: the removal was saved without its version."""
    response = client_for(met_officer).post(
        remove_url(met_entry),
        {"left_on_0": "5", "left_on_1": "1", "left_on_2": "2017", "leaving_reason": "other"},
    )
    assert "does not say which copy of the record it was made from" in response.content.decode()
    met_entry.refresh_from_db()
    assert met_entry.on_list and met_entry.version == 1


def test_leaving_before_joining_is_refused(client_for, met_officer, met_entry):
    response = client_for(met_officer).post(
        remove_url(met_entry),
        {
            "version": 1,
            "left_on_0": "5",
            "left_on_1": "1",
            "left_on_2": "2016",
            "leaving_reason": "other",
        },
    )
    assert "before being added" in response.content.decode()


def test_remove_refuses_contributors_readers_anonymous(
    client_for, met_owner, met_reader, met_entry
):
    assert client_for(met_owner).get(remove_url(met_entry)).status_code == 403
    assert assert_refuses_others(client_for, remove_url(met_entry), reader=met_reader)
