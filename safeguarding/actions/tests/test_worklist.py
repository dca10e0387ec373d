"""The home worklist's actions: overdue or due within 14 days, for the contributor's own
agency or every agency for the business unit; references and the source's label only."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguarding.actions import queries, services
from safeguarding.actions.models import Action
from safeguarding.core.registers import get, worklist_for

TODAY = dt.date(2016, 11, 25)


def _add(unit, referral, agency, due, description="Brief all officers on the learning"):
    return services.action_create(
        acting_user=unit,
        source=referral,
        source_label=referral.label,
        description=description,
        owning_agency=agency,
        due_date=due,
        agreed_date=dt.date(2016, 9, 1),
    )


def _refs(items):
    return [i.reference for i in items if i.module == "actions"]


def test_the_register_is_declared(db):
    reg = get("actions")
    assert (reg.module, reg.import_schema, reg.year_report) == ("actions", None, None)
    assert reg.worklist is not None


def test_overdue_and_due_soon_for_the_business_unit(unit, referral, police, hospital):
    overdue = _add(unit, referral, police, TODAY - dt.timedelta(days=1))
    soon = _add(unit, referral, hospital, TODAY + dt.timedelta(days=14))
    _add(unit, referral, police, TODAY + dt.timedelta(days=15))  # later: not yet
    items = [i for i in worklist_for(unit, TODAY) if i.module == "actions"]
    assert _refs(items) == [overdue.reference, soon.reference]
    assert [i.overdue for i in items] == [True, False]
    assert items[0].url == f"/actions/{overdue.pk}/"
    assert items[0].label == f"Action from {referral.label}"


def test_a_contributor_sees_only_their_agencys(police_user, unit, referral, police, hospital):
    mine = _add(unit, referral, police, TODAY)
    _add(unit, referral, hospital, TODAY)
    assert _refs(worklist_for(police_user, TODAY)) == [mine.reference]


def test_done_actions_are_not_listed(unit, police_user, referral, police):
    complete = _add(unit, referral, police, TODAY - dt.timedelta(days=3))
    services.action_update_progress(
        acting_user=police_user,
        action=complete,
        expected_version=complete.version,
        status="complete",
        note="Done",
        date=TODAY,
    )
    assert _refs(worklist_for(unit, TODAY)) == []


def test_no_description_or_owner_on_the_worklist(unit, referral, police):
    _add(unit, referral, police, TODAY, description="Speak to Mrs Quillfeather's GP")
    (item,) = [i for i in worklist_for(unit, TODAY) if i.module == "actions"]
    shown = f"{item.label} {item.reference} {item.rule}"
    assert "Quillfeather" not in shown and "GP" not in shown


def test_a_reader_gets_nothing(cr_reader, unit, referral, police):
    _add(unit, referral, police, TODAY)
    assert _refs(worklist_for(cr_reader, TODAY)) == []


def test_one_query_and_a_limit_however_many_actions(unit, referral, police):
    for i in range(5):
        _add(unit, referral, police, TODAY - dt.timedelta(days=i))
    queries.action_worklist(user=unit, today=TODAY)  # the user's grants, read once
    with CaptureQueriesContext(connection) as queries_run:
        items = queries.action_worklist(user=unit, today=TODAY, limit=3)
    assert len(items) == 3
    assert [i.due for i in items] == sorted(i.due for i in items)  # most overdue first
    assert len(queries_run) == 1
    assert "LIMIT 3" in queries_run[0]["sql"]


# ---- the action's clock across a weekend and a bank holiday (rules.ACTION_DUE) -----------
# An action is due on the date its plan agreed; no holiday moves it. Overdue from the day
# after it, never on it.


@pytest.mark.parametrize(
    "agreed, due",
    [
        (dt.date(2025, 8, 22), dt.date(2025, 8, 25)),  # Friday, due the summer bank holiday
        (dt.date(2025, 4, 18), dt.date(2025, 4, 21)),  # Good Friday, due Easter Monday
    ],
)
def test_an_action_due_on_a_bank_holiday_is_overdue_from_the_day_after(
    unit, referral, police, agreed, due
):
    action = services.action_create(
        acting_user=unit,
        source=referral,
        source_label=referral.label,
        description="Brief all officers on the learning",
        owning_agency=police,
        due_date=due,
        agreed_date=agreed,
    )
    day = dt.timedelta(days=1)

    def listed(today):
        return [(i.reference, i.due, i.overdue) for i in worklist_for(unit, today)
                if i.module == "actions"]  # fmt: skip

    assert listed(due - day) == [(action.reference, due, False)]
    assert listed(due) == [(action.reference, due, False)]
    assert listed(due + day) == [(action.reference, due, True)]
    # The action's own page and the plan's RAG agree with the worklist's edge.
    assert not action.is_overdue(due) and action.is_overdue(due + day)
    summary = queries.plan_summary(Action.objects.filter(pk=action.pk), today=due)
    assert summary["overdue"] == 0
    summary = queries.plan_summary(Action.objects.filter(pk=action.pk), today=due + day)
    assert summary["overdue"] == 1


def test_the_action_clock_is_declared_with_its_source(db):
    from safeguarding.actions.rules import ACTION_DUE

    assert ACTION_DUE.given and ACTION_DUE.effective is None
    assert "no statutory timescale" in ACTION_DUE.rule
