"""The LADO record rules, shared by the forms, the services and the import."""

from __future__ import annotations

import datetime as dt

from safeguarding.core.rules import future_dates

from .codes import FINAL_OUTCOMES


def case_problems(
    *,
    contact_date: dt.date | None,
    threshold_met: bool | None,
    referral_date: dt.date | None = None,
    strategy_meeting_date: dt.date | None = None,
    outcome: str | None = None,
    outcome_date: dt.date | None = None,
    employer_aware_date: dt.date | None = None,
    subject_date_of_birth: dt.date | None = None,
    today: dt.date | None = None,
) -> list[tuple[str, str]]:
    """[(field, message)]: dates in order and not in the future; the threshold decides the rest.

    Field names are the import's column names (the forms use the same names).
    """
    today = today or dt.date.today()
    problems: list[tuple[str, str]] = []
    dates = {
        "contact_date": contact_date,
        "referral_date": referral_date,
        "strategy_meeting_date": strategy_meeting_date,
        "outcome_date": outcome_date,
        "employer_aware_date": employer_aware_date,
        "subject_date_of_birth": subject_date_of_birth,
    }
    problems += future_dates(today, **dates)
    if contact_date is None:
        return problems + [("contact_date", "Enter the date of the contact")]
    if employer_aware_date and employer_aware_date > contact_date:
        problems.append(
            (
                "employer_aware_date",
                "The employer cannot have become aware after contacting the LADO",
            )
        )
    if subject_date_of_birth and subject_date_of_birth >= contact_date:
        problems.append(("subject_date_of_birth", "The date of birth must be before the contact"))
    if not threshold_met:
        for name, value in (
            ("referral_date", referral_date),
            ("strategy_meeting_date", strategy_meeting_date),
            ("outcome", outcome),
            ("outcome_date", outcome_date),
        ):
            if value:
                problems.append((name, "must be blank when the threshold is not met (advice only)"))
        return problems
    if referral_date and referral_date < contact_date:
        problems.append(("referral_date", "The referral cannot be before the contact date"))
    start = referral_date or contact_date
    if strategy_meeting_date and strategy_meeting_date < start:
        problems.append(
            ("strategy_meeting_date", "The first meeting cannot be before the referral date")
        )
    if outcome_date:
        if outcome == "pending" or not outcome:
            problems.append(("outcome_date", "must be blank while the outcome is pending"))
        elif strategy_meeting_date and outcome_date < strategy_meeting_date:
            problems.append(("outcome_date", "The outcome cannot be before the first meeting"))
        elif outcome_date < start:
            problems.append(("outcome_date", "The outcome cannot be before the referral date"))
    return problems


def is_final(outcome: str | None) -> bool:
    return outcome in FINAL_OUTCOMES
