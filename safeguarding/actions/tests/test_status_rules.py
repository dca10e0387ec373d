"""Action status rules: overdue from the day after the due date; no closing without evidence."""

import datetime as dt

import pytest

from safeguarding.actions import queries, services
from safeguarding.actions.models import Action
from safeguarding.core.writes import StaleRecord


def _version(action: Action) -> int:
    """The stored version, as a form opened now would carry it."""
    return Action.objects.get(pk=action.pk).version


def test_not_overdue_on_the_due_date_red_the_day_after(police_action):
    due = police_action.due_date
    assert police_action.is_overdue(today=due) is False
    assert police_action.rag(today=due) == "green"
    assert police_action.is_overdue(today=due + dt.timedelta(days=1)) is True
    assert police_action.rag(today=due + dt.timedelta(days=1)) == "red"


def test_overdue_filter_in_the_database_agrees(unit, police_action):
    due = police_action.due_date
    on_due_day = queries.action_list(user=unit, due="overdue", today=due)
    day_after = queries.action_list(user=unit, due="overdue", today=due + dt.timedelta(days=1))
    assert list(on_due_day) == []
    assert [a.reference for a in day_after] == [police_action.reference]
    assert day_after[0].overdue is True


def test_complete_action_is_not_overdue(unit, police_user, police_action):
    services.action_update_progress(
        acting_user=police_user,
        action=police_action,
        expected_version=_version(police_action),
        status="complete",
        note="Everyone briefed",
        date=dt.date(2016, 12, 20),
    )
    police_action.refresh_from_db()
    later = police_action.due_date + dt.timedelta(days=30)
    assert police_action.is_overdue(today=later) is False
    assert police_action.completed_date == dt.date(2016, 12, 20)
    assert police_action.rag(today=later) == "blue"


def test_cannot_close_without_evidence(unit, police_action):
    with pytest.raises(services.ActionInvalid) as exc:
        services.action_close(
            acting_user=unit,
            action=police_action,
            expected_version=_version(police_action),
            evidence="   ",
            date=dt.date(2017, 1, 5),
        )
    assert exc.value.problems[0][0] == "evidence"
    police_action.refresh_from_db()
    assert police_action.status == "not_started"
    assert police_action.closed_at is None


def test_close_with_evidence_records_who_and_when(unit, police_action):
    services.action_close(
        acting_user=unit,
        action=police_action,
        expected_version=_version(police_action),
        evidence="Briefing attendance list",
        date=dt.date(2017, 1, 5),
    )
    police_action.refresh_from_db()
    assert police_action.status == "closed"
    assert police_action.closed_by == unit
    assert police_action.completed_date == dt.date(2017, 1, 5)
    assert police_action.updates.first().status == "closed"


def test_evidence_from_the_agency_update_allows_closing(unit, police_user, police_action):
    services.action_update_progress(
        acting_user=police_user,
        action=police_action,
        expected_version=_version(police_action),
        status="complete",
        note="Done",
        date=dt.date(2016, 11, 30),
        evidence="Attendance list",
    )
    closed = services.action_close(
        acting_user=unit,
        action=police_action,
        expected_version=_version(police_action),
        evidence="",
        date=dt.date(2016, 12, 2),
    )
    assert closed.status == "closed"
    assert closed.evidence == "Attendance list"


def test_closed_action_cannot_be_updated(unit, police_action):
    services.action_close(
        acting_user=unit,
        action=police_action,
        expected_version=_version(police_action),
        evidence="Checked",
        date=dt.date(2017, 1, 5),
    )
    with pytest.raises(services.ActionInvalid):
        services.action_update_progress(
            acting_user=unit,
            action=police_action,
            expected_version=_version(police_action),
            status="on_track",
            note="Reopen?",
            date=dt.date(2017, 1, 6),
        )


def test_stale_update_is_refused(unit, police_action):
    services.action_update_progress(
        acting_user=unit,
        action=police_action,
        expected_version=police_action.version,
        status="on_track",
        note="Started",
        date=dt.date(2016, 10, 1),
    )
    with pytest.raises(StaleRecord):
        services.action_update_progress(
            acting_user=unit,
            action=police_action,
            expected_version=1,
            status="at_risk",
            note="Late",
            date=dt.date(2016, 10, 2),
        )
    assert Action.objects.get(pk=police_action.pk).status == "on_track"


def test_plan_summary_percent_and_rag(unit, police_action, health_action):
    actions = Action.objects.filter(pk__in=[police_action.pk, health_action.pk])
    before_due = queries.plan_summary(actions, today=dt.date(2016, 11, 1))
    assert (before_due["percent_complete"], before_due["rag"]) == (0, "green")
    services.action_close(
        acting_user=unit,
        action=police_action,
        expected_version=_version(police_action),
        evidence="Checked",
        date=dt.date(2016, 11, 2),
    )
    after_due = queries.plan_summary(actions, today=dt.date(2016, 12, 2))
    assert after_due["percent_complete"] == 50
    assert after_due["rag"] == "red"


def test_action_create_keeps_its_contract(unit, referral, hospital):
    """The signature other modules call: source, label, description, agency, due date."""
    action = services.action_create(
        acting_user=unit,
        source=referral,
        source_label="Case Q",
        description="Do it",
        owning_agency=hospital,
        due_date=dt.date(2017, 1, 1),
    )
    assert action.reference.startswith("ACT-")
    assert action.source_module == "case_reviews"
    assert list(services.actions_for(referral)) == [action]
