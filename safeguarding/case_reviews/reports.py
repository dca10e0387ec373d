"""Case review figures for a financial year, computed in the database.

year_report() is THE function behind the CLI report, the web page, the downloads and
the annual report. Keys are the issue 6 contract. The statutory timescales count only the
clocks that applied (rules.py): before 29 June 2018 there was no Panel notification and no
rapid review clock, so those years show none due.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q

from safeguarding.actions.reports import year_figures
from safeguarding.core.clocks import Clock
from safeguarding.core.periods import FinancialYear

from . import rules
from .models import Referral, ReviewType, Theme
from .rules import NOTIFICATION, PANEL_BEGAN, RAPID_REVIEW


def _due_and_on_time(
    clock: Clock, due_field: str, done_field: str, start_field: str, year: FinancialYear
) -> dict[str, int]:
    """Clocks falling due in the year, and those done on or before the due date. Only the
    clocks that apply (core.clocks): a referral whose clock started before its rule took
    effect (a rapid review before 29 June 2018) is in neither figure."""
    in_year = Q(**{f"{due_field}__range": (year.start, year.end)}) & clock.applies_q(start_field)
    return Referral.objects.aggregate(
        due=Count("id", filter=in_year),
        on_time=Count("id", filter=in_year & Q(**{f"{done_field}__lte": F(due_field)})),
    )


def year_report(year: FinancialYear) -> dict[str, Any]:
    decisions = {code: 0 for code in ReviewType.objects.values_list("code", flat=True)}
    # (clock, due field, done field, start field): the start is the area's setting.
    starts = {c[0]: c for c in rules.clocks()}
    rows = (
        Referral.objects.filter(decision_date__range=(year.start, year.end), decision__isnull=False)
        .values("decision__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        decisions[row["decision__code"]] = row["n"]
    return {
        "referrals": Referral.objects.filter(referral_date__range=(year.start, year.end)).count(),
        "decisions": decisions,
        "notifications": _due_and_on_time(*starts[NOTIFICATION], year),
        "rapid_reviews": _due_and_on_time(*starts[RAPID_REVIEW], year),
        "published": Referral.objects.filter(published_date__range=(year.start, year.end)).count(),
        "actions": year_figures(year, source_module="case_reviews"),
    }


def themes_across_reviews(year: FinancialYear | None = None) -> list[dict]:
    """Learning themes with the number of reviews naming them (reviews active in the year:
    decided, started or published in it). Names of themes only: no personal data."""
    query = Q(referrals__isnull=False)
    if year:
        window = (year.start, year.end)
        query &= (
            Q(referrals__decision_date__range=window)
            | Q(referrals__review_start_date__range=window)
            | Q(referrals__published_date__range=window)
        )
    return list(
        Theme.objects.annotate(reviews=Count("referrals", filter=query, distinct=True))
        .filter(reviews__gt=0)
        .order_by("-reviews", "name")
        .values("name", "reviews")
    )


def report_context(year: FinancialYear) -> dict[str, Any]:
    """What the report page, the HTML export and the annual report show."""
    report = year_report(year)
    previous = year_report(year.previous())
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
        "themes": themes_across_reviews(year),
        "clocks_from": PANEL_BEGAN,
    }


def decisions_chart(year: FinancialYear) -> str:
    """The panel's decisions in the year beside the previous year's (SVG)."""
    from safeguarding.core.charts import bar_chart_svg

    this, before = year_report(year), year_report(year.previous())
    types = list(ReviewType.objects.values_list("code", "name"))
    return bar_chart_svg(
        title=f"Case review panel decisions {year.label}",
        categories=[name.split(" (")[0] for _, name in types],
        series={
            year.label: [this["decisions"].get(c, 0) for c, _ in types],
            year.previous().label: [before["decisions"].get(c, 0) for c, _ in types],
        },
        ylabel="Decisions",
    )
