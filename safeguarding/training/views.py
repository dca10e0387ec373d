"""Training pages of its own. Every view declares its permission; records outside scope
answer 404. The e-learning import, the figures page, its chart and downloads are core's,
built from register.py.

Public pages (programme, booking, the delegate's signed-link pages, certificate
verification) need no account; the delegate's pages are reached only by the signed link.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from safeguarding.core import permissions, throttle
from safeguarding.core.audit import history_for, record_access
from safeguarding.core.pages import (
    add_problems,
    form_page,
    initial_from,
    object_or_404,
    versioned,
)
from safeguarding.core.pagination import HistoryPaginator
from safeguarding.core.pdf import html_to_pdf
from safeguarding.core.periods import FinancialYear
from safeguarding.core.permissions import public, requires
from safeguarding.core.register_views import default_year, parse_year
from safeguarding.core.writes import RecordInvalid

from . import queries, services
from .forms import (
    AttendanceForm,
    BookingForm,
    CourseForm,
    DecisionForm,
    EvaluationForm,
    MoveForm,
    SessionForm,
    VerifyForm,
)
from .models import Booking, Course, Evaluation, Session
from .register import REGISTER
from .tokens import LinkExpired, LinkInvalid, booking_from_token

PAGE_SIZE = 50


def _year(request) -> FinancialYear:
    """The year asked for, else the last ended year with sessions (as the report's)."""
    text = request.GET.get("year")
    return parse_year(text) if text else default_year(REGISTER)


def _crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Training", reverse("training:sessions")), *more]


def _session_crumb(session: Session) -> tuple[str, str]:
    local = timezone.localtime(session.starts_at)
    return (
        f"{session.course.title}, {local:%-d %b %Y}",
        reverse("training:session", args=[session.pk]),
    )


# ---- throttling (public booking form) ---------------------------------------------------


def _throttled(request, email: str = "") -> bool:
    """At most N applications an hour from one address and M for one email (configurable)."""
    limits = [
        (
            "ip",
            throttle.client_ip(request),
            int(getattr(settings, "TRAINING_BOOKINGS_PER_IP_HOUR", 10)),
        )
    ]
    if email:
        limits.append(
            ("email", email.lower(), int(getattr(settings, "TRAINING_BOOKINGS_PER_EMAIL_HOUR", 3)))
        )
    return throttle.throttled("training", limits)


# ---- public pages -----------------------------------------------------------------------


@public(methods=("GET",))
def programme(request):
    sessions = queries.public_sessions()
    page = HistoryPaginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "training/programme.html", {"page_obj": page, "querystring": ""})


@requires(None, "public", methods=("GET", "POST"), record=Session)
def book(request, pk: int):
    session = get_object_or_404(queries.public_sessions(), pk=pk)
    form = BookingForm(request.POST or None, session=session)
    if request.method == "POST":
        if form.is_bot:
            # Say nothing useful to a bot: same page as a real application, nothing saved.
            return redirect("training:booked")
        if _throttled(request, request.POST.get("email", "")):
            form.is_valid()
            form.add_error(
                None,
                "Too many applications have been sent from here in the last hour. "
                "Please try again later.",
            )
            return render(
                request, "training/book.html", {"form": form, "session": session}, status=429
            )
        if form.is_valid():
            try:
                services.booking_apply(acting_user=None, session=session, **form.values())
            except RecordInvalid as exc:
                add_problems(form, exc.problems)
            else:
                return redirect("training:booked")
    return render(request, "training/book.html", {"form": form, "session": session})


@public(methods=("GET",))
def booked(request):
    return render(request, "training/booked.html")


def _booking_from_link(request, token: str) -> Booking:
    try:
        return booking_from_token(token)
    except LinkExpired:
        raise _LinkProblem("expired") from None
    except LinkInvalid:
        raise _LinkProblem("invalid") from None


class _LinkProblem(Exception):
    def __init__(self, kind: str):
        self.kind = kind


def _link_problem(request, problem: _LinkProblem) -> HttpResponse:
    return render(
        request,
        "training/link_problem.html",
        {"expired": problem.kind == "expired"},
        status=410 if problem.kind == "expired" else 404,
    )


def _evaluations(booking: Booking) -> dict[int, Evaluation]:
    return {e.stage: e for e in booking.evaluations.all()}


@public(methods=("GET", "POST"))
def manage(request, token: str):
    try:
        booking = _booking_from_link(request, token)
    except _LinkProblem as problem:
        return _link_problem(request, problem)
    error = None
    if request.method == "POST":
        try:
            services.booking_cancel(acting_user=None, booking=booking, by_delegate=True)
        except RecordInvalid as exc:
            error = exc.problems[0][1]
        else:
            messages.success(request, "Your booking is cancelled. We have emailed you to confirm.")
            return redirect("training:manage", token=token)
    done = _evaluations(booking)
    return render(
        request,
        "training/manage.html",
        {
            "booking": booking,
            "session": booking.session,
            "token": token,
            "error": error,
            "can_cancel": booking.can_cancel(),
            "stage2_open": booking.can_evaluate_stage2() and 2 not in done,
            "stage3_open": booking.can_evaluate_stage3() and 3 not in done,
            "done": done,
            "certificate": bool(booking.certificate_code and 2 in done),
        },
    )


@public(methods=("GET", "POST"))
def evaluate(request, token: str, stage: int):
    try:
        booking = _booking_from_link(request, token)
    except _LinkProblem as problem:
        return _link_problem(request, problem)
    if stage not in (2, 3):
        raise Http404
    opened = booking.can_evaluate_stage2() if stage == 2 else booking.can_evaluate_stage3()
    if not opened or booking.evaluations.filter(stage=stage).exists():
        return redirect("training:manage", token=token)
    form = EvaluationForm(request.POST or None, course=booking.session.course, stage=stage)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_submit(
                acting_user=None, booking=booking, stage=stage, **form.values()
            )
        except RecordInvalid as exc:
            add_problems(form, exc.problems)
        else:
            messages.success(
                request,
                "Thank you. Your certificate is ready to download."
                if stage == 2
                else "Thank you for telling us how the training changed your practice.",
            )
            return redirect("training:manage", token=token)
    return render(
        request,
        "training/evaluate.html",
        {"form": form, "booking": booking, "session": booking.session, "stage": stage},
    )


@public(methods=("GET",))
def certificate(request, token: str):
    try:
        booking = _booking_from_link(request, token)
    except _LinkProblem as problem:
        return _link_problem(request, problem)
    if not booking.certificate_code or not booking.evaluations.filter(stage=2).exists():
        # Released only in exchange for the stage-2 evaluation.
        return redirect("training:manage", token=token)
    html = render_to_string(
        "training/certificate.html",
        {
            "booking": booking,
            "session": booking.session,
            "verify_url": request.build_absolute_uri(reverse("training:verify")),
        },
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{booking.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@public(methods=("GET", "POST"))
def verify(request):
    """Anyone can check a certificate's code; the code travels in the POST body."""
    form = VerifyForm(request.POST or None)
    result = None
    checked = False
    if request.method == "POST":
        if _throttled(request):
            form.is_valid()
            form.add_error(None, "Too many checks from here in the last hour. Try again later.")
        elif form.is_valid():
            checked = True
            result = (
                Booking.objects.select_related("session__course")
                .filter(certificate_code=form.cleaned_data["code"], evaluations__stage=2)
                .first()
            )
    return render(
        request, "training/verify.html", {"form": form, "result": result, "checked": checked}
    )


# ---- programme management ---------------------------------------------------------------


@requires("training", "list_records")
def session_list(request):
    """The programme, newest first, by financial year. Its own page rather than core's list:
    it counts sessions (not records), its year filter 404s on a year that is not one, and
    its rows link to training:session."""
    year = parse_year(request.GET["year"]) if request.GET.get("year") else None
    # Ids first, then the booked and waiting counts for the page's rows only: PostgreSQL
    # works out a SELECT list's subqueries for the rows OFFSET skips too (core.pagination).
    sessions = queries.session_list(user=request.user, year=year)
    page = HistoryPaginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/session_list.html",
        {
            "page_obj": page,
            "year": year,
            "years": [
                FinancialYear(y) for y in range(FinancialYear.current().start_year, 2012, -1)
            ],
            "querystring": query.urlencode() + "&" if query else "",
            "can_change": permissions.has_permission(request.user, "change_record", "training"),
            "can_import": permissions.has_permission(request.user, "import_records", "training"),
        },
    )


@requires("training", "list_records")
def course_list(request):
    return render(
        request,
        "training/course_list.html",
        {
            "courses": queries.course_list(user=request.user),
            "can_change": permissions.has_permission(request.user, "change_record", "training"),
        },
    )


@requires("training", "change_record", methods=("GET", "POST"), record=Course)
def course_edit(request, pk: int | None = None):
    course = get_object_or_404(Course, pk=pk) if pk else None
    initial = {"price": 0, "stage3_follow_up": "yes", "is_active": True, "level": "level_2"}
    if course:
        stage3 = "yes" if course.stage3_follow_up else "no"
        initial = initial_from(course, CourseForm, stage3_follow_up=stage3)
    return form_page(
        request,
        CourseForm(request.POST or None, initial=initial),
        save=versioned(services.course_save, request, course=course),
        success=lambda saved: f"{saved.title} saved",
        redirect_to=reverse("training:courses"),
        title=f"Change {course.title}" if course else "Add a course",
        breadcrumbs=_crumbs(("Courses", reverse("training:courses"))),
    )


@requires("training", "change_record", methods=("GET", "POST"), record=Session)
def session_edit(request, pk: int | None = None):
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk) if pk else None
    initial = {
        "cancellation_days": getattr(settings, "TRAINING_CANCELLATION_DAYS", 3),
        "is_published": True,
        "capacity": 20,
    }
    if session:
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        initial = {
            "version": session.version,
            "course": session.course_id,
            "date": start.date(),
            "start_time": f"{start:%H:%M}",
            "end_time": f"{end:%H:%M}",
            "venue": session.venue,
            "online_link": session.online_link,
            "capacity": session.capacity,
            "cancellation_days": session.cancellation_days,
            "is_published": session.is_published,
        }
    elif request.GET.get("course", "").isdigit():
        initial["course"] = int(request.GET["course"])
    form = SessionForm(request.POST or None, initial=initial)

    return form_page(
        request,
        form,
        save=versioned(
            services.session_save, request, values_of=lambda _data: form.values(), session=session
        ),
        success="Session saved",
        redirect_to=lambda saved: reverse("training:session", args=[saved.pk]),
        aliases={"ends_at": "end_time", "starts_at": "start_time"},
        title="Change session" if session else "Add a session",
        breadcrumbs=_crumbs(*([_session_crumb(session)] if session else [])),
    )


@requires("training", "list_records", record=Session)
def session_detail(request, pk: int):
    try:
        session = queries.session_get(pk=pk)
    except Session.DoesNotExist:
        raise Http404 from None
    bookings = queries.booking_list(user=request.user, session=session)
    record_access(user=request.user, module="training", kind="list", obj=session)
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "bookings": bookings,
            "can_change": permissions.has_permission(request.user, "change_record", "training"),
            "officer": permissions.rank(request.user, "training") >= permissions.RANK["officer"],
        },
    )


@requires("training", "change_record", methods=("GET", "POST"), record=Session)
def attendance(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    bookings = queries.booking_list(user=request.user, session=session, status="booked")
    if request.method == "GET":
        record_access(user=request.user, module="training", kind="list", obj=session)
    form = AttendanceForm(request.POST or None, bookings=bookings)

    def saved(changed: int) -> str:
        return f"Register saved ({changed} change{'s' if changed != 1 else ''})"

    return form_page(
        request,
        form,
        save=lambda data: services.attendance_record(
            acting_user=request.user, session=session, marks=form.marks()
        ),
        success=saved,
        redirect_to=reverse("training:session", args=[session.pk]),
        title=f"Register: {session.course.title}, {timezone.localtime(session.starts_at):%-d %B %Y}",
        breadcrumbs=_crumbs(_session_crumb(session)),
    )


# ---- bookings ---------------------------------------------------------------------------


@requires("training", "list_records", record=Booking)
def booking_detail(request, pk: int):
    booking = object_or_404(queries.booking_get, request, pk)
    record_access(user=request.user, module="training", obj=booking)
    evaluations = booking.evaluations.prefetch_related("scores")
    return render(
        request,
        "training/booking_detail.html",
        {
            "booking": booking,
            "session": booking.session,
            "evaluations": evaluations,
            "history": history_for(booking),
            "can_change": permissions.has_change_permission(request.user, booking),
        },
    )


def _editable_booking(request, pk: int) -> Booking:
    booking = object_or_404(queries.booking_get, request, pk)
    if not permissions.has_change_permission(request.user, booking):
        raise Http404
    return booking


def _booking_edit(request, pk: int, *, form, service, success: str, title: str):
    """A form about one booking (``form(booking, data, initial=)``), saved by ``service``
    from the version of the booking it was shown at. ``success`` and ``title`` name the
    booking's reference as {}."""
    booking = _editable_booking(request, pk)
    url = reverse("training:booking", args=[booking.pk])
    return form_page(
        request,
        form(booking, request.POST or None, initial={"version": booking.version}),
        save=versioned(service, request, booking=booking),
        success=success.format(booking.reference),
        redirect_to=url,
        title=title.format(booking.reference),
        breadcrumbs=_crumbs(_session_crumb(booking.session), (booking.reference, url)),
    )


@requires("training", "change_record", methods=("GET", "POST"), record=Booking)
def booking_decide(request, pk: int):
    return _booking_edit(
        request,
        pk,
        form=lambda booking, *args, **kwargs: DecisionForm(*args, **kwargs),
        service=services.booking_decide,
        success="{} updated",
        title="Accept or decline {}",
    )


@requires("training", "change_record", methods=("GET", "POST"), record=Booking)
def booking_move(request, pk: int):
    return _booking_edit(
        request,
        pk,
        form=lambda booking, *args, **kwargs: MoveForm(*args, booking=booking, **kwargs),
        service=services.booking_move,
        success="{} moved",
        title="Move {}",
    )


@requires("training", "change_record", methods=("POST",), record=Booking)
def booking_cancel(request, pk: int):
    booking = _editable_booking(request, pk)
    try:
        services.booking_cancel(acting_user=request.user, booking=booking, by_delegate=False)
    except RecordInvalid as exc:
        messages.error(request, exc.problems[0][1])
    else:
        messages.success(request, f"{booking.reference} cancelled")
    return redirect("training:booking", pk=booking.pk)


@requires("training", "list_records")
def no_shows(request):
    year = _year(request)
    summary = queries.no_shows_by_agency(user=request.user, year=year)
    page = HistoryPaginator(
        queries.no_show_bookings(user=request.user, year=year), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    record_access(user=request.user, module="training", kind="list", detail=f"no-shows {year}")
    return render(
        request,
        "training/no_shows.html",
        {
            "year": year,
            "summary": summary,
            "page_obj": page,
            "querystring": f"year={year.label}&",
        },
    )


@requires("training", "change_record", methods=("GET", "POST"))
def quotes(request):
    year = _year(request)
    if request.method == "POST":
        pk = request.POST.get("evaluation", "")
        if not (pk.isascii() and pk.isdigit()):  # as for an id that is not there
            raise Http404
        evaluation = get_object_or_404(Evaluation, pk=pk)
        services.quote_select(
            acting_user=request.user,
            evaluation=evaluation,
            selected=request.POST.get("selected") == "yes",
        )
        messages.success(request, "Quote selection saved")
        return redirect(reverse("training:quotes") + f"?year={year.label}")
    page = HistoryPaginator(queries.comment_list(year=year), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "training/quotes.html",
        {"year": year, "page_obj": page, "querystring": f"year={year.label}&"},
    )
