"""The LADO date rules (lado/rules.py): order, not in the future, and the threshold.

Every message names the field it is about, so a form or an import can point at it.
"""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguarding.lado.codes import FINAL_OUTCOMES, OUTCOME_CODES
from safeguarding.lado.rules import case_problems, is_final

D = dt.date
TODAY = D(2017, 6, 1)


def problems(**values):
    values.setdefault("today", TODAY)
    return case_problems(**values)


def fields(found):
    return [f for f, _ in found]


def test_a_complete_referral_in_order_has_no_problems():
    assert (
        problems(
            contact_date=D(2016, 5, 3),
            threshold_met=True,
            referral_date=D(2016, 5, 4),
            strategy_meeting_date=D(2016, 5, 10),
            outcome="substantiated",
            outcome_date=D(2016, 7, 1),
            employer_aware_date=D(2016, 5, 2),
            subject_date_of_birth=D(1980, 1, 1),
        )
        == []
    )


def test_all_dates_on_the_same_day_are_in_order():
    day = D(2016, 5, 3)
    assert (
        problems(
            contact_date=day,
            threshold_met=True,
            referral_date=day,
            strategy_meeting_date=day,
            outcome="unfounded",
            outcome_date=day,
            employer_aware_date=day,
        )
        == []
    )


def test_advice_only_contact_with_nothing_else_is_fine():
    assert problems(contact_date=D(2016, 5, 3), threshold_met=False) == []


def test_missing_contact_date_is_named():
    found = problems(contact_date=None, threshold_met=True)
    assert ("contact_date", "Enter the date of the contact") in found


def test_referral_before_contact_is_refused_naming_the_referral_date():
    found = problems(contact_date=D(2016, 5, 3), threshold_met=True, referral_date=D(2016, 5, 2))
    assert fields(found) == ["referral_date"]
    assert "before the contact date" in found[0][1]


def test_meeting_before_referral_is_refused_naming_the_meeting():
    found = problems(
        contact_date=D(2016, 5, 3),
        threshold_met=True,
        referral_date=D(2016, 5, 10),
        strategy_meeting_date=D(2016, 5, 9),
    )
    assert fields(found) == ["strategy_meeting_date"]
    assert "before the referral date" in found[0][1]


def test_meeting_before_contact_is_refused_when_the_referral_date_is_blank():
    found = problems(
        contact_date=D(2016, 5, 3),
        threshold_met=True,
        strategy_meeting_date=D(2016, 5, 2),
    )
    assert fields(found) == ["strategy_meeting_date"]


def test_outcome_before_first_meeting_is_refused_naming_the_outcome_date():
    found = problems(
        contact_date=D(2016, 5, 3),
        threshold_met=True,
        referral_date=D(2016, 5, 3),
        strategy_meeting_date=D(2016, 6, 1),
        outcome="unsubstantiated",
        outcome_date=D(2016, 5, 31),
    )
    assert fields(found) == ["outcome_date"]
    assert "before the first meeting" in found[0][1]


def test_outcome_before_referral_is_refused_naming_the_outcome_date():
    found = problems(
        contact_date=D(2016, 5, 3),
        threshold_met=True,
        referral_date=D(2016, 5, 10),
        outcome="false",
        outcome_date=D(2016, 5, 9),
    )
    assert fields(found) == ["outcome_date"]
    assert "before the referral date" in found[0][1]


@pytest.mark.parametrize("outcome", ["pending", None, ""])
def test_outcome_date_must_be_blank_while_pending(outcome):
    found = problems(
        contact_date=D(2016, 5, 3),
        threshold_met=True,
        outcome=outcome,
        outcome_date=D(2016, 6, 1),
    )
    assert fields(found) == ["outcome_date"]
    assert "pending" in found[0][1]


@pytest.mark.parametrize(
    "field, value",
    [
        ("referral_date", D(2016, 5, 4)),
        ("strategy_meeting_date", D(2016, 5, 4)),
        ("outcome", "substantiated"),
        ("outcome_date", D(2016, 5, 4)),
    ],
)
def test_advice_only_contacts_carry_no_referral_details(field, value):
    found = problems(contact_date=D(2016, 5, 3), threshold_met=False, **{field: value})
    assert fields(found) == [field]
    assert "must be blank when the threshold is not met" in found[0][1]


@pytest.mark.parametrize(
    "field",
    [
        "contact_date",
        "referral_date",
        "strategy_meeting_date",
        "outcome_date",
        "employer_aware_date",
        "subject_date_of_birth",
    ],
)
def test_a_date_in_the_future_is_refused_naming_the_field(field):
    values = {"contact_date": D(2017, 5, 1), "threshold_met": True, "outcome": "unfounded"}
    values[field] = TODAY + dt.timedelta(days=1)
    found = problems(**values)
    assert (field, "02/06/2017 is in the future") in found


def test_today_is_not_in_the_future():
    assert (
        problems(
            contact_date=TODAY,
            threshold_met=True,
            referral_date=TODAY,
            outcome="substantiated",
            outcome_date=TODAY,
        )
        == []
    )


def test_future_is_judged_against_the_real_date_by_default():
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    found = case_problems(contact_date=tomorrow, threshold_met=False)
    assert fields(found) == ["contact_date"]


def test_employer_cannot_become_aware_after_the_contact():
    found = problems(
        contact_date=D(2016, 5, 3), threshold_met=False, employer_aware_date=D(2016, 5, 4)
    )
    assert fields(found) == ["employer_aware_date"]


def test_date_of_birth_must_be_before_the_contact():
    found = problems(
        contact_date=D(2016, 5, 3), threshold_met=False, subject_date_of_birth=D(2016, 5, 3)
    )
    assert fields(found) == ["subject_date_of_birth"]


def test_every_problem_is_reported_not_just_the_first():
    found = problems(
        contact_date=D(2016, 5, 3),
        threshold_met=True,
        referral_date=D(2016, 5, 1),
        employer_aware_date=D(2016, 5, 5),
        subject_date_of_birth=D(2020, 1, 1),
    )
    assert set(fields(found)) == {"referral_date", "employer_aware_date", "subject_date_of_birth"}


def test_final_outcomes():
    assert [c for c in OUTCOME_CODES if is_final(c)] == FINAL_OUTCOMES
    assert not is_final("pending")
    assert not is_final("")
    assert not is_final(None)
    assert "pending" not in FINAL_OUTCOMES
    assert set(FINAL_OUTCOMES) == {
        "substantiated",
        "unsubstantiated",
        "unfounded",
        "false",
        "malicious",
        "no_further_action",
    }


# Property: dates generated in order never produce a problem; swapping any adjacent
# pair out of order always names the later field.
ordered_days = st.lists(
    st.dates(min_value=D(2010, 1, 1), max_value=TODAY), min_size=4, max_size=4
).map(sorted)


@settings(max_examples=200)
@given(days=ordered_days, outcome=st.sampled_from(FINAL_OUTCOMES))
def test_dates_in_order_are_always_accepted(days, outcome):
    contact, referral, meeting, result = days
    assert (
        problems(
            contact_date=contact,
            threshold_met=True,
            referral_date=referral,
            strategy_meeting_date=meeting,
            outcome=outcome,
            outcome_date=result,
        )
        == []
    )


@settings(max_examples=200)
@given(
    days=ordered_days.filter(lambda d: len(set(d)) == 4),
    pair=st.sampled_from([0, 1, 2]),
    outcome=st.sampled_from(FINAL_OUTCOMES),
)
def test_an_adjacent_pair_out_of_order_names_the_later_field(days, pair, outcome):
    names = ["contact_date", "referral_date", "strategy_meeting_date", "outcome_date"]
    days = list(days)
    days[pair], days[pair + 1] = days[pair + 1], days[pair]
    values = dict(zip(names, days, strict=True))
    found = problems(threshold_met=True, outcome=outcome, **values)
    assert names[pair + 1] in fields(found)
