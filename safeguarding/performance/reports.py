"""Performance figures for a period: THE function behind the CLI, dashboard and board pack.

Stored values come from one query for all indicators; computed indicators call the
owning module's reports.py through the register contract.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from safeguarding.core.periods import FinancialYear, Period

from . import rules
from .computed import YearReports, resolve
from .models import PERIOD_KIND, Benchmark, Indicator, IndicatorValue


def parse_period(text: str) -> Period:
    """A period the framework reports on: a month, quarter or year of a financial year the
    system knows (core.periods.FinancialYear's range), else ValueError naming the problem."""
    period = Period.parse(text)
    try:
        FinancialYear.parse(period.financial_year.label)
    except ValueError:
        raise ValueError(
            f"'{text.strip()}' is not in a financial year the system reports on"
        ) from None
    return period


def _earlier(make) -> Period | None:
    """The period before or a year before one (``make()``), or None before the first year
    the system knows: that figure is then simply not there to compare with."""
    try:
        return make()
    except ValueError:
        return None


def _periods_for(indicator_kind: str, period: Period) -> list[Period]:
    """The indicator's own periods that fall in (or contain) the requested period."""
    if indicator_kind == period.kind:
        return [period]
    if indicator_kind == "month":
        return period.months()
    if indicator_kind == "quarter":
        if period.kind == "year":
            return [
                Period.parse(f"{period.financial_year.start_year}-{q}")
                for q in ("Q1", "Q2", "Q3", "Q4")
            ]
        return [Period.parse(f"{period.financial_year.start_year}-{period.quarter}")]
    return [Period.parse(period.financial_year.label)]


def _number(value) -> float | int | None:
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral():
        return int(value)
    return float(rules.shown(value))


class _Values:
    """Stored values for a set of periods, fetched in one query."""

    def __init__(self, indicators, labels: set[str]):
        self.rows = {
            (v.indicator_id, v.period): v
            for v in IndicatorValue.objects.filter(indicator__in=indicators, period__in=labels)
        }

    def get(self, indicator, label):
        return self.rows.get((indicator.pk, label))


def _figure(indicator: Indicator, period: Period, values: _Values, reports: YearReports):
    """(value, numerator, denominator, commentary) for one indicator and one of its periods."""
    if indicator.source == "computed":
        num = resolve(indicator.computed_numerator, period, reports)
        den = resolve(indicator.computed_denominator, period, reports)
        raw = resolve(indicator.computed_value, period, reports)
        if raw is None and num is None:
            return None, None, None, ""
        return rules.derive(indicator.unit, raw, num, den), num, den, ""
    stored = values.get(indicator, period.label)
    if stored is None:
        return None, None, None, ""
    value = rules.derive(indicator.unit, stored.value, stored.numerator, stored.denominator)
    return value, stored.numerator, stored.denominator, stored.commentary


def _indicators(agency=None):
    indicators = Indicator.objects.filter(is_active=True).select_related("group", "owning_agency")
    if agency is not None:
        indicators = indicators.filter(owning_agency=agency)
    return list(indicators)


def indicator_rows(period: Period, agency=None) -> list[dict[str, Any]]:
    """Every active indicator's figures for the period (the dashboard's rows)."""
    indicators = _indicators(agency)
    labels: set[str] = set()
    own: dict[int, list[Period]] = {}
    for ind in indicators:
        mine = _periods_for(PERIOD_KIND[ind.frequency], period)
        own[ind.pk] = mine
        for p in mine:
            labels.add(p.label)
            for before in (_earlier(p.previous), _earlier(p.same_period_last_year)):
                if before is not None:
                    labels.add(before.label)
    values = _Values(indicators, labels)
    benchmarks: dict[tuple[int, str], dict[str, float]] = {}
    for b in Benchmark.objects.filter(indicator__in=indicators, year=period.financial_year.label):
        benchmarks.setdefault((b.indicator_id, b.year), {})[b.kind] = _number(b.value)
    reports = YearReports()
    rows = []
    for ind in indicators:
        series = {}
        latest = None
        for p in own[ind.pk]:
            figure = _figure(ind, p, values, reports)
            series[p.label] = _number(figure[0])
            if figure[0] is not None:
                latest = (p, figure)
        if latest is None:
            latest_period, (value, num, den, commentary) = own[ind.pk][-1], (None, None, None, "")
        else:
            latest_period, (value, num, den, commentary) = latest
        last_year_period = _earlier(latest_period.same_period_last_year)
        last_year = _figure(ind, last_year_period, values, reports)[0] if last_year_period else None
        rows.append(
            {
                "indicator": ind,
                "reference": ind.reference,
                "name": ind.name,
                "group": ind.group.name,
                "agency": ind.owning_agency.name,
                "frequency": ind.frequency,
                "unit": ind.unit,
                "period": latest_period.label,
                "value": _number(value),
                "numerator": _number(num),
                "denominator": _number(den),
                "values": series if len(series) > 1 else None,
                "target": _number(ind.target),
                "tolerance": _number(ind.tolerance),
                "polarity": ind.polarity,
                "rag": rules.rag(value, ind.target, ind.tolerance, ind.polarity),
                "variance": _number(rules.shown(value - ind.target))
                if value is not None and ind.target is not None
                else None,
                "same_period_last_year": _number(last_year),
                "change_percent": _number(rules.shown(rules.change_percent(value, last_year)))
                if value is not None
                else None,
                "benchmarks": {
                    "statistical_neighbours": benchmarks.get(
                        (ind.pk, period.financial_year.label), {}
                    ).get("statistical_neighbours"),
                    "england": benchmarks.get((ind.pk, period.financial_year.label), {}).get(
                        "england"
                    ),
                },
                "commentary": commentary,
            }
        )
    return rows


REPORT_KEYS = [
    "name",
    "group",
    "agency",
    "frequency",
    "unit",
    "period",
    "value",
    "numerator",
    "denominator",
    "values",
    "target",
    "tolerance",
    "polarity",
    "rag",
    "variance",
    "same_period_last_year",
    "change_percent",
    "benchmarks",
    "commentary",
]


def period_report(text: str) -> dict[str, Any]:
    """`safeguarding report performance --period 2016-Q1`: every indicator, keyed by reference."""
    period = parse_period(text)
    rows = indicator_rows(period)
    return {
        "period": period.label,
        "indicators": {row["reference"]: {k: row[k] for k in REPORT_KEYS} for row in rows},
        "rag": {
            c: sum(1 for r in rows if r["rag"] == c) for c in ("green", "amber", "red", "none")
        },
    }


def period_context(text_or_period) -> dict[str, Any]:
    period = (
        text_or_period if isinstance(text_or_period, Period) else parse_period(str(text_or_period))
    )
    rows = indicator_rows(period)
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row["group"], []).append(row)
    return {"period": period, "groups": groups, "rows": rows}


def trend(indicator: Indicator, periods: list[Period]) -> list[tuple[str, float | None]]:
    values = _Values([indicator], {p.label for p in periods})
    reports = YearReports()
    return [(p.label, _number(_figure(indicator, p, values, reports)[0])) for p in periods]


def recent_periods(kind: str, end: Period, count: int = 12) -> list[Period]:
    """The indicator's last `count` periods of its own kind, ending with the one in `end`."""
    current = _periods_for(kind, end)[-1]
    out = [current]
    while len(out) < count and (before := _earlier(out[-1].previous)) is not None:
        out.append(before)
    return list(reversed(out))
