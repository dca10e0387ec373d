"""Performance figures for a period: THE function behind the CLI, dashboard and board pack.

Stored values come from one query for all indicators; computed indicators call the
owning module's reports.py through the register contract.

Only approved figures are reported: a value entered in an agency's return counts once the
business unit has approved that return (a value the business unit entered or imported
with no return counts as entered). Values of returns submitted and not yet approved are
listed apart (``awaiting_approval``), for the business unit only, and never rated.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Q

from safeguarding.core.periods import FinancialYear, Period

from . import computed, rules
from .computed import YearReports
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


# A value that reaches readers and the board: its return approved, or entered by the
# business unit with no return. Open, sent-back and submitted returns' values do not.
APPROVED = Q(data_return__isnull=True) | Q(data_return__status="approved")


class _Values:
    """Approved stored values for a set of periods, fetched in one query, and computed
    indicators' stored figures for the (indicator, period) pairs shown (``computed``:
    one query too, whatever the years of records behind them)."""

    def __init__(self, indicators, labels: set[str], computed_pairs=(), *, fresh=False):
        self.rows = {
            (v.indicator_id, v.period): v
            for v in IndicatorValue.objects.filter(
                APPROVED, indicator__in=indicators, period__in=labels
            )
        }
        self.computed = computed.stored_figures(computed_pairs, fresh=fresh)

    def get(self, indicator, label):
        return self.rows.get((indicator.pk, label))


def _figure(indicator: Indicator, period: Period, values: _Values, reports: YearReports):
    """(value, numerator, denominator, commentary) for one indicator and one of its periods."""
    if indicator.source == "computed":
        found = values.computed.get((indicator.pk, period.label))
        if found is None:  # a period not asked for ahead: from the registers
            found = computed.figures(indicator, period, reports)
        raw, num, den = found
        if raw is None and num is None:
            return None, None, None, ""
        return rules.derive(indicator.unit, raw, num, den), num, den, ""
    stored = values.get(indicator, period.label)
    if stored is None:
        return None, None, None, ""
    value = rules.derive(indicator.unit, stored.value, stored.numerator, stored.denominator)
    return value, stored.numerator, stored.denominator, stored.commentary


def awaiting_approval(indicators, labels) -> dict[tuple[int, str], float | int | None]:
    """Values of returns submitted and not yet approved, keyed by (indicator id, period):
    what the business unit is about to approve. Never rated, never shown to readers."""
    units = {ind.pk: ind.unit for ind in indicators}
    return {
        (v.indicator_id, v.period): _number(
            rules.derive(units[v.indicator_id], v.value, v.numerator, v.denominator)
        )
        for v in IndicatorValue.objects.filter(
            indicator__in=list(units), period__in=labels, data_return__status="submitted"
        )
    }


def _indicators(agency=None):
    indicators = Indicator.objects.filter(is_active=True).select_related("group", "owning_agency")
    if agency is not None:
        indicators = indicators.filter(owning_agency=agency)
    return list(indicators)


class Aggregate(NamedTuple):
    """An indicator's figure for a period: ``period`` is what it stands for (the period
    asked for, or the one of the indicator's own periods it comes from when nothing is
    aggregated); ``aggregation`` says how it was made from the indicator's own periods
    (None: one period, nothing to aggregate); ``missing`` lists own periods without an
    approved value."""

    period: Period
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    commentary: str
    aggregation: str | None
    missing: list[str]


def _commentary(present) -> str:
    texts = [(p, f[3]) for p, f in present if f[3]]
    if len(texts) == 1:
        return texts[0][1]
    return "\n".join(f"{p.label}: {text}" for p, text in texts)


def _aggregate(indicator: Indicator, period: Period, values: _Values, reports) -> Aggregate:
    """The indicator's figure for ``period`` from its approved values of its own frequency
    inside it (``Indicator.aggregation``):

    - sum: the values added up (a count of a quarter is its three months' counts);
    - ratio: numerators added up over denominators added up (a percentage or mean of a
      year is never an average of percentages); a rate per 10,000 takes the denominator
      (the child population) of the latest period, or the population setting;
    - snapshot: the value of the last own period, which ends with the period (children
      looked after on 31 March); none if that one is missing;
    - latest: the latest value given in the period, which then stands for its own period.

    Periods without an approved value are left out of a sum or ratio and listed as
    ``missing`` (a year to date adds up what there is). A ratio of values given only as a
    figure, without their numerators and denominators, cannot be recomputed: the latest
    value is shown for its own period instead (``aggregation`` says "latest").
    A yearly indicator asked for a quarter or month gives its year's figure, for that year.
    """
    own = _periods_for(PERIOD_KIND[indicator.frequency], period)
    figures = [(p, _figure(indicator, p, values, reports)) for p in own]
    present = [(p, f) for p, f in figures if f[0] is not None]
    missing = [p.label for p, f in figures if f[0] is None]
    if len(own) == 1:
        p, (value, num, den, commentary) = figures[0]
        return Aggregate(p, value, num, den, commentary, None, [])
    how = indicator.aggregation
    if how == "ratio" and any(f[1] is None for _p, f in present):
        how = "latest"
    if how == "latest":
        if not present:
            return Aggregate(period, None, None, None, "", how, missing)
        p, (value, num, den, commentary) = present[-1]
        return Aggregate(p, value, num, den, commentary, how, [])
    if how == "snapshot":
        last, (value, num, den, commentary) = figures[-1]
        gap = [] if value is not None else [last.label]
        return Aggregate(period, value, num, den, commentary, how, gap)
    if not present:
        return Aggregate(period, None, None, None, "", how, missing)
    commentary = _commentary(present)
    if how == "sum":
        total = sum((Decimal(f[0]) for _p, f in present), Decimal(0))
        return Aggregate(period, total, None, None, commentary, how, missing)
    num = sum((Decimal(f[1]) for _p, f in present), Decimal(0))
    if indicator.unit == "rate_per_10000":
        den = present[-1][1][2]
    else:
        dens = [f[2] for _p, f in present]
        den = None if any(d is None for d in dens) else sum(map(Decimal, dens), Decimal(0))
    value = rules.derive(indicator.unit, None, num, den)
    return Aggregate(period, value, num, den, commentary, how, missing)


def indicator_rows(
    period: Period, agency=None, *, pending: bool = False, fresh: bool = False
) -> list[dict[str, Any]]:
    """Every active indicator's figures for the period (the dashboard's rows), from approved
    values, each aggregated for the period asked for (``_aggregate``) and rated on that
    figure. ``pending``: each row also lists its values awaiting approval (for the
    business unit; they set no rating). Only the periods shown are read: the indicator's
    own periods in the one asked for, and in the same period a year before. Computed
    indicators come from their stored period values (``computed.stored_figures``);
    ``fresh``: from their registers now."""
    indicators = _indicators(agency)
    labels: set[str] = set()
    own: dict[int, list[Period]] = {}
    pairs: list[tuple[Indicator, Period]] = []
    last_year_asked = _earlier(period.same_period_last_year)
    for ind in indicators:
        kind = PERIOD_KIND[ind.frequency]
        mine = _periods_for(kind, period)
        own[ind.pk] = mine
        for p in mine:
            labels.add(p.label)
            for before in (_earlier(p.previous), _earlier(p.same_period_last_year)):
                if before is not None:
                    labels.add(before.label)
        if ind.source == "computed":
            # Its figure stands for the period asked for or one of its own periods
            # (_aggregate): the same periods a year before are compared with.
            shown = {p.label: p for p in mine}
            for p in mine:
                if (before := _earlier(p.same_period_last_year)) is not None:
                    shown[before.label] = before
            if last_year_asked is not None:
                shown.update((p.label, p) for p in _periods_for(kind, last_year_asked))
            pairs += [(ind, p) for p in shown.values()]
    values = _Values(indicators, labels, pairs, fresh=fresh)
    benchmarks: dict[tuple[int, str], dict[str, float]] = {}
    for b in Benchmark.objects.filter(indicator__in=indicators, year=period.financial_year.label):
        benchmarks.setdefault((b.indicator_id, b.year), {})[b.kind] = _number(b.value)
    reports = YearReports()
    waiting = awaiting_approval(indicators, labels) if pending else {}
    rows = []
    for ind in indicators:
        series = {p.label: _number(_figure(ind, p, values, reports)[0]) for p in own[ind.pk]}
        figure = _aggregate(ind, period, values, reports)
        value = figure.value
        last_year_period = _earlier(figure.period.same_period_last_year)
        last_year = (
            _aggregate(ind, last_year_period, values, reports).value if last_year_period else None
        )
        rows.append(
            {
                "indicator": ind,
                "reference": ind.reference,
                "name": ind.name,
                "group": ind.group.name,
                "agency": ind.owning_agency.name,
                "frequency": ind.frequency,
                "unit": ind.unit,
                "period": figure.period.label,
                "aggregation": figure.aggregation,
                "missing": figure.missing,
                "value": _number(value),
                "numerator": _number(figure.numerator),
                "denominator": _number(figure.denominator),
                "values": series if len(series) > 1 else None,
                "target": _number(ind.target),
                "tolerance": _number(ind.tolerance),
                "polarity": ind.polarity,
                "rag": rules.rag(value, ind.target, ind.tolerance, ind.polarity),
                "rating": rules.rating(value, ind.target, ind.tolerance, ind.polarity),
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
                "commentary": figure.commentary,
                "pending": [
                    {"period": p.label, "value": waiting[(ind.pk, p.label)]}
                    for p in own[ind.pk]
                    if (ind.pk, p.label) in waiting
                ],
            }
        )
    return rows


def rating_counts(rows) -> dict[str, int]:
    """How many indicators are red, amber, green, without data and without a target."""
    return {code: sum(1 for r in rows if r["rating"] == code) for code in rules.RATINGS}


REPORT_KEYS = [
    "name",
    "group",
    "agency",
    "frequency",
    "unit",
    "period",
    "aggregation",
    "missing",
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
    rows = indicator_rows(period, fresh=True)  # the operator's: computed figures afresh
    return {
        "period": period.label,
        "indicators": {
            row["reference"]: {
                **{k: row[k] for k in REPORT_KEYS},
                # One cell in the CSV too: "2016-05, 2016-06", or "" with none missing.
                "missing": ", ".join(row["missing"]),
            }
            for row in rows
        },
        "rag": {
            c: sum(1 for r in rows if r["rag"] == c) for c in ("green", "amber", "red", "none")
        },
    }


def period_context(text_or_period) -> dict[str, Any]:
    """The board pack for a period, as the command line prints it (``--format html``):
    every register's chapter and every overdue action (the command line is the
    system's operator, not a user with grants)."""
    from .board_pack import board_pack_context

    period = (
        text_or_period if isinstance(text_or_period, Period) else parse_period(str(text_or_period))
    )
    return board_pack_context(period, user=None)


def trend_rows(indicator: Indicator, periods: list[Period]) -> list[dict[str, Any]]:
    """The indicator's approved figure and its rating for each period."""
    values = _Values([indicator], {p.label for p in periods}, [(indicator, p) for p in periods])
    reports = YearReports()
    rows = []
    for p in periods:
        value = _figure(indicator, p, values, reports)[0]
        rows.append(
            {
                "period": p.label,
                "value": _number(value),
                "rating": rules.rating(
                    value, indicator.target, indicator.tolerance, indicator.polarity
                ),
            }
        )
    return rows


def trend(indicator: Indicator, periods: list[Period]) -> list[tuple[str, float | None]]:
    return [(row["period"], row["value"]) for row in trend_rows(indicator, periods)]


def recent_periods(kind: str, end: Period, count: int = 12) -> list[Period]:
    """The indicator's last `count` periods of its own kind, ending with the one in `end`."""
    current = _periods_for(kind, end)[-1]
    out = [current]
    while len(out) < count and (before := _earlier(out[-1].previous)) is not None:
        out.append(before)
    return list(reversed(out))
