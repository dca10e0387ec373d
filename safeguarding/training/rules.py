"""Validation shared by forms, services and the import; the worklist's clocks."""

from __future__ import annotations

import datetime as dt

from safeguarding.core.clocks import Clock, Unit, declare

# ---- the worklist's clocks (core.clocks) --------------------------------------------------
# Both are the partnership's own procedure for its training programme: no statute sets them
# and no date they began is recorded, so every session is held to them (no effective date).
# Each due date is the last day on time; the work is overdue from the day after it.


# The register of a session held decides certificates, no-shows and the three-month survey:
# the training lead takes it by the next working day (TRAINING_REGISTER_WORKING_DAYS), so a
# Friday's register is due on Monday, or on Tuesday after a bank holiday Monday.
ATTENDANCE_REGISTER = declare(
    Clock(
        name="Training attendance register",
        start="the session",
        end="the attendance register taken",
        source="local procedure: the register decides certificates, no-shows and the survey",
        effective=None,
        length="TRAINING_REGISTER_WORKING_DAYS",
        unit=Unit.WORKING_DAYS,
    )
)

# A waiting-list application is decided (a place offered, or declined) by the session's own
# date: once the session has started the application is moot and leaves the worklist.
WAITING_LIST_DECISION = declare(
    Clock(
        name="Waiting-list decision",
        start="for the session",
        end="the training lead's decision on the application",
        source="local procedure: a waiting-list application is decided before the session",
        effective=None,
    )
)


def session_problems(
    *, starts_at: dt.datetime | None, ends_at: dt.datetime | None, capacity, venue, online_link
) -> list[tuple[str, str]]:
    problems = []
    if starts_at and ends_at and ends_at <= starts_at:
        problems.append(("ends_at", "The end must be after the start"))
    if capacity is not None and capacity < 1:
        problems.append(("capacity", "Capacity must be at least 1 place"))
    if not (venue or online_link):
        problems.append(("venue", "Enter the venue or an online link"))
    return problems


def booking_problems(
    *, full_name: str, email: str, job_role: str, owning_agency, agency_other: str
) -> list[tuple[str, str]]:
    problems = []
    if not (full_name or "").strip():
        problems.append(("full_name", "Enter your full name"))
    if not (email or "").strip():
        problems.append(("email", "Enter your work email address"))
    if not (job_role or "").strip():
        problems.append(("job_role", "Enter your role"))
    if owning_agency is None and not (agency_other or "").strip():
        problems.append(("agency_other", "Enter the name of your agency"))
    return problems


def confidence_problems(scores: list[int | None], outcomes: list[str]) -> list[tuple[str, str]]:
    """One score from 1 to 10 for each learning outcome."""
    problems = []
    if len(scores) != len(outcomes):
        problems.append(("confidence", "Rate your confidence against every learning outcome"))
        return problems
    for number, score in enumerate(scores, start=1):
        if score is None or not 1 <= int(score) <= 10:
            problems.append(
                (f"confidence_{number}", "Rate your confidence from 1 (low) to 10 (high)")
            )
    return problems


def completion_problems(*, completed_date: dt.date | None) -> list[tuple[str, str]]:
    if completed_date and completed_date < dt.date(2000, 1, 1):
        return [("completed_date", "is before 2000: check the date")]
    return []
