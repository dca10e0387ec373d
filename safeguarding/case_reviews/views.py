"""Case review pages. Every view declares its permission; records outside scope answer 404."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from safeguarding.actions.forms import ActionForm
from safeguarding.actions.queries import RAG_LABELS, plan_summary
from safeguarding.actions.services import ActionInvalid, actions_for
from safeguarding.core import permissions
from safeguarding.core.audit import history_for, record_access
from safeguarding.core.charts import bar_chart_svg
from safeguarding.core.exports import csv_response
from safeguarding.core.imports import ImportRejected, run_import
from safeguarding.core.periods import FinancialYear
from safeguarding.core.permissions import requires
from safeguarding.core.registers import flatten

from . import queries, reports, services
from .forms import (
    ChildForm,
    ChronologyRequestForm,
    ChronologyReturnForm,
    FilterForm,
    ImportForm,
    NewReferralForm,
    PanelForm,
    ReferralForm,
    ReviewForm,
    ReviewTypeForm,
    SearchForm,
    ThemeForm,
)
from .imports import CaseReviewImport
from .models import Chronology, Referral, ReviewType, Theme

PAGE_SIZE = 50
SEARCH_KEY = "case_reviews_search"  # the search text lives in the session, never in the URL


def _referral_or_404(request, pk: int) -> Referral:
    try:
        return queries.referral_get(user=request.user, pk=pk)
    except Referral.DoesNotExist:
        raise Http404 from None


def _editable_or_404(request, pk: int) -> Referral:
    referral = _referral_or_404(request, pk)
    if not permissions.has_change_permission(request.user, referral):
        raise Http404
    return referral


def _form_problems(form, problems) -> None:
    for field, message in problems:
        form.add_error(field if field in form.fields else None, message)


@requires("case_reviews", "list_records", methods=("GET", "POST"))
def referral_list(request):
    if request.method == "POST":
        search = SearchForm(request.POST)
        request.session[SEARCH_KEY] = (
            search.cleaned_data.get("q", "").strip()[:100] if search.is_valid() else ""
        )
        return redirect(
            reverse("case_reviews:list") + ("?" + request.GET.urlencode() if request.GET else "")
        )
    filters = FilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    search = request.session.get(SEARCH_KEY, "")
    referrals = queries.referral_list(
        user=request.user,
        year=FinancialYear.parse(values["year"]) if values.get("year") else None,
        decision=values.get("decision") or None,
        stage=values.get("stage") or None,
        search=search or None,
    )
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    record_access(
        user=request.user,
        module="case_reviews",
        kind="list",
        detail=f"page {page.number}" + (" (search)" if search else ""),
    )
    query = request.GET.copy()
    query.pop("page", None)
    is_officer = permissions.has_permission(request.user, "change_record", "case_reviews")
    return render(
        request,
        "case_reviews/referral_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "search": SearchForm(initial={"q": search}),
            "searching": bool(search),
            "querystring": query.urlencode() + "&" if query else "",
            "can_add": permissions.has_add_permission(request.user, "case_reviews"),
            "is_officer": is_officer,
            "can_import": permissions.has_permission(
                request.user, "import_records", "case_reviews"
            ),
            "can_configure": permissions.has_permission(request.user, "configure", "case_reviews"),
        },
    )


@requires("case_reviews", "list_records", methods=("POST",))
def search_clear(request):
    request.session.pop(SEARCH_KEY, None)
    return redirect("case_reviews:list")


@requires("case_reviews", "add_record", methods=("GET", "POST"))
def referral_create(request):
    form = NewReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(acting_user=request.user, **form.values())
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, f"{referral.reference} recorded")
            return redirect("case_reviews:detail", pk=referral.pk)
    return render(request, "case_reviews/referral_form.html", {"form": form, "referral": None})


@requires("case_reviews", "list_records")
def referral_detail(request, pk: int):
    referral = _referral_or_404(request, pk)
    record_access(user=request.user, module="case_reviews", obj=referral)
    can_change = permissions.has_change_permission(request.user, referral)
    actions = actions_for(referral)
    return render(
        request,
        "case_reviews/referral_detail.html",
        {
            "referral": referral,
            "children": referral.children.all(),
            "agencies": referral.agencies_involved.all(),
            "themes": referral.themes.all(),
            "chronologies": referral.chronologies.select_related("agency"),
            "clocks": referral.clocks(),
            "actions": actions,
            "summary": plan_summary(actions),
            "rag": RAG_LABELS[plan_summary(actions)["rag"]],
            "today": dt.date.today(),
            "history": history_for(referral),
            "can_change": can_change,
            "notification_required": referral.notification_required,
        },
    )


def _initial(referral: Referral, form_class) -> dict:
    initial = {
        name: getattr(referral, name)
        for name in form_class.base_fields
        if hasattr(referral, name) and name not in ("agencies_involved", "themes", "decision")
    }
    for name in ("abuse_or_neglect", "child_died", "seriously_harmed", "looked_after"):
        if name in form_class.base_fields:
            initial[name] = "yes" if getattr(referral, name) else "no"
    if "agencies_involved" in form_class.base_fields:
        initial["agencies_involved"] = list(referral.agencies_involved.values_list("pk", flat=True))
    if "themes" in form_class.base_fields:
        initial["themes"] = list(referral.themes.values_list("pk", flat=True))
    if "decision" in form_class.base_fields:
        initial["decision"] = referral.decision_id
    initial["version"] = referral.version
    return initial


def _edit(request, pk: int, form_class, template: str, summary: str, **form_kwargs):
    referral = _editable_or_404(request, pk)
    kwargs = {"referral": referral} if form_class in (PanelForm, ReviewForm) else {}
    form = form_class(request.POST or None, initial=_initial(referral, form_class), **kwargs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            services.referral_update(
                acting_user=request.user,
                referral=referral,
                expected_version=version,
                summary=summary,
                **data,
            )
        except services.StaleRecord as exc:
            form.add_error(None, str(exc))
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, f"{referral.reference}: {summary.lower()}")
            return redirect("case_reviews:detail", pk=referral.pk)
    return render(request, template, {"form": form, "referral": referral})


@requires("case_reviews", "change_record", methods=("GET", "POST"))
def referral_edit(request, pk: int):
    return _edit(request, pk, ReferralForm, "case_reviews/referral_form.html", "Details changed")


@requires("case_reviews", "change_record", methods=("GET", "POST"))
def panel_edit(request, pk: int):
    return _edit(
        request, pk, PanelForm, "case_reviews/panel_form.html", "Clocks and decision recorded"
    )


@requires("case_reviews", "change_record", methods=("GET", "POST"))
def review_edit(request, pk: int):
    return _edit(request, pk, ReviewForm, "case_reviews/review_form.html", "Review recorded")


@requires("case_reviews", "change_record", methods=("GET", "POST"))
def child_add(request, pk: int):
    referral = _editable_or_404(request, pk)
    form = ChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.child_add(acting_user=request.user, referral=referral, **form.cleaned_data)
        messages.success(request, "Child added")
        return redirect("case_reviews:detail", pk=referral.pk)
    return render(
        request,
        "case_reviews/simple_form.html",
        {"form": form, "referral": referral, "heading": "Add a child"},
    )


@requires("case_reviews", "change_record", methods=("GET", "POST"))
def chronology_request(request, pk: int):
    referral = _editable_or_404(request, pk)
    form = ChronologyRequestForm(request.POST or None, initial={"requested_date": dt.date.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.chronology_request(
                acting_user=request.user, referral=referral, **form.cleaned_data
            )
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, "Chronology requested")
            return redirect("case_reviews:detail", pk=referral.pk)
    return render(
        request,
        "case_reviews/simple_form.html",
        {"form": form, "referral": referral, "heading": "Request an agency's chronology"},
    )


@requires("case_reviews", "list_records")
def chronology_list(request):
    """The chronologies asked of the user's agency (officers: all)."""
    page = Paginator(queries.chronology_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "case_reviews/chronology_list.html",
        {"page_obj": page, "querystring": "", "today": dt.date.today()},
    )


@requires("case_reviews", "add_record", methods=("GET", "POST"))
def chronology_return(request, pk: int):
    """The agency asked (or the business unit) records that the chronology came back."""
    try:
        chronology = queries.chronology_get(user=request.user, pk=pk)
    except Chronology.DoesNotExist:
        raise Http404 from None
    form = ChronologyReturnForm(
        request.POST or None,
        initial={
            "returned_date": chronology.returned_date or dt.date.today(),
            "note": chronology.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.chronology_return(
                acting_user=request.user, chronology=chronology, **form.cleaned_data
            )
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, "Chronology marked as returned")
            return redirect("case_reviews:chronologies")
    return render(
        request,
        "case_reviews/simple_form.html",
        {
            "form": form,
            "referral": None,
            "heading": f"Chronology returned: {chronology.referral.reference}",
        },
    )


@requires("case_reviews", "change_record", methods=("GET", "POST"))
def action_add(request, pk: int):
    """A recommendation's action, added to the review's action plan."""
    referral = _editable_or_404(request, pk)
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            action = services.referral_action_add(
                acting_user=request.user, referral=referral, **data
            )
        except ActionInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, f"{action.reference} added to the action plan")
            return redirect("case_reviews:detail", pk=referral.pk)
    return render(
        request,
        "case_reviews/simple_form.html",
        {"form": form, "referral": referral, "heading": "Add an action"},
    )


@requires("case_reviews", "change_record")
def worklist(request):
    """Statutory clocks due this week or overdue."""
    today = dt.date.today()
    monday, sunday = queries.week_bounds(today)
    rows = queries.worklist(user=request.user, today=today)
    record_access(user=request.user, module="case_reviews", kind="list", detail="worklist")
    return render(
        request,
        "case_reviews/worklist.html",
        {"rows": rows, "monday": monday, "sunday": sunday, "today": today},
    )


@requires("case_reviews", "configure")
def review_types(request):
    return render(
        request,
        "case_reviews/settings_list.html",
        {"review_types": ReviewType.objects.all(), "themes": Theme.objects.all()},
    )


@requires("case_reviews", "configure", methods=("GET", "POST"))
def review_type_edit(request, pk: int | None = None):
    review_type = get_object_or_404(ReviewType, pk=pk) if pk else None
    form = ReviewTypeForm(request.POST or None, instance=review_type)
    if request.method == "POST" and form.is_valid():
        services.review_type_save(
            acting_user=request.user, review_type=review_type, **form.cleaned_data
        )
        messages.success(request, "Review type saved")
        return redirect("case_reviews:settings")
    return render(
        request,
        "case_reviews/simple_form.html",
        {"form": form, "referral": None, "heading": "Review type"},
    )


@requires("case_reviews", "configure", methods=("GET", "POST"))
def theme_edit(request, pk: int | None = None):
    theme = get_object_or_404(Theme, pk=pk) if pk else None
    form = ThemeForm(request.POST or None, instance=theme)
    if request.method == "POST" and form.is_valid():
        services.theme_save(acting_user=request.user, theme=theme, **form.cleaned_data)
        messages.success(request, "Learning theme saved")
        return redirect("case_reviews:settings")
    return render(
        request,
        "case_reviews/simple_form.html",
        {"form": form, "referral": None, "heading": "Learning theme"},
    )


@requires("case_reviews", "import_records", methods=("GET", "POST"))
def referral_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "columns": CaseReviewImport.columns}
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
                        CaseReviewImport(),
                        handle.name,
                        acting_user=request.user,
                        dry_run=form.cleaned_data["dry_run"],
                    )
                except ImportRejected as exc:
                    context["import_errors"] = [str(e) for e in exc.errors[:200]]
                    context["import_errors_more"] = max(0, len(exc.errors) - 200)
                else:
                    messages.success(request, result.summary())
                    return redirect("case_reviews:import")
    return render(request, "case_reviews/import.html", context)


# ---- figures ------------------------------------------------------------------------


def _year(request) -> FinancialYear:
    text = request.GET.get("year")
    if text:
        try:
            return FinancialYear.parse(text)
        except ValueError:
            raise Http404 from None
    current = FinancialYear.current()
    latest = (
        Referral.objects.filter(referral_date__lt=current.start)
        .order_by("-referral_date")
        .values_list("referral_date", flat=True)
        .first()
    )
    return FinancialYear.containing(latest) if latest else current


def report_context(year: FinancialYear) -> dict:
    """What the report page, the HTML export and the annual report show."""
    report = reports.year_report(year)
    previous = reports.year_report(year.previous())
    return {
        "year": year,
        "previous_year": year.previous(),
        "report": report,
        "previous": previous,
        "decision_rows": [
            (
                t.code,
                t.name,
                report["decisions"].get(t.code, 0),
                previous["decisions"].get(t.code, 0),
            )
            for t in ReviewType.objects.all()
        ],
        "themes": reports.themes_across_reviews(year),
    }


@requires("case_reviews", "view_figures")
def report(request):
    year = _year(request)
    context = report_context(year)
    context["years"] = [
        FinancialYear(y) for y in range(year.start_year + 1, year.start_year - 8, -1)
    ]
    return render(request, "case_reviews/report.html", context)


@requires("case_reviews", "view_figures")
def report_chart(request, year: str):
    try:
        fy = FinancialYear.parse(year)
    except ValueError:
        raise Http404 from None
    this, before = reports.year_report(fy), reports.year_report(fy.previous())
    types = list(ReviewType.objects.values_list("code", "name"))
    svg = bar_chart_svg(
        title=f"Case review panel decisions {fy.label}",
        categories=[name.split(" (")[0] for _, name in types],
        series={
            fy.label: [this["decisions"].get(c, 0) for c, _ in types],
            fy.previous().label: [before["decisions"].get(c, 0) for c, _ in types],
        },
        ylabel="Decisions",
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


@requires("case_reviews", "view_figures")
def report_download(request, year: str):
    try:
        fy = FinancialYear.parse(year)
    except ValueError:
        raise Http404 from None
    this = flatten(reports.year_report(fy))
    before = dict(flatten(reports.year_report(fy.previous())))
    header = ["figure", fy.label, fy.previous().label]
    rows = [(name, value, before.get(name)) for name, value in this]
    return csv_response(f"case-reviews-{fy.label}.csv", header, rows)
