"""Financial years (1 April - 31 March), their quarters and months."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

QUARTERS = ("Q1", "Q2", "Q3", "Q4")
MONTH_NAMES = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]


class YearOutOfRange(ValueError):
    """A year written correctly but outside 1990-2100: ``year`` is the year it names."""

    def __init__(self, message: str, year: FinancialYear):
        super().__init__(message)
        self.year = year


@dataclass(frozen=True, order=True)
class FinancialYear:
    start_year: int

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        """Accepts 2016-17, 2016/17, 2016-2017 or 2016."""
        text = (text or "").strip()
        m = re.fullmatch(r"(\d{4})(?:[-/](\d{2}|\d{4}))?", text)
        if not m:
            raise ValueError(f"'{text}' is not a financial year: use the form 2016-17")
        start = int(m.group(1))
        if m.group(2):
            end = int(m.group(2))
            if (end % 100) != (start + 1) % 100 or (len(m.group(2)) == 4 and end != start + 1):
                raise ValueError(f"'{text}' is not a financial year: the years must follow on")
        if not 1990 <= start <= 2100:
            raise YearOutOfRange(f"'{text}' is out of range", cls(start))
        return cls(start)

    @classmethod
    def containing(cls, day: dt.date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def current(cls) -> FinancialYear:
        return cls.containing(dt.date.today())

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    def __str__(self) -> str:
        return self.label

    @property
    def start(self) -> dt.date:
        return dt.date(self.start_year, 4, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.start_year + 1, 3, 31)

    def previous(self) -> FinancialYear:
        return FinancialYear(self.start_year - 1)

    def quarters(self) -> list[tuple[str, dt.date, dt.date]]:
        """[(Q1, first day, last day), ...]: Q1 is April-June."""
        out = []
        for i, q in enumerate(QUARTERS):
            first = _add_months(self.start, 3 * i)
            last = _add_months(first, 3) - dt.timedelta(days=1)
            out.append((q, first, last))
        return out

    def months(self) -> list[tuple[str, dt.date, dt.date]]:
        """[("2016-04", first day, last day), ...]."""
        out = []
        for i in range(12):
            first = _add_months(self.start, i)
            last = _add_months(first, 1) - dt.timedelta(days=1)
            out.append((f"{first.year}-{first.month:02d}", first, last))
        return out

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    return dt.date(day.year + month0 // 12, month0 % 12 + 1, 1)


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day of the month, clipped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def year_choices(first: int = 2010) -> list[tuple[str, str]]:
    current = FinancialYear.current().start_year
    return [(FinancialYear(y).label, FinancialYear(y).label) for y in range(current, first - 1, -1)]


@dataclass(frozen=True)
class Period:
    """A reporting period: a month (2016-04), a quarter of a financial year (2016-Q1 is
    April-June 2016) or a financial year (2016-17)."""

    kind: str  # month, quarter, year
    label: str
    start: dt.date
    end: dt.date

    @classmethod
    def parse(cls, text: str) -> Period:
        text = (text or "").strip()
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", text, flags=re.IGNORECASE):
            year = FinancialYear(int(m.group(1)))
            q, first, last = year.quarters()[int(m.group(2)) - 1]
            return cls("quarter", f"{year.start_year}-{q}", first, last)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
            a, b = int(m.group(1)), int(m.group(2))
            if 1 <= b <= 12 and (a + 1) % 100 != b:
                first = dt.date(a, b, 1)
                return cls("month", f"{a}-{b:02d}", first, _add_months(first, 1) - dt.timedelta(1))
        try:
            year = FinancialYear.parse(text)
        except ValueError:
            raise ValueError(
                f"'{text}' is not a period: use a month (2016-04), a quarter (2016-Q1) "
                "or a financial year (2016-17)"
            ) from None
        return cls("year", year.label, year.start, year.end)

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear.containing(self.start)

    @property
    def quarter(self) -> str | None:
        """Q1-Q4 of the financial year, for months and quarters."""
        if self.kind == "year":
            return None
        return QUARTERS[((self.start.month - 4) % 12) // 3]

    def previous(self) -> Period:
        if self.kind == "month":
            first = _add_months(self.start, -1)
            return Period.parse(f"{first.year}-{first.month:02d}")
        if self.kind == "quarter":
            first = _add_months(self.start, -3)
            year = FinancialYear.containing(first)
            return Period.parse(f"{year.start_year}-{QUARTERS[((first.month - 4) % 12) // 3]}")
        return Period.parse(self.financial_year.previous().label)

    def same_period_last_year(self) -> Period:
        if self.kind == "year":
            return self.previous()
        first = _add_months(self.start, -12)
        if self.kind == "month":
            return Period.parse(f"{first.year}-{first.month:02d}")
        return Period.parse(f"{FinancialYear.containing(first).start_year}-{self.quarter}")

    def months(self) -> list[Period]:
        out, first = [], self.start
        while first <= self.end:
            out.append(Period.parse(f"{first.year}-{first.month:02d}"))
            first = _add_months(first, 1)
        return out

    def __str__(self) -> str:
        return self.label
