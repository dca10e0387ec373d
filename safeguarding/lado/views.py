"""LADO pages. Every view declares its permission; records outside scope answer 404."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from safeguarding.core import permissions
from safeguarding.core.audit import history_for, record_access
from safeguarding.core.charts import bar_chart_svg
from safeguarding.core.exports import csv_response, xlsx_response
from safeguarding.core.imports import ImportRejected, run_import
from safeguarding.core.periods import FinancialYear
from safeguarding.core.permissions import requires
from safeguarding.core.registers import flatten

from . import queries, reports, services
from .codes import EMPLOYER_SECTORS, OUTCOMES
from .forms import (
    CaseForm,
    FilterForm,
    ImportForm,
    MeetingForm,
    MeetingTypeForm,
    OutcomeForm,
    SearchForm,
)
from .imports import LadoImport
from .models import Case, MeetingType

PAGE_SIZE = 50
SEARCH_KEY = "lado_search"  # the search text lives in the session, never in the URL


def _case_or_404(request, pk: int) -> Case:
    try:
        return queries.case_get(user=request.user, pk=pk)
    except Case.DoesNotExist:
        raise Http404 from None


def _form_problems(form, problems) -> None:
    for field, message in problems:
        form.add_error(field if field in form.fields else None, message)


@requires("lado", "list_records", methods=("GET", "POST"))
def case_list(request):
    if request.method == "POST":
        search = SearchForm(request.POST)
        request.session[SEARCH_KEY] = (
            search.data.get("q", "").strip()[:100] if search.is_valid() else ""
        )
        return redirect(
            reverse("lado:list") + ("?" + request.GET.urlencode() if request.GET else "")
        )
    filters = FilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    year = FinancialYear.parse(values["year"]) if values.get("year") else None
    search = request.session.get(SEARCH_KEY, "")
    cases = queries.case_list(
        user=request.user,
        year=year,
        quarter=values.get("quarter") or None,
        sector=values.get("sector") or None,
        outcome=values.get("outcome") or None,
        status=values.get("status") or None,
        search=search or None,
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    record_access(
        user=request.user,
        module="lado",
        kind="list",
        detail=f"page {page.number}" + (" (search)" if search else ""),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "lado/case_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "search": SearchForm(initial={"q": search}),
            "searching": bool(search),
            "querystring": query.urlencode() + "&" if query else "",
            "can_add": permissions.has_add_permission(request.user, "lado"),
            "can_import": permissions.has_permission(request.user, "import_records", "lado"),
            "can_configure": permissions.has_permission(request.user, "configure", "lado"),
        },
    )


@requires("lado", "list_records", methods=("POST",))
def search_clear(request):
    request.session.pop(SEARCH_KEY, None)
    return redirect("lado:list")


@requires("lado", "add_record", methods=("GET", "POST"))
def case_create(request):
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(acting_user=request.user, **form.values())
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, f"{case.reference} recorded")
            return redirect("lado:detail", pk=case.pk)
    return render(request, "lado/case_form.html", {"form": form, "case": None})


@requires("lado", "list_records")
def case_detail(request, pk: int):
    case = _case_or_404(request, pk)
    record_access(user=request.user, module="lado", obj=case)
    meetings = case.meetings.select_related("meeting_type").prefetch_related("agencies")
    return render(
        request,
        "lado/case_detail.html",
        {
            "case": case,
            "meetings": meetings,
            "history": history_for(case),
            "targets": case.resolution_targets(),
            "can_change": permissions.has_change_permission(request.user, case),
        },
    )


def _editable_or_404(request, pk: int) -> Case:
    case = _case_or_404(request, pk)
    if not permissions.has_change_permission(request.user, case):
        raise Http404
    return case


STALE_FORM = (
    "This form does not say which copy of the record it was made from, so it was not "
    "saved: reload the page and make your changes again."
)


def _expected_version(form) -> int | None:
    """The version the form was made from; None (and a form error) when it is missing,
    so an edit is never saved without the check that it is not a stale copy."""
    version = form.cleaned_data.get("version")
    if version is None:
        form.add_error(None, STALE_FORM)
    return version


def _initial(case: Case) -> dict:
    initial = {f: getattr(case, f) for f in CaseForm.base_fields if hasattr(case, f)}
    initial["threshold_met"] = "yes" if case.threshold_met else "no"
    initial["version"] = case.version
    return initial


@requires("lado", "change_record", methods=("GET", "POST"))
def case_edit(request, pk: int):
    case = _editable_or_404(request, pk)
    form = CaseForm(request.POST or None, initial=_initial(case))
    if request.method == "POST" and form.is_valid() and _expected_version(form) is not None:
        try:
            services.case_update(
                acting_user=request.user,
                case=case,
                expected_version=form.cleaned_data["version"],
                **form.values(),
            )
        except services.StaleRecord as exc:
            form.add_error(None, str(exc))
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, f"{case.reference} updated")
            return redirect("lado:detail", pk=case.pk)
    return render(request, "lado/case_form.html", {"form": form, "case": case})


@requires("lado", "change_record", methods=("GET", "POST"))
def outcome_edit(request, pk: int):
    case = _editable_or_404(request, pk)
    if not case.threshold_met:
        raise Http404
    form = OutcomeForm(
        request.POST or None,
        case=case,
        initial={
            "outcome": case.outcome or "pending",
            "outcome_date": case.outcome_date,
            "version": case.version,
        },
    )
    if request.method == "POST" and form.is_valid() and _expected_version(form) is not None:
        try:
            services.outcome_record(
                acting_user=request.user,
                case=case,
                expected_version=form.cleaned_data["version"],
                outcome=form.cleaned_data["outcome"],
                outcome_date=form.cleaned_data.get("outcome_date"),
            )
        except services.StaleRecord as exc:
            form.add_error(None, str(exc))
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, f"Outcome recorded for {case.reference}")
            return redirect("lado:detail", pk=case.pk)
    return render(request, "lado/outcome_form.html", {"form": form, "case": case})


@requires("lado", "change_record", methods=("GET", "POST"))
def meeting_create(request, pk: int):
    case = _editable_or_404(request, pk)
    if not case.threshold_met:
        raise Http404
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_add(acting_user=request.user, case=case, **form.cleaned_data)
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, "Meeting recorded")
            return redirect("lado:detail", pk=case.pk)
    return render(request, "lado/meeting_form.html", {"form": form, "case": case})


@requires("lado", "configure")
def meeting_types(request):
    return render(request, "lado/meeting_types.html", {"types": MeetingType.objects.all()})


@requires("lado", "configure", methods=("GET", "POST"))
def meeting_type_edit(request, pk: int | None = None):
    meeting_type = get_object_or_404(MeetingType, pk=pk) if pk else None
    # The form gets its own copy: validating a ModelForm writes the new values into its
    # instance, and the service must see the stored values to record what changed.
    form = MeetingTypeForm(
        request.POST or None, instance=MeetingType.objects.get(pk=pk) if pk else None
    )
    if request.method == "POST" and form.is_valid():
        services.meeting_type_save(
            acting_user=request.user, meeting_type=meeting_type, **form.cleaned_data
        )
        messages.success(request, "Meeting type saved")
        return redirect("lado:meeting_types")
    return render(
        request, "lado/meeting_type_form.html", {"form": form, "meeting_type": meeting_type}
    )


@requires("lado", "import_records", methods=("GET", "POST"))
def case_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "columns": LadoImport.columns}
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
                        LadoImport(),
                        handle.name,
                        acting_user=request.user,
                        dry_run=form.cleaned_data["dry_run"],
                    )
                except ImportRejected as exc:
                    context["import_errors"] = [str(e) for e in exc.errors[:200]]
                    context["import_errors_more"] = max(0, len(exc.errors) - 200)
                else:
                    messages.success(request, result.summary())
                    return redirect("lado:import")
    return render(request, "lado/import.html", context)


def _year(request) -> FinancialYear:
    text = request.GET.get("year")
    if text:
        try:
            return FinancialYear.parse(text)
        except ValueError:
            raise Http404 from None
    # Annual reports are about completed years: default to the last ended year with records.
    current = FinancialYear.current()
    latest = (
        Case.objects.filter(contact_date__lt=current.start)
        .order_by("-contact_date")
        .values_list("contact_date", flat=True)
        .first()
    )
    return FinancialYear.containing(latest) if latest else current


def report_context(year: FinancialYear) -> dict:
    """What the report page, the HTML export and the annual report show."""
    report = reports.year_report(year)
    previous = reports.year_report(year.previous())
    sectors = [
        (code, label, report["outcomes_by_sector"][code], previous["outcomes_by_sector"][code])
        for code, label in EMPLOYER_SECTORS
        if report["outcomes_by_sector"][code]["total"]
        or previous["outcomes_by_sector"][code]["total"]
    ]
    return {
        "year": year,
        "previous_year": year.previous(),
        "report": report,
        "previous": previous,
        "outcome_labels": OUTCOMES,
        "sectors": sectors,
        "quarters": ["Q1", "Q2", "Q3", "Q4"],
    }


@requires("lado", "view_figures")
def report(request):
    year = _year(request)
    context = report_context(year)
    context["years"] = [
        FinancialYear(y) for y in range(year.start_year + 1, year.start_year - 8, -1)
    ]
    return render(request, "lado/report.html", context)


@requires("lado", "view_figures")
def report_chart(request, year: str):
    try:
        fy = FinancialYear.parse(year)
    except ValueError:
        raise Http404 from None
    this, before = (
        reports.year_report(fy)["outcomes"],
        reports.year_report(fy.previous())["outcomes"],
    )
    svg = bar_chart_svg(
        title=f"Outcomes of LADO referrals {fy.label}",
        categories=[label.split(" (")[0] for _, label in OUTCOMES],
        series={
            fy.label: [this[c] for c, _ in OUTCOMES],
            fy.previous().label: [before[c] for c, _ in OUTCOMES],
        },
        ylabel="Referrals",
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


@requires("lado", "view_figures")
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
    filename = f"lado-{fy.label}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, header, rows)
    return xlsx_response(filename, {f"LADO {fy.label}": (header, rows)})
