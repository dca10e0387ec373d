"""The home worklist's actions: overdue or due within 14 days, for the contributor's own
agency or every agency for the business unit; references and the source's label only."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguarding.actions import queries, services
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
