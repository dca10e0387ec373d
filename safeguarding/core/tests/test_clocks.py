"""Declared statutory clocks (core.clocks): when a clock applies, its due date in each unit,
the overdue edge, its words, and that every register's clocks are declared with a source."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguarding.core.clocks import DECLARED, Clock, Unit
from safeguarding.core.workdays import is_working_day, working_days_between

D = dt.date
LONDON = ZoneInfo("Europe/London")
PANEL = D(2018, 6, 29)


def clock(**values) -> Clock:
    base = {
        "name": "Rapid review",
        "start": "the notification",
        "end": "the rapid review",
        "source": "Working Together to Safeguard Children 2018, chapter 4",
        "effective": PANEL,
        "length": 15,
        "unit": Unit.WORKING_DAYS,
    }
    base.update(values)
    return Clock(**base)


# ---- when a clock applies -----------------------------------------------------------------


def test_a_clock_applies_from_the_day_its_rule_took_effect():
    rapid = clock()
    assert not rapid.applies(D(2018, 6, 28))
    assert rapid.applies(D(2018, 6, 29))
    assert rapid.applies(D(2025, 8, 22))
    assert not rapid.applies(None)
    assert rapid.due(D(2018, 6, 28)) is None
    assert rapid.due(D(2018, 6, 29)) == D(2018, 7, 20)


def test_a_replaced_rule_applies_until_the_day_the_next_one_did():
    older = clock(effective=D(2006, 4, 1), until=PANEL)
    assert older.applies(D(2006, 4, 1)) and older.applies(D(2018, 6, 28))
    assert not older.applies(D(2018, 6, 29)) and not older.applies(D(2006, 3, 31))


def test_a_clock_without_an_effective_date_applies_to_every_record():
    action = clock(effective=None, length=None)
    assert action.applies(D(1990, 1, 1)) and action.given
    with pytest.raises(ValueError):
        action.due(D(2025, 1, 1))


def test_a_date_time_start_is_judged_by_its_day_in_england():
    interview = clock(effective=D(2014, 1, 1), length=72, unit=Unit.HOURS)
    # 23:30 on 31 December 2013 in London is still 2013; 00:30 on 1 January 2014 is not.
    assert not interview.applies(dt.datetime(2013, 12, 31, 23, 30, tzinfo=LONDON))
    assert interview.applies(dt.datetime(2014, 1, 1, 0, 30, tzinfo=LONDON))


def test_the_database_test_matches_applies():
    rapid = clock()
    q = rapid.applies_q("notification_date")
    assert ("notification_date__isnull", False) in q.children
    assert ("notification_date__gte", PANEL) in q.children
    bounded = clock(effective=D(2006, 4, 1), until=PANEL).applies_q("start")
    assert ("start__lt", PANEL) in bounded.children
    hours = clock(effective=D(2014, 1, 1), length=72, unit=Unit.HOURS).applies_q("end")
    [moment] = [v for k, v in hours.children if k == "end__gte"]
    assert moment == dt.datetime(2014, 1, 1, tzinfo=LONDON)


# ---- due dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, n, due",
    [
        # The Friday before the summer bank holiday (Monday 25 August 2025)
        (D(2025, 8, 22), 5, D(2025, 9, 1)),
        (D(2025, 8, 22), 7, D(2025, 9, 3)),
        (D(2025, 8, 22), 15, D(2025, 9, 15)),
        # Good Friday 2025 (18 April), Easter Monday (21 April), early May (5 May)
        (D(2025, 4, 18), 5, D(2025, 4, 28)),
        (D(2025, 4, 18), 15, D(2025, 5, 13)),
        # A Saturday start counts from the next working day
        (D(2025, 8, 23), 1, D(2025, 8, 26)),
    ],
)
def test_working_days_skip_weekends_and_bank_holidays(start, n, due):
    assert clock(length=n).due(start) == due


def test_calendar_days_weeks_and_months_do_not_move_for_holidays():
    assert clock(unit=Unit.DAYS, length=3).due(D(2025, 8, 22)) == D(2025, 8, 25)
    assert clock(unit=Unit.WEEKS, length=6).due(D(2025, 7, 14)) == D(2025, 8, 25)
    # 31 August + 6 months: clipped to the end of February
    assert clock(unit=Unit.MONTHS, length=6).due(D(2025, 8, 31)) == D(2026, 2, 28)
    assert clock(unit=Unit.MONTHS, length=6).due(D(2025, 4, 18)) == D(2025, 10, 18)


def test_a_maximum_interval_ending_on_a_bank_holiday_moves_back_to_a_working_day():
    visits = clock(unit=Unit.WEEKS, length=6, working_day_deadline=True)
    # 14 July 2025 + 6 weeks = Monday 25 August (bank holiday): Friday 22 August.
    assert visits.due(D(2025, 7, 14)) == D(2025, 8, 22)
    # 8 March 2025 + 6 weeks = Saturday 19 April (Easter Saturday after Good Friday): 17 April
    assert visits.due(D(2025, 3, 8)) == D(2025, 4, 17)


def test_an_hours_clock_counts_elapsed_hours_over_a_bank_holiday_and_a_clock_change():
    interview = clock(effective=D(2014, 1, 1), length=72, unit=Unit.HOURS)
    back = dt.datetime(2025, 8, 22, 18, 0, tzinfo=LONDON)
    assert interview.due(back) == dt.datetime(2025, 8, 25, 18, 0, tzinfo=LONDON)
    # Clocks go back on Sunday 26 October 2025: 72 hours are one hour earlier by the clock.
    before_change = dt.datetime(2025, 10, 24, 18, 0, tzinfo=LONDON)
    assert interview.due(before_change) == dt.datetime(2025, 10, 27, 17, 0, tzinfo=LONDON)
    with pytest.raises(TypeError):
        interview.due(D(2025, 8, 22))
    with pytest.raises(TypeError):
        clock().due(back)


def test_a_length_from_a_setting_is_read_each_time(settings):
    settings.EXAMPLE_CLOCK_DAYS = 7
    visit = clock(length=lambda: settings.EXAMPLE_CLOCK_DAYS)
    assert visit.due(D(2025, 8, 22)) == D(2025, 9, 3)
    settings.EXAMPLE_CLOCK_DAYS = 5
    assert visit.due(D(2025, 8, 22)) == D(2025, 9, 1)
    assert visit.length_text == "5 working days"


@given(
    start=st.dates(min_value=D(2018, 6, 29), max_value=D(2030, 12, 31)),
    n=st.integers(min_value=1, max_value=40),
)
def test_a_working_day_due_date_is_a_working_day_n_working_days_on(start, n):
    due = clock(length=n).due(start)
    assert is_working_day(due)
    assert working_days_between(start, due) == n


# ---- overdue, state and words ---------------------------------------------------------------


def test_overdue_from_the_day_after_the_due_date_never_on_it():
    rapid = clock()
    due = D(2025, 9, 1)
    assert not rapid.overdue(due, D(2025, 8, 31))
    assert not rapid.overdue(due, D(2025, 9, 1))
    assert rapid.overdue(due, D(2025, 9, 2))
    assert not rapid.overdue(due, D(2025, 9, 2), done=D(2025, 9, 2))
    assert not rapid.overdue(None, D(2025, 9, 2))  # no clock: never overdue


def test_an_hours_clock_is_overdue_from_the_moment_after_its_deadline():
    interview = clock(effective=D(2014, 1, 1), length=72, unit=Unit.HOURS)
    deadline = interview.due(dt.datetime(2025, 8, 22, 18, 0, tzinfo=LONDON))
    assert not interview.overdue(deadline, deadline)
    assert interview.overdue(deadline, deadline + dt.timedelta(seconds=1))


def test_states_of_a_clock():
    rapid = clock()
    due = D(2025, 9, 1)
    assert rapid.state(due, D(2025, 9, 1), D(2025, 10, 1)) == "on_time"
    assert rapid.state(due, D(2025, 9, 2), D(2025, 10, 1)) == "late"
    assert rapid.state(due, None, D(2025, 9, 1)) == "running"
    assert rapid.state(due, None, D(2025, 9, 2)) == "overdue"


def test_a_clock_in_words():
    assert clock().rule == (
        "15 working days from the notification "
        "(Working Together to Safeguard Children 2018, chapter 4; from 29 June 2018)"
    )
    assert clock().measures == "from the notification to the rapid review"
    assert clock(length=1).length_text == "1 working day"
    given_date = clock(start="when the action was agreed", effective=None, length=None)
    assert given_date.rule.startswith("By the date given when the action was agreed (")


# ---- every register's clocks are declared ------------------------------------------------------


def test_every_register_declares_its_clocks_with_a_source():
    """The registers' rules.py declare their clocks (loaded with the apps): each cites its
    source and says from when it applies (or, for a local date, that it always does)."""
    names = {c.name for c in DECLARED}
    assert {
        "Serious incident notification",
        "Rapid review",
        "LCSPR publication",
        "First statutory visit",
        "Statutory visit (first year)",
        "Statutory visit (later years)",
        "Return home interview offer",
        "Agency reporting form",
        "Panel review",
        "Action",
    } <= names
    for declared in DECLARED:
        assert declared.source and declared.start and declared.end
        assert declared.effective is None or isinstance(declared.effective, dt.date)
        assert declared.rule
        if not declared.given:
            assert declared.amount > 0
    by_name = {c.name: c for c in DECLARED}
    assert by_name["Rapid review"].effective == PANEL
    assert by_name["Serious incident notification"].effective == PANEL
    assert by_name["Rapid review"].amount == 15
    assert by_name["Return home interview offer"].unit == Unit.HOURS


def test_a_length_named_by_its_setting_is_read_each_time(settings):
    clock = Clock(
        name="Example",
        start="a",
        end="b",
        source="local procedure",
        effective=None,
        length="EXAMPLE_CLOCK_WORKING_DAYS",
        unit=Unit.WORKING_DAYS,
    )
    settings.EXAMPLE_CLOCK_WORKING_DAYS = 1
    # Friday 22 August 2025, before the Summer bank holiday: due Tuesday 26 August.
    assert clock.due(dt.date(2025, 8, 22)) == dt.date(2025, 8, 26)
    settings.EXAMPLE_CLOCK_WORKING_DAYS = 2
    assert clock.due(dt.date(2025, 8, 22)) == dt.date(2025, 8, 27)
