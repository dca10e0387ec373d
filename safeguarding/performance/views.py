"""Performance pages of its own: the dashboard and board pack (readers), returns
(agencies), indicators (business unit). The values import is core's page, built from
register.py. No page here shows personal data: the framework holds aggregate figures only.
"""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from safeguarding.core import permissions
from safeguarding.core.audit import history_for
from safeguarding.core.charts import line_chart_svg
from safeguarding.core.exports import xlsx_response
from safeguarding.core.forms import ImportForm
from safeguarding.core.imports import ImportRejected, import_upload
from safeguarding.core.models import Agency
from safeguarding.core.pages import form_page, object_or_404, versioned
from safeguarding.core.pagination import HistoryPaginator
from safeguarding.core.pdf import html_to_pdf
from safeguarding.core.periods import Period
from safeguarding.core.permissions import requires
from safeguarding.core.writes import RecordInvalid

from . import choices, queries, reports, rules, services
from .board_pack import board_pack_html
from .forms import (
    BenchmarkForm,
    IndicatorForm,
    OpenReturnsForm,
    SendBackForm,
    ValueForm,
)
from .imports import IndicatorValueImport
from .models import (
    PERIOD_KIND,
    RETURN_STATUSES,
    Benchmark,
    DataReturn,
    Indicator,
    IndicatorValue,
)

MODULE = "performance"


class PeriodNotFound(Exception):
    """A period in the URL that is not one the framework reports on; says why."""


def _period(request) -> Period:
    """The period asked for, else the latest quarter with values (or the current one).
    One that is not a period, or is outside the years the system knows (1900-Q1), is
    PeriodNotFound: ``period_page`` answers it with a page naming the problem."""
    text = request.GET.get("period")
    if text:
        try:
            return reports.parse_period(text)
        except ValueError as exc:
            raise PeriodNotFound(str(exc)) from None
    latest = IndicatorValue.objects.filter(period__contains="-Q").aggregate(p=Max("period"))["p"]
    if latest:
        return Period.parse(latest)
    return choices.current("quarter")


def period_page(back: str = "performance:dashboard", label: str = "the dashboard"):
    """A page (or download) of a period: a bad period in its URL answers 404 with a page
    that says what is wrong and where to choose one, never a server error."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except PeriodNotFound as exc:
                return render(
                    request,
                    "performance/period_not_found.html",
                    {"message": str(exc), "back_url": reverse(back), "back_label": label},
                    status=404,
                )

        return wrapped

    return decorate


def _agency(request):
    pk = request.GET.get("agency")
    if pk and pk.isdigit():
        return Agency.objects.filter(pk=pk).first()
    return None


def _is_business_unit(user) -> bool:
    """Officers and managers approve returns: they see values awaiting approval, marked."""
    return permissions.has_permission(user, "change_record", MODULE)


def _dashboard_context(request, only_red=False):
    period = _period(request)
    agency = _agency(request)
    rows = reports.indicator_rows(period, agency=agency, pending=_is_business_unit(request.user))
    counts = reports.rating_counts(rows)
    awaiting = sum(len(r["pending"]) for r in rows)
    no_data = []
    if only_red:
        # Exceptions: red, and (apart) the indicators with a target but nothing approved.
        no_data = [r for r in rows if r["rating"] == "no_data" and r["target"] is not None]
        rows = [r for r in rows if r["rating"] == "red"]
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row["group"], []).append(row)
    return {
        "period": period,
        "period_name": choices.period_name(period),
        "period_choices": choices.for_dashboard(period),
        "agency": agency,
        "groups": groups,
        "rows": rows,
        "no_data": no_data,
        "rag_counts": counts,
        "awaiting": awaiting,
        "agencies": Agency.objects.filter(is_active=True),
        "only_red": only_red,
        "querystring": request.GET.urlencode(),
    }


@requires(MODULE, "view_figures")
@period_page()
def dashboard(request):
    context = _dashboard_context(request)
    context["can_manage"] = permissions.has_permission(request.user, "configure", MODULE)
    return render(request, "performance/dashboard.html", context)


@requires(MODULE, "view_figures")
@period_page()
def exceptions(request):
    return render(request, "performance/dashboard.html", _dashboard_context(request, only_red=True))


@requires(MODULE, "view_figures")
@period_page()
def dashboard_xlsx(request):
    period, agency = _period(request), _agency(request)
    rows = reports.indicator_rows(period, agency=agency)  # the board's: approved only
    header = [
        "Reference",
        "Indicator",
        "Group",
        "Agency",
        "Period",
        "Value",
        "Target",
        "RAG",
        "Variance",
        "Same period last year",
        "Change %",
        "Statistical neighbours",
        "England",
        "Commentary",
    ]
    rows = [
        (
            r["reference"],
            r["name"],
            r["group"],
            r["agency"],
            r["period"],
            r["value"],
            r["target"],
            rules.RATINGS[r["rating"]].lower(),
            r["variance"],
            r["same_period_last_year"],
            r["change_percent"],
            r["benchmarks"]["statistical_neighbours"],
            r["benchmarks"]["england"],
            r["commentary"],
        )
        for r in rows
    ]
    return xlsx_response(f"board-pack-{period}.xlsx", {f"Performance {period}": (header, rows)})


@requires(MODULE, "view_figures")
@period_page()
def dashboard_pdf(request):
    """The board pack: cover, RAG summary and indicators, every register's figures for the
    period's financial year with their charts, and the overdue actions (board_pack.py)."""
    period, agency = _period(request), _agency(request)
    html = board_pack_html(period, user=request.user, agency=agency)
    response = HttpResponse(
        html_to_pdf(html, base_url=request.build_absolute_uri("/")), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="board-pack-{period}.pdf"'
    return response


@requires(MODULE, "view_figures")
def indicator_catalogue(request):
    indicators = Indicator.objects.select_related("group", "owning_agency")
    return render(
        request,
        "performance/indicators.html",
        {
            "indicators": indicators,
            "can_manage": permissions.has_permission(request.user, "configure", MODULE),
        },
    )


def _trend_periods(indicator: Indicator, period: Period) -> list[Period]:
    return reports.recent_periods(PERIOD_KIND[indicator.frequency], period, 12)


def _trend(indicator: Indicator, period: Period):
    return reports.trend(indicator, _trend_periods(indicator, period))


def _crumbs(indicator: Indicator | None = None) -> list[tuple[str, str]]:
    crumbs = [
        ("Dashboard", reverse("performance:dashboard")),
        ("Indicators", reverse("performance:indicators")),
    ]
    if indicator is not None:
        crumbs.append((indicator.reference, reverse("performance:indicator", args=[indicator.pk])))
    return crumbs


def _to_indicator(indicator: Indicator) -> str:
    return reverse("performance:indicator", args=[indicator.pk])


@requires(MODULE, "view_figures", record=Indicator)
@period_page()
def indicator_detail(request, pk: int):
    indicator = object_or_404(queries.indicator_get, request, pk)
    period = _period(request)
    periods = _trend_periods(indicator, period)
    trend = reports.trend_rows(indicator, periods)
    if _is_business_unit(request.user):
        waiting = reports.awaiting_approval([indicator], {p.label for p in periods})
        for row in trend:
            key = (indicator.pk, row["period"])
            row["pending"] = (
                [{"period": row["period"], "value": waiting[key]}] if key in waiting else []
            )
    end = periods[-1]
    return render(
        request,
        "performance/indicator_detail.html",
        {
            "indicator": indicator,
            "period": end,
            "period_choices": choices.for_indicator(indicator, end),
            "trend": trend,
            "benchmarks": Benchmark.objects.filter(indicator=indicator).order_by("-year", "kind"),
            "history": history_for(indicator),
            "can_manage": permissions.has_permission(request.user, "configure", MODULE),
            "can_benchmark": permissions.has_permission(request.user, "change_record", MODULE),
        },
    )


@requires(MODULE, "view_figures", record=Indicator)
@period_page()
def indicator_chart(request, pk: int):
    indicator = object_or_404(queries.indicator_get, request, pk)
    period = _period(request)
    trend = _trend(indicator, period)
    svg = line_chart_svg(
        title=f"{indicator.reference} {indicator.name}"[:90],
        categories=[label for label, _ in trend],
        series={indicator.reference: [v for _, v in trend]},
        target=float(indicator.target) if indicator.target is not None else None,
        small=request.GET.get("size") == "small",
    )
    return HttpResponse(svg, content_type="image/svg+xml")


@requires(MODULE, "configure", methods=("GET", "POST"), record=Indicator)
def indicator_edit(request, pk: int | None = None):
    """Define an indicator, or change one from the version the form was made from."""
    indicator = object_or_404(queries.indicator_get, request, pk) if pk else None
    form = IndicatorForm(
        request.POST or None,
        instance=indicator,
        initial={"version": indicator.version} if indicator else None,
    )

    return form_page(
        request,
        form,
        save=versioned(services.indicator_save, request, indicator=indicator),
        success=lambda saved: f"Indicator {saved.reference} saved",
        redirect_to=_to_indicator,
        title=f"Change {indicator.reference}" if indicator else "Add an indicator",
        button="Save indicator",
        breadcrumbs=_crumbs(indicator),
    )


@requires(MODULE, "change_record", methods=("GET", "POST"), record=Indicator)
def benchmark_edit(request, pk: int):
    indicator = object_or_404(queries.indicator_get, request, pk)
    return form_page(
        request,
        BenchmarkForm(request.POST or None),
        save=lambda data: services.benchmark_save(
            acting_user=request.user, indicator=indicator, **data
        ),
        success="Benchmark saved",
        redirect_to=_to_indicator(indicator),
        title=f"Benchmark for {indicator.reference}",
        button="Save benchmark",
        breadcrumbs=_crumbs(indicator),
    )


@requires(MODULE, "list_records")
@period_page("performance:returns", "the data returns")
def return_list(request):
    period = None
    if request.GET.get("period"):
        try:
            period = reports.parse_period(request.GET["period"]).label
        except ValueError as exc:
            raise PeriodNotFound(str(exc)) from None
    status = request.GET.get("status")
    status = status if status in dict(RETURN_STATUSES) else None
    returns = queries.return_list(user=request.user, period=period, status=status)
    page = HistoryPaginator(returns, 50).get_page(request.GET.get("page"))
    is_officer = permissions.has_permission(request.user, "change_record", MODULE)
    today = dt.date.today()
    kept = {k: v for k, v in (("period", period), ("status", status)) if v}
    return render(
        request,
        "performance/returns.html",
        {
            "page_obj": page,
            "today": today,
            "is_officer": is_officer,
            "late": services.late_returns(today) if is_officer else [],
            "open_groups": OpenReturnsForm.groups() if is_officer else [],
            "period_choices": queries.return_periods(user=request.user, selected=period),
            "statuses": RETURN_STATUSES,
            "period": period or "",
            "status": status or "",
            "filtered": bool(kept),
            "querystring": f"{urlencode(kept)}&" if kept else "",
        },
    )


@requires(MODULE, "change_record", methods=("POST",))
def returns_open(request):
    form = OpenReturnsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "No returns opened: " + form.errors["period"][0])
        return redirect("performance:returns")
    try:
        period = reports.parse_period(form.cleaned_data["period"])
    except ValueError as exc:
        messages.error(request, f"No returns opened: {exc}")
    else:
        opened = services.returns_open(acting_user=request.user, period=period)
        messages.success(request, f"{len(opened)} return(s) opened for {period}")
    return redirect("performance:returns")


@requires(MODULE, "change_record", methods=("POST",))
def returns_chase(request):
    sent = services.returns_chase(acting_user=request.user, today=dt.date.today())
    messages.success(request, f"{sent} late return(s) chased by email")
    return redirect("performance:returns")


def _can_enter(user, data_return) -> bool:
    if permissions.has_permission(user, "change_record", MODULE):
        return True
    return (
        permissions.has_permission(user, "add_record", MODULE)
        and data_return.owning_agency_id == user.agency_id
        and data_return.status in ("open", "sent_back")
    )


def _enterable_or_404(request, pk: int) -> DataReturn:
    """A return the user may enter values in (or submit); 404 otherwise."""
    data_return = object_or_404(queries.return_get, request, pk)
    if not _can_enter(request.user, data_return):
        raise Http404
    return data_return


def _to_return(data_return: DataReturn):
    return redirect("performance:return", pk=data_return.pk)


@requires(MODULE, "list_records", methods=("GET", "POST"), record=DataReturn)
def return_detail(request, pk: int):
    data_return = object_or_404(queries.return_get, request, pk)
    indicators = list(services.return_indicators(data_return))
    stored = {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(
            indicator__in=indicators,
            period=data_return.period,
            owning_agency=data_return.owning_agency,
        )
    }
    editable = _can_enter(request.user, data_return)
    forms = []
    for ind in indicators:
        value = stored.get(ind.pk)
        initial = (
            {
                "value": value.value,
                "numerator": value.numerator,
                "denominator": value.denominator,
                "commentary": value.commentary,
                "version": value.version,
            }
            if value
            else {}
        )
        forms.append(
            (
                ind,
                ValueForm(
                    request.POST if request.method == "POST" else None,
                    prefix=f"i{ind.pk}",
                    initial=initial,
                ),
                value,
            )
        )
    errors = []  # (input id, message) for the GOV.UK error summary
    row_errors: dict[int, dict[str, str]] = {}  # indicator pk -> {field: message}

    def problem(ind, form, field, message):
        label = ValueForm.base_fields[field].label if field in ValueForm.base_fields else field
        text = f"{label} of {ind.reference}: {message}"
        row_errors.setdefault(ind.pk, {}).setdefault(field, text)
        errors.append((form[field].auto_id if field in form.fields else "values", text))

    if request.method == "POST":
        if not editable:
            raise Http404
        if all(form.is_valid() for _, form, _ in forms):
            # Check every row first, so that every problem is shown at once.
            for ind, form, _value in forms:
                data = form.cleaned_data
                if data.get("value") is None and data.get("numerator") is None:
                    continue
                for field, message in rules.value_problems(
                    ind.unit, data.get("value"), data.get("numerator"), data.get("denominator")
                ):
                    problem(ind, form, field, message)
        else:
            for ind, form, _ in forms:
                for field, field_errors in form.errors.items():
                    for message in field_errors:
                        problem(ind, form, field, message)
        if not errors:
            try:
                with transaction.atomic():
                    for ind, form, _value in forms:
                        data = form.cleaned_data
                        if data.get("value") is None and data.get("numerator") is None:
                            continue
                        services.value_save(
                            acting_user=request.user,
                            indicator=ind,
                            period=data_return.period,
                            agency=data_return.owning_agency,
                            data_return=data_return,
                            expected_version=data.get("version"),
                            value=data.get("value"),
                            numerator=data.get("numerator"),
                            denominator=data.get("denominator"),
                            commentary=data.get("commentary"),
                        )
            except RecordInvalid as exc:  # also StaleRecord: a value changed meanwhile
                errors = [
                    ("values", f"{field}: {message}" if field else message)
                    for field, message in exc.problems
                ]
            else:
                messages.success(request, "Values saved")
                return _to_return(data_return)
    forms = [(ind, form, value, row_errors.get(ind.pk, {})) for ind, form, value in forms]
    return render(
        request,
        "performance/return_detail.html",
        {
            "data_return": data_return,
            "forms": forms,
            "editable": editable,
            "errors": errors,
            "is_officer": permissions.has_permission(request.user, "change_record", MODULE),
            "history": history_for(data_return),
            "upload_form": ImportForm(),
        },
    )


def _button(request, data_return: DataReturn, action, success: str):
    """A workflow button: the service locks the stored return and checks its status."""
    try:
        action(acting_user=request.user, data_return=data_return)
    except RecordInvalid as exc:
        messages.error(request, exc.problems[0][1])
    else:
        messages.success(request, success)
    return _to_return(data_return)


@requires(MODULE, "add_record", methods=("POST",), record=DataReturn)
def return_submit(request, pk: int):
    data_return = _enterable_or_404(request, pk)
    return _button(
        request, data_return, services.return_submit, f"Return for {data_return.period} submitted"
    )


@requires(MODULE, "change_record", methods=("POST",), record=DataReturn)
def return_approve(request, pk: int):
    data_return = object_or_404(queries.return_get, request, pk)
    return _button(request, data_return, services.return_approve, "Return approved")


@requires(MODULE, "change_record", methods=("GET", "POST"), record=DataReturn)
def return_send_back(request, pk: int):
    data_return = object_or_404(queries.return_get, request, pk)
    return form_page(
        request,
        SendBackForm(request.POST or None),
        save=lambda data: services.return_send_back(
            acting_user=request.user, data_return=data_return, note=data["note"]
        ),
        success="Return sent back to the agency",
        redirect_to=reverse("performance:return", args=[data_return.pk]),
        title="Send back the return",
        heading=f"Send back {data_return.owning_agency}'s return for {data_return.period}",
        button="Send back",
        button_class="govuk-button--warning",
        breadcrumbs=[
            ("Data returns", reverse("performance:returns")),
            (
                f"{data_return.owning_agency}, {data_return.period}",
                reverse("performance:return", args=[data_return.pk]),
            ),
        ],
    )


@requires(MODULE, "list_records", record=DataReturn)
def return_template(request, pk: int):
    data_return = object_or_404(queries.return_get, request, pk)
    stored = {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(
            period=data_return.period, owning_agency=data_return.owning_agency
        )
    }
    header = [c.name for c in IndicatorValueImport.columns]
    rows = []
    for ind in services.return_indicators(data_return):
        v = stored.get(ind.pk)
        rows.append(
            [
                ind.reference,
                data_return.period,
                data_return.owning_agency.name,
                v.value if v else None,
                v.numerator if v else None,
                v.denominator if v else None,
                v.commentary if v else "",
            ]
        )
    return xlsx_response(f"return-{data_return.period}.xlsx", {"Return": (header, rows)})


@requires(MODULE, "list_records", methods=("POST",), record=DataReturn)
def return_upload(request, pk: int):
    """The return's values from a spreadsheet: core's upload form (and its size limit),
    then the values import, limited to this return's agency and period."""
    data_return = _enterable_or_404(request, pk)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        problems = form.errors.get("file") or ["choose a file"]
        messages.error(request, "The file was not imported: " + "; ".join(problems))
        return _to_return(data_return)
    schema = IndicatorValueImport(only_agency=data_return.owning_agency, data_return=data_return)
    try:
        result = import_upload(schema, form.cleaned_data["file"], acting_user=request.user)
    except ImportRejected as exc:
        problems = [str(e) for e in exc.errors[:5]]
        messages.error(request, "The file was not imported: " + "; ".join(problems))
    else:
        messages.success(request, result.summary())
    return _to_return(data_return)
