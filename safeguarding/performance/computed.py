"""Computed indicators read other modules' figures through their registered reports.py.

A path is "register-slug:dotted.key" into that register's year report, with {month}
(e.g. 2016-04) and {quarter} (Q1..Q4, or "total" for a year) filled from the period.

A register's year report aggregates a whole year of its records: at ten years of a large
partnership, the two years a dashboard compares cost over a second. So the dashboard reads
each computed indicator's figures for the periods it shows from stored period values
(``ComputedValue``, ``stored_figures``): one query, whatever the records behind them. A
figure never stored (or stored for another version of the indicator) is computed in the
request and stored; one older than ``STORED_SECONDS`` is shown and recomputed in the
background (``refresh_computed``), so a figure lags its register by about as long as the
year reports' shared cache let it before. The command line computes afresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from safeguarding.core import registers
from safeguarding.core.periods import FinancialYear, Period

CACHE_SECONDS = 60
STORED_SECONDS = CACHE_SECONDS


class YearReports:
    """Each register's year report computed at most once per request."""

    def __init__(self, *, shared: bool = True):
        self._cache: dict[tuple[str, int], dict[str, Any]] = {}
        self.shared = shared  # False: computed afresh, not from the shared cache

    def get(self, slug: str, year: FinancialYear) -> dict[str, Any]:
        key = (slug, year.start_year)
        if key not in self._cache and not self.shared:
            self._cache[key] = registers.get(slug).year_report(year)
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


Figures = tuple[Decimal | None, Decimal | None, Decimal | None]  # value, numerator, denominator


def figures(indicator, period: Period, reports: YearReports) -> Figures:
    """The register's figures for a computed indicator's period, as its paths name them."""
    num = resolve(indicator.computed_numerator, period, reports)
    den = resolve(indicator.computed_denominator, period, reports)
    raw = resolve(indicator.computed_value, period, reports)
    return raw, num, den


def _text(number: Decimal | None) -> str:
    return "" if number is None else str(number)


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def store(
    pairs: Iterable[tuple[Any, Period]], reports: YearReports
) -> dict[tuple[int, str], Figures]:
    """Compute the (indicator, period) pairs' figures and store them (one upsert)."""
    from .models import ComputedValue

    now, out, rows = timezone.now(), {}, []
    for indicator, period in pairs:
        found = figures(indicator, period, reports)
        out[(indicator.pk, period.label)] = found
        raw, num, den = map(_text, found)
        rows.append(
            ComputedValue(
                indicator_id=indicator.pk,
                period=period.label,
                indicator_version=indicator.version,
                value=raw,
                numerator=num,
                denominator=den,
                computed_at=now,
                refresh_queued_at=None,
            )
        )
    if rows:
        ComputedValue.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["indicator", "period"],
            update_fields=[
                "indicator_version",
                "value",
                "numerator",
                "denominator",
                "computed_at",
                "refresh_queued_at",
            ],
        )
    return out


def stored_figures(
    pairs: Iterable[tuple[Any, Period]], *, fresh: bool = False
) -> dict[tuple[int, str], Figures]:
    """Computed indicators' figures for the (indicator, period) pairs a page shows, keyed
    by (indicator id, period label), from their stored period values in one query.
    ``fresh``: every one computed now (and stored), as the command line reports."""
    from .models import ComputedValue

    wanted = {(ind.pk, p.label): (ind, p) for ind, p in pairs if ind.source == "computed"}
    if not wanted:
        return {}
    if fresh:
        return store(wanted.values(), YearReports(shared=False))
    stored = {
        (row.indicator_id, row.period): row
        for row in ComputedValue.objects.filter(
            indicator__in={pk for pk, _label in wanted}, period__in={label for _pk, label in wanted}
        )
    }
    cutoff = timezone.now() - dt.timedelta(seconds=STORED_SECONDS)
    out, missing, stale = {}, [], []
    for key, (indicator, period) in wanted.items():
        row = stored.get(key)
        if row is None or row.indicator_version != indicator.version:
            missing.append((indicator, period))
            continue
        out[key] = (_decimal(row.value), _decimal(row.numerator), _decimal(row.denominator))
        if row.computed_at < cutoff:
            stale.append(row.pk)
    if missing:
        out.update(store(missing, YearReports()))
    if stale:
        _queue_refresh(stale, cutoff)
    return out


def _queue_refresh(ids: list[int], cutoff: dt.datetime) -> None:
    """One background refresh of stale rows per STORED_SECONDS, whichever process asks:
    the rows are claimed (refresh_queued_at) before the task is queued."""
    from .models import ComputedValue

    claimed = (
        ComputedValue.objects.filter(pk__in=ids)
        .filter(Q(refresh_queued_at__isnull=True) | Q(refresh_queued_at__lt=cutoff))
        .update(refresh_queued_at=timezone.now())
    )
    if claimed:
        keys = ComputedValue.objects.filter(pk__in=ids).values_list("indicator_id", "period")
        refresh_computed.enqueue([[pk, label] for pk, label in keys])


@task()
def refresh_computed(keys: list[list]) -> int:
    """Recompute and store computed indicators' figures ([[indicator id, period], ...])
    from their registers' year reports, afresh."""
    from .models import Indicator

    indicators = Indicator.objects.in_bulk({pk for pk, _label in keys})
    pairs = [
        (indicators[pk], Period.parse(label))
        for pk, label in keys
        if pk in indicators and indicators[pk].source == "computed"
    ]
    return len(store(pairs, YearReports(shared=False)))
