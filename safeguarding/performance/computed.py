"""Computed indicators read other modules' figures through their registered reports.py.

A path is "register-slug:dotted.key" into that register's year report, with {month}
(e.g. 2016-04) and {quarter} (Q1..Q4, or "total" for a year) filled from the period.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.cache import cache

from safeguarding.core import registers
from safeguarding.core.periods import FinancialYear, Period

CACHE_SECONDS = 60


class YearReports:
    """Each register's year report computed at most once per request."""

    def __init__(self):
        self._cache: dict[tuple[str, int], dict[str, Any]] = {}

    def get(self, slug: str, year: FinancialYear) -> dict[str, Any]:
        key = (slug, year.start_year)
        if key not in self._cache:
            # Shared for a minute between requests too: a dashboard shows the same few
            # registers' years to every board member, and a minute's lag is harmless.
            self._cache[key] = cache.get_or_set(
                f"year-report:{slug}:{year.start_year}",
                lambda: registers.get(slug).year_report(year),
                CACHE_SECONDS,
            )
        return self._cache[key]


def resolve(path: str, period: Period, reports: YearReports) -> Decimal | None:
    if not path:
        return None
    slug, _, dotted = path.partition(":")
    dotted = dotted.format(
        month=period.label if period.kind == "month" else "", quarter=period.quarter or "total"
    )
    try:
        node: Any = reports.get(slug, period.financial_year)
    except KeyError:
        return None
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    if isinstance(node, dict):
        node = node.get("total")
    return Decimal(str(node)) if isinstance(node, int | float | Decimal) else None


def validate_path(path: str) -> str | None:
    """A message if the path names no register, else None."""
    if not path:
        return None
    slug, sep, dotted = path.partition(":")
    if not sep or not dotted:
        return "use the form register:figure.path, e.g. lado:referrals.{quarter}"
    if slug not in registers.REGISTERS or registers.REGISTERS[slug].year_report is None:
        return f"'{slug}' is not a register with a year report"
    return None
