"""Training reads, already limited to what the user may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from safeguarding.core.periods import FinancialYear
from safeguarding.core.permissions import scoped

from .models import Booking, Course, ELearningCompletion, Evaluation, Session


def _annotate_places(sessions: QuerySet[Session]) -> QuerySet[Session]:
    return sessions.select_related("course").annotate(
        booked=Count("bookings", filter=Q(bookings__status="booked")),
        waiting=Count("bookings", filter=Q(bookings__status="waiting")),
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
        sessions = sessions.filter(starts_at__range=_span(year))
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
        status="booked", session__starts_at__range=_span(year)
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
            session__starts_at__range=_span(year),
        )
        .select_related("owning_agency", "session__course")
        .order_by("owning_agency__name", "session__starts_at", "id")
    )


def comment_list(*, year: FinancialYear) -> QuerySet[Evaluation]:
    """Stage 2 and 3 comments of a year, for choosing quotes (officers only)."""
    return (
        Evaluation.objects.filter(stage__in=(2, 3), booking__session__starts_at__range=_span(year))
        .filter(~Q(comment="") | ~Q(practice_change=""))
        .select_related("booking__session__course")
        .order_by("-quote_selected", "booking__session__starts_at", "stage", "id")
    )


def completion_list(*, user, year: FinancialYear | None = None):
    completions = scoped(user, "training", ELearningCompletion.objects.all())
    if year:
        completions = completions.filter(completed_date__range=(year.start, year.end))
    return completions.order_by("-completed_date", "id")


def _span(year):
    """The year as aware instants, so the database can use the index on starts_at (a
    __date lookup wraps the column in a function and scans every row)."""
    import datetime as _dt

    from django.utils import timezone as _tz

    first = _tz.make_aware(_dt.datetime.combine(year.start, _dt.time.min))
    last = _tz.make_aware(_dt.datetime.combine(year.end, _dt.time.max))
    return (first, last)
