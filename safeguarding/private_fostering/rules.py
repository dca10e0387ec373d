"""Private fostering rules, shared by the model, the forms, the services and the import.

- definition(): does a notification describe private fostering, and why (or why not)?
- notification_problems(): dates in order, and no arrangement dates where the definition fails.
- the statutory visit clock: first_visit_due(), next_visit_due(), visit_schedule().
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from safeguarding.core.clocks import Clock, Unit, declare
from safeguarding.core.rules import future_dates

from . import conf
from .codes import CARER_RELATIONSHIPS, CLOSE_RELATIVES, PARENT_RELATIONSHIPS

RELATIONSHIP_LABELS = dict(CARER_RELATIONSHIPS)


def birthday(date_of_birth: dt.date, years: int) -> dt.date:
    """The date a person reaches ``years`` (someone born on 29 February: 1 March)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:
        return dt.date(date_of_birth.year + years, 3, 1)


@dataclass
class Decision:
    """The outcome of the definition test: a code and the reasons, limb by limb."""

    code: str  # private_fostering, not_private_fostering, to_confirm
    failed: list[str] = field(default_factory=list)  # limbs that rule it out
    met: list[str] = field(default_factory=list)  # limbs that are satisfied
    unknown: list[str] = field(default_factory=list)  # limbs that cannot be decided yet

    @property
    def reason(self) -> str:
        if self.code == "not_private_fostering":
            return "Not private fostering: " + "; ".join(self.failed) + "."
        if self.code == "to_confirm":
            return "Cannot decide yet: " + "; ".join(self.unknown) + "."
        text = "Private fostering: " + "; ".join(self.met) + "."
        if self.unknown:
            text += " Not recorded: " + "; ".join(self.unknown) + "."
        return text


def age_limit(disabled: bool | None) -> int:
    return conf.disabled_age_limit() if disabled else conf.age_limit()


def definition(
    *,
    child_date_of_birth: dt.date | None,
    child_disabled: bool | None,
    carer_relationship: str | None,
    start: dt.date | None,
    intended_duration_days: int | None = None,
    arrangement_start_date: dt.date | None = None,
    arrangement_end_date: dt.date | None = None,
    today: dt.date | None = None,
) -> Decision:
    """Apply the statutory definition (Children Act 1989 s66) to what is recorded.

    ``start`` is the actual start, else the intended start, else the notification date.
    An arrangement that has begun, with no limb failing, counts as private fostering.
    """
    today = today or dt.date.today()
    decision = Decision(code="to_confirm")
    limit = age_limit(child_disabled)
    disabled_text = " (the child is disabled)" if child_disabled else ""
    # 1. Age at the start.
    if child_date_of_birth is None or start is None:
        decision.unknown.append("the child's date of birth")
    else:
        reaches = birthday(child_date_of_birth, limit)
        if reaches <= start:
            decision.failed.append(
                f"the child was {limit} or over at the start{disabled_text}: "
                f"{limit} on {reaches:%d/%m/%Y}, start {start:%d/%m/%Y}"
            )
        else:
            decision.met.append(f"the child was under {limit} at the start{disabled_text}")
    # 2. The carer.
    label = RELATIONSHIP_LABELS.get(carer_relationship or "", "")
    if not carer_relationship:
        decision.unknown.append("the carer's relationship to the child")
    elif carer_relationship in PARENT_RELATIONSHIPS:
        decision.failed.append(
            f"the carer is a {label.lower()}"
            if carer_relationship == "parent"
            else "the carer has parental responsibility"
        )
    elif carer_relationship in CLOSE_RELATIVES:
        decision.failed.append(f"the carer is a close relative ({label.lower()})")
    else:
        decision.met.append(
            f"the carer ({label.lower()}) is not a parent, a person with parental "
            "responsibility or a close relative"
        )
    # 3. The length of the stay.
    minimum = conf.min_days()
    if intended_duration_days is not None:
        if intended_duration_days < minimum:
            decision.failed.append(
                f"the stay was intended to last {intended_duration_days} days, less than {minimum}"
            )
        else:
            decision.met.append(f"the stay was intended to last {minimum} days or more")
    elif arrangement_start_date is not None:
        lasted = ((arrangement_end_date or today) - arrangement_start_date).days
        if lasted >= minimum:
            decision.met.append(f"the stay has lasted {minimum} days or more")
        else:
            decision.unknown.append("the intended length of the stay")
    else:
        decision.unknown.append("the intended length of the stay")

    if decision.failed:
        decision.code = "not_private_fostering"
    elif not decision.unknown or arrangement_start_date is not None:
        decision.code = "private_fostering"
    return decision


def notification_late(notification_date: dt.date | None, planned_start: dt.date | None) -> bool:
    """Late: less than the notice period (6 weeks) before the start, or after it."""
    if not notification_date or not planned_start:
        return False
    return notification_date > planned_start - dt.timedelta(weeks=conf.notice_weeks())


def notification_problems(
    *,
    notification_date: dt.date | None,
    child_date_of_birth: dt.date | None = None,
    arrangement_start_date: dt.date | None = None,
    arrangement_end_date: dt.date | None = None,
    decision: Decision | None = None,
    aware_date: dt.date | None = None,
    today: dt.date | None = None,
) -> list[tuple[str, str]]:
    """[(field, message)]; field names are the import's column names."""
    today = today or dt.date.today()
    problems: list[tuple[str, str]] = []
    problems += future_dates(
        today,
        notification_date=notification_date,
        child_date_of_birth=child_date_of_birth,
        arrangement_start_date=arrangement_start_date,
        arrangement_end_date=arrangement_end_date,
        aware_date=aware_date,
    )
    if notification_date is None:
        problems.append(("notification_date", "Enter the date of the notification"))
    if child_date_of_birth and notification_date and child_date_of_birth > notification_date:
        problems.append(
            ("child_date_of_birth", "The child's date of birth cannot be after the notification")
        )
    if (
        child_date_of_birth
        and arrangement_start_date
        and child_date_of_birth > (arrangement_start_date)
    ):
        problems.append(
            ("child_date_of_birth", "The child's date of birth cannot be after the start")
        )
    if arrangement_end_date and not arrangement_start_date:
        problems.append(
            ("arrangement_end_date", "must be blank when the arrangement has no start date")
        )
    if (
        arrangement_start_date
        and arrangement_end_date
        and (arrangement_end_date < arrangement_start_date)
    ):
        problems.append(("arrangement_end_date", "The end cannot be before the start"))
    if aware_date and notification_date and aware_date > notification_date:
        problems.append(
            ("aware_date", "The authority cannot have become aware after the notification")
        )
    if decision is not None and decision.code == "not_private_fostering":
        for name, value in (
            ("arrangement_start_date", arrangement_start_date),
            ("arrangement_end_date", arrangement_end_date),
        ):
            if value:
                problems.append(
                    (
                        name,
                        "must be blank: this is not private fostering ("
                        + "; ".join(decision.failed)
                        + ")",
                    )
                )
    return problems


# ---- the statutory visit clock ----------------------------------------------------------
# The Children (Private Arrangements for Fostering) Regulations 2005 (SI 2005/1533), in force
# from 1 July 2005: notice of a proposed arrangement at least 6 weeks before it begins (regs
# 3 and 4; notification_late above); an officer visits within 7 working days of the authority
# receiving a notification - of a proposed arrangement (reg 4) or of one already begun (reg
# 7); then visits at intervals of not more than 6 weeks in the arrangement's first year and
# 12 weeks in any later year (reg 8(1)). The lengths are settings (conf.py);
# services._sync_schedule keeps the next one due. Declared once (core.clocks).
REGULATIONS_2005 = dt.date(2005, 7, 1)

FIRST_VISIT = declare(
    Clock(
        name="First statutory visit",
        start="the authority becoming aware of the arrangement",
        end="the first visit",
        source="Children (Private Arrangements for Fostering) Regulations 2005, regs 4 and 7",
        effective=REGULATIONS_2005,
        length=conf.first_visit_working_days,
        unit=Unit.WORKING_DAYS,
    )
)
# A maximum interval ending on a weekend or bank holiday moves to the working day before,
# so that the visit is never planned after the latest day the regulation allows.
FIRST_YEAR_VISITS = declare(
    Clock(
        name="Statutory visit (first year)",
        start="the previous visit",
        end="the next visit",
        source="Children (Private Arrangements for Fostering) Regulations 2005, reg 8(1)(a)",
        effective=REGULATIONS_2005,
        length=conf.first_year_visit_weeks,
        unit=Unit.WEEKS,
        working_day_deadline=True,
    )
)
LATER_VISITS = declare(
    Clock(
        name="Statutory visit (later years)",
        start="the previous visit",
        end="the next visit",
        source="Children (Private Arrangements for Fostering) Regulations 2005, reg 8(1)(b)",
        effective=REGULATIONS_2005,
        length=conf.later_visit_weeks,
        unit=Unit.WEEKS,
        working_day_deadline=True,
    )
)


def first_visit_due(aware: dt.date) -> dt.date | None:
    """Within 7 working days of the authority becoming aware of the arrangement (None for
    an arrangement the authority knew of before the regulations)."""
    return FIRST_VISIT.due(aware)


def interval_clock(previous_visit: dt.date, arrangement_start: dt.date) -> Clock:
    """6 weeks while the previous visit is in the arrangement's first year, 12 after."""
    first_anniversary = birthday(arrangement_start, 1)
    return FIRST_YEAR_VISITS if previous_visit < first_anniversary else LATER_VISITS


def interval_weeks(previous_visit: dt.date, arrangement_start: dt.date) -> int:
    return interval_clock(previous_visit, arrangement_start).amount


def next_visit_due(previous_visit: dt.date, arrangement_start: dt.date) -> dt.date | None:
    return interval_clock(previous_visit, arrangement_start).due(previous_visit)


def visit_clock(sequence: int) -> Clock:
    """The clock a scheduled visit is due by: the first visit's, else the intervals' (the
    first year's and the later years' differ in length only, not in when they are late)."""
    return FIRST_VISIT if sequence == 1 else FIRST_YEAR_VISITS


def visit_rule(sequence: int) -> str:
    """The rule of a scheduled visit, in words, for a worklist."""
    if sequence == 1:
        return FIRST_VISIT.rule
    return (
        f"At most {FIRST_YEAR_VISITS.length_text} after the previous visit in the "
        f"arrangement's first year, {LATER_VISITS.length_text} in later years (Children "
        "(Private Arrangements for Fostering) Regulations 2005, reg 8; from "
        f"{REGULATIONS_2005.day} {REGULATIONS_2005:%B %Y})"
    )


def visit_schedule(*, aware: dt.date, arrangement_start: dt.date, until: dt.date) -> list[dt.date]:
    """The latest allowed dates of every visit up to ``until``, if each is made on its deadline."""
    due = first_visit_due(max(aware, arrangement_start))
    out = []
    while due is not None and due <= until:
        out.append(due)
        due = next_visit_due(due, arrangement_start)
    return out
