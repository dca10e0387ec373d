"""Child death review pages. Every view declares its permission; records outside scope
answer 404."""

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

from safeguarding.actions.services import actions_for
from safeguarding.core import permissions
from safeguarding.core.audit import history_for, record_access
from safeguarding.core.charts import bar_chart_svg
from safeguarding.core.codes import ETHNIC_GROUP_ORDER
from safeguarding.core.exports import csv_response, xlsx_response
from safeguarding.core.imports import ImportRejected, run_import
from safeguarding.core.periods import FinancialYear
from safeguarding.core.permissions import requires
from safeguarding.core.registers import flatten

from . import conf, queries, reports, services
from .codes import AGE_BANDS, CATEGORIES, MODIFIABLE
from .forms import (
    DeathForm,
    FilterForm,
    FormRequestForm,
    FormReturnForm,
    ImportForm,
    JarForm,
    RecommendationForm,
    ReviewForm,
    SearchForm,
)
from .imports import ChildDeathImport
from .models import Death, FormRequest

MODULE = "child_deaths"
PAGE_SIZE = 50
SEARCH_KEY = "child_deaths_search"  # the search text lives in the session, never in the URL
ETHNIC_LABELS = {
    "white": "White",
    "mixed": "Mixed",
    "asian": "Asian",
    "black": "Black",
    "other": "Other ethnic group",
    "not_known": "Not known",
}
CHARTS = {
    "age": ("age_at_death", "Age at death", AGE_BANDS),
    "ethnicity": (
        "ethnicity",
        "Ethnicity",
        [(g, ETHNIC_LABELS[g]) for g in ETHNIC_GROUP_ORDER],
    ),
    "category": ("category", "Category of death", CATEGORIES),
}


def _death_or_404(request, pk: int) -> Death:
    try:
        return queries.death_get(user=request.user, pk=pk)
    except Death.DoesNotExist:
        raise Http404 from None


def _editable_or_404(request, pk: int) -> Death:
    death = _death_or_404(request, pk)
    if not permissions.has_change_permission(request.user, death):
        raise Http404
    return death


def _form_problems(form, problems) -> None:
    for field, message in problems:
        form.add_error(field if field in form.fields else None, message)


def _is_officer(user) -> bool:
    return permissions.rank(user, MODULE) >= permissions.RANK["officer"]


@requires(MODULE, "list_records", methods=("GET", "POST"))
def death_list(request):
    if request.method == "POST":
        search = SearchForm(request.POST)
        request.session[SEARCH_KEY] = (
            search.data.get("q", "").strip()[:100] if search.is_valid() else ""
        )
        return redirect(
            reverse("child_deaths:list") + ("?" + request.GET.urlencode() if request.GET else "")
        )
    filters = FilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    year = FinancialYear.parse(values["year"]) if values.get("year") else None
    search = request.session.get(SEARCH_KEY, "")
    deaths = queries.death_list(
        user=request.user,
        year=year,
        expected=values.get("expected") or None,
        reviewed=values.get("reviewed") or None,
        category=values.get("category") or None,
        search=search or None,
    )
    page = Paginator(deaths, PAGE_SIZE).get_page(request.GET.get("page"))
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
        "child_deaths/death_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "search": SearchForm(initial={"q": search}),
            "searching": bool(search),
            "querystring": query.urlencode() + "&" if query else "",
            "today": dt.date.today(),
            "review_months": conf.review_months(),
            "is_officer": _is_officer(request.user),
            "can_add": permissions.has_add_permission(request.user, MODULE),
            "can_import": permissions.has_permission(request.user, "import_records", MODULE),
        },
    )


@requires(MODULE, "list_records", methods=("POST",))
def search_clear(request):
    request.session.pop(SEARCH_KEY, None)
    return redirect("child_deaths:list")


@requires(MODULE, "add_record", methods=("GET", "POST"))
def death_create(request):
    agency = None if _is_officer(request.user) else request.user.agency
    form = DeathForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            death = services.death_create(acting_user=request.user, **form.values())
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, f"{death.reference} notified")
            return redirect("child_deaths:detail", pk=death.pk)
    return render(request, "child_deaths/death_form.html", {"form": form, "death": None})


@requires(MODULE, "list_records")
def death_detail(request, pk: int):
    death = _death_or_404(request, pk)
    record_access(user=request.user, module=MODULE, obj=death)
    officer = permissions.has_change_permission(request.user, death)
    context = {
        "death": death,
        "history": history_for(death),
        "can_change": officer,
        "today": dt.date.today(),
        "review_months": conf.review_months(),
    }
    if officer:  # the panel's work and other agencies' forms are for the panel only
        context["form_requests"] = death.form_requests.select_related(
            "owning_agency", "returned_by"
        )
        context["actions"] = actions_for(death)
    return render(request, "child_deaths/death_detail.html", context)


def _initial(death: Death) -> dict:
    initial = {f: getattr(death, f) for f in DeathForm.base_fields if hasattr(death, f)}
    initial["owning_agency"] = death.owning_agency_id
    initial["expected"] = "yes" if death.expected else "no"
    initial["version"] = death.version
    return initial


@requires(MODULE, "change_record", methods=("GET", "POST"))
def death_edit(request, pk: int):
    death = _editable_or_404(request, pk)
    form = DeathForm(request.POST or None, initial=_initial(death))
    if request.method == "POST" and form.is_valid():
        try:
            services.death_update(
                acting_user=request.user,
                death=death,
                expected_version=form.cleaned_data.get("version"),
                **form.values(),
            )
        except services.StaleRecord as exc:
            form.add_error(None, str(exc))
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, f"{death.reference} updated")
            return redirect("child_deaths:detail", pk=death.pk)
    return render(request, "child_deaths/death_form.html", {"form": form, "death": death})


def _step(request, death, form, service, template_title, success, **extra):
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        version = values.pop("version", None)
        try:
            service(acting_user=request.user, death=death, expected_version=version, **values)
        except services.StaleRecord as exc:
            form.add_error(None, str(exc))
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, success)
            return redirect("child_deaths:detail", pk=death.pk)
    return render(
        request,
        "child_deaths/step_form.html",
        {"form": form, "death": death, "title": template_title, **extra},
    )


@requires(MODULE, "change_record", methods=("GET", "POST"))
def jar_edit(request, pk: int):
    death = _editable_or_404(request, pk)
    form = JarForm(
        request.POST or None,
        initial={
            "jar_date": death.jar_date,
            "jar_attendees": death.jar_attendees,
            "version": death.version,
        },
    )
    return _step(
        request,
        death,
        form,
        services.jar_record,
        "Joint agency response",
        "Joint agency response recorded",
    )


@requires(MODULE, "change_record", methods=("GET", "POST"))
def review_edit(request, pk: int):
    death = _editable_or_404(request, pk)
    form = ReviewForm(
        request.POST or None,
        initial={
            "review_date": death.review_date,
            "category": death.category,
            "modifiable_factors": death.modifiable_factors,
            "learning_points": death.learning_points,
            "version": death.version,
        },
    )
    return _step(
        request, death, form, services.review_record, "Panel review", "Panel review recorded"
    )


@requires(MODULE, "change_record", methods=("GET", "POST"))
def recommendation_create(request, pk: int):
    death = _editable_or_404(request, pk)
    if not death.is_reviewed:
        messages.info(request, "Record the panel review before adding recommendations")
        return redirect("child_deaths:detail", pk=death.pk)
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.recommendation_add(
                acting_user=request.user, death=death, **form.cleaned_data
            )
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, f"Recommendation added as action {action.reference}")
            return redirect("child_deaths:detail", pk=death.pk)
    return render(
        request,
        "child_deaths/step_form.html",
        {"form": form, "death": death, "title": "Add a recommendation"},
    )


@requires(MODULE, "change_record", methods=("GET", "POST"))
def form_request_create(request, pk: int):
    death = _editable_or_404(request, pk)
    form = FormRequestForm(
        request.POST or None,
        initial={"due_date": dt.date.today() + dt.timedelta(days=conf.form_due_days())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = services.form_requests_create(
                acting_user=request.user,
                death=death,
                agencies=form.cleaned_data["agencies"],
                due_date=form.cleaned_data["due_date"],
            )
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(
                request,
                f"{len(made)} reporting form{'s' if len(made) != 1 else ''} requested"
                + ("" if made else " (those agencies had already been asked)"),
            )
            return redirect("child_deaths:detail", pk=death.pk)
    return render(
        request,
        "child_deaths/step_form.html",
        {"form": form, "death": death, "title": "Request agency reporting forms"},
    )


@requires(MODULE, "list_records")
def form_list(request):
    status = request.GET.get("status") or "outstanding"
    if status not in ("outstanding", "overdue", "returned", "all"):
        status = "outstanding"
    forms = queries.form_request_list(user=request.user, status=status)
    page = Paginator(forms, PAGE_SIZE).get_page(request.GET.get("page"))
    record_access(user=request.user, module=MODULE, kind="list", detail=f"forms {status}")
    return render(
        request,
        "child_deaths/form_list.html",
        {
            "page_obj": page,
            "status": status,
            "querystring": f"status={status}&",
            "today": dt.date.today(),
            "can_chase": permissions.has_permission(request.user, "change_record", MODULE),
            "overdue_count": queries.form_request_list(user=request.user, status="overdue").count()
            if status != "overdue"
            else page.paginator.count,
        },
    )


@requires(MODULE, "list_records", methods=("GET", "POST"))
def form_detail(request, pk: int):
    try:
        form_request = queries.form_request_get(user=request.user, pk=pk)
    except FormRequest.DoesNotExist:
        raise Http404 from None
    form = FormReturnForm(
        request.POST or None,
        initial={
            "involvement": form_request.involvement,
            "information": form_request.information,
            "version": form_request.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.form_return(
                acting_user=request.user,
                form_request=form_request,
                expected_version=form.cleaned_data.get("version"),
                involvement=form.cleaned_data["involvement"],
                information=form.cleaned_data["information"],
            )
        except services.StaleRecord as exc:
            form.add_error(None, str(exc))
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, f"Reporting form for {form_request.death.reference} returned")
            return redirect("child_deaths:forms")
    record_access(user=request.user, module=MODULE, obj=form_request)
    return render(
        request,
        "child_deaths/form_detail.html",
        {"form_request": form_request, "death": form_request.death, "form": form},
    )


@requires(MODULE, "change_record", methods=("POST",))
def forms_chase(request):
    overdue = queries.form_request_list(user=request.user, status="overdue")
    chased, nobody = services.forms_chase(acting_user=request.user, form_requests=list(overdue))
    text = f"{chased} overdue form{'s' if chased != 1 else ''} chased by email"
    if nobody:
        text += f"; {nobody} could not be chased: no one in that agency has access"
    messages.success(request, text)
    return redirect(reverse("child_deaths:forms") + "?status=overdue")


@requires(MODULE, "change_record")
def panel(request):
    ready = list(queries.panel_cases(user=request.user))
    returned = (
        FormRequest.objects.filter(death__in=ready)
        .select_related("owning_agency")
        .order_by("death_id", "owning_agency__name")
    )
    by_death: dict[int, list] = {}
    for form in returned:
        by_death.setdefault(form.death_id, []).append(form)
    record_access(user=request.user, module=MODULE, kind="list", detail="panel cases")
    return render(
        request,
        "child_deaths/panel.html",
        {
            "ready": [(d, by_death.get(d.pk, [])) for d in ready],
            "waiting": queries.awaiting_forms(user=request.user)[:100],
            "today": dt.date.today(),
        },
    )


@requires(MODULE, "import_records", methods=("GET", "POST"))
def death_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "columns": ChildDeathImport.columns}
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
                        ChildDeathImport(),
                        handle.name,
                        acting_user=request.user,
                        dry_run=form.cleaned_data["dry_run"],
                    )
                except ImportRejected as exc:
                    context["import_errors"] = [str(e) for e in exc.errors[:200]]
                    context["import_errors_more"] = max(0, len(exc.errors) - 200)
                else:
                    messages.success(request, result.summary())
                    return redirect("child_deaths:import")
    return render(request, "child_deaths/import.html", context)


def _year(request) -> FinancialYear:
    text = request.GET.get("year")
    if text:
        try:
            return FinancialYear.parse(text)
        except ValueError:
            raise Http404 from None
    current = FinancialYear.current()
    latest = (
        Death.objects.filter(review_date__lt=current.start)
        .order_by("-review_date")
        .values_list("review_date", flat=True)
        .first()
    )
    return FinancialYear.containing(latest) if latest else current


def _rows(report, previous, key, labels):
    return [(code, label, report[key][code], previous[key][code]) for code, label in labels]


def report_context(year: FinancialYear) -> dict:
    """What the report page, the HTML export and the annual report show."""
    report = reports.year_report(year)
    previous = reports.year_report(year.previous())
    first_year = report["age_at_death"]["under_28_days"] + report["age_at_death"]["28_to_364_days"]
    previous_first_year = (
        previous["age_at_death"]["under_28_days"] + previous["age_at_death"]["28_to_364_days"]
    )
    return {
        "year": year,
        "previous_year": year.previous(),
        "report": report,
        "previous": previous,
        "first_year": first_year,
        "previous_first_year": previous_first_year,
        "age_rows": _rows(report, previous, "age_at_death", AGE_BANDS),
        "sex_rows": _rows(
            report, previous, "sex", [("male", "Boys"), ("female", "Girls"), ("unknown", "Unknown")]
        ),
        "ethnicity_rows": _rows(report, previous, "ethnicity", CHARTS["ethnicity"][2]),
        "category_rows": _rows(report, previous, "category", CATEGORIES),
        "modifiable_rows": _rows(report, previous, "modifiable", MODIFIABLE),
    }


@requires(MODULE, "view_figures")
def report(request):
    year = _year(request)
    context = report_context(year)
    context["years"] = [
        FinancialYear(y) for y in range(year.start_year + 1, year.start_year - 10, -1)
    ]
    context["charts"] = {
        name: reverse("child_deaths:report_chart", kwargs={"year": year.label, "chart": name})
        for name in CHARTS
    }
    return render(request, "child_deaths/report.html", context)


@requires(MODULE, "view_figures")
def report_chart(request, year: str, chart: str):
    if chart not in CHARTS:
        raise Http404
    try:
        fy = FinancialYear.parse(year)
    except ValueError:
        raise Http404 from None
    key, title, labels = CHARTS[chart]
    this, before = reports.year_report(fy)[key], reports.year_report(fy.previous())[key]
    svg = bar_chart_svg(
        title=f"{title} of deaths reviewed {fy.label}",
        categories=[label.split(". ", 1)[-1] for _, label in labels],
        series={
            fy.label: [this[c] for c, _ in labels],
            fy.previous().label: [before[c] for c, _ in labels],
        },
        ylabel="Deaths reviewed",
        horizontal=chart == "category",
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
    filename = f"child-deaths-{fy.label}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, header, rows)
    return xlsx_response(filename, {f"Child deaths {fy.label}": (header, rows)})
