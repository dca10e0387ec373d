"""LADO figures for a financial year, computed in the database.

year_report() is THE function behind the CLI report, the web page, the downloads and
the annual report. Keys are the issue 2 contract.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Case as Choose
from django.db.models import CharField, Count, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, NullIf

from safeguarding.core.periods import FinancialYear

from .codes import EMPLOYER_SECTORS, FINAL_OUTCOMES, OUTCOME_CODES, OUTCOMES, SECTOR_CODES
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
        "resolution": resolution(year),
    }


# The older guidance's targets (domain.md), when settings.py gives none.
DEFAULT_TARGETS = [("one month", 1, 80), ("three months", 3, 90), ("twelve months", 12, 100)]


def resolution_targets() -> list[tuple[str, str, int, int]]:
    """(key, label, months, target %) for each of LADO_RESOLUTION_TARGETS: "within_1_month",
    "within_3_months", "within_12_months" with the settings as they are."""
    return [
        (f"within_{months}_month{'' if months == 1 else 's'}", label, months, share)
        for label, months, share in getattr(settings, "LADO_RESOLUTION_TARGETS", DEFAULT_TARGETS)
    ]


def resolution(year: FinancialYear) -> dict[str, Any]:
    """Referrals of the year by quarter of referral, and how many of them were concluded
    (a final outcome with its date) within each resolution target, counted in the
    database.

    "Within n months" means the outcome date is on or before the referral date plus n
    calendar months (core.periods.add_months: the same day of the month, or the month's
    last day when it has no such day; 31 January + 1 month = 28/29 February), as the case
    page's clock (Case.resolution_targets) counts it. The targets are cumulative (within 3
    months includes within 1); "over_12_months" are concluded after the last target;
    "not_concluded" are still pending. Each count has its share of the quarter's referrals
    (``_pct``, one decimal place; None for a quarter without referrals), and ``targets``
    gives the target share for each (LADO_RESOLUTION_TARGETS: 80, 90, 100).
    """
    targets = resolution_targets()
    last = targets[-1][2] if targets else 0
    over = f"over_{last}_month{'' if last == 1 else 's'}"
    # span: the fewest whole calendar months after the referral date that the outcome date
    # is on or before. Outcome in month m + k of a referral in month m: k months when its
    # day of the month is not after the referral's (add_months clips to the month's last
    # day, which never comes before the outcome's day), k + 1 when it is.
    months = (ExtractYear("outcome_date") - ExtractYear("referral_date")) * 12 + (
        ExtractMonth("outcome_date") - ExtractMonth("referral_date")
    )
    span = months + Choose(
        When(Q(outcome_day__gt=F("referral_day")), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    concluded = Q(outcome__in=FINAL_OUTCOMES, outcome_date__isnull=False)
    quarters = list(year.quarters())
    quarter = Choose(
        *[When(referral_date__lte=last_day, then=Value(q)) for q, _first, last_day in quarters],
        output_field=CharField(),
    )
    # One grouped pass: each case's quarter, whether it is concluded and its span computed
    # once per row (SQLite's date parts are Python functions: 20 filtered counts each
    # repeating them cost ten times as much), then the few groups summed here.
    rows = (
        Case.objects.filter(threshold_met=True, referral_date__range=(year.start, year.end))
        .annotate(outcome_day=ExtractDay("outcome_date"), referral_day=ExtractDay("referral_date"))
        .values(
            quarter=quarter,
            concluded=Choose(When(concluded, then=Value(1)), default=Value(0)),
            span=span,
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    periods = [q for q, _first, _last in quarters] + ["total"]
    figures = {f"{q}|{key}": 0 for q in periods for key in ("referrals", "concluded", over)}
    figures.update({f"{q}|{key}": 0 for q in periods for key, _l, _n, _s in targets})
    for row in rows:
        for q in (row["quarter"], "total"):
            figures[f"{q}|referrals"] += row["n"]
            if not row["concluded"]:
                continue
            figures[f"{q}|concluded"] += row["n"]
            for key, _label, n, _share in targets:
                if row["span"] <= n:
                    figures[f"{q}|{key}"] += row["n"]
            if row["span"] > last:
                figures[f"{q}|{over}"] += row["n"]
    out: dict[str, Any] = {}
    for q in periods:
        referrals = figures[f"{q}|referrals"]
        row: dict[str, Any] = {"referrals": referrals}
        for key in [t[0] for t in targets] + [over]:
            row[key] = figures[f"{q}|{key}"]
        row["not_concluded"] = referrals - figures[f"{q}|concluded"]
        for key in [t[0] for t in targets] + [over, "not_concluded"]:
            row[f"{key}_pct"] = round(100 * row[key] / referrals, 1) if referrals else None
        out[q] = row
    out["targets"] = {key: share for key, _label, _n, share in targets}
    return out


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
        "resolution_targets": resolution_targets(),
        "resolution_over": _over_key(),
        "resolution_over_label": (resolution_targets() or [("", "")])[-1][1],
    }


def _over_key() -> str:
    targets = resolution_targets()
    last = targets[-1][2] if targets else 0
    return f"over_{last}_month{'' if last == 1 else 's'}"


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
