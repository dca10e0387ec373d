"""Case review rules, shared by the forms, the services and the import.

Field names are the import's column names (the forms use the same names).
"""

from __future__ import annotations

import datetime as dt

from safeguarding.core.rules import future_dates


def referral_problems(
    *,
    referral_date: dt.date | None,
    la_aware_date: dt.date | None = None,
    incident_date: dt.date | None = None,
    notification_date: dt.date | None = None,
    rapid_review_date: dt.date | None = None,
    decision_code: str | None = None,
    decision_date: dt.date | None = None,
    review_start_date: dt.date | None = None,
    draft_report_date: dt.date | None = None,
    final_report_date: dt.date | None = None,
    published_date: dt.date | None = None,
    publication_decision: str | None = None,
    today: dt.date | None = None,
) -> list[tuple[str, str]]:
    """[(field, message)]: dates not in the future and in order."""
    today = today or dt.date.today()
    problems: list[tuple[str, str]] = []
    dates = {
        "referral_date": referral_date,
        "la_aware_date": la_aware_date,
        "incident_date": incident_date,
        "notification_date": notification_date,
        "rapid_review_date": rapid_review_date,
        "decision_date": decision_date,
        "review_start_date": review_start_date,
        "draft_report_date": draft_report_date,
        "final_report_date": final_report_date,
        "published_date": published_date,
    }
    problems += future_dates(today, **dates)
    if referral_date is None:
        return problems + [("referral_date", "Enter the date of the referral to the panel")]

    def before(later_name, later, earlier, message):
        if later and earlier and later < earlier:
            problems.append((later_name, message))

    before(
        "la_aware_date",
        la_aware_date,
        incident_date,
        "The local authority cannot have become aware before the incident",
    )
    before(
        "notification_date",
        notification_date,
        incident_date,
        "The notification cannot be before the incident",
    )
    before(
        "notification_date",
        notification_date,
        la_aware_date,
        "The notification cannot be before the local authority became aware",
    )
    before(
        "rapid_review_date",
        rapid_review_date,
        notification_date,
        "The rapid review cannot be before the notification",
    )
    before(
        "decision_date",
        decision_date,
        referral_date,
        "The decision cannot be before the referral to the panel",
    )
    if decision_code and not decision_date:
        problems.append(("decision_date", "Enter the date of the panel's decision"))
    if decision_date and not decision_code:
        problems.append(("decision", "Choose the panel's decision"))
    if review_start_date and decision_code in (None, "", "no_review"):
        problems.append(
            ("review_start_date", "A review can start only after a decision to hold one")
        )
    before(
        "review_start_date",
        review_start_date,
        decision_date,
        "The review cannot start before the panel's decision",
    )
    before(
        "draft_report_date",
        draft_report_date,
        review_start_date,
        "A draft report cannot be before the review started",
    )
    before(
        "final_report_date",
        final_report_date,
        review_start_date,
        "The final report cannot be before the review started",
    )
    if published_date:
        if publication_decision != "publish":
            problems.append(
                ("published_date", "Record a decision to publish before a publication date")
            )
        before(
            "published_date",
            published_date,
            review_start_date or decision_date or referral_date,
            "Publication cannot be before the review started",
        )
    return problems
