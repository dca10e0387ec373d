"""Checks every register's rules share: forms, services and imports give the same messages."""

from __future__ import annotations

import datetime as dt


def future_dates(today: dt.date, **dates: dt.date | None) -> list[tuple[str, str]]:
    """[(field, message)] for each date after ``today``: nothing is recorded before it
    happened. Blank dates are for the caller's own rules."""
    return [
        (name, f"{value:%d/%m/%Y} is in the future")
        for name, value in dates.items()
        if value and value > today
    ]
