"""The returns worklist: what each user has to do, read through an index and LIMITed."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguarding.core.registers import worklist_for
from safeguarding.performance import services


def test_a_contributor_sees_their_agencys_open_return_due_then_overdue(
    trust_user, police_user, trust_return
):
    (item,) = worklist_for(trust_user, trust_return.due_date)
    assert item.label == "Enter and submit the data return"
    assert item.reference == "2016-04 CAMHS Trust"
    assert item.url == f"/performance/returns/{trust_return.pk}/"
    assert item.due == trust_return.due_date and not item.overdue
    (late,) = worklist_for(trust_user, trust_return.due_date + dt.timedelta(days=1))
    assert late.overdue
    assert worklist_for(police_user, trust_return.due_date) == []


def test_a_sent_back_return_asks_the_agency_to_correct_it(trust_user, bu_officer, submitted_return):
    assert worklist_for(trust_user, submitted_return.due_date) == []
    services.return_send_back(acting_user=bu_officer, data_return=submitted_return, note="Check")
    (item,) = worklist_for(trust_user, submitted_return.due_date)
    assert item.label == "Data return sent back: correct and resubmit"


def test_an_officer_sees_late_returns(bu_officer, trust_return):
    due = trust_return.due_date
    (late,) = worklist_for(bu_officer, due + dt.timedelta(days=3))
    assert late.label == "Chase the late data return" and late.overdue
    assert worklist_for(bu_officer, due) == []  # open, not late yet: the agency's work


def test_an_officer_sees_returns_to_approve(trust_user, bu_officer, submitted_return):
    trust_return, due = submitted_return, submitted_return.due_date
    (item,) = worklist_for(bu_officer, due + dt.timedelta(days=3))
    assert item.label == "Approve or send back the data return" and not item.overdue
    # No person is named: the submitter's name is not in what the home page lists.
    assert trust_user.full_name not in f"{item.label} {item.reference} {item.rule}"
    services.return_approve(acting_user=bu_officer, data_return=trust_return)
    assert worklist_for(bu_officer, due + dt.timedelta(days=3)) == []


def test_a_reader_has_no_returns_to_do(board, trust_return):
    assert worklist_for(board, trust_return.due_date + dt.timedelta(days=1)) == []


def test_the_worklist_costs_the_same_whatever_the_history(lead, bu_officer, cgas, trust_return):
    from safeguarding.core.periods import Period
    from safeguarding.performance.models import DataReturn

    today = trust_return.due_date + dt.timedelta(days=400)
    worklist_for(bu_officer, today)  # the user's grants are read once, then cached
    with CaptureQueriesContext(connection) as few:
        worklist_for(bu_officer, today)
    period = Period.parse("2021-12")
    for _ in range(60):
        services.returns_open(acting_user=lead, period=period)
        period = period.previous()
    DataReturn.objects.update(due_date=dt.date(2016, 5, 1))
    with CaptureQueriesContext(connection) as many:
        items = worklist_for(bu_officer, today)
    assert len(items) == 50  # LIMITed
    assert len(many.captured_queries) == len(few.captured_queries)
