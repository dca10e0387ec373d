"""The LADO record rules, shared by the forms, the services and the import."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safeguarding.core.clocks import Clock, Unit, declare
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
    employer_outcome: str | None = None,
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
            ("employer_outcome", employer_outcome),
        ):
            if value:
                problems.append((name, "must be blank when the threshold is not met (advice only)"))
        return problems
    if employer_outcome and outcome != "no_further_action":
        problems.append(
            (
                "employer_outcome",
                'must be blank unless the outcome is "no further action" '
                "(returned to the employer's own process)",
            )
        )
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


# ---- clocks: the employer's referral, the LADO's decision, the resolution targets ------


# Employers tell the LADO within 1 working day of becoming aware of an allegation, measured
# to the first contact with the LADO, not to the LADO's decision (Working Together to
# Safeguard Children 2018, chapter 2, and its 2023 revision; the days are the setting
# LADO_REFERRAL_WORKING_DAYS). Every record is held to it: the duty is older than the
# register's oldest records.
EMPLOYER_REFERRAL = declare(
    Clock(
        name="Employer's referral to the LADO",
        start="the employer becoming aware",
        end="the first contact with the LADO",
        source="Working Together to Safeguard Children 2018, chapter 2",
        effective=None,
        length="LADO_REFERRAL_WORKING_DAYS",
        unit=Unit.WORKING_DAYS,
    )
)

# The LADO decides on a partner's referral (the threshold, the harm test, the next steps)
# on the same clock: local procedure, so that the 1 working day the employer had is not lost
# waiting for a decision.
REFERRAL_DECISION = declare(
    Clock(
        name="LADO decision on a referral",
        start="the LADO receiving the referral",
        end="the LADO's threshold decision",
        source="local procedure, on the employer's 1 working day in Working Together",
        effective=None,
        length="LADO_REFERRAL_WORKING_DAYS",
        unit=Unit.WORKING_DAYS,
    )
)


def decision_due(received: dt.date) -> dt.date:
    """The day by which the LADO should decide on a referral received on ``received``
    (the last day on time): settings.LADO_REFERRAL_WORKING_DAYS working days later,
    weekends and England and Wales bank holidays excluded."""
    return REFERRAL_DECISION.due(received)


def decision_rule() -> str:
    """The decision clock in words, with its source (the worklist, the case page)."""
    return REFERRAL_DECISION.rule


def resolution_rule() -> str:
    """The resolution targets, with their source (settings.LADO_RESOLUTION_TARGETS)."""
    from django.conf import settings

    targets = ", ".join(
        f"{share}% within {label}" for label, _months, share in settings.LADO_RESOLUTION_TARGETS
    )
    return (
        f"Resolution targets from the referral: {targets} "
        "(Working Together, older guidance kept by local procedure)"
    )


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end``: the most months m with start + m <= end
    (a month on from 31 January is 28 or 29 February, as for the targets' deadlines)."""
    from safeguarding.core.periods import add_months

    if end < start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return months


def describe_age(start: dt.date, today: dt.date) -> str:
    """How long a case has been open, as people say it: days under a month, then months,
    then years and months."""
    days = max((today - start).days, 0)
    months = months_between(start, today)
    if months == 0:
        return f"{days} day{'s' if days != 1 else ''}"
    if months < 24:
        return f"{months} month{'s' if months != 1 else ''}"
    years, rest = divmod(months, 12)
    text = f"{years} years"
    return text + (f" {rest} month{'s' if rest != 1 else ''}" if rest else "")


@dataclass(frozen=True)
class Target:
    label: str  # "one month"
    months: int
    share: int  # the share of cases to resolve within it (80%)
    deadline: dt.date


@dataclass(frozen=True)
class ResolutionClock:
    """An open referral against the resolution targets (settings.LADO_RESOLUTION_TARGETS),
    counted from its referral date. A target is missed from the day after its deadline: a
    case resolved on the day one month on is resolved within one month."""

    start: dt.date
    today: dt.date
    targets: tuple[Target, ...]

    @property
    def age(self) -> str:
        return describe_age(self.start, self.today)

    @property
    def days(self) -> int:
        return (self.today - self.start).days

    @property
    def months(self) -> int:
        return months_between(self.start, self.today)

    @property
    def missed(self) -> list[Target]:
        return [t for t in self.targets if self.today > t.deadline]

    @property
    def overdue(self) -> bool:
        return bool(self.missed)

    @property
    def worst(self) -> Target | None:
        """The longest target missed."""
        return self.missed[-1] if self.missed else None

    @property
    def first(self) -> Target:
        """The first target: its deadline is when the case first fell due (the worklist's
        date, so that overdue cases sort oldest first)."""
        return self.targets[0]

    @property
    def next(self) -> Target | None:
        """The next target still running."""
        return next((t for t in self.targets if self.today <= t.deadline), None)


def resolution_clock(start: dt.date, today: dt.date) -> ResolutionClock:
    from django.conf import settings

    from safeguarding.core.periods import add_months

    targets = sorted(settings.LADO_RESOLUTION_TARGETS, key=lambda t: t[1])
    return ResolutionClock(
        start=start,
        today=today,
        targets=tuple(
            Target(label, months, share, add_months(start, months))
            for label, months, share in targets
        ),
    )


def decision_problems(
    *,
    contact_date: dt.date,
    threshold_met: bool | None,
    harm_test: str | None,
    decided_on: dt.date | None,
    next_steps: str | None,
    today: dt.date | None = None,
) -> list[tuple[str, str]]:
    """[(field, message)] for the LADO's threshold decision on a contact or referral."""
    today = today or dt.date.today()
    problems: list[tuple[str, str]] = []
    if threshold_met is None:
        problems.append(("threshold_met", "Choose advice only or LADO referral"))
    if threshold_met and not harm_test:
        problems.append(("harm_test", "Select which part of the harm test was met"))
    if not (next_steps or "").strip():
        problems.append(("next_steps", "Enter the next steps"))
    if decided_on is None:
        problems.append(("decided_on", "Enter the date of the decision"))
    else:
        problems += future_dates(today, decided_on=decided_on)
        if decided_on < contact_date:
            problems.append(
                ("decided_on", "The decision cannot be before the referral was received")
            )
    return problems
