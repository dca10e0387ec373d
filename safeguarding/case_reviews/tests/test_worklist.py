"""The statutory clocks due this week or overdue: the business unit's worklist page and the
home worklist (references only). A clock applies only from the day its rule did: serious
incident notifications and rapid reviews from 29 June 2018."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguarding.case_reviews import queries, services
from safeguarding.core.registers import get, worklist_for

TODAY = dt.date(2019, 3, 6)  # a Wednesday


def _refer(unit, title, aware, **values):
    return services.referral_create(
        acting_user=unit,
        title=title,
        referral_date=aware,
        la_aware_date=aware,
        abuse_or_neglect=True,
        seriously_harmed=True,
        **values,
    )


def _items(user, today=TODAY):
    return [i for i in worklist_for(user, today) if i.module == "case_reviews"]


def test_overdue_and_due_this_week_with_references_only(unit):
    late = _refer(unit, "Case L", dt.date(2019, 2, 1))  # notification due 8 February
    soon = _refer(unit, "Case S", dt.date(2019, 3, 1))  # due Friday 8 March: this week
    _refer(unit, "Case N", dt.date(2019, 3, 5))  # due 12 March: next week
    items = _items(unit)
    assert [(i.reference, i.label, i.overdue) for i in items] == [
        (late.reference, "Serious incident notification", True),
        (soon.reference, "Serious incident notification", False),
    ]
    assert items[0].due == dt.date(2019, 2, 8)
    assert items[0].url == reverse("case_reviews:detail", args=[late.pk])
    assert "29 June 2018" in items[0].rule
    shown = " ".join(f"{i.label} {i.reference} {i.rule}" for i in items)
    assert "Case L" not in shown and "Case S" not in shown


def test_rapid_review_and_publication_clocks(unit, types):
    referral = _refer(unit, "Case R", dt.date(2019, 1, 2), notification_date=dt.date(2019, 1, 4))
    services.referral_update(
        acting_user=unit,
        referral=referral,
        expected_version=referral.version,
        rapid_review_date=dt.date(2019, 1, 20),
        decision=types["lcspr"],
        decision_date=dt.date(2019, 1, 20),
        review_start_date=dt.date(2019, 1, 29),
    )
    other = _refer(unit, "Case O", dt.date(2019, 2, 1), notification_date=dt.date(2019, 2, 4))
    labels = {(i.reference, i.label) for i in _items(unit, dt.date(2019, 7, 31))}
    assert (other.reference, "Rapid review") in labels  # due 25 February
    assert (referral.reference, "LCSPR publication") in labels  # due 29 July


def test_older_cases_are_never_overdue_under_rules_that_did_not_exist(client_for, unit):
    """A 2016 referral never notified has no notification or rapid review to chase: those
    duties began on 29 June 2018. The same case a year later is on the list."""
    old = _refer(unit, "Case 2016", dt.date(2016, 6, 3))
    old_notified = _refer(
        unit, "Case 2017", dt.date(2017, 4, 6), notification_date=dt.date(2017, 4, 10)
    )
    just_before = _refer(unit, "Case June", dt.date(2018, 6, 28))
    new = _refer(unit, "Case 2018", dt.date(2018, 6, 29))
    page = client_for(unit).get(reverse("case_reviews:worklist")).content.decode()
    assert "Case 2018" in page
    assert "Case 2016" not in page and "Case 2017" not in page and "Case June" not in page
    refs = [i.reference for i in _items(unit)]
    assert refs == [new.reference]
    assert old.reference not in refs and old_notified.reference not in refs
    assert just_before.reference not in refs


def test_done_clocks_drop_off(unit):
    referral = _refer(unit, "Case D", dt.date(2019, 2, 1))
    services.referral_update(
        acting_user=unit,
        referral=referral,
        expected_version=referral.version,
        notification_date=dt.date(2019, 2, 6),
        rapid_review_date=dt.date(2019, 2, 20),
    )
    assert _items(unit) == []


def test_only_the_business_unit_runs_the_clocks(unit, police_user, cr_reader, police):
    _refer(unit, "Case P", dt.date(2019, 2, 1), owning_agency=police)
    assert len(_items(unit)) == 1
    assert _items(police_user) == []  # the referring agency cannot act on the clocks
    assert _items(cr_reader) == []


def test_the_register_declares_the_worklist_and_the_chapter(db):
    reg = get("case-reviews")
    assert reg.worklist is not None
    assert (reg.chapter().title, reg.chapter().order) == ("Case reviews", 30)


def test_a_query_per_clock_and_a_limit(unit):
    for day in range(1, 5):
        _refer(unit, f"Case {day}", dt.date(2019, 2, day))
    queries.worklist(user=unit, today=TODAY)  # the user's grants, read once
    with CaptureQueriesContext(connection) as run:
        rows = queries.worklist(user=unit, today=TODAY, limit=2)
    assert len(rows) == 2 and [r["due"] for r in rows] == sorted(r["due"] for r in rows)
    assert len(run) == 3
    assert all("LIMIT 2" in q["sql"] for q in run)
