"""Case review rules, shared by the forms, the services and the import.

Field names are the import's column names (the forms use the same names). The statutory
clocks (core.clocks) are declared here, each with its source and the day it took effect.
"""

from __future__ import annotations

import datetime as dt

from safeguarding.core.clocks import Clock, Unit, declare
from safeguarding.core.rules import future_dates

# ---- the statutory clocks ----------------------------------------------------------------
# Serious incident notifications to the national Child Safeguarding Practice Review Panel,
# rapid reviews and local child safeguarding practice reviews belong to the system the
# Children and Social Work Act 2017 made (Children Act 2004 ss16A-16Q, inserted by it). They
# began with the Child Safeguarding Practice Review and Relevant Agency (England) Regulations
# 2018 (SI 2018/789): made on 28 June 2018, in force "on the day after the day on which they
# are made" (reg 1), i.e. 29 June 2018, the day the Panel began. Working Together to
# Safeguard Children 2018 (chapter 4) sets the timescales: notify the Panel within 5 working
# days of the local authority becoming aware of a serious incident (the duty to notify:
# Children Act 2004 s16C(1)); the rapid review within 15 working days of the notification
# (as the Panel's practice guidance on rapid review timescales also says).
#
# Referrals before then followed the rules of their time: the serious case review regime of
# the Local Safeguarding Children Boards Regulations 2006 (SI 2006/90) reg 5 and Working
# Together to Safeguard Children 2015 (chapter 4), which had no Panel notification and no
# 15-working-day rapid review. These clocks never run for them: a 2015-16 serious case
# review is never "Rapid review: overdue", and never counts in a rapid review figure.
PANEL_BEGAN = dt.date(2018, 6, 29)

# Which recorded date starts each clock is the area's setting, with the Working Together 2018
# default: CASE_REVIEW_NOTIFICATION_FROM ("la_aware_date": the local authority becoming
# aware, Children Act 2004 s16C(1)), CASE_REVIEW_RAPID_REVIEW_FROM ("notification_date";
# an area following the Panel's practice guidance may count from "la_aware_date") and
# CASE_REVIEW_PUBLICATION_FROM ("review_start_date"). A changed setting applies to each
# referral when it is next saved.
START_EVENTS = {
    "incident_date": "the incident",
    "la_aware_date": "the local authority becoming aware",
    "referral_date": "the referral to the partnership",
    "notification_date": "the notification",
    "rapid_review_date": "the rapid review",
    "decision_date": "the decision",
    "review_start_date": "the start of the review",
}
START_DEFAULTS = {
    "CASE_REVIEW_NOTIFICATION_FROM": "la_aware_date",
    "CASE_REVIEW_RAPID_REVIEW_FROM": "notification_date",
    "CASE_REVIEW_PUBLICATION_FROM": "review_start_date",
}


def start_field(setting: str) -> str:
    """The referral's date field that starts a clock (its setting, else the default)."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    field = getattr(settings, setting, START_DEFAULTS[setting])
    if field not in START_EVENTS:
        raise ImproperlyConfigured(f"{setting} must be one of {', '.join(START_EVENTS)}")
    return field


def _start_text(setting: str):
    return lambda: START_EVENTS[start_field(setting)]


NOTIFICATION = declare(
    Clock(
        name="Serious incident notification",
        start=_start_text("CASE_REVIEW_NOTIFICATION_FROM"),
        end="the notification to the national Panel",
        source="Children Act 2004 s16C(1); Working Together to Safeguard Children 2018, chapter 4",
        effective=PANEL_BEGAN,
        length="CASE_REVIEW_NOTIFICATION_WORKING_DAYS",  # 5 (Working Together 2018)
        unit=Unit.WORKING_DAYS,
    )
)
RAPID_REVIEW = declare(
    Clock(
        name="Rapid review",
        start=_start_text("CASE_REVIEW_RAPID_REVIEW_FROM"),
        end="the rapid review",
        source="Working Together to Safeguard Children 2018, chapter 4",
        effective=PANEL_BEGAN,
        length="CASE_REVIEW_RAPID_REVIEW_WORKING_DAYS",  # 15 (Working Together 2018)
        unit=Unit.WORKING_DAYS,
    )
)
LCSPR_PUBLICATION = declare(
    Clock(
        name="LCSPR publication",
        start=_start_text("CASE_REVIEW_PUBLICATION_FROM"),
        end="publication",
        # The months are the partnership's setting CASE_REVIEW_LCSPR_MONTHS (default 6).
        source="Children Act 2004 s16F; SI 2018/789; the partnership's months for publication",
        effective=PANEL_BEGAN,
        length="CASE_REVIEW_LCSPR_MONTHS",
        unit=Unit.MONTHS,
    )
)


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


# (the clock, its due field, its done field, the setting naming the field that starts it)
CLOCK_FIELDS = [
    (NOTIFICATION, "notification_due", "notification_date", "CASE_REVIEW_NOTIFICATION_FROM"),
    (RAPID_REVIEW, "rapid_review_due", "rapid_review_date", "CASE_REVIEW_RAPID_REVIEW_FROM"),
    (LCSPR_PUBLICATION, "publication_due", "published_date", "CASE_REVIEW_PUBLICATION_FROM"),
]


def clocks() -> list[tuple[Clock, str, str, str]]:
    """(clock, due field, done field, start field) of each clock, under today's settings."""
    return [(c, due, done, start_field(setting)) for c, due, done, setting in CLOCK_FIELDS]
