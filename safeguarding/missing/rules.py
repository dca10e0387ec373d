"""Episode rules shared by the forms, the services and the import.

Date-times are aware (Europe/London on input). The 72-hour clock counts elapsed hours
(computed in UTC), so it is right across midnight and across the clock changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.utils import timezone

from safeguarding.core.clocks import Clock, Unit, declare

from . import conf

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")


def local(naive: dt.datetime) -> dt.datetime:
    """A wall-clock time in England made aware (the import's YYYY-MM-DDTHH:MM)."""
    if timezone.is_aware(naive):
        return naive
    return naive.replace(tzinfo=LONDON)


# The return home interview: offered within 72 hours of the child's return (the statutory
# guidance "Children who run away or go missing from home or care", DfE, January 2014,
# "Independent return interviews"; the hours are the setting MISSING_RETURN_INTERVIEW_HOURS).
# The guidance is dated by month only, so the clock runs for returns from 1 January 2014;
# it counts elapsed hours, so weekends, bank holidays and the clock changes do not move it.
GUIDANCE_2014 = dt.date(2014, 1, 1)

RETURN_INTERVIEW = declare(
    Clock(
        name="Return home interview offer",
        start="the return",
        end="the offer of an independent return interview",
        source="Children who run away or go missing from home or care, DfE 2014",
        effective=GUIDANCE_2014,
        length=conf.interview_hours,
        unit=Unit.HOURS,
    )
)


def interview_deadline(end: dt.datetime | None) -> dt.datetime | None:
    """The latest time the return home interview may be offered; None while still missing
    (or for a return before the 2014 guidance)."""
    return RETURN_INTERVIEW.due(end)


def offered_in_time(end: dt.datetime | None, offered_at: dt.datetime | None) -> bool | None:
    """True / False once both are known; None while the child is missing or not yet offered
    (or when no clock applies to the return)."""
    deadline = interview_deadline(end)
    if deadline is None or offered_at is None:
        return None
    return not RETURN_INTERVIEW.overdue(deadline, offered_at.astimezone(UTC))


def time_left(end: dt.datetime | None, now: dt.datetime | None = None) -> dt.timedelta | None:
    """Time left to offer the interview (negative when overdue)."""
    deadline = interview_deadline(end)
    if deadline is None:
        return None
    return deadline - (now or timezone.now()).astimezone(UTC)


def overlaps(
    start: dt.datetime, end: dt.datetime | None, other_start: dt.datetime, other_end
) -> bool:
    """Half-open intervals [start, end); an open episode runs on for ever."""
    return (other_end is None or start < other_end) and (end is None or other_start < end)


# An overlapping episode the user may not see: nothing of it is named (its reference, its
# start), and the register's officers are told (services).
OVERLAP_OUT_OF_SIGHT = (
    "This child already has a missing episode at this time recorded by another agency; "
    "the register's officers have been told."
)


def episode_problems(
    *,
    start: dt.datetime | None,
    end: dt.datetime | None = None,
    interview_offered: dt.datetime | None = None,
    others: Iterable[tuple[str, dt.datetime, dt.datetime | None]] = (),
    now: dt.datetime | None = None,
) -> list[tuple[str, str]]:
    """[(field, message)]; field names are the import's columns.

    ``others`` are the child's other episodes as (reference, start, end); the reference is
    None for an episode the user may not see, and then the message names nothing of it.
    """
    now = now or timezone.now()
    problems: list[tuple[str, str]] = []
    if start is None:
        return [("start", "Enter when the episode started")]
    if start > now:
        problems.append(("start", "The start cannot be in the future"))
    if end is not None:
        if end < start:
            problems.append(("end", "The end cannot be before the start"))
        elif end > now:
            problems.append(("end", "The end cannot be in the future"))
    if interview_offered is not None:
        if end is None:
            problems.append(
                ("return_interview_offered", "must be blank while the child is still missing")
            )
        elif interview_offered < end:
            problems.append(
                ("return_interview_offered", "The interview cannot be offered before the end")
            )
        elif interview_offered > now:
            problems.append(("return_interview_offered", "cannot be in the future"))
    if end is None or end >= start:
        for reference, other_start, other_end in others:
            if overlaps(start, end, other_start, other_end):
                if reference is None:
                    problems.append(("start", OVERLAP_OUT_OF_SIGHT))
                    break
                when = timezone.localtime(other_start, LONDON).strftime("%d/%m/%Y %H:%M")
                problems.append(
                    (
                        "start",
                        f"overlaps episode {reference} of the same child (started {when}); "
                        "episodes of one child must not overlap",
                    )
                )
                break
    return problems


def repeat_window_ends(starts: list[dt.datetime]) -> list[dt.datetime]:
    """The starts that complete a repeat window: the start of an episode that is the last of
    MISSING_REPEAT_EPISODES (3) episodes whose starts lie within MISSING_REPEAT_DAYS (90)
    days, that is at most 90 x 24 hours after the first of them (exactly 90 days counts;
    elapsed time, so a clock change neither adds nor takes an hour of grace)."""
    count, days = conf.repeat_rule()
    ordered = sorted(starts)
    window = dt.timedelta(days=days)
    return [
        ordered[i + count - 1]
        for i in range(len(ordered) - count + 1)
        if ordered[i + count - 1] - ordered[i] <= window
    ]


def is_repeat(starts: list[dt.datetime]) -> bool:
    """3 or more episodes (configurable) starting within 90 days (configurable)."""
    return bool(repeat_window_ends(starts))
