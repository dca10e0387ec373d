"""The pages core builds from a Register: list and search, the list's download, import,
report, chart, download.

Each is a plain function view wrapped in the register's module permission by
``urls_for()``; the URL names are the same for every register (``<ns>:list``,
``<ns>:list_download``, ``<ns>:search_clear``, ``<ns>:import``, ``<ns>:import_progress``,
``<ns>:report``, ``<ns>:report_year``, ``<ns>:report_chart``, ``<ns>:report_download``).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.db import models
from django.db.models import Max, Min
from django.http import Http404, HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from . import permissions
from .audit import record_access
from .exports import (
    csv_response,
    csv_stream_response,
    html_tables,
    html_text,
    xlsx_content_response,
    xlsx_list_bytes,
    xlsx_tables_bytes,
)
from .forms import ImportForm, SearchForm
from .imports import ImportRejected, import_upload
from .models import ImportJob
from .pagination import HistoryPaginator
from .periods import FinancialYear, YearOutOfRange
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


def _record_date(reg: Register, aggregate) -> dt.date | None:
    """MIN or MAX of the register's year field: the first or last entry of its index (each
    asked alone, since SQLite reads only a lone MIN or MAX from an index)."""
    field = reg.figures.year_field
    value = reg.model._default_manager.aggregate(found=aggregate(field))["found"]
    return _as_date(value) if value is not None else None


def year_range(reg: Register, request=None) -> tuple[FinancialYear, FinancialYear]:
    """The first and last years a register's report offers: from the year of its earliest
    record to the current year (or a later one that already has records: training sessions
    planned for next year). Two indexed look-ups, made once per request (the year picker,
    the check of a year in a URL and the error message share them); never a scan."""
    cache = request.__dict__.setdefault("_register_years", {}) if request is not None else {}
    if reg.slug in cache:
        return cache[reg.slug]
    first = last = FinancialYear.current()
    if reg.model is not None and reg.figures is not None and reg.figures.year_field:
        earliest, latest = _record_date(reg, Min), _record_date(reg, Max)
        if earliest is not None:
            first = min(first, FinancialYear.containing(earliest))
        if latest is not None:
            last = max(last, FinancialYear.containing(latest))
    else:  # no year field to read: this year and the last (the default year)
        first = last.previous()
    cache[reg.slug] = (first, last)
    return first, last


def years_offered(reg: Register, request=None) -> list[FinancialYear]:
    """Every year from the last one offered (the current year) back to the year of the
    oldest record, newest first."""
    first, last = year_range(reg, request)
    return [FinancialYear(y) for y in range(last.start_year, first.start_year - 1, -1)]


class UnknownYear(Exception):
    """A year a register's report cannot show; the message names the years it can."""


def _choose(first: FinancialYear, last: FinancialYear) -> str:
    return f"choose {first}" if first == last else f"choose a year from {first} to {last}"


def resolve_year(reg: Register, text: str, request=None, *, offered=True) -> FinancialYear:
    """The year a URL asks for, if the report offers it; else UnknownYear, saying which
    years it offers (the text asked for is not repeated unless it is a year). With
    ``offered=False`` (the downloads and charts, which other tools fetch by year) any real
    financial year the system reports on is given, with its zeros when it has no records."""
    first, last = year_range(reg, request)
    try:
        year = FinancialYear.parse(text)
    except YearOutOfRange as exc:
        raise UnknownYear(f"There are no records for {exc.year}: {_choose(first, last)}") from None
    except ValueError:
        raise UnknownYear(f"That is not a financial year: {_choose(first, last)}") from None
    if offered and not first <= year <= last:
        raise UnknownYear(f"There are no records for {year}: {_choose(first, last)}")
    return year


def _not_found(message: str) -> HttpResponse:
    """A chart or a download of a year the report does not offer: a file that does not
    exist (404), with a plain message, since it is not a page."""
    return HttpResponseNotFound(message + ".\n", content_type="text/plain; charset=utf-8")


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
    page = HistoryPaginator(records, spec.page_size).get_page(request.GET.get("page"))
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
    columns = _list_columns(reg)
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
    if may_download_list(user, reg):
        count = page.paginator.count
        context["downloads"] = (
            {"too_long": _too_long(count)}
            if count > MAX_LIST_DOWNLOAD_ROWS
            else {
                fmt: reverse(f"{reg.ns}:list_download", kwargs={"fmt": fmt})
                + ("?" + query.urlencode() if query else "")
                for fmt in DOWNLOAD_FORMATS
            }
        )
    if spec.extra is not None:
        context.update(spec.extra(request))
    return render(request, spec.template, context)


# ---- the list's download --------------------------------------------------------------------

# The most rows one download holds: a year of the largest register of a large partnership
# (missing episodes: 15,000 a year, about 9 seconds as CSV, 10 as XLSX, most of it drawing
# each cell as the page does); a longer list is refused with a message to filter it. The CSV
# is written while it is read, a chunk of records at a time; the XLSX is built in a
# write-only workbook (its rows go to a temporary file, not memory) and then sent.
MAX_LIST_DOWNLOAD_ROWS = 20_000
DOWNLOAD_FORMATS = ("csv", "xlsx")

# Who may download a register's list: officers and managers, who see every record of the
# module ("change_record" is module-wide officer rank). Not contributors: their list is
# one agency's slice that they already hold in their own agency's systems, and a
# spreadsheet of children's and adults' personal data copied onto partner agencies'
# computers is the copy a partnership can least control (the design keeps bulk export
# for the partnership's own officers and managers).
LIST_DOWNLOAD_ACTION = "change_record"


def _list_columns(reg: Register) -> list:
    spec = reg.records
    return list(spec.columns() if callable(spec.columns) else spec.columns)


def may_download_list(user, reg: Register) -> bool:
    """Officers and managers: those who see every record of the module (see urls_for)."""
    return permissions.has_permission(user, LIST_DOWNLOAD_ACTION, reg.module)


def _too_long(count: int) -> str:
    return (
        f"This list has {count:,} records: filter it to {MAX_LIST_DOWNLOAD_ROWS:,} or fewer "
        "to download it"
    )


def list_download(request, reg: Register, fmt: str):
    """The records list the person is looking at (its filters from the query string, its
    search from the session), every page of it, with the page's columns as text: CSV or
    XLSX. Written to the access log (the register, the number of rows; never the search)."""
    if fmt not in DOWNLOAD_FORMATS:
        raise Http404
    spec = reg.records
    _filters, values = _filter_values(reg, request)
    search = request.session.get(_search_key(reg), "") if spec.search else ""
    records = spec.query(user=request.user, search=search or None, **values)
    count = records.count()
    if count > MAX_LIST_DOWNLOAD_ROWS:
        return HttpResponse(
            _too_long(count) + ".\n", status=400, content_type="text/plain; charset=utf-8"
        )
    filtered = any(v is not None for v in values.values())
    how = ", ".join(w for w, on in (("filtered", filtered), ("searched", bool(search))) if on)
    record_access(
        user=request.user,
        module=reg.module,
        kind="export",
        detail=f"{reg.slug} list: {count} row{'s' if count != 1 else ''} as {fmt.upper()}"
        + (f" ({how})" if how else ""),
    )
    columns = _list_columns(reg)
    header = [column.header for column in columns]
    today = dt.date.today()

    def rows():
        # Chunked: a long list is read a chunk at a time, its related rows with it.
        for row in records[:MAX_LIST_DOWNLOAD_ROWS].iterator(chunk_size=1000):
            yield [html_text(_cell(column, row, today)) for column in columns]

    filename = f"{reg.slug}-list-{today.isoformat()}.{fmt}"
    if fmt == "csv":
        return csv_stream_response(filename, header, rows())
    return xlsx_content_response(filename, xlsx_list_bytes(spec.title, header, rows()))


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


def _caption(reg: Register) -> str:
    return reg.figures.caption or permissions.MODULES.get(reg.module, "")


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
        caption=_caption(reg),
    )
    return context


def report_view(request, reg: Register, year: str | None = None):
    """The report of a year: ``?year=`` (the picker) or ``report/<year>/``. A year the report
    does not offer (before the first record, after this year, or not a year at all) gets the
    page's year picker with a message saying which years it offers, as a 400: the request
    named something that does not exist, but the page still lets the person choose."""
    text = year if year is not None else request.GET.get("year", "")
    if text:
        try:
            fy = resolve_year(reg, text, request)
        except UnknownYear as exc:
            context = {
                "register": reg,
                "figures": reg.figures,
                "caption": _caption(reg),
                "year": default_year(reg),
                "years": years_offered(reg, request),
                "year_error": str(exc),
            }
            return render(request, "core/report.html", context, status=400)
    else:
        fy = default_year(reg)
    context = report_context(reg, fy)
    context["years"] = years_offered(reg, request)
    context["chart_urls"] = {
        chart.name: reverse(
            f"{reg.ns}:report_chart", kwargs={"year": fy.label, "chart": chart.name}
        )
        for chart in reg.figures.charts
    }
    if reg.figures.extra is not None:
        context.update(reg.figures.extra(request, fy))
    return render(request, "core/report.html", context)


def report_html(reg: Register, year: FinancialYear) -> str:
    """The figures as a standalone HTML page (the CLI's --format html)."""
    return render_to_string("core/report_body.html", report_context(reg, year))


def chart_view(request, reg: Register, year: str, chart: str):
    found = next((c for c in reg.figures.charts if c.name == chart), None)
    if found is None:
        raise Http404
    try:
        fy = resolve_year(reg, year, request, offered=False)
    except UnknownYear as exc:
        return _not_found(str(exc))
    response = HttpResponse(found.svg(fy), content_type="image/svg+xml")
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


def figures_sheet(reg: Register, year: FinancialYear) -> str:
    """The XLSX report's last sheet, every figure by its dotted key as the CSV has them. Its
    name, "LADO 2016-17", is the one the single-sheet download had: tools that read that
    sheet by name keep working."""
    return f"{reg.figures.sheet or reg.label} {year}"[:31]


def report_xlsx(reg: Register, year: FinancialYear) -> bytes:
    """The report as a workbook laid out like the page: the register's tables template,
    rendered as the page renders it, a sheet per table in the page's order (its caption,
    its header cells, its rows; numbers and percentages as numbers); then every figure by
    its key, as the CSV has them, on a sheet with the name the single-sheet download had."""
    html = render_to_string(reg.figures.template, {**report_context(reg, year), "chart_urls": {}})
    header, rows = download_rows(reg, year)
    title = figures_sheet(reg, year)
    return xlsx_tables_bytes(html_tables(html), {title: (header, rows)}, title=title)


def download_view(request, reg: Register, year: str, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    try:
        fy = resolve_year(reg, year, request, offered=False)
    except UnknownYear as exc:
        return _not_found(str(exc))
    filename = f"{reg.slug}-{fy.label}.{fmt}"
    if fmt == "csv":
        header, rows = download_rows(reg, fy)
        return csv_response(filename, header, rows)
    return xlsx_content_response(filename, report_xlsx(reg, fy))


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
            path(
                "list.<str:fmt>",
                _bound(list_download, reg, "list_download", LIST_DOWNLOAD_ACTION),
                name="list_download",
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
                "report/<str:year>/",
                _bound(report_view, reg, "report_year", "view_figures"),
                name="report_year",
            ),
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
