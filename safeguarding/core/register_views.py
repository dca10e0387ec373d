"""The pages core builds from a Register: list and search, import, report, chart, download.

Each is a plain function view wrapped in the register's module permission by
``urls_for()``; the URL names are the same for every register (``<ns>:list``,
``<ns>:search_clear``, ``<ns>:import``, ``<ns>:import_progress``, ``<ns>:report``,
``<ns>:report_chart``, ``<ns>:report_download``).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template import Context, Template
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from . import permissions
from .audit import record_access
from .exports import csv_response, xlsx_response
from .forms import ImportForm, SearchForm
from .imports import ImportRejected, import_upload
from .models import ImportJob
from .periods import FinancialYear
from .permissions import requires
from .registers import Register, flatten

MAX_ERRORS_SHOWN = 200


# ---- years --------------------------------------------------------------------------------


def parse_year(text: str) -> FinancialYear:
    """A year from a URL or query string; anything else is a page that does not exist."""
    try:
        return FinancialYear.parse(text)
    except ValueError:
        raise Http404 from None


def _year_start(reg: Register, year: FinancialYear):
    """The first instant of the year in the type of the register's year field."""
    field = reg.model._meta.get_field(reg.figures.year_field)
    if isinstance(field, models.DateTimeField):
        return timezone.make_aware(dt.datetime.combine(year.start, dt.time.min))
    return year.start


def _as_date(value) -> dt.date:
    return timezone.localdate(value) if isinstance(value, dt.datetime) else value


def default_year(reg: Register) -> FinancialYear:
    """Annual reports are about completed years: the last ended year with records."""
    current = FinancialYear.current()
    field = reg.figures.year_field if reg.figures else ""
    if reg.model is None or not field:
        return current.previous()
    latest = (
        reg.model._default_manager.filter(**{f"{field}__lt": _year_start(reg, current)})
        .order_by(f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    return FinancialYear.containing(_as_date(latest)) if latest else current


def years_offered(reg: Register, year: FinancialYear) -> list[FinancialYear]:
    """Every year from the current one back to the oldest with records, newest first."""
    newest = max(FinancialYear.current().start_year, year.start_year)
    oldest = year.start_year - 8
    field = reg.figures.year_field if reg.figures else ""
    if reg.model is not None and field:
        first = reg.model._default_manager.order_by(field).values_list(field, flat=True).first()
        if first:
            oldest = min(oldest, FinancialYear.containing(_as_date(first)).start_year)
    return [FinancialYear(y) for y in range(newest, oldest - 1, -1)]


# ---- the records list -----------------------------------------------------------------------


@lru_cache(maxsize=256)
def _fragment(source: str) -> Template:
    return Template("{% load figures %}" + source)


def _cell(column, row, today):
    if "{" in column.cell:
        html = _fragment(column.cell).render(Context({"row": row, "today": today}))
    else:
        value = row
        for part in column.cell.split("."):
            display = getattr(value, f"get_{part}_display", None)
            value = display() if callable(display) else getattr(value, part, None)
            if callable(value):
                value = value()
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value)
        if isinstance(value, dt.date):
            value = date_format(value, "j M Y")
        html = format_html("{}", "–" if value in (None, "") else value)
    return html


def _filter_values(reg: Register, request) -> tuple[object, dict]:
    if reg.records.filters is None:
        return None, {}
    form = reg.records.filters(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    out = {}
    for name, value in values.items():
        if name == "year" and isinstance(value, str) and value:
            value = FinancialYear.parse(value)
        out[name] = None if value in ("", None) else value
    return form, out


def _search_key(reg: Register) -> str:
    return f"{reg.ns}_search"  # the search text lives in the session, never in the URL


def list_view(request, reg: Register):
    if request.method == "POST":
        search = SearchForm(request.POST)
        text = search.cleaned_data["q"].strip()[:100] if search.is_valid() else ""
        request.session[_search_key(reg)] = text
        url = reverse(f"{reg.ns}:list")
        return redirect(url + ("?" + request.GET.urlencode() if request.GET else ""))
    spec = reg.records
    filters, values = _filter_values(reg, request)
    search = request.session.get(_search_key(reg), "") if spec.search else ""
    records = spec.query(user=request.user, search=search or None, **values)
    page = Paginator(records, spec.page_size).get_page(request.GET.get("page"))
    record_access(
        user=request.user,
        module=reg.module,
        kind="list",
        detail=f"{reg.slug} page {page.number}" + (" (search)" if search else ""),
    )
    query = request.GET.copy()
    query.pop("page", None)
    today = dt.date.today()
    user = request.user
    detail = f"{reg.ns}:detail"
    columns = list(spec.columns() if callable(spec.columns) else spec.columns)
    rows = []
    for row in page.object_list:
        cells = []
        for column in columns:
            html = _cell(column, row, today)
            if column.link:
                html = format_html(
                    '<a class="govuk-link" href="{}">{}</a>', reverse(detail, args=[row.pk]), html
                )
            cells.append((html, column.nowrap))
        rows.append({"record": row, "cells": cells})
    context = {
        "register": reg,
        "page_obj": page,
        "rows": rows,
        "columns": columns,
        "filters": filters,
        "search": SearchForm(initial={"q": search}, label=spec.search),
        "searching": bool(search),
        "querystring": query.urlencode() + "&" if query else "",
        "today": today,
        "create_url": reverse(f"{reg.ns}:create")
        if spec.create and permissions.has_add_permission(user, reg.module)
        else None,
        "links": [
            {
                "label": link.label,
                "url": reverse(
                    link.url_name if ":" in link.url_name else f"{reg.ns}:{link.url_name}"
                ),
            }
            for link in spec.links
            if permissions.has_permission(user, link.action, reg.module)
        ],
    }
    if spec.extra is not None:
        context.update(spec.extra(request))
    return render(request, spec.template, context)


def search_clear(request, reg: Register):
    request.session.pop(_search_key(reg), None)
    return redirect(f"{reg.ns}:list")


# ---- import ---------------------------------------------------------------------------------


def _list_url(reg: Register) -> str | None:
    """Where the register's records are listed: core's list, or the module's own page."""
    if reg.list_url:
        return reverse(f"{reg.ns}:{reg.list_url}")
    return reverse(f"{reg.ns}:list") if reg.records is not None else None


def _import_context(reg: Register) -> dict:
    return {
        "register": reg,
        "title": reg.imports.title or f"Import {reg.label}",
        "intro": reg.imports.intro,
        "list_url": _list_url(reg),
        "list_title": reg.records.title if reg.records else permissions.MODULES[reg.module],
    }


def import_view(request, reg: Register):
    form = ImportForm(request.POST or None, request.FILES or None)
    schema = reg.imports.schema
    context = {**_import_context(reg), "form": form, "columns": schema.columns}
    if request.method == "POST" and form.is_valid():
        upload, dry_run = form.cleaned_data["file"], form.cleaned_data["dry_run"]
        if upload.size > settings.IMPORT_BACKGROUND_BYTES:
            job = ImportJob.start(
                register=reg.slug, upload=upload, user=request.user, dry_run=dry_run
            )
            return redirect(f"{reg.ns}:import_progress", job=job.pk)
        try:
            result = import_upload(schema(), upload, acting_user=request.user, dry_run=dry_run)
        except ImportRejected as exc:
            context["import_errors"] = [str(e) for e in exc.errors[:MAX_ERRORS_SHOWN]]
            context["import_errors_more"] = max(0, len(exc.errors) - MAX_ERRORS_SHOWN)
        else:
            messages.success(request, result.summary())
            return redirect(f"{reg.ns}:import")
    return render(request, "core/import.html", context)


def import_progress(request, reg: Register, job):
    """A big upload, checked and written by the task queue: its progress, then its result
    with every problem. Only the person who uploaded it sees it (404 for anyone else)."""
    found = ImportJob.objects.filter(pk=job, register=reg.slug, created_by=request.user).first()
    if found is None:
        raise Http404
    context = {**_import_context(reg), "job": found}
    if request.headers.get("X-Progress") == "1":  # the page's script asks for the panel only
        return render(request, "core/includes/import_status.html", context)
    return render(request, "core/import_progress.html", context)


# ---- figures ---------------------------------------------------------------------------------


def report_context(reg: Register, year: FinancialYear) -> dict:
    """What the register's tables template shows for a year (page, export, chapter)."""
    figures = reg.figures
    if figures.report_context is not None:
        context = dict(figures.report_context(year))
    else:
        context = {
            "report": figures.year_report(year),
            "previous": figures.year_report(year.previous()),
        }
    context.setdefault("year", year)
    context.setdefault("previous_year", year.previous())
    context.update(
        register=reg,
        figures=figures,
        tables=figures.template,
        caption=figures.caption or permissions.MODULES.get(reg.module, ""),
    )
    return context


def report_view(request, reg: Register):
    year = parse_year(request.GET["year"]) if request.GET.get("year") else default_year(reg)
    context = report_context(reg, year)
    context["years"] = years_offered(reg, year)
    context["chart_urls"] = {
        chart.name: reverse(
            f"{reg.ns}:report_chart", kwargs={"year": year.label, "chart": chart.name}
        )
        for chart in reg.figures.charts
    }
    if reg.figures.extra is not None:
        context.update(reg.figures.extra(request, year))
    return render(request, "core/report.html", context)


def report_html(reg: Register, year: FinancialYear) -> str:
    """The figures as a standalone HTML page (the CLI's --format html)."""
    from django.template.loader import render_to_string

    return render_to_string("core/report_body.html", report_context(reg, year))


def chart_view(request, reg: Register, year: str, chart: str):
    found = next((c for c in reg.figures.charts if c.name == chart), None)
    if found is None:
        raise Http404
    response = HttpResponse(found.svg(parse_year(year)), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


def download_rows(reg: Register, year: FinancialYear) -> tuple[list[str], list[tuple]]:
    this = flatten(reg.year_report(year))
    earlier = reg.year_report(year.previous())
    if reg.figures.align_previous is not None:
        earlier = reg.figures.align_previous(earlier)
    before = dict(flatten(earlier))
    header = ["figure", year.label, year.previous().label]
    return header, [(name, value, before.get(name)) for name, value in this]


def download_view(request, reg: Register, year: str, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    fy = parse_year(year)
    header, rows = download_rows(reg, fy)
    filename = f"{reg.slug}-{fy.label}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, header, rows)
    sheet = f"{reg.figures.sheet or reg.label} {fy.label}"[:31]
    return xlsx_response(filename, {sheet: (header, rows)})


# ---- URLs ------------------------------------------------------------------------------------


def _bound(view, reg: Register, name: str, action: str, methods=("GET",)):
    def page(request, *args, **kwargs):
        return view(request, reg, *args, **kwargs)

    page.__name__ = f"{reg.ns}_{name}"
    page.__qualname__ = page.__name__
    page.__module__ = __name__
    page.__doc__ = view.__doc__
    page.register = reg
    return requires(reg.module, action, methods=methods)(page)


def urls_for(reg: Register) -> list:
    """The generic pages a register has, by what it declares."""
    urls = []
    if reg.records is not None:
        urls += [
            path("", _bound(list_view, reg, "list", "list_records", ("GET", "POST")), name="list"),
            path(
                "search/clear/",
                _bound(search_clear, reg, "search_clear", "list_records", ("POST",)),
                name="search_clear",
            ),
        ]
    if reg.web_import:
        urls += [
            path(
                "import/",
                _bound(import_view, reg, "import", "import_records", ("GET", "POST")),
                name="import",
            ),
            path(
                "import/<uuid:job>/",
                _bound(import_progress, reg, "import_progress", "import_records"),
                name="import_progress",
            ),
        ]
    if reg.web_report:
        urls += [
            path("report/", _bound(report_view, reg, "report", "view_figures"), name="report"),
            path(
                "report/<str:year>/<str:chart>.svg",
                _bound(chart_view, reg, "report_chart", "view_figures"),
                name="report_chart",
            ),
            path(
                "report/<str:year>.<str:fmt>",
                _bound(download_view, reg, "report_download", "view_figures"),
                name="report_download",
            ),
        ]
    return urls
