"""The definition of private fostering, late notification, and the visit clock."""

import datetime as dt

import pytest

from safeguarding.core.workdays import is_working_day
from safeguarding.private_fostering import rules

START = dt.date(2016, 9, 5)


def decide(**kw):
    values = dict(
        child_date_of_birth=dt.date(2005, 1, 1),
        child_disabled=False,
        carer_relationship="host_family",
        start=START,
        intended_duration_days=90,
    )
    values.update(kw)
    return rules.definition(**values)


def test_all_limbs_met_is_private_fostering_with_reasons():
    d = decide()
    assert d.code == "private_fostering"
    assert "under 16 at the start" in d.reason
    assert "not a parent" in d.reason
    assert "28 days or more" in d.reason


@pytest.mark.parametrize(
    "relationship",
    ["parent", "parental_responsibility", "grandparent", "sibling", "aunt_uncle", "step_parent"],
)
def test_parent_or_close_relative_is_not_private_fostering(relationship):
    d = decide(carer_relationship=relationship)
    assert d.code == "not_private_fostering"
    assert d.reason.startswith("Not private fostering: the carer")


@pytest.mark.parametrize(
    "relationship", ["other_relative", "family_friend", "host_family", "other"]
)
def test_other_carers_can_be_private_fostering(relationship):
    assert decide(carer_relationship=relationship).code == "private_fostering"


def test_stay_under_28_days_is_not_private_fostering():
    d = decide(intended_duration_days=27)
    assert d.code == "not_private_fostering"
    assert "27 days, less than 28" in d.reason
    assert decide(intended_duration_days=28).code == "private_fostering"


def test_sixteenth_birthday_on_the_start_day_is_too_old():
    d = decide(child_date_of_birth=dt.date(2000, 9, 5))
    assert d.code == "not_private_fostering"
    assert "16 or over" in d.reason


def test_sixteenth_birthday_the_day_after_the_start_is_under_16():
    assert decide(child_date_of_birth=dt.date(2000, 9, 6)).code == "private_fostering"


def test_disabled_child_is_private_fostering_until_18():
    assert decide(child_date_of_birth=dt.date(2000, 1, 1), child_disabled=True).code == (
        "private_fostering"
    )
    d = decide(child_date_of_birth=dt.date(1998, 9, 5), child_disabled=True)
    assert d.code == "not_private_fostering"
    assert "18 or over" in d.reason and "disabled" in d.reason
    assert decide(child_date_of_birth=dt.date(1998, 9, 6), child_disabled=True).code == (
        "private_fostering"
    )


def test_missing_information_is_to_be_confirmed_with_what_is_missing():
    d = decide(child_date_of_birth=None, intended_duration_days=None)
    assert d.code == "to_confirm"
    assert "date of birth" in d.reason and "length of the stay" in d.reason


def test_an_arrangement_that_began_counts_unless_a_limb_fails():
    d = decide(intended_duration_days=None, arrangement_start_date=START, today=START)
    assert d.code == "private_fostering"
    d = decide(
        intended_duration_days=None, arrangement_start_date=START, carer_relationship="grandparent"
    )
    assert d.code == "not_private_fostering"


def test_late_notification():
    start = dt.date(2016, 9, 5)
    assert not rules.notification_late(start - dt.timedelta(weeks=6), start)
    assert rules.notification_late(start - dt.timedelta(weeks=6) + dt.timedelta(days=1), start)
    assert rules.notification_late(start + dt.timedelta(days=3), start)


def test_first_visit_within_7_working_days_skips_bank_holidays():
    # Aware Thursday 24 March 2016: Good Friday 25th and Easter Monday 28th are holidays.
    assert rules.first_visit_due(dt.date(2016, 3, 24)) == dt.date(2016, 4, 6)
    assert rules.first_visit_due(dt.date(2016, 9, 5)) == dt.date(2016, 9, 14)


def test_six_weeks_in_the_first_year_then_twelve():
    start = dt.date(2016, 1, 4)
    assert rules.next_visit_due(dt.date(2016, 2, 1), start) == dt.date(2016, 3, 14)
    # The last visit in the first year still gets 6 weeks; the first after it, 12.
    assert rules.next_visit_due(dt.date(2017, 1, 3), start) == dt.date(2017, 2, 14)
    assert rules.next_visit_due(dt.date(2017, 1, 4), start) == dt.date(2017, 3, 29)


def test_deadline_on_a_bank_holiday_moves_to_the_working_day_before():
    # 6 weeks after Monday 14 November 2016 is Monday 26 December (Boxing Day),
    # and Christmas Day substitute is Tuesday 27th: the deadline is Friday 23rd.
    assert rules.next_visit_due(dt.date(2016, 11, 14), dt.date(2016, 9, 1)) == dt.date(2016, 12, 23)


def test_schedule_across_the_first_anniversary():
    start = dt.date(2016, 4, 4)
    schedule = [
        due
        for _, due in rules.visit_schedule(
            aware=start, arrangement_start=start, until=dt.date(2017, 12, 31)
        )
    ]
    assert schedule[0] == dt.date(2016, 4, 13)
    gaps = [(b - a).days for a, b in zip(schedule, schedule[1:], strict=False)]
    anniversary = dt.date(2017, 4, 4)
    for a, gap in zip(schedule, gaps, strict=False):
        assert gap <= (42 if a < anniversary else 84)
        assert gap >= (42 if a < anniversary else 84) - 4  # at most moved back over a weekend
    assert all(is_working_day(d) for d in schedule)
    assert any(a >= anniversary and gap > 42 for a, gap in zip(schedule, gaps, strict=False))
