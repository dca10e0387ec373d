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
from .codes import CARER_RELATIONSHIPS, CLOSE_RELATIVES, EXCLUSIONS, PARENT_RELATIONSHIPS

RELATIONSHIP_LABELS = dict(CARER_RELATIONSHIPS)
EXCLUSION_LABELS = dict(EXCLUSIONS)


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
    exclusion: str | None = None,
    today: dt.date | None = None,
) -> Decision:
    """Apply the statutory definition (Children Act 1989 s66) to what is recorded.

    ``start`` is the actual start, else the intended start, else the notification date.
    An arrangement that has begun, with no limb failing, counts as private fostering.
    """
    today = today or dt.date.today()
    decision = Decision(code="to_confirm")
    # 0. The exclusions: Children Act 1989 s66(1)(b) and Schedule 8 paragraphs 2 to 5 (for
    # example a child looked after by a local authority, or accommodated in a children's
    # home, a hospital or a school) are not privately fostered.
    if exclusion:
        decision.failed.append(
            f"{EXCLUSION_LABELS.get(exclusion, exclusion).lower()} (Children Act 1989, Schedule 8)"
        )
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
# receiving a notification - of a proposed arrangement (reg 4) or of one already begun (regs
# 5 to 7); then visits at intervals of not more than 6 weeks in the arrangement's first year
# and 12 weeks in any later year (reg 8(1)), the arrangement being deemed to begin when the
# authority become aware of it (reg 8(6)). The lengths are settings (conf.py); next_visit()
# says which visit is due next, and services._sync_schedule keeps it scheduled. Declared
# once (core.clocks).
REGULATIONS_2005 = dt.date(2005, 7, 1)

FIRST_VISIT = declare(
    Clock(
        name="First statutory visit",
        start="the authority becoming aware of the arrangement (or of its proposal)",
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
    """Within 7 working days of the authority receiving a notification (None for one
    received before the regulations)."""
    return FIRST_VISIT.due(aware)


def first_year_start(*, aware: dt.date, arrangement_start: dt.date) -> dt.date:
    """When the arrangement's first year begins for the visit intervals: reg 8(6) deems the
    arrangement to begin when the authority become aware of it, so an arrangement found
    out late gets its six-weekly year from that day; a proposed one (the authority aware
    before it began) from the day the child moved in."""
    return max(aware, arrangement_start)


def interval_clock(previous_visit: dt.date, year_start: dt.date) -> Clock:
    """6 weeks while the previous visit is in the arrangement's first year (from
    ``year_start``: first_year_start()), 12 after (reg 8(1) and 8(6))."""
    first_anniversary = birthday(year_start, 1)
    return FIRST_YEAR_VISITS if previous_visit < first_anniversary else LATER_VISITS


def interval_weeks(previous_visit: dt.date, year_start: dt.date) -> int:
    return interval_clock(previous_visit, year_start).amount


def next_visit_due(previous_visit: dt.date, year_start: dt.date) -> dt.date | None:
    return interval_clock(previous_visit, year_start).due(previous_visit)


# The three kinds of statutory visit, stored on each scheduled visit (Visit.rule).
PROPOSAL_VISIT = "reg4"  # on notification of a proposed arrangement (reg 4)
START_VISIT = "reg7"  # on notification of an arrangement that has begun (reg 7)
INTERVAL_VISIT = "reg8"  # every 6 weeks in the first year, 12 after (reg 8)
VISIT_RULES = [
    (PROPOSAL_VISIT, "Visit on notice of a proposed arrangement (reg 4)"),
    (START_VISIT, "First visit once the arrangement began (reg 7)"),
    (INTERVAL_VISIT, "Statutory visit (reg 8)"),
]


def next_visit(
    *,
    decision: str,
    aware: dt.date,
    arrangement_start: dt.date | None,
    arrangement_end: dt.date | None,
    visits_made: list[dt.date],
) -> tuple[str, dt.date] | None:
    """The next statutory visit, as (its rule, its latest allowed date), or None when none
    is due. ``aware`` is when the authority received the notification or otherwise became
    aware; ``visits_made`` the dates of the visits made, in order.

    - Reg 4: a notification of a *proposed* arrangement is visited within 7 working days
      of its receipt, before the child moves in. Nothing else is due until it begins.
    - Reg 7: once the arrangement has begun, a visit within 7 working days of the
      authority learning that it has (the start, or the awareness if later). A reg 4
      visit not yet made stays due from its own, earlier, date.
    - Reg 8: then at intervals of at most 6 weeks in the first year (from
      first_year_start(), reg 8(6)) and 12 weeks after.
    Nothing is due once the arrangement has ended before the next deadline, nor for a
    notification that is not private fostering.
    """
    if decision == "not_private_fostering":
        return None
    if arrangement_start is None:
        if visits_made or decision not in ("private_fostering", "to_confirm"):
            return None
        due = first_visit_due(aware)
        return (PROPOSAL_VISIT, due) if due else None
    if decision != "private_fostering":
        return None
    year_start = first_year_start(aware=aware, arrangement_start=arrangement_start)
    since_start = [d for d in visits_made if d >= arrangement_start]
    if not visits_made:
        rule = PROPOSAL_VISIT if aware < arrangement_start else START_VISIT
        due = first_visit_due(aware)
    elif not since_start:
        rule, due = START_VISIT, first_visit_due(year_start)
    else:
        rule, due = INTERVAL_VISIT, next_visit_due(since_start[-1], year_start)
    if due is None or (arrangement_end and due > arrangement_end):
        return None
    return rule, due


def visit_clock(rule: str) -> Clock:
    """The clock a scheduled visit is due by: the first visits', else the intervals' (the
    first year's and the later years' differ in length only, not in when they are late)."""
    return FIRST_VISIT if rule in (PROPOSAL_VISIT, START_VISIT) else FIRST_YEAR_VISITS


def visit_label(rule: str, sequence: int) -> str:
    """A scheduled visit's name, for a worklist."""
    if rule == PROPOSAL_VISIT:
        return "Visit on notice of a proposed arrangement"
    if rule == START_VISIT:
        return "First statutory visit"
    return f"Statutory visit {sequence}"


def visit_rule(rule: str) -> str:
    """The rule of a scheduled visit, in words, for a worklist."""
    if rule in (PROPOSAL_VISIT, START_VISIT):
        return FIRST_VISIT.rule
    return (
        f"At most {FIRST_YEAR_VISITS.length_text} after the previous visit in the "
        f"arrangement's first year (from when the authority became aware of it, reg 8(6)), "
        f"{LATER_VISITS.length_text} in later years (Children (Private Arrangements for "
        f"Fostering) Regulations 2005, reg 8; from {REGULATIONS_2005.day} "
        f"{REGULATIONS_2005:%B %Y})"
    )


def visit_schedule(
    *,
    aware: dt.date,
    arrangement_start: dt.date | None,
    until: dt.date | None = None,
    made: list[dt.date] | tuple = (),
    count: int | None = None,
    decision="private_fostering",
) -> list[tuple[str, dt.date]]:
    """The visits after those ``made``, with their rules, if each is made on its latest
    allowed day: up to ``until``, or the next ``count`` of them."""
    made = list(made)
    out: list[tuple[str, dt.date]] = []
    while count is None or len(out) < count:
        step = next_visit(
            decision=decision,
            aware=aware,
            arrangement_start=arrangement_start,
            arrangement_end=None,
            visits_made=made,
        )
        if step is None or (until is not None and step[1] > until):
            break
        out.append(step)
        made.append(step[1])
    return out


# ---- when an arrangement stops being private fostering -----------------------------------
# Children Act 1989 s66(1)(a) and (4): a privately fostered child is under 16, or under 18 if
# disabled; the arrangement stops being private fostering on that birthday.
def age_limit_date(date_of_birth: dt.date | None, disabled: bool | None) -> dt.date | None:
    """The birthday on which an arrangement stops being private fostering (16th, 18th if
    disabled), or None when the date of birth is not known."""
    if date_of_birth is None:
        return None
    return birthday(date_of_birth, age_limit(disabled))


def aged_out(
    *,
    date_of_birth: dt.date | None,
    disabled: bool | None,
    arrangement_start: dt.date | None,
    arrangement_end: dt.date | None,
    today: dt.date,
) -> dt.date | None:
    """The day an arrangement ended by the child's age, when that day has come and the
    recorded end (if any) is later; else None."""
    limit = age_limit_date(date_of_birth, disabled)
    if limit is None or arrangement_start is None or limit <= arrangement_start:
        return None
    if limit > today or (arrangement_end is not None and arrangement_end <= limit):
        return None
    return limit
