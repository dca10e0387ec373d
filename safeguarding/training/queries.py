"""Training reads, already limited to what the user may see."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from safeguarding.core import permissions
from safeguarding.core.periods import FinancialYear
from safeguarding.core.permissions import scoped
from safeguarding.core.registers import WorkItem

from .models import Booking, Course, ELearningCompletion, Evaluation, Session
from .reports import year_span
from .rules import ATTENDANCE_REGISTER, WAITING_LIST_DECISION


def _bookings_with(status: str) -> Coalesce:
    """The number of the session's bookings with ``status``: a correlated subquery on the
    index on (session, status), worked out for the rows returned only."""
    return Coalesce(
        Subquery(
            Booking.objects.filter(session=OuterRef("pk"), status=status)
            .order_by()
            .values("session")
            .annotate(n=Count("id"))
            .values("n")
        ),
        0,
    )


def _annotate_places(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Places booked and waiting. Subqueries rather than a join with GROUP BY: a page of
    the programme (LIMIT 50, newest first on the index on starts_at) counts the bookings
    of its 50 sessions, not those of every session in history, and the paginator's count
    is of sessions alone."""
    return sessions.select_related("course").annotate(
        booked=_bookings_with("booked"), waiting=_bookings_with("waiting")
    )


def public_sessions(*, now: dt.datetime | None = None) -> QuerySet[Session]:
    """Upcoming published sessions with places booked (the public programme)."""
    now = now or timezone.now()
    return _annotate_places(
        Session.objects.filter(is_published=True, starts_at__gt=now, course__is_active=True)
    ).order_by("starts_at", "id")


def session_list(*, user, year: FinancialYear | None = None, course: int | None = None):
    """Sessions are not personal data: every contributor sees the programme."""
    sessions = Session.objects.all()
    if year:
        sessions = sessions.filter(starts_at__range=year_span(year))
    if course:
        sessions = sessions.filter(course_id=course)
    return _annotate_places(sessions).order_by("-starts_at", "-id")


def session_get(*, pk: int) -> Session:
    return _annotate_places(Session.objects.all()).get(pk=pk)


def course_list(*, user) -> QuerySet[Course]:
    return Course.objects.annotate(session_count=Count("sessions")).order_by("title")


def booking_list(*, user, session: Session | None = None, status: str | None = None):
    bookings = scoped(user, "training", Booking.objects.all())
    if session is not None:
        bookings = bookings.filter(session=session)
    if status:
        bookings = bookings.filter(status=status)
    return bookings.select_related("owning_agency", "session__course").order_by(
        "status", "created_at", "id"
    )


def booking_get(*, user, pk: int) -> Booking:
    """The booking, or Booking.DoesNotExist outside the user's scope (404)."""
    return scoped(
        user, "training", Booking.objects.select_related("owning_agency", "session__course")
    ).get(pk=pk)


def no_shows_by_agency(*, user, year: FinancialYear) -> list[dict]:
    """Absences and late cancellations per agency (some partnerships charge for them)."""
    bookings = scoped(user, "training", Booking.objects.all()).filter(
        status="booked", session__starts_at__range=year_span(year)
    )
    return list(
        bookings.annotate(agency_name=Coalesce("owning_agency__name", Value("Other")))
        .values("agency_name")
        .annotate(
            absent=Count("id", filter=Q(attendance="absent")),
            late_cancel=Count("id", filter=Q(attendance="late_cancel")),
        )
        .filter(Q(absent__gt=0) | Q(late_cancel__gt=0))
        .order_by("agency_name")
    )


def no_show_bookings(*, user, year: FinancialYear) -> QuerySet[Booking]:
    return (
        scoped(user, "training", Booking.objects.all())
        .filter(
            status="booked",
            attendance__in=("absent", "late_cancel"),
            session__starts_at__range=year_span(year),
        )
        .select_related("owning_agency", "session__course")
        .order_by("owning_agency__name", "session__starts_at", "id")
    )


def comment_list(*, year: FinancialYear) -> QuerySet[Evaluation]:
    """Stage 2 and 3 comments of a year, for choosing quotes (officers only)."""
    return (
        Evaluation.objects.filter(
            stage__in=(2, 3), booking__session__starts_at__range=year_span(year)
        )
        .filter(~Q(comment="") | ~Q(practice_change=""))
        .select_related("booking__session__course")
        .order_by("-quote_selected", "booking__session__starts_at", "stage", "id")
    )


def completion_list(*, user, year: FinancialYear | None = None):
    completions = scoped(user, "training", ELearningCompletion.objects.all())
    if year:
        completions = completions.filter(completed_date__range=(year.start, year.end))
    return completions.order_by("-completed_date", "id")


# ---- the worklist -------------------------------------------------------------------------

WORKLIST_LIMIT = 50


def waiting_worklist(*, user, now: dt.datetime, today: dt.date) -> list[WorkItem]:
    """Waiting-list applications for sessions not yet started, the soonest session first:
    the training lead decides them; an agency's coordinator sees their own agency's. Due by
    the session's date (rules.WAITING_LIST_DECISION); once it has started they drop out.

    Read from the upcoming sessions (index on starts_at) into their bookings (index on
    session, status): the cost follows the programme ahead, not the years behind. The
    label names the course and date, never the delegate (the reference identifies it)."""
    officer = permissions.rank(user, "training") >= permissions.RANK["officer"]
    bookings = scoped(
        user,
        "training",
        Booking.objects.filter(status="waiting", session__starts_at__gt=now),
    )
    clock = WAITING_LIST_DECISION
    items, rule = [], clock.rule
    rows = bookings.select_related("session__course").order_by(
        "session__starts_at", "created_at", "id"
    )
    for booking in rows[:WORKLIST_LIMIT]:
        session = booking.session
        due = session.date  # the date given for the session
        items.append(
            WorkItem(
                module="training",
                label=(
                    "Accept or decline the waiting-list application"
                    if officer
                    else "On the waiting list"
                )
                + f": {session.course.title}, {session.date:%-d %b %Y}",
                reference=booking.reference,
                url=reverse("training:booking", args=[booking.pk]),
                due=due,
                overdue=clock.overdue(due, today),
                rule=rule,
            )
        )
    return items


def register_worklist(*, user, now: dt.datetime, today: dt.date) -> list[WorkItem]:
    """Sessions held in the last TRAINING_REGISTER_WORKLIST_DAYS (90) days with delegates
    booked and no attendance marked yet: the register decides certificates, no-shows and
    the three-month survey. Due on its clock (rules.ATTENDANCE_REGISTER: the next working
    day after the session). Officers only (they take the register).

    A range on the starts_at index and two indexed EXISTS per session, with a LIMIT."""
    if permissions.rank(user, "training") < permissions.RANK["officer"]:
        return []
    days = int(getattr(settings, "TRAINING_REGISTER_WORKLIST_DAYS", 90))
    booked = Booking.objects.filter(session=OuterRef("pk"), status="booked")
    sessions = (
        Session.objects.filter(starts_at__lt=now, starts_at__gte=now - dt.timedelta(days=days))
        .filter(Exists(booked))
        .exclude(Exists(booked.exclude(attendance="")))
        .select_related("course")
        .order_by("starts_at", "id")
    )
    clock = ATTENDANCE_REGISTER
    items, rule = [], clock.rule
    for session in sessions[:WORKLIST_LIMIT]:
        due = clock.due(session.date)
        items.append(
            WorkItem(
                module="training",
                label="Take the attendance register",
                reference=f"{session.course.title}, {session.date:%-d %b %Y}",
                url=reverse("training:attendance", args=[session.pk]),
                due=due,
                overdue=clock.overdue(due, today),
                rule=rule,
            )
        )
    return items


def worklist(user, today: dt.date, *, now: dt.datetime | None = None) -> list[WorkItem]:
    """The register's worklist (core/registers.py: Register.worklist). ``now`` (the moment
    that decides which sessions have started) is the current time unless given."""
    now = now or timezone.now()
    return waiting_worklist(user=user, now=now, today=today) + register_worklist(
        user=user, now=now, today=today
    )
