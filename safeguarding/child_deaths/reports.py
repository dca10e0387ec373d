"""Child death figures for a financial year, computed in the database.

year_report() is THE function behind the CLI report, the web page, the downloads and
the annual report. Keys are the issue 3 contract.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from safeguarding.core.codes import ETHNIC_GROUP_ORDER, ETHNIC_GROUPS, SEXES
from safeguarding.core.periods import FinancialYear

from .codes import AGE_BAND_CODES, CATEGORY_CODES, MODIFIABLE_CODES
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
    }
