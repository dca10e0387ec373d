"""The training worklist's clocks (rules.py, core.clocks) across a weekend and a bank
holiday: the attendance register, due the next working day after the session, and a
waiting-list application, due by the session's own date. Each is pinned on the day before
its due date, the day itself and the day after: on time on the due date, overdue (or, for
an application whose session has started, gone) from the day after."""

import datetime as dt

import pytest
from django.utils import timezone

from safeguarding.core.clocks import DECLARED, Unit
from safeguarding.training import queries
from safeguarding.training.models import Session
from safeguarding.training.rules import ATTENDANCE_REGISTER, WAITING_LIST_DECISION

from .conftest import apply

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
REGISTER_RULE = (
    "1 working day from the session "
    "(local procedure: the register decides certificates, no-shows and the survey)"
)
WAITING_RULE = (
    "By the date given for the session "
    "(local procedure: a waiting-list application is decided before the session)"
)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A moment of a day in England."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def session_on(course, day: dt.date, *, capacity: int = 2) -> Session:
    starts = at(day, 9, 30)
    return Session.objects.create(
        course=course,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=6),
        venue="Civic Centre",
        capacity=capacity,
    )


def booked_before(session, school, *, n: int = 1):
    """Applications made a fortnight before the session (while it was still open)."""
    return [
        apply(session, agency=school, notify=False, now=session.starts_at - 14 * DAY)
        for _ in range(n)
    ]


def work(user, today: dt.date, *, hour: int = 12):
    """(label, due, overdue, rule) of the training worklist at ``hour`` on ``today``."""
    items = queries.worklist(user, today, now=at(today, hour))
    return [(i.label.split(":")[0], i.due, i.overdue, i.rule) for i in items]


def test_the_clocks_are_declared_with_their_source():
    assert ATTENDANCE_REGISTER in DECLARED and WAITING_LIST_DECISION in DECLARED
    assert ATTENDANCE_REGISTER.unit == Unit.WORKING_DAYS and ATTENDANCE_REGISTER.amount == 1
    assert ATTENDANCE_REGISTER.effective is None and WAITING_LIST_DECISION.effective is None
    assert WAITING_LIST_DECISION.given  # the date is the session's own
    assert ATTENDANCE_REGISTER.rule == REGISTER_RULE
    assert WAITING_LIST_DECISION.rule == WAITING_RULE


# ---- the attendance register: 1 working day after the session ----------------------------


@pytest.mark.parametrize(
    "held, due",
    [
        # Friday 22 August 2025, before the summer bank holiday (Monday 25 August): Tuesday.
        (dt.date(2025, 8, 22), dt.date(2025, 8, 26)),
        # Maundy Thursday 17 April 2025: Good Friday and Easter Monday skipped, Tuesday.
        (dt.date(2025, 4, 17), dt.date(2025, 4, 22)),
        # Held on Good Friday 18 April 2025 itself: Tuesday 22 April too.
        (dt.date(2025, 4, 18), dt.date(2025, 4, 22)),
    ],
)
def test_the_register_is_due_the_next_working_day_and_overdue_the_day_after(
    lead, course, school, held, due
):
    session = session_on(course, held)
    booked_before(session, school)
    assert ATTENDANCE_REGISTER.due(held) == due
    take = ("Take the attendance register", due, False, REGISTER_RULE)
    late = ("Take the attendance register", due, True, REGISTER_RULE)
    assert work(lead, held, hour=8) == []  # not held yet
    assert work(lead, held, hour=17) == [take]  # held: the register is due
    assert work(lead, held + DAY) == [take]  # the next day, a holiday or Saturday: not late
    assert work(lead, due - DAY) == [take]  # the bank holiday Monday: not late
    assert work(lead, due) == [take]  # the due date: still on time
    assert work(lead, due + DAY) == [late]  # the day after: overdue


def test_the_registers_working_days_are_a_setting(settings, lead, course, school):
    settings.TRAINING_REGISTER_WORKING_DAYS = 2
    booked_before(session_on(course, dt.date(2025, 8, 22)), school)
    due = dt.date(2025, 8, 27)  # Tuesday 26 and Wednesday 27 August
    [(_, on_due, overdue, rule)] = work(lead, due)
    assert on_due == due and not overdue and rule.startswith("2 working days from the session")
    assert work(lead, due + DAY)[0][2] is True


def test_a_register_taken_leaves_the_worklist(lead, course, school):
    from safeguarding.training import services

    session = session_on(course, dt.date(2025, 8, 22))
    [booking] = booked_before(session, school)
    services.attendance_record(acting_user=lead, session=session, marks={booking.pk: "absent"})
    assert work(lead, dt.date(2025, 8, 27)) == []


# ---- a waiting-list application: by the session's own date -------------------------------


@pytest.mark.parametrize(
    "day",
    [
        dt.date(2025, 8, 22),  # Friday before the summer bank holiday
        dt.date(2025, 4, 22),  # Tuesday after Easter Monday (the day before is a holiday)
    ],
)
def test_a_waiting_application_is_due_by_the_session_and_gone_once_it_starts(
    lead, coordinator, course, school, day
):
    session = session_on(course, day, capacity=1)
    booked_before(session, school, n=2)  # one place: the second applicant waits
    decide = ("Accept or decline the waiting-list application", day, False, WAITING_RULE)
    waiting = ("On the waiting list", day, False, WAITING_RULE)
    assert work(lead, day - DAY) == [decide]  # the day before
    assert work(lead, day, hour=8) == [decide]  # the day itself, before the start: on time
    assert work(coordinator, day, hour=8) == [waiting]
    # Once the session has started the application is moot: only the register is left.
    assert [w[0] for w in work(lead, day, hour=17)] == ["Take the attendance register"]
    assert [w[0] for w in work(lead, day + DAY)] == ["Take the attendance register"]
    assert work(coordinator, day + DAY) == []
    assert WAITING_LIST_DECISION.overdue(day, day + DAY)  # the clock itself, the day after
    assert not WAITING_LIST_DECISION.overdue(day, day)
