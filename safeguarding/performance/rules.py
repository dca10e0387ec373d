"""Indicator arithmetic and RAG rating: the rules every figure on the dashboard follows."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Q

from safeguarding.core.clocks import Clock, Unit, declare

ONE_PLACE = Decimal("0.1")


# ---- the data return's clock (core.clocks) ------------------------------------------------
# An agency's data return is due PERFORMANCE_RETURN_WORKING_DAYS (15) working days after its
# period ends: the partnership's data-sharing agreement, a local rule with no statutory
# timescale and no date it began, so every return is held to it. Working days skip weekends
# and England and Wales bank holidays; the due date is the last day on time, and an open or
# sent-back return is late from the day after it.


def return_working_days() -> int:
    return int(getattr(settings, "PERFORMANCE_RETURN_WORKING_DAYS", 15))


DATA_RETURN = declare(
    Clock(
        name="Performance data return",
        start="the end of the period",
        end="the agency's submission of the return",
        source="local procedure: the partnership's data-sharing agreement",
        effective=None,
        length=return_working_days,
        unit=Unit.WORKING_DAYS,
    )
)


def return_due(period_end: dt.date) -> dt.date:
    """The due date of the return of a period ending on ``period_end``."""
    return DATA_RETURN.due(period_end)


def return_overdue_q(today: dt.date) -> Q:
    """``DATA_RETURN.overdue(due_date, today)`` in the database: due before today."""
    return Q(due_date__lt=today)


def child_population() -> Decimal:
    """Children under 18 in the area (ONS mid-year estimate): a setting."""
    return Decimal(str(getattr(settings, "PERFORMANCE_CHILD_POPULATION", 67600)))


def derive(unit: str, value, numerator, denominator) -> Decimal | None:
    """The indicator's value: percentages, rates and means come from their parts."""
    num = Decimal(numerator) if numerator is not None else None
    den = Decimal(denominator) if denominator is not None else None
    if unit == "percent" and num is not None and den:
        return num * 100 / den
    if unit == "rate_per_10000" and num is not None:
        return num * 10000 / (den or child_population())
    if unit == "mean" and num is not None and den:
        return num / den
    return Decimal(value) if value is not None else None


def shown(value) -> Decimal | None:
    """Rounded to one decimal place, half up, as every figure is shown."""
    if value is None:
        return None
    return Decimal(value).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def rag(value, target, tolerance, polarity: str) -> str:
    """green / amber / red against the target with the polarity applied; "none" without one.

    Amber is inclusive of the tolerance edge: a value exactly `tolerance` away is amber.
    The comparison uses the value as shown (one decimal place).
    """
    if value is None or target is None or polarity == "none":
        return "none"
    value, target, tolerance = shown(value), Decimal(target), Decimal(tolerance or 0)
    gap = value - target if polarity == "higher" else target - value
    if gap >= 0:
        return "green"
    if gap >= -tolerance:
        return "amber"
    return "red"


# What the board reads for each indicator: a RAG rating, or why there is none. "No data"
# (nothing approved for the period) and "No target" (a figure, but nothing to rate it
# against) are different things for a board, and never shown as one another.
RATINGS = {
    "red": "Red",
    "amber": "Amber",
    "green": "Green",
    "no_data": "No data",
    "no_target": "No target",
}


def rating(value, target, tolerance, polarity: str) -> str:
    """red / amber / green as ``rag()``; else "no_data" without a value and "no_target"
    with a value but no target (or a context-only indicator)."""
    if value is None:
        return "no_data"
    colour = rag(value, target, tolerance, polarity)
    return "no_target" if colour == "none" else colour


def value_problems(unit: str, value, numerator, denominator) -> list[tuple[str, str]]:
    problems = []
    for name, v in (("value", value), ("numerator", numerator), ("denominator", denominator)):
        if v is not None and Decimal(v) < 0:
            problems.append((name, "must not be negative"))
    if numerator is not None and denominator is not None:
        if Decimal(denominator) == 0 and unit in ("percent", "mean"):
            problems.append(("denominator", "must be more than 0"))
        elif unit == "percent" and Decimal(numerator) > Decimal(denominator):
            problems.append(("numerator", "must not be more than the denominator"))
    if unit == "percent" and value is not None and not 0 <= Decimal(value) <= 100:
        problems.append(("value", "a percentage must be between 0 and 100"))
    if unit == "count" and value is not None and Decimal(value) != Decimal(value).to_integral():
        problems.append(("value", "a count must be a whole number"))
    if value is None and numerator is None:
        problems.append(("value", "enter a value, or a numerator and denominator"))
    if (
        unit in ("percent", "mean")
        and value is None
        and numerator is not None
        and denominator is None
    ):
        problems.append(("denominator", "enter the denominator too"))
    return problems


def change_percent(current, previous) -> Decimal | None:
    """Year-on-year change as a percentage of the previous value."""
    if current is None or previous in (None, 0):
        return None
    return (Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)
