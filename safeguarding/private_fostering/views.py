"""Private fostering pages. Every view declares its permission; records outside scope are 404."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from safeguarding.core import permissions
from safeguarding.core.audit import history_for, record_access
from safeguarding.core.charts import bar_chart_svg
from safeguarding.core.exports import csv_response, xlsx_response
from safeguarding.core.imports import ImportRejected, run_import
from safeguarding.core.periods import FinancialYear
from safeguarding.core.permissions import requires
from safeguarding.core.registers import flatten

from . import conf, queries, reports, services
from .codes import ASSESSMENT_CHECKS, CATEGORIES
from .forms import (
    ArrangementForm,
    AssessmentForm,
    FilterForm,
    ImportForm,
    NotificationForm,
    SearchForm,
    VisitForm,
)
from .imports import PrivateFosteringImport
from .models import Notification

MODULE = "private_fostering"
PAGE_SIZE = 50
SEARCH_KEY = "private_fostering_search"  # the search text lives in the session, not the URL


def _notification_or_404(request, pk: int) -> Notification:
    try:
        return queries.notification_get(user=request.user, pk=pk)
    except Notification.DoesNotExist:
        raise Http404 from None


def _editable_or_404(request, pk: int) -> Notification:
    notification = _notification_or_404(request, pk)
    if not permissions.has_change_permission(request.user, notification):
        raise Http404
    return notification


def _form_problems(form, problems) -> None:
    for field, message in problems:
        form.add_error(field if field in form.fields else None, message)


@requires(MODULE, "list_records", methods=("GET", "POST"))
def notification_list(request):
    if request.method == "POST":
        search = SearchForm(request.POST)
        request.session[SEARCH_KEY] = (
            search.cleaned_data.get("q", "").strip() if search.is_valid() else ""
        )
        return redirect(
            reverse("private_fostering:list")
            + ("?" + request.GET.urlencode() if request.GET else "")
        )
    filters = FilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    year = FinancialYear.parse(values["year"]) if values.get("year") else None
    search = request.session.get(SEARCH_KEY, "")
    notifications = queries.notification_list(
        user=request.user,
        year=year,
        status=values.get("status") or None,
        category=values.get("category") or None,
        overdue=values.get("overdue") == "yes",
        search=search or None,
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    record_access(
        user=request.user,
        module=MODULE,
        kind="list",
        detail=f"page {page.number}" + (" (search)" if search else ""),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "private_fostering/notification_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "search": SearchForm(initial={"q": search}),
            "searching": bool(search),
            "querystring": query.urlencode() + "&" if query else "",
            "today": dt.date.today(),
            "can_add": permissions.has_add_permission(request.user, MODULE),
            "can_import": permissions.has_permission(request.user, "import_records", MODULE),
        },
    )


@requires(MODULE, "list_records", methods=("POST",))
def search_clear(request):
    request.session.pop(SEARCH_KEY, None)
    return redirect("private_fostering:list")


def _can_choose_agency(user) -> bool:
    return permissions.rank(user, MODULE) >= permissions.RANK["officer"]


@requires(MODULE, "add_record", methods=("GET", "POST"))
def notification_create(request):
    form = NotificationForm(
        request.POST or None, can_choose_agency=_can_choose_agency(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            notification = services.notification_create(acting_user=request.user, **form.values())
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, f"{notification.reference} recorded")
            return redirect("private_fostering:detail", pk=notification.pk)
    return render(
        request, "private_fostering/notification_form.html", {"form": form, "notification": None}
    )


@requires(MODULE, "list_records")
def notification_detail(request, pk: int):
    notification = _notification_or_404(request, pk)
    record_access(user=request.user, module=MODULE, obj=notification)
    today = dt.date.today()
    visits = list(notification.visits.all())
    last_done = next((v for v in reversed(visits) if v.visit_date), None)
    planned = []
    if notification.arrangement_start_date and not notification.arrangement_end_date:
        # The deadlines ahead if every visit is made on its last allowed day.
        open_visit = next((v for v in visits if not v.visit_date), None)
        if open_visit:
            from . import rules

            due = open_visit.due_date
            for _ in range(4):
                due = rules.next_visit_due(due, notification.arrangement_start_date)
                planned.append(due)
    checks = dict(ASSESSMENT_CHECKS)
    return render(
        request,
        "private_fostering/notification_detail.html",
        {
            "notification": notification,
            "visits": [(v, v.state(today)) for v in visits],
            "last_done": last_done,
            "planned": planned,
            "checks": [checks.get(c, c) for c in notification.assessment_checks],
            "history": history_for(notification),
            "can_change": permissions.has_change_permission(request.user, notification),
        },
    )


def _initial(notification: Notification) -> dict:
    initial = {
        f: getattr(notification, f)
        for f in NotificationForm.base_fields
        if hasattr(notification, f)
    }
    if notification.child_disabled is not None:
        initial["child_disabled"] = "yes" if notification.child_disabled else "no"
    initial["version"] = notification.version
    return initial


@requires(MODULE, "change_record", methods=("GET", "POST"))
def notification_edit(request, pk: int):
    notification = _editable_or_404(request, pk)
    form = NotificationForm(request.POST or None, initial=_initial(notification))
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_update(
                acting_user=request.user,
                notification=notification,
                expected_version=form.cleaned_data.get("version"),
                **form.values(),
            )
        except services.StaleRecord as exc:
            form.add_error(None, str(exc))
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, f"{notification.reference} updated")
            return redirect("private_fostering:detail", pk=notification.pk)
    return render(
        request,
        "private_fostering/notification_form.html",
        {"form": form, "notification": notification},
    )


@requires(MODULE, "change_record", methods=("GET", "POST"))
def arrangement_edit(request, pk: int):
    notification = _editable_or_404(request, pk)
    form = ArrangementForm(
        request.POST or None,
        initial={
            "arrangement_start_date": notification.arrangement_start_date,
            "arrangement_end_date": notification.arrangement_end_date,
            "end_reason": notification.end_reason,
            "version": notification.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.arrangement_update(
                acting_user=request.user,
                notification=notification,
                expected_version=form.cleaned_data.get("version"),
                arrangement_start_date=form.cleaned_data["arrangement_start_date"],
                arrangement_end_date=form.cleaned_data.get("arrangement_end_date"),
                end_reason=form.cleaned_data.get("end_reason") or "",
            )
        except services.StaleRecord as exc:
            form.add_error(None, str(exc))
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, f"Arrangement dates saved for {notification.reference}")
            return redirect("private_fostering:detail", pk=notification.pk)
    return render(
        request,
        "private_fostering/step_form.html",
        {
            "form": form,
            "notification": notification,
            "title": f"Arrangement dates for {notification.reference}",
            "intro": "Visits are scheduled from the start. When it ends, visits after the end "
            "are cancelled.",
            "button": "Save dates",
        },
    )


@requires(MODULE, "change_record", methods=("GET", "POST"))
def assessment_edit(request, pk: int):
    notification = _editable_or_404(request, pk)
    form = AssessmentForm(
        request.POST or None,
        initial={
            "assessment_checks": notification.assessment_checks,
            "assessment_decision": notification.assessment_decision,
            "assessment_date": notification.assessment_date,
            "assessment_notes": notification.assessment_notes,
            "version": notification.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assessment_record(
                acting_user=request.user,
                notification=notification,
                expected_version=data.get("version"),
                assessment_date=data["assessment_date"],
                assessment_checks=data.get("assessment_checks") or [],
                assessment_decision=data["assessment_decision"],
                assessment_notes=data.get("assessment_notes") or "",
            )
        except services.StaleRecord as exc:
            form.add_error(None, str(exc))
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, f"Assessment recorded for {notification.reference}")
            return redirect("private_fostering:detail", pk=notification.pk)
    return render(
        request,
        "private_fostering/step_form.html",
        {
            "form": form,
            "notification": notification,
            "title": f"Suitability of the carer: {notification.reference}",
            "intro": "Record the checks done on the carer and household, and the decision.",
            "button": "Save assessment",
        },
    )


@requires(MODULE, "change_record", methods=("GET", "POST"))
def visit_create(request, pk: int):
    notification = _editable_or_404(request, pk)
    if notification.decision != "private_fostering" or not notification.arrangement_start_date:
        raise Http404
    next_visit = notification.visits.filter(visit_date__isnull=True).order_by("sequence").first()
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_record(
                acting_user=request.user, notification=notification, **form.cleaned_data
            )
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, f"Visit {visit.sequence} recorded")
            return redirect("private_fostering:detail", pk=notification.pk)
    intro = "The child must be seen, alone where appropriate, and a written report made."
    if next_visit:
        intro = f"Visit {next_visit.sequence} is due by {next_visit.due_date:%-d %B %Y}. " + intro
    return render(
        request,
        "private_fostering/step_form.html",
        {
            "form": form,
            "notification": notification,
            "title": f"Record a visit: {notification.reference}",
            "intro": intro,
            "button": "Save visit",
        },
    )


@requires(MODULE, "list_records")
def worklist(request):
    today = dt.date.today()
    visits = queries.visit_worklist(user=request.user, today=today)
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    record_access(user=request.user, module=MODULE, kind="list", detail="visit worklist")
    return render(
        request,
        "private_fostering/worklist.html",
        {
            "page_obj": page,
            "rows": [(v, v.state(today), (today - v.due_date).days) for v in page.object_list],
            "days_ahead": conf.reminder_days_ahead(),
            "querystring": "",
        },
    )


@requires(MODULE, "import_records", methods=("GET", "POST"))
def notification_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "columns": PrivateFosteringImport.columns}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            form.add_error(
                "file",
                f"The file is larger than {settings.IMPORT_MAX_UPLOAD_BYTES // 1_000_000} MB",
            )
        else:
            suffix = Path(upload.name).suffix.lower()
            with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
                handle.flush()
                try:
                    result = run_import(
                        PrivateFosteringImport(),
                        handle.name,
                        acting_user=request.user,
                        dry_run=form.cleaned_data["dry_run"],
                    )
                except ImportRejected as exc:
                    context["import_errors"] = [str(e) for e in exc.errors[:200]]
                    context["import_errors_more"] = max(0, len(exc.errors) - 200)
                else:
                    messages.success(request, result.summary())
                    return redirect("private_fostering:import")
    return render(request, "private_fostering/import.html", context)


def _year(request) -> FinancialYear:
    text = request.GET.get("year")
    if text:
        try:
            return FinancialYear.parse(text)
        except ValueError:
            raise Http404 from None
    # Annual reports are about completed years: the last ended year with notifications.
    current = FinancialYear.current()
    latest = (
        Notification.objects.filter(notification_date__lt=current.start)
        .order_by("-notification_date")
        .values_list("notification_date", flat=True)
        .first()
    )
    return FinancialYear.containing(latest) if latest else current


def report_context(year: FinancialYear) -> dict:
    """What the report page, the HTML export and the annual report show."""
    report = reports.year_report(year)
    previous = reports.year_report(year.previous())
    categories = [
        (
            code,
            label,
            report["new_arrangements_by_category"].get(code, 0),
            previous["new_arrangements_by_category"].get(code, 0),
        )
        for code, label in CATEGORIES + [("not_recorded", "Not recorded")]
        if code in report["new_arrangements_by_category"]
        or code in previous["new_arrangements_by_category"]
    ]
    return {
        "year": year,
        "previous_year": year.previous(),
        "report": report,
        "previous": previous,
        "details": reports.year_details(year),
        "previous_details": reports.year_details(year.previous()),
        "categories": categories,
    }


@requires(MODULE, "view_figures")
def report(request):
    year = _year(request)
    context = report_context(year)
    # Every year with notifications (the annual report compares any year), newest first.
    first = (
        Notification.objects.order_by("notification_date")
        .values_list("notification_date", flat=True)
        .first()
    )
    oldest = min(
        FinancialYear.containing(first).start_year if first else year.start_year, year.start_year
    )
    newest = max(FinancialYear.current().start_year, year.start_year)
    context["years"] = [FinancialYear(y) for y in range(newest, oldest - 1, -1)]
    return render(request, "private_fostering/report.html", context)


@requires(MODULE, "view_figures")
def report_chart(request, year: str):
    try:
        fy = FinancialYear.parse(year)
    except ValueError:
        raise Http404 from None
    this = reports.year_report(fy)["new_arrangements_by_category"]
    before = reports.year_report(fy.previous())["new_arrangements_by_category"]
    svg = bar_chart_svg(
        title=f"New private fostering arrangements by kind, {fy.label}",
        categories=[label.split(" (")[0] for _, label in CATEGORIES],
        series={
            fy.label: [this.get(c, 0) for c, _ in CATEGORIES],
            fy.previous().label: [before.get(c, 0) for c, _ in CATEGORIES],
        },
        ylabel="Arrangements",
        horizontal=True,
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


@requires(MODULE, "view_figures")
def report_download(request, year: str, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    try:
        fy = FinancialYear.parse(year)
    except ValueError:
        raise Http404 from None
    this = flatten(reports.year_report(fy))
    before = dict(flatten(reports.year_report(fy.previous())))
    header = ["figure", fy.label, fy.previous().label]
    rows = [(name, value, before.get(name)) for name, value in this]
    filename = f"private-fostering-{fy.label}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, header, rows)
    return xlsx_response(filename, {f"Private fostering {fy.label}": (header, rows)})
