"""The LADO's items on everyone's home worklist (core.registers.worklist_for): referrals
awaiting the LADO's decision (1 working day), and open referrals by age against the
resolution targets, overdue ones oldest first; each citing its rule, none naming anyone."""

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguarding.core.periods import add_months
from safeguarding.core.registers import get, worklist_for
from safeguarding.lado import services
from safeguarding.lado.models import Case

D = dt.date
NAME = "Zebedee Quartermaine"


def refer(user, received: dt.date, **values) -> Case:
    base = {
        "employer_name": "Brockley Rise Primary School",
        "employer_sector": "primary_school",
        "employer_aware_date": received,
        "subject_name": NAME,
        "subject_role": "Class teacher",
        "summary": "Pushed a child against a wall",
    }
    return services.referral_make(acting_user=user, contact_date=received, **{**base, **values})


def referral(officer, agency, referred: dt.date, **values) -> Case:
    base = {
        "owning_agency": agency,
        "contact_date": referred,
        "employer_sector": "primary_school",
        "subject_name": NAME,
        "threshold_met": True,
        "harm_test": "harmed",
    }
    return services.case_create(acting_user=officer, **{**base, **values})


def lado_items(user, today) -> list:
    return [i for i in worklist_for(user, today) if i.module == "lado"]


# ---- referrals awaiting the LADO's decision ------------------------------------------------


def test_a_referral_on_good_friday_is_due_on_the_tuesday_after_easter(officer, owner):
    case = refer(owner, D(2024, 3, 29))
    (item,) = lado_items(officer, D(2024, 4, 2))
    assert item.reference == case.reference
    assert item.url == reverse("lado:detail", args=[case.pk])
    assert item.due == D(2024, 4, 2) and not item.overdue
    assert item.label.startswith("Decide on the referral")
    assert "1 working day" in item.rule and "local procedure" in item.rule
    (late,) = lado_items(officer, D(2024, 4, 3))
    assert late.overdue


def test_a_referral_on_a_friday_is_due_on_the_monday(officer, owner):
    refer(owner, D(2024, 3, 8))
    assert [(i.due, i.overdue) for i in lado_items(officer, D(2024, 3, 11))] == [
        (D(2024, 3, 11), False)
    ]
    assert lado_items(officer, D(2024, 3, 12))[0].overdue


def test_a_decided_referral_leaves_the_decision_list(officer, owner):
    case = refer(owner, D(2024, 3, 8))
    services.decision_record(
        acting_user=officer,
        case=case,
        expected_version=case.version,
        threshold_met=False,
        decided_on=D(2024, 3, 8),
        next_steps="Advice given to the school.",
    )
    assert lado_items(officer, D(2024, 3, 12)) == []


# ---- open referrals by age against the resolution targets ----------------------------------


def test_open_referrals_by_age_at_the_edges_of_the_targets(officer, school):
    today = D(2025, 1, 16)
    made = {
        "twelve and a day": referral(officer, school, D(2024, 1, 15)),
        "exactly twelve": referral(officer, school, D(2024, 1, 16)),
        "three and a day": referral(officer, school, D(2024, 10, 15)),
        "exactly three": referral(officer, school, D(2024, 10, 16)),
        "one and a day": referral(officer, school, D(2024, 12, 15)),
        "exactly one": referral(officer, school, D(2024, 12, 16)),
        "due in 14 days": referral(officer, school, D(2024, 12, 30)),
        "due in 15 days": referral(officer, school, D(2024, 12, 31)),
        "the same day": referral(officer, school, today),
    }
    closed = referral(
        officer, school, D(2023, 1, 5), outcome="unfounded", outcome_date=D(2023, 2, 1)
    )
    advice = referral(officer, school, D(2023, 1, 5), threshold_met=False, harm_test="")
    items = {i.reference: i for i in lado_items(officer, today)}
    by_case = {k: items.get(c.reference) for k, c in made.items()}
    assert closed.reference not in items and advice.reference not in items
    assert by_case["due in 15 days"] is None and by_case["the same day"] is None
    expected = {
        "twelve and a day": (
            True,
            "Overdue for resolution: open 12 months, past twelve months",
        ),
        "exactly twelve": (
            True,
            "Overdue for resolution: open 12 months, past three months",
        ),
        "three and a day": (
            True,
            "Overdue for resolution: open 3 months, past three months",
        ),
        "exactly three": (
            True,
            "Overdue for resolution: open 3 months, past one month",
        ),  # past one month only
        "one and a day": (True, "Overdue for resolution: open 1 month, past one month"),
        "exactly one": (False, "Resolve within one month of the referral: open 1 month"),
        "due in 14 days": (False, "Resolve within one month of the referral: open 17 days"),
    }
    for key, (overdue, label) in expected.items():
        item = by_case[key]
        assert (item.overdue, item.label) == (overdue, label), key
        assert item.due == add_months(made[key].referral_date, 1)  # the first target's day
        assert "80% within one month" in item.rule and "Working Together" in item.rule


def test_the_home_worklist_lists_overdue_cases_first_oldest_first(officer, owner, school):
    today = D(2025, 1, 16)
    soon = referral(officer, school, D(2024, 12, 20))  # reaches one month on 20 January
    old = referral(officer, school, D(2016, 5, 4))  # open since 2016
    middle = referral(officer, school, D(2024, 6, 3))
    waiting = refer(owner, D(2025, 1, 13))  # due 14 January: overdue
    items = lado_items(officer, today)
    assert [i.reference for i in items] == [
        old.reference,
        middle.reference,
        waiting.reference,
        soon.reference,
    ]
    assert [i.overdue for i in items] == [True, True, True, False]
    assert items[0].label == "Overdue for resolution: open 8 years 8 months, past twelve months"


def test_a_contributor_sees_only_their_agencys_items_and_a_reader_none(
    officer, owner, outsider, reader, school, other_school
):
    today = D(2025, 1, 16)
    ours = referral(officer, school, D(2024, 1, 2))
    theirs = referral(officer, other_school, D(2024, 1, 2))
    mine_waiting = refer(owner, D(2025, 1, 15))
    assert {i.reference for i in lado_items(owner, today)} == {
        ours.reference,
        mine_waiting.reference,
    }
    assert {i.reference for i in lado_items(outsider, today)} == {theirs.reference}
    assert lado_items(reader, today) == []


def test_no_item_names_anyone(officer, owner, school):
    referral(officer, school, D(2024, 1, 2), subject_role="Class teacher")
    refer(owner, D(2025, 1, 15), children="AB, aged 7")
    items = lado_items(officer, D(2025, 1, 16))
    assert len(items) == 2
    text = " ".join(f"{i.label} {i.reference} {i.rule}" for i in items)
    for personal in (NAME, "Class teacher", "AB, aged 7", "Pushed a child"):
        assert personal not in text


@override_settings(LADO_RESOLUTION_TARGETS=[("six weeks", 2, 75), ("six months", 6, 95)])
def test_the_targets_are_the_setting(officer, school):
    case = referral(officer, school, D(2024, 1, 15))
    (item,) = lado_items(officer, D(2024, 3, 16))
    assert item.reference == case.reference and item.overdue
    assert item.label == "Overdue for resolution: open 2 months, past six weeks"
    assert "75% within six weeks, 95% within six months" in item.rule


@pytest.mark.parametrize("who", ["officer", "owner"])
def test_the_worklist_reads_a_constant_number_of_rows(who, request, officer, owner, school):
    user = request.getfixturevalue(who)
    today = D(2025, 1, 16)
    worklist = get("lado").worklist

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            items = worklist(user, today)
        assert items
        return len(captured)

    referral(officer, school, D(2024, 1, 2))
    refer(owner, D(2025, 1, 15))
    worklist(user, today)  # the user's grants, read once per request
    few = queries()
    for day in range(1, 20):
        referral(officer, school, D(2023, 1, day))
        refer(owner, D(2024, 1, day))
    assert queries() == few
