"""The register contract, declared once per register (in the spirit of Django's ModelAdmin).

A module declares its registers in its ``register.py``::

    REGISTER = register(Register(slug="lado", label="LADO allegations", module="lado", ...))

and core builds, from that one declaration, every generic part:

- pages: the records list with search and filters, the import (web upload, with a
  progress page for big files), the report page, its charts and its CSV/XLSX download,
  each wrapped in the module's permission (``Register.urls()``);
- commands: ``safeguarding import SLUG FILE``, ``safeguarding report SLUG --year``;
- the home worklist (``worklist_for()``) and the annual report's chapters (``chapters()``).

A module's own views keep only what is truly its own: detail pages, workflows, forms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
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
class Register:
    slug: str  # the command line name: `safeguarding import lado`, `report lado`
    label: str
    short_label: str = ""  # "LADO": the sheet of the XLSX download; defaults to label
    module: str  # the permissions module
    namespace: str = ""  # the URL namespace; defaults to the module
    model: Any = None  # the register's main record

    # -- the records list ----------------------------------------------------------
    records: Callable[..., Any] | None = None  # records(user=, search=, **filters) -> queryset
    filter_form: Any = None  # a Form whose cleaned values are records()'s filters
    search_label: str = ""  # "Search by reference or the adult's name"; "" = no search
    list_title: str = ""
    list_caption: str = ""
    columns: tuple[Column, ...] | Callable[[], Iterable[Column]] = ()  # or read per page
    links: tuple[Link, ...] = ()  # buttons above the list
    create_label: str = ""  # the button to <namespace>:create, for contributors and up
    list_extra: Callable[[Any], dict] | None = None  # more context for a list template
    list_template: str = "core/register_list.html"
    list_url: str = ""  # the records page when it is the module's own (e.g. "sessions")
    page_size: int = 50

    # -- import --------------------------------------------------------------------
    import_schema: Callable[[], ImportSchema] | None = None
    import_title: str = ""  # "Import LADO records"
    import_intro: str = ""  # what an import does to stored records, when not by reference
    web_import: bool = True  # also core's upload page at <namespace>:import

    # -- figures for a financial year ----------------------------------------------
    year_report: Callable[[FinancialYear], dict[str, Any]] | None = None
    report_context: Callable[[FinancialYear], dict[str, Any]] | None = None
    report_tables: str = ""  # the template of the tables (page, HTML export, annual report)
    report_title: str = ""  # the heading: "Allegations against adults who work with children"
    report_caption: str = ""
    figures_label: str = ""  # "LADO figures": page title, download link text
    year_field: str = ""  # the date (or date-time) that places a record in a year
    charts: tuple[Chart, ...] = ()
    report_extra: Callable[[Any, FinancialYear], dict] | None = None  # (request, year)
    align_previous: Callable[[dict], dict] | None = None  # last year's keys beside this year's
    web_report: bool = True  # core's report pages at <namespace>:report...

    # -- registers reported by period (performance: 2016-Q1, 2016-04, 2016-17) -------
    period_report: Callable[[str], dict[str, Any]] | None = None
    report_template: str = ""  # a whole HTML page of the figures, when not core's
    period_context: Callable[[str], dict[str, Any]] | None = None

    # -- daily work and the annual report --------------------------------------------
    worklist: Callable[[Any, dt.date], Iterable[WorkItem]] | None = None
    chapter_title: str = ""
    chapter_order: int = 100

    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ns(self) -> str:
        return self.namespace or self.module

    @property
    def download_name(self) -> str:
        return self.slug

    def chapter(self) -> Chapter | None:
        if self.year_report is None or not self.report_tables:
            return None
        from .register_views import report_context

        return Chapter(
            title=self.chapter_title or self.label,
            template=self.report_tables,
            context=lambda year: report_context(self, year),
            order=self.chapter_order,
        )

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
        known = ", ".join(sorted(REGISTERS)) or "none"
        raise KeyError(f"unknown register '{slug}'; known registers: {known}") from None


def for_module(module: str) -> list[Register]:
    return [r for r in REGISTERS.values() if r.module == module]


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
