"""The register contract, declared once per register (in the spirit of Django's ModelAdmin).

A module declares its registers in its ``register.py``::

    REGISTER = register(
        Register(
            slug="lado", label="LADO allegations", model=Case,
            records=Records(query=queries.case_list, title="LADO register", columns=...),
            imports=Imports(LadoImport, title="Import LADO records"),
            figures=Figures(reports, title="...", year_field="contact_date", charts=...),
            worklist=...,
        )
    )

and core builds, from that one declaration, every generic part:

- pages: the records list with search and filters (and its CSV/XLSX download for
  officers), the import (web upload, with a progress page for big files), the report page,
  its charts and its CSV/XLSX download, each wrapped in the module's permission
  (``Register.urls()``);
- commands: ``safeguarding import SLUG FILE``, ``safeguarding report SLUG --year``;
- the home worklist (``worklist_for()``) and the annual report's chapters (``chapters()``).

A module's own views keep only what is truly its own: detail pages, workflows, forms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from .imports import ImportSchema
from .periods import FinancialYear


@dataclass(frozen=True)
class Column:
    """One column of the records list.

    ``cell`` is an attribute of the record (dates, choices and blanks are shown the usual
    way; a method is called) or a template fragment, which sees the record as ``row``
    and also ``today``. ``link``: the cell links to the record's page."""

    header: str
    cell: str
    link: bool = False
    nowrap: bool = False


@dataclass(frozen=True)
class Link:
    """A button above the records list, shown to users who may do ``action``."""

    label: str
    url_name: str  # within the register's namespace, or "namespace:name"
    action: str = "list_records"
    primary: bool = False


@dataclass(frozen=True)
class Chart:
    """An SVG chart of the report: ``report/<year>/<name>.svg``. ``svg(year)`` draws it
    (this year beside the previous one); the report page shows it next to its table."""

    name: str
    svg: Callable[[FinancialYear], str]


@dataclass(frozen=True)
class WorkItem:
    """Something due or overdue for a user: a statutory clock, a visit, a form.

    ``label`` and ``reference`` must not hold personal data (the home page lists them)."""

    module: str
    label: str
    reference: str
    url: str
    due: dt.date
    overdue: bool
    rule: str = ""  # the clock, e.g. "72 hours from return"


@dataclass(frozen=True)
class Chapter:
    """The register's chapter of the annual report: its tables for one year."""

    title: str
    template: str
    context: Callable[[FinancialYear], dict[str, Any]]
    order: int = 100


@dataclass(frozen=True, kw_only=True)
class Records:
    """The records list core builds at ``<ns>:list``: ``query(user=, search=, **filters)``
    returns what the user may see; ``filters`` is a Form whose cleaned values are the
    filters (blank: None; a year: a FinancialYear)."""

    query: Callable[..., Any]
    title: str
    columns: tuple[Column, ...] | Callable[[], Iterable[Column]] = ()  # or read per page
    filters: Any = None
    search: str = ""  # the search box's label ("" = no search)
    caption: str = ""
    create: str = ""  # the label of the button to <ns>:create, for contributors and up
    links: tuple[Link, ...] = ()  # buttons above the list
    extra: Callable[[Any], dict] | None = None  # more context for a list template
    template: str = "core/register_list.html"
    page_size: int = 50


@dataclass(frozen=True)
class Imports:
    """The import: ``safeguarding import SLUG FILE`` and, unless ``web`` is off, core's
    upload page at ``<ns>:import``."""

    schema: Callable[[], ImportSchema]
    title: str = ""  # "Import LADO records"
    intro: str = ""  # what an import does to stored records, when not by reference
    web: bool = True


@dataclass(frozen=True)
class KeyFigure:
    """One headline figure of a year's report: ``path`` is its dotted key in
    ``year_report(year)`` ("referrals.total"); ``of``, the dotted key of the total it is a
    share of, adds its percentage ("visits.on_time" of "visits.due")."""

    label: str
    path: str
    of: str = ""

    def value(self, report: dict) -> tuple[Any, float | None]:
        number = _dig(report, self.path)
        if not self.of:
            return number, None
        total = _dig(report, self.of)
        share = round(100 * number / total, 1) if number is not None and total else None
        return number, share


def _dig(report: dict, path: str):
    value: Any = report
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


@dataclass(frozen=True)
class Figures:
    """Figures for a financial year, from the module's ``reports.py``: its
    ``year_report(year)`` (the contract of the CLI report and the downloads) and, when it
    has one, ``report_context(year)`` for the tables template (by default
    ``<app>/report_tables.html``), which the report page, the HTML export and the annual
    report's chapter all show."""

    reports: ModuleType
    title: str = ""  # the heading: "Allegations against adults who work with children"
    caption: str = ""  # above the heading; by default the module's name
    label: str = ""  # "LADO figures": the page title, the download links
    sheet: str = ""  # "LADO": the XLSX download's document title, before the year
    year_field: str = ""  # the date (or date-time) that places a record in a year
    charts: tuple[Chart, ...] = ()
    tables: str = ""
    extra: Callable[[Any, FinancialYear], dict] | None = None  # (request, year)
    align_previous: Callable[[dict], dict] | None = None  # last year's keys beside this year's
    web: bool = True  # core's report pages at <ns>:report...
    chapter: str = ""  # the annual report's chapter title; by default the module's name
    chapter_order: int = 100
    # The few figures a reader or board member sees first (home page, board pack).
    key: tuple[KeyFigure, ...] = ()

    @property
    def year_report(self) -> Callable[[FinancialYear], dict[str, Any]]:
        return self.reports.year_report

    @property
    def report_context(self) -> Callable[[FinancialYear], dict[str, Any]] | None:
        return getattr(self.reports, "report_context", None)

    @property
    def template(self) -> str:
        if self.tables:
            return self.tables
        app = self.reports.__name__.split(".")[-2]
        return f"{app}/report_tables.html"


@dataclass(frozen=True)
class Periods:
    """Figures by period (performance: 2016-Q1, 2016-04, 2016-17), not by year:
    ``safeguarding report SLUG --period``; ``template`` with ``context(period)`` is its HTML."""

    report: Callable[[str], dict[str, Any]]
    template: str = ""
    context: Callable[[str], dict[str, Any]] | None = None


@dataclass(frozen=True, kw_only=True)
class Register:
    slug: str  # the command line name: `safeguarding import lado`, `report lado`
    label: str
    model: Any = None  # the register's main record
    module: str = ""  # the permissions module; by default the model's app
    namespace: str = ""  # the URL namespace; by default the module
    records: Records | None = None
    imports: Imports | None = None
    figures: Figures | None = None
    periods: Periods | None = None
    worklist: Callable[[Any, dt.date], Iterable[WorkItem]] | None = None
    list_url: str = ""  # the module's own records page when core builds none (e.g. "sessions")

    def __post_init__(self):
        if not self.module:
            object.__setattr__(self, "module", self.model._meta.app_label)

    @property
    def ns(self) -> str:
        return self.namespace or self.module

    @property
    def import_schema(self) -> Callable[[], ImportSchema] | None:
        return self.imports.schema if self.imports else None

    @property
    def year_report(self) -> Callable[[FinancialYear], dict[str, Any]] | None:
        return self.figures.year_report if self.figures else None

    @property
    def web_import(self) -> bool:
        return self.imports is not None and self.imports.web

    @property
    def web_report(self) -> bool:
        return self.figures is not None and self.figures.web

    def chapter(self) -> Chapter | None:
        if self.figures is None:
            return None
        from .permissions import MODULES
        from .register_views import report_context

        return Chapter(
            title=self.figures.chapter or MODULES.get(self.module, self.label),
            template=self.figures.template,
            context=lambda year: report_context(self, year),
            order=self.figures.chapter_order,
        )

    def detail_url(self, record) -> str:
        from django.urls import reverse

        return reverse(f"{self.ns}:detail", args=[record.pk])

    def crumbs(self, record=None) -> list[tuple[str, str]]:
        """Breadcrumbs of a page about the register's records: the list, then the record."""
        from django.urls import reverse

        crumbs = [(self.records.title, reverse(f"{self.ns}:list"))] if self.records else []
        if record is not None:
            crumbs.append((record.reference, self.detail_url(record)))
        return crumbs

    def urls(self) -> list:
        """The generic pages of this register, to add to the module's urlpatterns."""
        from .register_views import urls_for

        return urls_for(self)


REGISTERS: dict[str, Register] = {}


def register(reg: Register) -> Register:
    REGISTERS[reg.slug] = reg
    return reg


def get(slug: str) -> Register:
    try:
        return REGISTERS[slug]
    except KeyError:
        # Those the command line can import or report (not a worklist-only register).
        known = ", ".join(sorted(r.slug for r in REGISTERS.values() if _on_the_command_line(r)))
        known = known or "none"
        raise KeyError(f"unknown register '{slug}'; known registers: {known}") from None


def _on_the_command_line(reg: Register) -> bool:
    return bool(reg.imports or reg.figures or reg.periods)


def worklist_for(user, today: dt.date | None = None) -> list[WorkItem]:
    """Everything due or overdue for this user, across registers, most urgent first.

    Each register's worklist() sees only what the user may see (its queries are scoped)."""
    from . import permissions

    today = today or dt.date.today()
    items: list[WorkItem] = []
    for reg in REGISTERS.values():
        if reg.worklist is not None and permissions.has_permission(
            user, "list_records", reg.module
        ):
            items += list(reg.worklist(user, today))
    return sorted(items, key=lambda i: (not i.overdue, i.due, i.reference))


def chapters() -> list[tuple[Register, Chapter]]:
    """The annual report's register chapters, in their order."""
    found = [(reg, reg.chapter()) for reg in REGISTERS.values()]
    return sorted(
        [(reg, ch) for reg, ch in found if ch is not None], key=lambda p: (p[1].order, p[0].slug)
    )


def flatten(figures: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """Nested figures as (dotted.key, value) rows: the CSV form of any report."""
    rows: list[tuple[str, Any]] = []
    for key, value in figures.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            rows += flatten(value, name)
        else:
            rows.append((name, value))
    return rows
