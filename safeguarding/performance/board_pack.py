"""The board pack: what a partnership board reads for a period, as one PDF.

1. a cover: the partnership, the period, its financial year;
2. the RAG summary (red, amber, green, no data, no target) and every indicator with its
   rating, target and benchmarks, from approved figures only;
3. every register's figures for the period's financial year: its declared key figures
   (``Figures.key``, where it has them), then its chapter of the annual report (the tables
   of ``core.registers.chapters()``) with its charts drawn in as SVG images, each beside
   the table of the same figures;
4. the overdue actions (the actions module's ``action_list(due="overdue")``).

Bounded in time: each register's figures are one year's (and the year before's) rows,
aggregated in the database; the charts are cached by their content; at most
``ACTIONS_LISTED`` actions are listed.

What a user sees follows their grants: a register's chapter only with its figures
(``view_figures``), the list of overdue actions only with access to action plans
(``list_records``: contributors see their agency's, the business unit all) and otherwise
the overdue count by agency, as on the actions figures page (no descriptions or owners).
``user=None`` is the command line (``safeguarding report performance --period ...
--format html``): the system's operator, every chapter and every overdue action.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from safeguarding.core import permissions, registers
from safeguarding.core.periods import Period

from . import choices, reports, rules

ACTIONS_LISTED = 100


def svg_data_uri(svg: str) -> str:
    """An SVG chart as an image source WeasyPrint draws without fetching anything."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _own_anchors(html: str, slug: str) -> str:
    """Each chapter's ids (every tables template has its "table-1") made its own."""
    html = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{slug}-{m.group(1)}"', html)
    return re.sub(r'href="#([^"]+)"', lambda m: f'href="#{slug}-{m.group(1)}"', html)


def _may(user, action: str, module: str) -> bool:
    return user is None or permissions.has_permission(user, action, module)


def register_chapters(year, *, user) -> tuple[list[dict[str, Any]], list[str]]:
    """([{"title", "slug", "key", "html"}, ...], titles left out for want of a grant): each
    register's key figures, and its tables for the year with its charts in them, as the
    annual report has it."""
    shown, left_out = [], []
    for reg, chapter in registers.chapters():
        if not _may(user, "view_figures", reg.module):
            left_out.append(chapter.title)
            continue
        context = dict(chapter.context(year))
        # The tables templates place each chart after the table of its figures.
        context["chart_urls"] = {
            chart.name: svg_data_uri(chart.svg(year)) for chart in reg.figures.charts
        }
        html = render_to_string(chapter.template, context)
        # The register's declared headline figures (Figures.key), when it has any.
        key = getattr(reg.figures, "key", ())
        headline = []
        if key:
            report = reg.figures.year_report(year)
            headline = [(k.label, *k.value(report)) for k in key]
        shown.append(
            {
                "title": chapter.title,
                "slug": reg.slug,
                "key": headline,
                # Our own templates, autoescaped: safe to place in the pack as they are.
                "html": mark_safe(_own_anchors(html, reg.slug)),
            }
        )
    return shown, left_out


def overdue_actions(*, user, agency=None, today: dt.date | None = None) -> dict[str, Any]:
    """The overdue actions the user may see: {"access": "list"|"counts"|"none", ...}."""
    from safeguarding.actions import queries as action_queries
    from safeguarding.actions import reports as action_reports
    from safeguarding.actions.models import Action

    today = today or dt.date.today()
    if user is None:
        found = Action.objects.filter(action_queries.overdue_q(today))
        if agency is not None:
            found = found.filter(owning_agency=agency)
        found = found.select_related("owning_agency").order_by("due_date", "id")
    elif permissions.has_permission(user, "list_records", "actions"):
        found = action_queries.action_list(
            user=user, due="overdue", agency_id=agency.pk if agency else None, today=today
        )
    elif permissions.has_permission(user, "view_figures", "actions"):
        summary = action_reports.current_summary(today=today)
        agencies = [
            row
            for row in summary["agencies"]
            if row["overdue"] and (agency is None or row["owning_agency__name"] == agency.name)
        ]
        return {
            "access": "counts",
            "total": sum(row["overdue"] for row in agencies),
            "agencies": agencies,
        }
    else:
        return {"access": "none"}
    listed = [
        {
            "reference": a.reference,
            "title": a.description,
            "source": a.source_label,
            "agency": a.owning_agency.name,
            "due": a.due_date,
            "days_overdue": (today - a.due_date).days,
        }
        for a in found[:ACTIONS_LISTED]
    ]
    total = len(listed) if len(listed) < ACTIONS_LISTED else found.count()
    return {"access": "list", "total": total, "actions": listed}


def board_pack_context(
    period: Period, *, user, agency=None, today: dt.date | None = None
) -> dict[str, Any]:
    today = today or dt.date.today()
    # Never the values awaiting approval: the board reads approved figures only.
    rows = reports.indicator_rows(period, agency=agency)
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row["group"], []).append(row)
    year = period.financial_year
    chapters, left_out = register_chapters(year, user=user)
    return {
        "partnership_name": settings.PARTNERSHIP_NAME,
        "period": period,
        "period_name": choices.period_name(period),
        "year": year,
        "agency": agency,
        "rows": rows,
        "groups": groups,
        "rag_counts": reports.rating_counts(rows),
        "ratings": rules.RATINGS,
        "chapters": chapters,
        "chapters_left_out": left_out,
        "actions": overdue_actions(user=user, agency=agency, today=today),
        "today": today,
    }


def board_pack_html(period: Period, *, user, agency=None, today: dt.date | None = None) -> str:
    return render_to_string(
        "performance/report_body.html",
        board_pack_context(period, user=user, agency=agency, today=today),
    )
