"""The LADO's clocks at their edges: the decision on a partner's referral (working days,
across weekends and bank holidays), and an open referral's age against the 1-, 3- and
12-month resolution targets (the day a month on is still within the month)."""

import datetime as dt

import pytest
from django.test import override_settings

from safeguarding.core.clocks import DECLARED
from safeguarding.lado.models import Case
from safeguarding.lado.rules import (
    EMPLOYER_REFERRAL,
    REFERRAL_DECISION,
    decision_due,
    decision_rule,
    describe_age,
    months_between,
    resolution_clock,
    resolution_rule,
)

D = dt.date


# ---- the decision on a referral: 1 working day -------------------------------------------


@pytest.mark.parametrize(
    "received, due",
    [
        (D(2024, 3, 6), D(2024, 3, 7)),  # Wednesday -> Thursday
        (D(2024, 3, 8), D(2024, 3, 11)),  # Friday -> Monday, across the weekend
        (D(2024, 3, 9), D(2024, 3, 11)),  # received on a Saturday
        (D(2024, 3, 10), D(2024, 3, 11)),  # received on a Sunday
        (D(2024, 3, 28), D(2024, 4, 2)),  # Maundy Thursday -> Tuesday after Easter Monday
        (D(2024, 3, 29), D(2024, 4, 2)),  # received on Good Friday, a bank holiday
        (D(2024, 4, 1), D(2024, 4, 2)),  # received on Easter Monday, a bank holiday
        (D(2024, 12, 24), D(2024, 12, 27)),  # Christmas Eve -> after Christmas and Boxing Day
    ],
)
def test_the_decision_is_due_one_working_day_after_the_referral(received, due):
    assert decision_due(received) == due


def _awaiting(received: dt.date) -> Case:
    case = Case(contact_date=received, employer_sector="primary_school", awaiting_decision=True)
    case.refresh_status()
    return case


def test_a_decision_due_on_a_day_is_overdue_only_from_the_next():
    """Referral on Good Friday 29 March 2024; Easter Monday 1 April is a bank holiday too."""
    case = _awaiting(D(2024, 3, 29))
    assert case.decision_due == D(2024, 4, 2)
    assert not case.decision_overdue(D(2024, 3, 29))  # the same day
    assert not case.decision_overdue(D(2024, 4, 1))
    assert not case.decision_overdue(D(2024, 4, 2))  # the due day itself: still in time
    assert case.decision_overdue(D(2024, 4, 3))


@override_settings(LADO_REFERRAL_WORKING_DAYS=3)
def test_the_decision_clock_is_the_setting():
    assert decision_due(D(2024, 3, 28)) == D(2024, 4, 4)  # 2, 3 and 4 April
    assert "3 working days" in decision_rule()


def test_a_decided_case_has_no_decision_clock():
    case = Case(contact_date=D(2024, 3, 28), employer_sector="primary_school", threshold_met=True)
    case.refresh_status()
    assert case.decision_due is None and not case.decision_overdue(D(2030, 1, 1))


def test_the_clocks_are_declared_once_with_their_source():
    assert EMPLOYER_REFERRAL in DECLARED and REFERRAL_DECISION in DECLARED
    assert "Working Together" in EMPLOYER_REFERRAL.rule
    assert decision_rule().startswith("1 working day from the LADO receiving the referral")
    assert "local procedure" in decision_rule()
    assert "Working Together" in resolution_rule() and "local procedure" in resolution_rule()
    assert "80% within one month, 90% within three months" in resolution_rule()


# ---- age and the resolution targets --------------------------------------------------------


@pytest.mark.parametrize(
    "start, end, months",
    [
        (D(2024, 1, 15), D(2024, 1, 15), 0),
        (D(2024, 1, 15), D(2024, 2, 14), 0),
        (D(2024, 1, 15), D(2024, 2, 15), 1),  # exactly one month
        (D(2024, 1, 15), D(2024, 4, 14), 2),
        (D(2024, 1, 15), D(2024, 4, 15), 3),  # exactly three months
        (D(2024, 1, 15), D(2025, 1, 14), 11),
        (D(2024, 1, 15), D(2025, 1, 15), 12),  # exactly twelve months
        (D(2023, 1, 31), D(2023, 2, 28), 1),  # a month on from 31 January
        (D(2024, 1, 31), D(2024, 2, 29), 1),  # in a leap year
        (D(2024, 1, 31), D(2024, 2, 28), 0),
        (D(2024, 2, 29), D(2025, 2, 28), 12),
        (D(2024, 3, 1), D(2024, 2, 1), 0),  # before the start: nothing
    ],
)
def test_whole_months(start, end, months):
    assert months_between(start, end) == months


@pytest.mark.parametrize(
    "start, today, text",
    [
        (D(2024, 1, 15), D(2024, 1, 15), "0 days"),
        (D(2024, 1, 15), D(2024, 1, 16), "1 day"),
        (D(2024, 1, 15), D(2024, 2, 14), "30 days"),
        (D(2024, 1, 15), D(2024, 2, 15), "1 month"),
        (D(2024, 1, 15), D(2024, 5, 20), "4 months"),
        (D(2024, 1, 15), D(2025, 12, 20), "23 months"),
        (D(2024, 1, 15), D(2026, 1, 15), "2 years"),
        (D(2024, 1, 15), D(2026, 2, 15), "2 years 1 month"),
        (D(2016, 5, 4), D(2025, 9, 1), "9 years 3 months"),
    ],
)
def test_the_age_as_people_say_it(start, today, text):
    assert describe_age(start, today) == text


def missed(start, today) -> list[str]:
    return [t.label for t in resolution_clock(start, today).missed]


@pytest.mark.parametrize(
    "today, past",
    [
        (D(2024, 1, 15), []),  # the same day
        (D(2024, 2, 15), []),  # exactly one month: still within it
        (D(2024, 2, 16), ["one month"]),
        (D(2024, 4, 15), ["one month"]),  # exactly three months
        (D(2024, 4, 16), ["one month", "three months"]),
        (D(2025, 1, 15), ["one month", "three months"]),  # exactly twelve months
        (D(2025, 1, 16), ["one month", "three months", "twelve months"]),
    ],
)
def test_an_open_referral_misses_each_target_the_day_after_it(today, past):
    clock = resolution_clock(D(2024, 1, 15), today)
    assert [t.label for t in clock.missed] == past
    assert clock.overdue is bool(past)
    assert (clock.worst.label if clock.worst else None) == (past[-1] if past else None)
    assert clock.first.deadline == D(2024, 2, 15)


def test_the_next_target_is_the_first_still_running():
    clock = resolution_clock(D(2024, 1, 15), D(2024, 3, 1))
    assert (clock.next.label, clock.next.deadline, clock.next.share) == (
        "three months",
        D(2024, 4, 15),
        90,
    )
    assert resolution_clock(D(2024, 1, 15), D(2025, 2, 1)).next is None


def test_a_target_from_31_january_ends_on_the_last_day_of_february():
    assert missed(D(2023, 1, 31), D(2023, 2, 28)) == []
    assert missed(D(2023, 1, 31), D(2023, 3, 1)) == ["one month"]


@override_settings(LADO_RESOLUTION_TARGETS=[("six months", 6, 95), ("six weeks", 2, 75)])
def test_the_targets_are_the_setting_shortest_first():
    clock = resolution_clock(D(2024, 1, 15), D(2024, 3, 16))
    assert [t.label for t in clock.targets] == ["six weeks", "six months"]
    assert [t.label for t in clock.missed] == ["six weeks"]


# ---- what a case says of its own clocks ------------------------------------------------------


def unsaved(**values) -> Case:
    case = Case(employer_sector="primary_school", **values)
    case.refresh_status()
    return case


def test_a_referral_awaiting_a_decision_is_open_since_it_came_in_but_not_an_open_referral():
    case = unsaved(contact_date=D(2024, 3, 29), awaiting_decision=True)
    assert case.open_since == D(2024, 3, 29)
    assert not case.is_open and case.clock(D(2024, 6, 1)) is None
    assert case.decided_on is None
    assert case.status_label == "Awaiting LADO decision" and case.decision_label == "Awaiting"
    assert case.age(D(2024, 4, 3)) == "5 days"


def test_an_open_referral_is_open_since_its_referral_date():
    case = unsaved(contact_date=D(2024, 1, 10), threshold_met=True, referral_date=D(2024, 1, 15))
    assert case.is_open and case.open_since == D(2024, 1, 15)
    assert case.decided_on == D(2024, 1, 15)  # decided as the LADO recorded it
    assert case.age(D(2024, 4, 16)) == "3 months"
    assert case.clock(D(2024, 4, 16)).worst.label == "three months"


def test_closed_and_advice_cases_have_no_age():
    closed = unsaved(
        contact_date=D(2024, 1, 15),
        threshold_met=True,
        referral_date=D(2024, 1, 15),
        outcome="unfounded",
        outcome_date=D(2024, 2, 1),
    )
    advice = unsaved(contact_date=D(2024, 1, 15), threshold_met=False)
    for case in (closed, advice):
        assert case.open_since is None and case.age(D(2025, 1, 1)) == ""
        assert case.clock(D(2025, 1, 1)) is None
    assert advice.decided_on == D(2024, 1, 15)


def test_an_employer_referring_through_the_partner_form_is_held_to_its_clock():
    """Aware on Maundy Thursday 2024: the next working day is Tuesday 2 April."""
    on_time = unsaved(
        contact_date=D(2024, 4, 2), awaiting_decision=True, employer_aware_date=D(2024, 3, 28)
    )
    late = unsaved(
        contact_date=D(2024, 4, 3), awaiting_decision=True, employer_aware_date=D(2024, 3, 28)
    )
    assert on_time.referral_working_days == 1 and not on_time.referral_late
    assert late.referral_working_days == 2 and late.referral_late
