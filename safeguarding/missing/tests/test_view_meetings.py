"""MET meetings: agenda drawn from the list, attendance by agency, decisions per child."""

import pytest

from safeguarding.core.models import AuditEvent
from safeguarding.missing import services
from safeguarding.missing.models import MetMeeting, MetMeetingType

from .fixtures import CHILD_NAME, assert_refuses_others


@pytest.fixture
def meeting(met_entry, met_officer, school):
    return services.meeting_create(
        acting_user=met_officer,
        meeting_type=MetMeetingType.objects.get(name__startswith="Operational"),
        date=met_entry.added_on,
        agencies=[school],
    )


def test_officer_runs_a_meeting(client_for, met_officer, met_entry, school, council):
    client = client_for(met_officer)
    assert client.get("/missing/meetings/new/").status_code == 200
    tactical = MetMeetingType.objects.get(name__startswith="Tactical")
    response = client.post(
        "/missing/meetings/new/",
        {
            "meeting_type": tactical.pk,
            "date_0": "20",
            "date_1": "9",
            "date_2": "2016",
            "agencies": [school.pk, council.pk],
        },
    )
    meeting = MetMeeting.objects.get()
    assert response["Location"] == f"/missing/meetings/{meeting.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert CHILD_NAME in html and school.name in html and "Social Care" in html
    item = meeting.discussions.get()
    response = client.post(
        f"/missing/meetings/items/{item.pk}/",
        {
            "risk_level": "medium",
            "decisions": "Safety plan agreed",
            "actions": "School to monitor",
        },
    )
    assert response.status_code == 302
    assert "Safety plan agreed" in client.get(f"/missing/meetings/{meeting.pk}/").content.decode()
    assert "Safety plan agreed" in client.get(f"/children/{met_entry.child_id}/").content.decode()
    assert str(meeting.date.year) in client.get("/missing/meetings/").content.decode()


def test_a_meeting_without_a_type_names_the_field(client_for, met_officer):
    response = client_for(met_officer).post("/missing/meetings/new/", {"date_0": "1"})
    assert "Choose the type of meeting" in response.content.decode()
    assert not MetMeeting.objects.exists()


@pytest.mark.parametrize(
    "path", ["/missing/meetings/", "/missing/meetings/new/", "meeting", "item"]
)
def test_contributors_and_readers_are_refused(
    client_for, met_owner, met_outsider, met_reader, meeting, path
):
    if path == "meeting":
        path = f"/missing/meetings/{meeting.pk}/"
    elif path == "item":
        path = f"/missing/meetings/items/{meeting.discussions.get().pk}/"
    for user in (met_owner, met_outsider):
        response = client_for(user).get(path)
        assert response.status_code == 403 and CHILD_NAME not in response.content.decode()
    assert_refuses_others(client_for, path, reader=met_reader)


def test_unknown_meeting_is_404_and_wrong_method_405(client_for, met_officer, meeting):
    assert client_for(met_officer).get(f"/missing/meetings/{meeting.pk + 9}/").status_code == 404
    assert client_for(met_officer).post(f"/missing/meetings/{meeting.pk}/").status_code == 405
    assert client_for(met_officer).post("/missing/meetings/").status_code == 405


def test_manager_configures_meeting_types(client_for, met_manager, met_officer, met_reader):
    client = client_for(met_manager)
    assert "Strategic MET meeting" in client.get("/missing/meeting-types/").content.decode()
    response = client.post(
        "/missing/meeting-types/new/",
        {
            "name": "Exploitation panel",
            "frequency_days": "14",
            "order": "4",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    created = MetMeetingType.objects.get(name="Exploitation panel")
    assert created.frequency_days == 14
    assert client.get(f"/missing/meeting-types/{created.pk}/").status_code == 200
    assert client.get("/missing/meeting-types/999/").status_code == 404
    assert client_for(met_officer).get("/missing/meeting-types/").status_code == 403
    assert client_for(met_officer).get("/missing/meeting-types/new/").status_code == 403
    assert_refuses_others(client_for, "/missing/meeting-types/", reader=met_reader)
    assert client.post("/missing/meeting-types/").status_code == 405
    assert client.delete("/missing/meeting-types/new/").status_code == 405


def change(meeting_type, **extra):
    values = {
        "name": meeting_type.name,
        "frequency_days": str(meeting_type.frequency_days),
        "order": str(meeting_type.order),
        "is_active": "on",
        "version": str(meeting_type.version),
    }
    values.update(extra)
    return values


def test_changing_a_meeting_type_says_what_changed_in_its_history(client_for, met_manager):
    """Issue 12: the audit row said nothing changed (the form's own instance was compared)."""
    weekly = MetMeetingType.objects.get(name__startswith="Operational")
    url = f"/missing/meeting-types/{weekly.pk}/"
    client = client_for(met_manager)
    assert f'name="version" value="{weekly.version}"' in client.get(url).content.decode()
    assert client.post(url, change(weekly, frequency_days="14")).status_code == 302
    event = AuditEvent.objects.get(object_type="missing.metmeetingtype", object_id=str(weekly.pk))
    assert event.changes == {"frequency_days": [7, 14]}
    weekly.refresh_from_db()
    assert (weekly.frequency_days, weekly.version) == (14, 2)


def test_a_stale_or_versionless_meeting_type_form_is_refused(client_for, met_manager):
    weekly = MetMeetingType.objects.get(name__startswith="Operational")
    url = f"/missing/meeting-types/{weekly.pk}/"
    client = client_for(met_manager)
    client.post(url, change(weekly, frequency_days="14"))
    stale = client.post(url, change(weekly, frequency_days="21"))
    assert "Someone else changed this record" in stale.content.decode()
    without = change(weekly, frequency_days="21")
    del without["version"]
    assert "does not say which copy" in client.post(url, without).content.decode()
    assert MetMeetingType.objects.get(pk=weekly.pk).frequency_days == 14
