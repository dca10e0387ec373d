"""LADO figures for a financial year, computed in the database.

year_report() is THE function behind the CLI report, the web page, the downloads and
the annual report. Keys are the issue 2 contract.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce, NullIf

from safeguarding.core.periods import FinancialYear

from .codes import EMPLOYER_SECTORS, OUTCOME_CODES, OUTCOMES, SECTOR_CODES
from .models import Case, Meeting


def _by_quarter(queryset, date_field: str, year: FinancialYear) -> dict[str, int]:
    aggregates = {
        q: Count("id", filter=Q(**{f"{date_field}__range": (first, last)}))
        for q, first, last in year.quarters()
    }
    in_year = Q(**{f"{date_field}__range": (year.start, year.end)})
    aggregates["total"] = Count("id")
    # The outer WHERE lets the database use the date index instead of scanning every year.
    return queryset.filter(in_year).aggregate(**aggregates)


def year_report(year: FinancialYear) -> dict[str, Any]:
    referrals = Case.objects.filter(threshold_met=True)
    in_year = referrals.filter(referral_date__range=(year.start, year.end))
    with_meeting = referrals.filter(Exists(Meeting.objects.filter(case=OuterRef("pk"))))

    outcome = Coalesce(NullIf("outcome", Value("")), Value("pending"))
    outcomes = {code: 0 for code in OUTCOME_CODES}
    by_sector = {sector: {code: 0 for code in OUTCOME_CODES} for sector in SECTOR_CODES}
    rows = (
        in_year.annotate(result=outcome)
        .values("employer_sector", "result")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        outcomes[row["result"]] += row["n"]
        by_sector[row["employer_sector"]][row["result"]] += row["n"]
    outcomes["total"] = sum(outcomes[c] for c in OUTCOME_CODES)
    for counts in by_sector.values():
        counts["total"] = sum(counts[c] for c in OUTCOME_CODES)

    return {
        "contacts": _by_quarter(Case.objects.all(), "contact_date", year),
        "referrals": _by_quarter(referrals, "referral_date", year),
        "strategy_meetings": _by_quarter(with_meeting, "referral_date", year),
        "substantiated": _by_quarter(
            referrals.filter(outcome="substantiated"), "referral_date", year
        ),
        "outcomes": outcomes,
        "outcomes_by_sector": by_sector,
    }


def open_case_ages(*, today) -> dict[str, int]:
    """Open referrals by age band against the resolution targets (for the worklist)."""
    from django.conf import settings

    from safeguarding.core.periods import add_months

    # SQL aliases cannot hold spaces: count under band_N, then name the bands.
    bands, names = {}, {}
    previous = None
    open_cases = Case.objects.filter(is_open=True, threshold_met=True)
    for i, (label, months, _share) in enumerate(settings.LADO_RESOLUTION_TARGETS):
        cutoff = add_months(today, -months)
        q = Q(referral_date__gte=cutoff)
        if previous is not None:
            q &= Q(referral_date__lt=previous)
        bands[f"band_{i}"], names[f"band_{i}"] = Count("id", filter=q), f"within {label}"
        previous = cutoff
    bands["older"], names["older"] = Count("id", filter=Q(referral_date__lt=previous)), "older"
    return {names[alias]: n for alias, n in open_cases.aggregate(**bands).items()}


def report_context(year: FinancialYear) -> dict[str, Any]:
    """What the report page, the HTML export and the annual report show."""
    report = year_report(year)
    previous = year_report(year.previous())
    sectors = [
        (code, label, report["outcomes_by_sector"][code], previous["outcomes_by_sector"][code])
        for code, label in EMPLOYER_SECTORS
        if report["outcomes_by_sector"][code]["total"]
        or previous["outcomes_by_sector"][code]["total"]
    ]
    return {
        "year": year,
        "previous_year": year.previous(),
        "report": report,
        "previous": previous,
        "outcome_labels": OUTCOMES,
        "sectors": sectors,
        "quarters": ["Q1", "Q2", "Q3", "Q4"],
    }


def outcomes_chart(year: FinancialYear) -> str:
    """Outcomes of the year's referrals beside the previous year's (SVG)."""
    from safeguarding.core.charts import bar_chart_svg

    this, before = year_report(year)["outcomes"], year_report(year.previous())["outcomes"]
    return bar_chart_svg(
        title=f"Outcomes of LADO referrals {year.label}",
        categories=[label.split(" (")[0] for _, label in OUTCOMES],
        series={
            year.label: [this[c] for c, _ in OUTCOMES],
            year.previous().label: [before[c] for c, _ in OUTCOMES],
        },
        ylabel="Referrals",
    )
