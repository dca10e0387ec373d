"""Child death figures for a financial year, computed in the database.

year_report() is THE function behind the CLI report, the web page, the downloads and
the annual report. Keys are the issue 3 contract. report_context() and the charts are what
the register (register.py) shows beside them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from safeguarding.core.codes import ETHNIC_GROUP_ORDER, ETHNIC_GROUPS, SEXES
from safeguarding.core.periods import FinancialYear

from .codes import (
    AGE_BAND_CODES,
    AGE_BANDS,
    CATEGORIES,
    CATEGORY_CODES,
    FACTOR_DOMAIN_CODES,
    FACTOR_DOMAINS,
    FACTOR_LEVEL_CODES,
    FACTOR_LEVELS,
    MODIFIABLE,
    MODIFIABLE_CODES,
)
from .models import Death


def _codes_of(group: str) -> list[str]:
    return [code for code, g in ETHNIC_GROUPS.items() if g == group]


def year_report(year: FinancialYear) -> dict[str, Any]:
    span = (year.start, year.end)
    totals = Death.objects.aggregate(
        notified=Count("id", filter=Q(notification_date__range=span)),
        reviewed=Count("id", filter=Q(review_date__range=span)),
        notified_to_date=Count("id", filter=Q(notification_date__lte=year.end)),
        reviewed_to_date=Count("id", filter=Q(review_date__lte=year.end)),
        # What the National Child Mortality Database asks, of the deaths notified in the year
        ncmd_child_protection_plan=Count(
            "id", filter=Q(notification_date__range=span, child_protection_plan_at_death=True)
        ),
        ncmd_looked_after=Count(
            "id", filter=Q(notification_date__range=span, looked_after_at_death=True)
        ),
        ncmd_notified=Count(
            "id", filter=Q(notification_date__range=span, ncmd_notified_date__isnull=False)
        ),
    )
    aggregates = {
        "n:expected": Count("id", filter=Q(expected=True)),
        "n:unexpected": Count("id", filter=Q(expected=False)),
        "n:bme": Count("id", filter=~Q(ethnicity__in=_codes_of("white") + _codes_of("not_known"))),
    }
    for band in AGE_BAND_CODES:
        aggregates[f"age:{band}"] = Count("id", filter=Q(age_band=band))
    for sex, _ in SEXES:
        aggregates[f"sex:{sex}"] = Count("id", filter=Q(sex=sex))
    for group in ETHNIC_GROUP_ORDER:
        aggregates[f"eth:{group}"] = Count("id", filter=Q(ethnicity__in=_codes_of(group)))
    for category in CATEGORY_CODES:
        aggregates[f"cat:{category}"] = Count("id", filter=Q(category=category))
    for answer in MODIFIABLE_CODES:
        aggregates[f"mod:{answer}"] = Count("id", filter=Q(modifiable_factors=answer))
    for domain in FACTOR_DOMAIN_CODES:  # the analysis form's domains; "" is not recorded
        for level in [*FACTOR_LEVEL_CODES, ""]:
            aggregates[f"{domain}:{level or 'not_recorded'}"] = Count(
                "id", filter=Q(**{domain: level})
            )
    figures = Death.objects.filter(review_date__range=span).aggregate(**aggregates)

    def part(prefix: str, keys) -> dict[str, int]:
        return {key: figures[f"{prefix}:{key}"] for key in keys}

    return {
        "notified": totals["notified"],
        "reviewed": totals["reviewed"],
        "expected": figures["n:expected"],
        "unexpected": figures["n:unexpected"],
        "age_at_death": part("age", AGE_BAND_CODES),
        "sex": part("sex", [s for s, _ in SEXES]),
        "ethnicity": part("eth", ETHNIC_GROUP_ORDER),
        "bme": figures["n:bme"],
        "category": part("cat", CATEGORY_CODES),
        "modifiable": part("mod", MODIFIABLE_CODES),
        "notified_to_date": totals["notified_to_date"],
        "reviewed_to_date": totals["reviewed_to_date"],
        # Of the deaths reviewed in the year, like "modifiable"
        "modifiable_factor_domains": {
            domain: part(domain, [*FACTOR_LEVEL_CODES, "not_recorded"])
            for domain in FACTOR_DOMAIN_CODES
        },
        # Of the deaths notified in the year, like "notified"
        "ncmd": {
            "child_protection_plan": totals["ncmd_child_protection_plan"],
            "looked_after": totals["ncmd_looked_after"],
            "notified": totals["ncmd_notified"],
        },
    }


# ---- the report page, the HTML export and the annual report --------------------------------

ETHNIC_LABELS = {
    "white": "White",
    "mixed": "Mixed",
    "asian": "Asian",
    "black": "Black",
    "other": "Other ethnic group",
    "not_known": "Not known",
}
ETHNIC_ROWS = [(group, ETHNIC_LABELS[group]) for group in ETHNIC_GROUP_ORDER]
SEX_ROWS = [("male", "Boys"), ("female", "Girls"), ("unknown", "Unknown")]


def _rows(report, previous, key, labels):
    return [(code, label, report[key][code], previous[key][code]) for code, label in labels]


LEVEL_ROWS = [*FACTOR_LEVELS, ("not_recorded", "Not recorded")]
NCMD_ROWS = [
    ("child_protection_plan", "Subject to a child protection plan at death"),
    ("looked_after", "Looked after at death"),
    ("notified", "Notified to the National Child Mortality Database"),
]


def _domain_rows(report, previous):
    """[(domain, label, rows)]: a table a domain, its rows as _rows() gives them."""
    this, before = report["modifiable_factor_domains"], previous["modifiable_factor_domains"]
    return [
        (
            domain,
            label,
            [(code, name, this[domain][code], before[domain][code]) for code, name in LEVEL_ROWS],
        )
        for domain, label in FACTOR_DOMAINS
    ]


def _first_year_of_life(report) -> int:
    ages = report["age_at_death"]
    return ages["under_28_days"] + ages["28_to_364_days"]


def report_context(year: FinancialYear) -> dict[str, Any]:
    """What the report page, the HTML export and the annual report show."""
    report = year_report(year)
    previous = year_report(year.previous())
    return {
        "year": year,
        "previous_year": year.previous(),
        "report": report,
        "previous": previous,
        "first_year": _first_year_of_life(report),
        "previous_first_year": _first_year_of_life(previous),
        "age_rows": _rows(report, previous, "age_at_death", AGE_BANDS),
        "sex_rows": _rows(report, previous, "sex", SEX_ROWS),
        "ethnicity_rows": _rows(report, previous, "ethnicity", ETHNIC_ROWS),
        "category_rows": _rows(report, previous, "category", CATEGORIES),
        "modifiable_rows": _rows(report, previous, "modifiable", MODIFIABLE),
        "factor_domain_rows": _domain_rows(report, previous),
        "ncmd_rows": _rows(report, previous, "ncmd", NCMD_ROWS),
    }


# ---- charts: report/<year>/<name>.svg ----------------------------------------------------------


def _chart(year: FinancialYear, key: str, title: str, labels, *, horizontal: bool = False) -> str:
    """One part of the year's reviews beside the previous year's (SVG)."""
    from safeguarding.core.charts import bar_chart_svg

    this, before = year_report(year)[key], year_report(year.previous())[key]
    return bar_chart_svg(
        title=f"{title} of deaths reviewed {year.label}",
        categories=[label.split(". ", 1)[-1] for _, label in labels],
        series={
            year.label: [this[c] for c, _ in labels],
            year.previous().label: [before[c] for c, _ in labels],
        },
        ylabel="Deaths reviewed",
        horizontal=horizontal,
    )


def age_chart(year: FinancialYear) -> str:
    return _chart(year, "age_at_death", "Age at death", AGE_BANDS)


def ethnicity_chart(year: FinancialYear) -> str:
    return _chart(year, "ethnicity", "Ethnicity", ETHNIC_ROWS)


def category_chart(year: FinancialYear) -> str:
    return _chart(year, "category", "Category of death", CATEGORIES, horizontal=True)
