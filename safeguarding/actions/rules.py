"""Action status rules, shared by the forms and the services; the action's clock."""

from __future__ import annotations

import datetime as dt

from safeguarding.core.clocks import Clock, declare

from .models import ACTIVE_STATUSES, UPDATE_STATUSES

# An action is due on the date its plan agreed: no statutory timescale, so every action has
# this clock from its agreement (no effective date). The plans come from case reviews
# (Working Together to Safeguard Children 2018, chapter 4; before it, serious case reviews:
# LSCB Regulations 2006 reg 5), audits, Section 11 (Children Act 2004 s11) and priorities.
# Overdue from the day after its due date, until complete or closed (core.clocks).
ACTION_DUE = declare(
    Clock(
        name="Action",
        start="when the action was agreed",
        end="its completion",
        source="the action plan's own date: no statutory timescale",
        effective=None,
    )
)

UPDATE_CODES = [c for c, _ in UPDATE_STATUSES]


def update_problems(
    *, current_status: str, status: str, note: str, date: dt.date | None, today: dt.date
) -> list[tuple[str, str]]:
    """A progress update by the owning agency (or the business unit)."""
    problems: list[tuple[str, str]] = []
    if current_status == "closed":
        problems.append(("status", "This action is closed: it cannot be updated"))
    if status not in UPDATE_CODES:
        problems.append(("status", "Choose not started, on track, at risk or complete"))
    if not (note or "").strip():
        problems.append(("note", "Enter what progress has been made"))
    if date is None:
        problems.append(("date", "Enter the date of the update"))
    elif date > today:
        problems.append(("date", "The date of the update cannot be in the future"))
    return problems


def close_problems(
    *, current_status: str, evidence: str, date: dt.date | None, today: dt.date
) -> list[tuple[str, str]]:
    """The business unit closes an action only with evidence of impact."""
    problems: list[tuple[str, str]] = []
    if current_status == "closed":
        problems.append(("evidence", "This action is already closed"))
    if not (evidence or "").strip():
        problems.append(
            ("evidence", "Enter the evidence of impact: an action cannot be closed without it")
        )
    if date is None:
        problems.append(("date", "Enter the date the action was closed"))
    elif date > today:
        problems.append(("date", "The closing date cannot be in the future"))
    return problems


def is_overdue(status: str, due_date: dt.date, today: dt.date) -> bool:
    """Red from the day after the due date until the action is complete or closed."""
    return status in ACTIVE_STATUSES and today > due_date
