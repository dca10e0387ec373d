"""Statutory clocks, declared once: what each measures, the rule it comes from, the day that
rule took effect, and its length.

A module declares each of its clocks in its ``rules.py``::

    RAPID_REVIEW = declare(
        Clock(
            name="Rapid review",
            start="the notification",
            end="the rapid review",
            source="Working Together to Safeguard Children 2018, chapter 4",
            effective=dt.date(2018, 6, 29),
            length=15,
            unit=Unit.WORKING_DAYS,
        )
    )

and every reader of that clock (the record's page, the worklist, the year's figures) asks it
the same questions:

- ``applies(start)``: does the clock run for a record whose clock starts on ``start``? Only
  when ``start`` is on or after the day the rule took effect (and before the day a later
  rule replaced it, when one did): a clock never makes an older case overdue under a rule
  that did not yet exist. ``applies_q(field)`` is the same test in the database.
- ``due(start)``: the due date (None when the clock does not apply). Working days skip
  weekends and England and Wales bank holidays (core.workdays); calendar days, weeks and
  months do not; an hours clock counts elapsed hours from an aware date-time.
- ``overdue(due, today)``, ``state(due, done, today)``: the due date is the last day on time.
  Done on it is on time; not done, a clock is overdue from the day after (an hours clock:
  from the moment after).
- ``rule``: the clock in words, for a worklist ("15 working days from the notification
  (Working Together to Safeguard Children 2018, chapter 4; from 29 June 2018)").

A clock whose due date is given on each record (an action plan's date, an agency form's
date) declares no length: it is still declared, with its source, so the same overdue edge
and the same words apply.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q
from django.utils import timezone

from .periods import add_months
from .workdays import add_working_days, is_working_day


class Unit(StrEnum):
    WORKING_DAYS = "working days"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    HOURS = "hours"


@dataclass(frozen=True, kw_only=True)
class Clock:
    name: str  # "Rapid review"
    # The event that starts it: "the notification" (or a callable: an area's setting chooses).
    start: str | Callable[[], str]
    end: str  # what stops it: "the rapid review"
    source: str  # the rule it comes from, cited
    effective: dt.date | None  # the first start day the rule applies to; None: every record
    # A number, or the name of the setting that holds it (read each time: "LADO_..."), or a
    # callable; None: each record gives its own due date.
    length: int | str | Callable[[], int] | None = None
    unit: Unit = Unit.WORKING_DAYS
    until: dt.date | None = None  # the first start day a later rule applies to instead
    working_day_deadline: bool = False  # a deadline on a weekend or bank holiday moves back

    @property
    def start_text(self) -> str:
        """The event that starts it, now (a setting may choose it)."""
        return self.start() if callable(self.start) else self.start

    @property
    def measures(self) -> str:
        return f"from {self.start_text} to {self.end}"

    @property
    def given(self) -> bool:
        """The due date is given on each record rather than counted from the start."""
        return self.length is None

    @property
    def amount(self) -> int:
        """The length now (a setting is read each time)."""
        if self.length is None:
            raise ValueError(f"{self.name}: each record gives its own due date")
        if isinstance(self.length, str):
            from django.conf import settings

            return int(getattr(settings, self.length))
        return int(self.length() if callable(self.length) else self.length)

    @property
    def length_text(self) -> str:
        n = self.amount
        unit = str(self.unit)
        if n == 1:
            unit = unit[:-1]  # "1 working day", "1 hour"
        return f"{n} {unit}"

    @property
    def rule(self) -> str:
        """The clock in words: its length, what starts it, its source and since when."""
        head = (
            f"By the date given {self.start_text}"
            if self.given
            else f"{self.length_text} from {self.start_text}"
        )
        when = f"; from {_long(self.effective)}" if self.effective else ""
        return f"{head} ({self.source}{when})"

    def applies(self, start: dt.date | dt.datetime | None) -> bool:
        """Whether the clock runs for a record whose clock starts on ``start``."""
        if start is None:
            return False
        day = _day(start)
        if self.effective is not None and day < self.effective:
            return False
        return self.until is None or day < self.until

    def applies_q(self, field: str) -> Q:
        """``applies()`` in the database, on the record's start ``field`` (a date, or a
        date-time for an hours clock). A record with no start gets no clock."""
        query = Q(**{f"{field}__isnull": False})
        if self.effective is not None:
            query &= Q(**{f"{field}__gte": self.bound(self.effective)})
        if self.until is not None:
            query &= Q(**{f"{field}__lt": self.bound(self.until)})
        return query

    def due(self, start: dt.date | dt.datetime | None) -> dt.date | dt.datetime | None:
        """The due date (the last day on time), or None when the clock does not apply.
        An hours clock takes an aware date-time and gives the last moment on time."""
        if not self.applies(start):
            return None
        n = self.amount
        if self.unit == Unit.HOURS:
            if not isinstance(start, dt.datetime) or timezone.is_naive(start):
                raise TypeError(f"{self.name}: an hours clock starts at an aware date-time")
            return start.astimezone(dt.UTC) + dt.timedelta(hours=n)
        if isinstance(start, dt.datetime):
            raise TypeError(f"{self.name}: a clock in {self.unit} starts on a date")
        if self.unit == Unit.WORKING_DAYS:
            due = add_working_days(start, n)
        elif self.unit == Unit.DAYS:
            due = start + dt.timedelta(days=n)
        elif self.unit == Unit.WEEKS:
            due = start + dt.timedelta(weeks=n)
        else:
            due = add_months(start, n)
        if self.working_day_deadline:
            while not is_working_day(due):
                due -= dt.timedelta(days=1)
        return due

    def overdue(self, due, now, done=None) -> bool:
        """Not done and past its due date: from the day after it (an hours clock: from the
        moment after). No due date (the clock does not apply): never overdue."""
        return done is None and due is not None and now > due

    def state(self, due, done, now) -> str:
        """on_time / late (done), overdue / running (not done)."""
        if done is not None:
            return "on_time" if done <= due else "late"
        return "overdue" if self.overdue(due, now) else "running"

    def bound(self, day: dt.date) -> dt.date | dt.datetime:
        """A day as the clock's start field holds it (a date, or midnight in England)."""
        if self.unit == Unit.HOURS:  # the start is a date-time: midnight in England
            return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        return day


def _day(moment: dt.date | dt.datetime) -> dt.date:
    """The day (in England) of a date or date-time."""
    if isinstance(moment, dt.datetime):
        return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    return moment


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


DECLARED: list[Clock] = []


def declare(clock: Clock) -> Clock:
    """Declare a statutory clock (each module's rules.py); ``DECLARED`` lists them all."""
    if clock not in DECLARED:
        DECLARED.append(clock)
    return clock
