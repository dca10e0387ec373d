"""Each person's first page: their work, or, where they only read figures, the figures.

- **My work**: what is due or overdue in every register where the user works on records
  (contributor and up), nearest deadline first, each with its statutory clock and a link;
  above it, a count per register.
- **Key figures**: for each register where the user is a reader (a board member, say),
  the register's declared key figures (``Figures.key``) for its latest completed year.
  They are aggregates of one year, cached for a while (no personal data in them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.urls import reverse

from . import permissions, registers
from .registers import WorkItem

HOME_ITEMS = 25
KEY_FIGURES_SECONDS = 600


@dataclass
class ModuleCount:
    module: str
    label: str
    overdue: int = 0
    due: int = 0
    url: str = ""


@dataclass
class KeyFigures:
    label: str
    year: str
    figures: list[tuple[str, object, float | None]] = field(default_factory=list)
    url: str = ""


def my_work(user, today: dt.date | None = None) -> tuple[list[WorkItem], list[ModuleCount]]:
    """(every item due or overdue, nearest deadline first; a count per register)."""
    items = registers.worklist_for(user, today)
    counts: dict[str, ModuleCount] = {}
    for item in items:
        count = counts.get(item.module)
        if count is None:
            records_url = permissions.MODULE_LINKS.get(item.module, ("", ""))[0]
            count = counts[item.module] = ModuleCount(
                module=item.module,
                label=permissions.MODULES.get(item.module, item.module),
                url=reverse(records_url) if records_url else "",
            )
        if item.overdue:
            count.overdue += 1
        else:
            count.due += 1
    ordered = sorted(counts.values(), key=lambda c: (-c.overdue, -c.due, c.label))
    return items, ordered


def key_figures(user) -> list[KeyFigures]:
    """The declared key figures of each register where the user only reads figures."""
    from .register_views import default_year

    out = []
    for reg in registers.REGISTERS.values():
        if reg.figures is None or not reg.figures.key:
            continue
        if permissions.role(user, reg.module) != "reader":
            continue
        year = default_year(reg)
        key = f"home:key:{reg.slug}:{year}"
        figures = cache.get(key)
        if figures is None:
            report = reg.figures.year_report(year)
            figures = [(k.label, *k.value(report)) for k in reg.figures.key]
            cache.set(key, figures, KEY_FIGURES_SECONDS)
        out.append(
            KeyFigures(
                label=reg.figures.label or reg.label,
                year=str(year),
                figures=figures,
                url=reverse(f"{reg.ns}:report") if reg.web_report else "",
            )
        )
    return out
