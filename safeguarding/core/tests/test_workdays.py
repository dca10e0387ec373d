"""Statutory clocks: working days skip weekends and England and Wales bank holidays."""

import datetime as dt

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguarding.core.workdays import (
    add_working_days,
    is_bank_holiday,
    is_working_day,
    working_days_between,
)

D = dt.date


@pytest.mark.parametrize(
    "day",
    [
        D(2017, 4, 14),  # Good Friday 2017
        D(2017, 4, 17),  # Easter Monday 2017
        D(2016, 12, 26),  # Boxing Day 2016 (a Monday)
        D(2016, 12, 27),  # substitute day for Christmas Day 2016 (a Sunday)
        D(2017, 1, 2),  # substitute day for New Year's Day 2017 (a Sunday)
        D(2016, 5, 2),  # early May bank holiday
        D(2016, 8, 29),  # summer bank holiday (England and Wales date)
    ],
)
def test_england_and_wales_bank_holidays_are_not_working_days(day):
    assert day.weekday() < 5
    assert is_bank_holiday(day)
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        D(2016, 8, 1),  # Scotland's summer bank holiday, not England's
        D(2016, 11, 30),  # St Andrew's Day (Scotland only)
        D(2017, 3, 17),  # St Patrick's Day (Northern Ireland only)
        D(2017, 7, 12),  # Battle of the Boyne (Northern Ireland only)
        D(2017, 4, 13),  # Maundy Thursday
        D(2017, 4, 18),  # the Tuesday after Easter
    ],
)
def test_holidays_of_other_nations_are_working_days(day):
    assert day.weekday() < 5
    assert not is_bank_holiday(day)
    assert is_working_day(day)


def test_weekends_are_not_working_days():
    assert not is_working_day(D(2017, 4, 15))  # Saturday
    assert not is_working_day(D(2017, 4, 16))  # Sunday
    assert is_working_day(D(2017, 4, 12))  # an ordinary Wednesday


@pytest.mark.parametrize(
    "start, n, expected",
    [
        (D(2017, 4, 12), 1, D(2017, 4, 13)),  # Wednesday -> Thursday
        (D(2017, 4, 13), 1, D(2017, 4, 18)),  # Thursday before Easter -> Tuesday after
        (D(2017, 4, 13), 2, D(2017, 4, 19)),
        (D(2017, 4, 14), 1, D(2017, 4, 18)),  # from Good Friday itself
        (D(2016, 12, 23), 1, D(2016, 12, 28)),  # Friday before Christmas 2016
        (D(2016, 12, 30), 1, D(2017, 1, 3)),  # across the year end and 2 Jan 2017
        (D(2017, 3, 31), 1, D(2017, 4, 3)),  # Friday -> Monday
        (D(2017, 4, 12), 0, D(2017, 4, 12)),  # zero days: the same day
        (D(2017, 4, 15), 0, D(2017, 4, 15)),
        (D(2016, 12, 19), 10, D(2017, 1, 5)),  # over Christmas and New Year 2016-17
    ],
)
def test_add_working_days(start, n, expected):
    assert add_working_days(start, n) == expected


def test_add_working_days_refuses_a_negative_count():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(D(2017, 4, 12), -1)


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (D(2017, 4, 13), D(2017, 4, 18), 1),  # over the Easter weekend
        (D(2017, 4, 13), D(2017, 4, 17), 0),  # still on Easter Monday: nothing yet
        (D(2017, 4, 13), D(2017, 4, 19), 2),
        (D(2016, 12, 23), D(2016, 12, 28), 1),  # Christmas 2016 with the substitute day
        (D(2016, 12, 23), D(2017, 1, 3), 4),  # 28, 29, 30 Dec and 3 Jan; 2 Jan is a holiday
        (D(2017, 4, 12), D(2017, 4, 12), 0),
        (D(2017, 4, 19), D(2017, 4, 12), 0),  # end before start
        (D(2017, 4, 10), D(2017, 4, 11), 1),
    ],
)
def test_working_days_between(start, end, expected):
    assert working_days_between(start, end) == expected


def test_a_whole_year_has_the_expected_number_of_working_days():
    # 2017 had 260 weekdays and 8 England and Wales bank holidays, all on weekdays.
    weekdays = sum(
        1
        for i in range((D(2018, 1, 1) - D(2017, 1, 1)).days)
        if (D(2017, 1, 1) + dt.timedelta(days=i)).weekday() < 5
    )
    bank = holidays.country_holidays("GB", subdiv="ENG", years=2017)
    weekday_holidays = [d for d in bank if d.weekday() < 5]
    assert working_days_between(D(2016, 12, 31), D(2017, 12, 31)) == weekdays - len(
        weekday_holidays
    )
    assert len(weekday_holidays) == 8


dates = st.dates(min_value=D(2010, 1, 1), max_value=D(2030, 12, 31))


@settings(max_examples=200, deadline=None)
@given(start=dates, n=st.integers(min_value=0, max_value=40))
def test_adding_then_counting_working_days_round_trips(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    if n:
        assert is_working_day(end)
        # No earlier day reaches n working days.
        assert working_days_between(start, end - dt.timedelta(days=1)) == n - 1


@settings(max_examples=100, deadline=None)
@given(start=dates, length=st.integers(min_value=0, max_value=400))
def test_working_days_between_matches_the_holidays_package(start, length):
    end = start + dt.timedelta(days=length)
    bank = holidays.country_holidays("GB", subdiv="ENG", years=range(start.year, end.year + 1))
    expected = sum(
        1
        for i in range(1, length + 1)
        if (day := start + dt.timedelta(days=i)).weekday() < 5 and day not in bank
    )
    assert working_days_between(start, end) == expected
