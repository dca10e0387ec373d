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
        (dt.date(2016, 6, 3), dt.date(2016, 6, 10)),
        # Christmas 2016: Boxing Day, the Christmas substitute and the New Year substitute
        (dt.date(2016, 12, 23), dt.date(2017, 1, 4)),
        # Across the financial year end (31 March 2017 is a Friday)
        (dt.date(2017, 3, 27), dt.date(2017, 4, 3)),
        # Easter 2017: Good Friday 14 April and Easter Monday 17 April
        (dt.date(2017, 4, 12), dt.date(2017, 4, 21)),
    ],
)
def test_notification_due_five_working_days_after_aware(unit, aware, due):
    referral = _referral(unit, la_aware_date=aware)
    assert referral.notification_due == due


def test_rapid_review_due_fifteen_working_days_after_notification(unit):
    # 10 April 2017: Easter (14, 17 April) and the early May bank holiday (1 May) skipped
    referral = _referral(
        unit, la_aware_date=dt.date(2017, 4, 6), notification_date=dt.date(2017, 4, 10)
    )
    assert referral.rapid_review_due == dt.date(2017, 5, 4)


def test_no_notification_clock_when_criteria_not_met(unit):
    referral = _referral(unit, la_aware_date=dt.date(2016, 6, 3), abuse_or_neglect=False)
    assert referral.notification_due is None
    assert referral.clocks() == []


def test_looked_after_death_is_notified_regardless(unit):
    referral = _referral(
        unit,
        la_aware_date=dt.date(2016, 6, 3),
        abuse_or_neglect=False,
        seriously_harmed=False,
        child_died=True,
        looked_after=True,
    )
    assert referral.notification_due == dt.date(2016, 6, 10)


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
    due = dt.date(2016, 6, 10)
    assert clock_state(due, dt.date(2016, 6, 10), dt.date(2016, 7, 1)) == "on_time"
    assert clock_state(due, dt.date(2016, 6, 13), dt.date(2016, 7, 1)) == "late"
    assert clock_state(due, None, dt.date(2016, 6, 10)) == "running"
    assert clock_state(due, None, dt.date(2016, 6, 11)) == "overdue"


def test_clocks_show_due_done_and_late(unit):
    referral = _referral(
        unit, la_aware_date=dt.date(2016, 6, 3), notification_date=dt.date(2016, 6, 13)
    )
    notification = referral.clocks(today=dt.date(2016, 7, 1))[0]
    assert notification["label"] == "Serious incident notification"
    assert notification["due"] == dt.date(2016, 6, 10)
    assert notification["done"] == dt.date(2016, 6, 13)
    assert notification["state"] == "late"


def test_dates_out_of_order_are_refused_and_nothing_saved(unit):
    from safeguarding.case_reviews.models import Referral

    with pytest.raises(RecordInvalid) as exc:
        _referral(unit, la_aware_date=dt.date(2016, 6, 3), notification_date=dt.date(2016, 6, 1))
    assert (
        "notification_date",
        "The notification cannot be before the local authority became aware",
    ) in exc.value.problems
    assert Referral.objects.count() == 0
