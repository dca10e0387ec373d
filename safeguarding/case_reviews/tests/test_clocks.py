"""Statutory clocks in working days: weekends, bank holidays, the year end; LCSPR months."""

import datetime as dt

import pytest

from safeguarding.case_reviews import services
from safeguarding.case_reviews.models import clock_state
from safeguarding.core.writes import RecordInvalid


def _referral(unit, **values):
    base = {
        "referral_date": dt.date(2017, 5, 30),
        "abuse_or_neglect": True,
        "seriously_harmed": True,
    }
    base.update(values)
    return services.referral_create(acting_user=unit, **base)


@pytest.mark.parametrize(
    "aware, due",
    [
        # Friday: the next week's five working days
        (dt.date(2019, 6, 7), dt.date(2019, 6, 14)),
        # Christmas 2020: Christmas Day, the Boxing Day substitute (Monday 28) and New Year
        (dt.date(2020, 12, 23), dt.date(2021, 1, 4)),
        # Across the financial year end (31 March 2023 is a Friday)
        (dt.date(2023, 3, 27), dt.date(2023, 4, 3)),
        # Easter 2025: Good Friday 18 April and Easter Monday 21 April
        (dt.date(2025, 4, 16), dt.date(2025, 4, 25)),
        # Good Friday itself: the clock starts on a bank holiday
        (dt.date(2025, 4, 18), dt.date(2025, 4, 28)),
        # The Friday before the summer bank holiday (Monday 25 August 2025)
        (dt.date(2025, 8, 22), dt.date(2025, 9, 1)),
    ],
)
def test_notification_due_five_working_days_after_aware(unit, aware, due):
    referral = _referral(unit, referral_date=aware, la_aware_date=aware)
    assert referral.notification_due == due


def test_rapid_review_due_fifteen_working_days_after_notification(unit):
    # Good Friday 2025: Easter Monday (21 April) and the early May bank holiday (5 May) skipped
    referral = _referral(
        unit,
        referral_date=dt.date(2025, 4, 17),
        la_aware_date=dt.date(2025, 4, 17),
        notification_date=dt.date(2025, 4, 18),
    )
    assert referral.rapid_review_due == dt.date(2025, 5, 13)


def test_rapid_review_clock_begins_with_notifications_from_29_june_2018(unit):
    """The Panel and its rapid reviews began on 29 June 2018 (SI 2018/789 reg 1): a
    notification the day before starts no rapid review clock; one that day does."""
    before = _referral(
        unit,
        referral_date=dt.date(2018, 6, 28),
        la_aware_date=dt.date(2018, 6, 25),
        notification_date=dt.date(2018, 6, 28),
    )
    first = _referral(
        unit,
        referral_date=dt.date(2018, 6, 29),
        la_aware_date=dt.date(2018, 6, 29),
        notification_date=dt.date(2018, 6, 29),
    )
    assert before.rapid_review_due is None and before.notification_due is None
    assert [c["label"] for c in before.clocks(dt.date(2019, 1, 1))] == []
    assert first.rapid_review_due == dt.date(2018, 7, 20)  # a Friday: three weeks on
    assert first.notification_due == dt.date(2018, 7, 6)
    assert [(c["label"], c["state"]) for c in first.clocks(dt.date(2019, 1, 1))] == [
        ("Serious incident notification", "on_time"),
        ("Rapid review", "overdue"),
    ]


def test_a_2015_serious_case_review_has_no_rapid_review_clock(unit):
    """Under the serious case review rules of 2015 (LSCB Regulations 2006 reg 5, Working
    Together 2015) there was no 15-working-day rapid review: no clock, no overdue tag."""
    scr = _referral(
        unit,
        referral_date=dt.date(2015, 4, 20),
        la_aware_date=dt.date(2015, 4, 14),
        notification_date=dt.date(2015, 4, 17),
    )
    assert (scr.notification_due, scr.rapid_review_due) == (None, None)
    assert scr.clocks(dt.date(2026, 1, 1)) == []
    assert "before 29 June 2018" in scr.clock_note


def test_a_due_date_stored_before_the_rule_was_checked_is_not_shown(unit):
    """A database saved before the effective dates were applied still holds old due dates:
    the page ignores them, because the clock does not apply to the case."""
    from safeguarding.case_reviews.models import Referral

    scr = _referral(
        unit,
        referral_date=dt.date(2016, 6, 6),
        la_aware_date=dt.date(2016, 6, 3),
        notification_date=dt.date(2016, 6, 8),
    )
    Referral.objects.filter(pk=scr.pk).update(
        notification_due=dt.date(2016, 6, 10), rapid_review_due=dt.date(2016, 6, 29)
    )
    scr.refresh_from_db()
    assert scr.clocks(dt.date(2026, 1, 1)) == []


def test_no_notification_clock_when_criteria_not_met(unit):
    referral = _referral(
        unit,
        referral_date=dt.date(2019, 6, 7),
        la_aware_date=dt.date(2019, 6, 7),
        abuse_or_neglect=False,
    )
    assert referral.notification_due is None
    assert referral.clocks() == []


def test_looked_after_death_is_notified_regardless(unit):
    referral = _referral(
        unit,
        referral_date=dt.date(2019, 6, 7),
        la_aware_date=dt.date(2019, 6, 7),
        abuse_or_neglect=False,
        seriously_harmed=False,
        child_died=True,
        looked_after=True,
    )
    assert referral.notification_due == dt.date(2019, 6, 14)


def test_lcspr_publication_due_six_months_after_start(unit, types):
    referral = _referral(unit, referral_date=dt.date(2019, 8, 1))
    referral = services.referral_update(
        acting_user=unit,
        referral=referral,
        expected_version=referral.version,
        decision=types["lcspr"],
        decision_date=dt.date(2019, 8, 20),
        review_start_date=dt.date(2019, 8, 31),
    )
    # 31 August + 6 months: clipped to the end of February in a leap year
    assert referral.publication_due == dt.date(2020, 2, 29)


def test_lcspr_months_are_configurable(unit, types, settings):
    settings.CASE_REVIEW_LCSPR_MONTHS = 9
    referral = _referral(unit, referral_date=dt.date(2019, 8, 1))
    referral = services.referral_update(
        acting_user=unit,
        referral=referral,
        expected_version=referral.version,
        decision=types["lcspr"],
        decision_date=dt.date(2019, 8, 20),
        review_start_date=dt.date(2019, 9, 2),
    )
    assert referral.publication_due == dt.date(2020, 6, 2)


def test_clock_states(unit):
    due = dt.date(2019, 6, 14)
    assert clock_state(due, dt.date(2019, 6, 14), dt.date(2019, 7, 1)) == "on_time"
    assert clock_state(due, dt.date(2019, 6, 17), dt.date(2019, 7, 1)) == "late"
    assert clock_state(due, None, dt.date(2019, 6, 14)) == "running"
    assert clock_state(due, None, dt.date(2019, 6, 15)) == "overdue"


def test_clocks_show_due_done_and_late(unit):
    referral = _referral(
        unit,
        referral_date=dt.date(2019, 6, 7),
        la_aware_date=dt.date(2019, 6, 7),
        notification_date=dt.date(2019, 6, 17),
    )
    notification = referral.clocks(today=dt.date(2019, 7, 1))[0]
    assert notification["label"] == "Serious incident notification"
    assert notification["due"] == dt.date(2019, 6, 14)
    assert notification["done"] == dt.date(2019, 6, 17)
    assert notification["state"] == "late"


@pytest.mark.parametrize(
    "today, state",
    [
        (dt.date(2025, 8, 31), "running"),  # Sunday, the day before it is due
        (dt.date(2025, 9, 1), "running"),  # the due date: still on time
        (dt.date(2025, 9, 2), "overdue"),  # the day after
    ],
)
def test_the_clock_tag_turns_overdue_the_day_after_due(unit, today, state):
    """Aware on the Friday before the summer bank holiday: due Monday 1 September 2025."""
    referral = _referral(
        unit, referral_date=dt.date(2025, 8, 22), la_aware_date=dt.date(2025, 8, 22)
    )
    [notification] = referral.clocks(today)
    assert (notification["due"], notification["state"]) == (dt.date(2025, 9, 1), state)


def test_the_page_shows_the_clocks_that_apply_only(client_for, unit):
    from django.urls import reverse

    old = _referral(
        unit,
        title="Case Old",
        referral_date=dt.date(2016, 6, 6),
        la_aware_date=dt.date(2016, 6, 3),
        notification_date=dt.date(2016, 6, 8),
    )
    new = _referral(
        unit,
        title="Case New",
        referral_date=dt.date(2025, 8, 22),
        la_aware_date=dt.date(2025, 8, 22),
        notification_date=dt.date(2025, 8, 22),
    )
    client = client_for(unit)
    page = client.get(reverse("case_reviews:detail", args=[old.pk])).content.decode()
    assert "Rapid review" not in page and "Overdue" not in page
    assert "No statutory clock: this case began before 29 June 2018" in page
    page = client.get(reverse("case_reviews:detail", args=[new.pk])).content.decode()
    assert "Rapid review" in page and "15 Sep 2025" in page


def test_dates_out_of_order_are_refused_and_nothing_saved(unit):
    from safeguarding.case_reviews.models import Referral

    with pytest.raises(RecordInvalid) as exc:
        _referral(unit, la_aware_date=dt.date(2016, 6, 3), notification_date=dt.date(2016, 6, 1))
    assert (
        "notification_date",
        "The notification cannot be before the local authority became aware",
    ) in exc.value.problems
    assert Referral.objects.count() == 0


def test_the_migration_clears_due_dates_stored_before_their_rule(unit):
    import importlib

    from django.apps import apps

    from safeguarding.case_reviews.models import Referral

    migration = importlib.import_module(
        "safeguarding.case_reviews.migrations.0004_clear_clocks_before_their_rules"
    )
    old = _referral(
        unit,
        referral_date=dt.date(2016, 6, 6),
        la_aware_date=dt.date(2016, 6, 3),
        notification_date=dt.date(2016, 6, 8),
    )
    new = _referral(
        unit,
        referral_date=dt.date(2018, 6, 29),
        la_aware_date=dt.date(2018, 6, 29),
        notification_date=dt.date(2018, 6, 29),
    )
    Referral.objects.filter(pk=old.pk).update(
        notification_due=dt.date(2016, 6, 10), rapid_review_due=dt.date(2016, 6, 29)
    )
    migration.clear(apps, None)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.notification_due, old.rapid_review_due) == (None, None)
    assert (new.notification_due, new.rapid_review_due) == (
        dt.date(2018, 7, 6),
        dt.date(2018, 7, 20),
    )
