"""The periods a user chooses from (never types): months, quarters and financial years from
the earliest value or return the framework holds to the current period, newest first.

Every select of a period in the module (dashboard, indicator page, returns, benchmarks)
is made here, so they all offer the same periods and name them the same way.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Min

from safeguarding.core.periods import FinancialYear, Period

from .models import PERIOD_KIND, DataReturn, IndicatorValue

FIRST_YEAR = FinancialYear.parse("1990-91")
KIND_GROUPS = {"quarter": "Quarters", "month": "Months", "year": "Financial years"}
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def period_name(period: Period) -> str:
    """The period in words: "April 2016", "Q1 2016-17 (April to June 2016)", "2016-17"."""
    if period.kind == "month":
        return f"{MONTHS[period.start.month - 1]} {period.start.year}"
    if period.kind == "quarter":
        first, last = period.start, period.end
        span = f"{MONTHS[first.month - 1]} to {MONTHS[last.month - 1]} {last.year}"
        return f"{period.quarter} {period.financial_year} ({span})"
    return f"{period.label}"


def current(kind: str, today: dt.date | None = None) -> Period:
    """The month, quarter or financial year that today falls in."""
    today = today or dt.date.today()
    month = Period.parse(f"{today.year}-{today.month:02d}")
    if kind == "month":
        return month
    year = month.financial_year
    if kind == "quarter":
        return Period.parse(f"{year.start_year}-{month.quarter}")
    return Period.parse(year.label)


def earliest_start() -> dt.date | None:
    """The first day of the earliest period a value or a return is held for.

    Read through the period indexes: the lowest label gives the earliest calendar year
    (every label starts with one), then that year's few distinct labels are compared."""
    starts = []
    for model in (IndicatorValue, DataReturn):
        lowest = model.objects.aggregate(p=Min("period"))["p"]
        if not lowest:
            continue
        labels = (
            model.objects.filter(period__startswith=lowest[:4])
            .order_by()
            .values_list("period", flat=True)
            .distinct()
        )
        for label in labels:
            try:
                starts.append(Period.parse(label).start)
            except ValueError:  # not a period: nothing to offer for it
                continue
    return min(starts) if starts else None


def periods_of(kind: str, first: dt.date, last: Period) -> list[Period]:
    """The periods of a kind from the one containing ``first`` to ``last``, newest first."""
    period, out = last, []
    while period.end >= first:
        out.append(period)
        try:
            period = period.previous()
        except ValueError:  # before the first financial year the system knows
            break
    return out


def _first_day(today: dt.date) -> dt.date:
    """From the earliest data, and at least the previous financial year (to enter last
    year's figures in a new system)."""
    floor = FinancialYear.containing(today).previous().start
    found = earliest_start()
    # Never before the first financial year the system reports on (an imported 1900-04
    # would otherwise offer a thousand months).
    return max(min(found, floor) if found else floor, FIRST_YEAR.start)


def grouped(
    kinds, *, selected: Period | None = None, today: dt.date | None = None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(group label, [(value, text), ...]), ...] for a select with one optgroup per kind.

    A period asked for outside the range (a link to 1990-Q1, say) is offered too, so the
    select shows what the page shows."""
    today = today or dt.date.today()
    first = _first_day(today)
    groups = []
    for kind in KIND_GROUPS:
        if kind not in kinds:
            continue
        last = current(kind, today)
        options = periods_of(kind, first, last)
        if selected is not None and selected.kind == kind:
            if selected.start < first:
                options = periods_of(kind, selected.start, last)
            elif selected.start > last.start:
                options = periods_of(kind, first, selected)
        groups.append((KIND_GROUPS[kind], [(p.label, period_name(p)) for p in options]))
    return groups


def flat(groups) -> list[tuple[str, str]]:
    return [option for _label, options in groups for option in options]


def for_dashboard(selected: Period | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    return grouped(KIND_GROUPS, selected=selected)


def for_indicator(indicator, selected: Period | None = None):
    """The indicator's own periods only: a monthly indicator's trend ends in a month."""
    return grouped({PERIOD_KIND[indicator.frequency]}, selected=selected)


def financial_years(selected: str | None = None) -> list[tuple[str, str]]:
    """Financial years, newest first: a benchmark is published for one."""
    chosen = None
    if selected:
        try:
            chosen = Period.parse(selected)
        except ValueError:
            chosen = None
    return flat(grouped({"year"}, selected=chosen if chosen and chosen.kind == "year" else None))


def labels(groups) -> set[str]:
    return {value for value, _text in flat(groups)}
