"""Writes: audited in the same transaction, optimistic locking, episode rules, the MET panel."""

import datetime as dt

import pytest
from django.utils import timezone

from safeguarding.core.models import AuditEvent
from safeguarding.core.writes import RecordInvalid, StaleRecord
from safeguarding.missing import services
from safeguarding.missing.models import MetDiscussion, MetMeetingType, ReturnInterview

from .fixtures import at


def test_creating_an_episode_is_audited_and_gets_a_reference(episode):
    assert episode.reference.startswith("MIS-2016-17-")
    event = AuditEvent.objects.get(object_type="missing.episode", object_id=str(episode.pk))
    assert event.action == "create" and event.module == "missing"


def test_an_overlapping_episode_is_refused_by_the_service(episode, met_officer):
    with pytest.raises(RecordInvalid) as caught:
        services.episode_create(
            acting_user=met_officer,
            child=episode.child,
            looked_after=True,
            episode_type="absent",
            start=at("2016-05-04 01:00"),
            end=at("2016-05-04 04:00"),
        )
    assert caught.value.problems[0][0] == "start"
    assert "overlaps" in caught.value.problems[0][1]


def test_a_stale_copy_is_not_saved(episode, met_officer):
    services.episode_update(
        acting_user=met_officer, episode=episode, expected_version=1, police_reference="CAD9"
    )
    with pytest.raises(StaleRecord):
        services.episode_update(
            acting_user=met_officer, episode=episode, expected_version=1, police_reference="X"
        )
    episode.refresh_from_db()
    assert episode.police_reference == "CAD9"


def test_the_interview_is_offered_after_the_return_and_audited(episode, met_officer):
    with pytest.raises(RecordInvalid) as caught:
        services.interview_save(
            acting_user=met_officer,
            episode=episode,
            expected_version=1,
            offered_at=at("2016-05-04 01:00"),
        )
    assert "before the child returned" in caught.value.problems[0][1]
    interview = services.interview_save(
        acting_user=met_officer,
        episode=episode,
        expected_version=1,
        offered_at=at("2016-05-06 10:00"),
        offered_by="Runaways project",
        response="accepted",
        completed_on=dt.date(2016, 5, 9),
        disclosed_criminal_exploitation=True,
    )
    assert interview.offered_in_time is True
    assert AuditEvent.objects.filter(summary="Return home interview recorded").count() == 1


def test_the_end_cannot_move_after_the_interview_offer(episode, met_officer):
    services.interview_save(
        acting_user=met_officer,
        episode=episode,
        expected_version=1,
        offered_at=at("2016-05-04 10:00"),
    )
    with pytest.raises(RecordInvalid) as caught:
        services.episode_update(
            acting_user=met_officer,
            episode=episode,
            expected_version=2,
            end=at("2016-05-05 10:00"),
        )
    assert caught.value.problems == [("end", "The end cannot be after the interview was offered")]


def test_a_child_is_on_the_met_list_once_and_leaves_with_a_reason(met_entry, met_officer):
    with pytest.raises(RecordInvalid):
        services.met_add(
            acting_user=met_officer,
            child=met_entry.child,
            owning_agency=met_entry.owning_agency,
            risk_level="low",
            added_on=dt.date(2016, 10, 1),
        )
    left = services.met_remove(
        acting_user=met_officer,
        entry=met_entry,
        expected_version=1,
        left_on=dt.date(2017, 1, 5),
        leaving_reason="risk_reduced",
    )
    assert left.left_on == dt.date(2017, 1, 5) and not left.on_list


def test_a_meeting_agenda_lists_the_children_on_the_list_that_day(met_entry, met_manager, school):
    operational = MetMeetingType.objects.get(name__startswith="Operational")
    assert operational.frequency_days == 7
    before = services.meeting_create(
        acting_user=met_manager, meeting_type=operational, date=dt.date(2016, 8, 1)
    )
    assert before.discussions.count() == 0
    meeting = services.meeting_create(
        acting_user=met_manager,
        meeting_type=operational,
        date=dt.date(2016, 9, 5),
        agencies=[school],
    )
    item = meeting.discussions.get()
    assert item.entry == met_entry and meeting.next_due == dt.date(2016, 9, 12)
    services.discussion_update(
        acting_user=met_manager,
        discussion=item,
        risk_level="medium",
        decisions="Disruption plan",
        actions="Police to visit",
    )
    met_entry.refresh_from_db()
    assert met_entry.risk_level == "medium"
    assert MetDiscussion.objects.get().decisions == "Disruption plan"


def test_screening_needs_a_score_or_a_level(child, met_officer, school):
    with pytest.raises(RecordInvalid):
        services.screening_add(
            acting_user=met_officer,
            child=child,
            date=dt.date(2016, 9, 1),
            exploitation_type="sexual",
            tool="CSE toolkit",
            score=None,
            level="",
        )
    screening = services.screening_add(
        acting_user=met_officer,
        child=child,
        date=dt.date(2016, 9, 1),
        exploitation_type="criminal",
        tool="CCE screening",
        score=None,
        level="high",
        owning_agency=school,
    )
    assert screening.owning_agency == school


def test_open_episode_cannot_have_an_interview(open_episode, met_officer):
    with pytest.raises(RecordInvalid) as caught:
        services.interview_save(
            acting_user=met_officer,
            episode=open_episode,
            expected_version=1,
            offered_at=timezone.now(),
        )
    assert caught.value.problems == [
        ("offered_at", "Record the end of the episode before the interview")
    ]


# ---- issue 12: no edit without its version; configuration audited ----------------------


@pytest.mark.parametrize(
    "edit",
    [
        lambda user, episode, entry: services.episode_update(
            acting_user=user, episode=episode, expected_version=None, police_reference="X"
        ),
        lambda user, episode, entry: services.interview_save(
            acting_user=user,
            episode=episode,
            expected_version=None,
            offered_at=episode.end + dt.timedelta(hours=1),
        ),
        lambda user, episode, entry: services.met_remove(
            acting_user=user,
            entry=entry,
            expected_version=None,
            left_on=dt.date(2017, 1, 5),
            leaving_reason="risk_reduced",
        ),
    ],
    ids=["episode", "interview", "met_remove"],
)
def test_an_edit_without_its_version_is_refused(edit, episode, met_entry, met_officer):
    history = AuditEvent.objects.count()
    with pytest.raises(StaleRecord) as caught:
        edit(met_officer, episode, met_entry)
    assert "does not say which copy" in str(caught.value)
    episode.refresh_from_db()
    met_entry.refresh_from_db()
    assert (episode.police_reference, episode.version) == ("CAD1234", 1)
    assert not ReturnInterview.objects.exists()
    assert met_entry.on_list and met_entry.version == 1
    assert AuditEvent.objects.count() == history


def test_changing_a_meeting_type_audits_what_changed(met_manager):
    operational = MetMeetingType.objects.get(name__startswith="Operational")
    services.meeting_type_save(
        acting_user=met_manager,
        meeting_type=operational,
        expected_version=1,
        name=operational.name,
        frequency_days=14,
        order=operational.order,
    )
    event = AuditEvent.objects.get(object_type="missing.metmeetingtype")
    assert event.changes == {"frequency_days": [7, 14]} and event.module == "missing"
    with pytest.raises(StaleRecord):
        services.meeting_type_save(
            acting_user=met_manager,
            meeting_type=operational,
            expected_version=1,
            name="Weekly",
            frequency_days=7,
        )
    assert MetMeetingType.objects.get(pk=operational.pk).frequency_days == 14
