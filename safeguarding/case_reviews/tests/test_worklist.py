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


# ---- the clocks' edges across a weekend and a bank holiday -------------------------------
# Aware on Friday 22 August 2025, before the summer bank holiday (Monday 25 August): the
# notification is due Monday 1 September. Notified on Good Friday 2025 (18 April): the
# rapid review is due Tuesday 13 May (Easter Monday and the early May bank holiday skipped).


def _clock_items(user, today, label):
    return [(i.due, i.overdue) for i in _items(user, today) if i.label == label]


def test_notification_clock_from_the_friday_before_the_summer_bank_holiday(unit):
    referral = _refer(unit, "Case F", dt.date(2025, 8, 22))
    label = "Serious incident notification"
    # The day before it is due (Sunday) and the working day before (Friday 29 August): it
    # falls due next week, so it is not yet on this week's list.
    assert _clock_items(unit, dt.date(2025, 8, 31), label) == []
    assert _clock_items(unit, dt.date(2025, 8, 29), label) == []
    # The due date: listed, still on time; the day after: overdue.
    assert _clock_items(unit, dt.date(2025, 9, 1), label) == [(dt.date(2025, 9, 1), False)]
    assert _clock_items(unit, dt.date(2025, 9, 2), label) == [(dt.date(2025, 9, 1), True)]
    rows = queries.worklist(user=unit, today=dt.date(2025, 9, 1))
    assert [(r["referral"], r["state"]) for r in rows] == [(referral, "due this week")]
    rows = queries.worklist(user=unit, today=dt.date(2025, 9, 2))
    assert [(r["referral"], r["state"]) for r in rows] == [(referral, "overdue")]


def test_rapid_review_clock_from_good_friday(unit):
    referral = _refer(unit, "Case G", dt.date(2025, 4, 17), notification_date=dt.date(2025, 4, 18))
    assert referral.rapid_review_due == dt.date(2025, 5, 13)
    label = "Rapid review"
    # Monday 12 May, the day before: due this week, not overdue.
    assert _clock_items(unit, dt.date(2025, 5, 12), label) == [(dt.date(2025, 5, 13), False)]
    assert _clock_items(unit, dt.date(2025, 5, 13), label) == [(dt.date(2025, 5, 13), False)]
    assert _clock_items(unit, dt.date(2025, 5, 14), label) == [(dt.date(2025, 5, 13), True)]


def test_rapid_review_notified_the_day_before_the_panel_began_has_no_clock(client_for, unit):
    """Notified 28 June 2018: no rapid review clock. Notified 29 June 2018: due 20 July."""
    before = _refer(unit, "Case 28", dt.date(2018, 6, 25), notification_date=dt.date(2018, 6, 28))
    first = _refer(unit, "Case 29", dt.date(2018, 6, 29), notification_date=dt.date(2018, 6, 29))
    items = [i for i in _items(unit, dt.date(2018, 7, 23)) if i.label == "Rapid review"]
    assert [(i.reference, i.due, i.overdue) for i in items] == [
        (first.reference, dt.date(2018, 7, 20), True)
    ]
    page = client_for(unit).get(reverse("case_reviews:worklist")).content.decode()
    assert "Case 29" in page and "Case 28" not in page
    assert before.reference not in [i.reference for i in _items(unit, dt.date(2026, 1, 5))]


def test_a_stale_pre_2018_due_date_never_reaches_the_worklist(unit):
    """A database saved before the effective dates were checked: the worklist asks the
    clock, not only the stored due date."""
    from safeguarding.case_reviews.models import Referral

    old = _refer(unit, "Case 2015", dt.date(2015, 4, 14), notification_date=dt.date(2015, 4, 17))
    Referral.objects.filter(pk=old.pk).update(
        notification_due=dt.date(2015, 4, 21), rapid_review_due=dt.date(2018, 7, 2)
    )
    assert _items(unit, dt.date(2018, 7, 3)) == []
