"""Age at death (leap years, birthdays), the NHS number check, and the record rules."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguarding.child_deaths.rules import age_band, age_in_years, death_problems
from safeguarding.core.codes import nhs_number_valid

D = dt.date


@pytest.mark.parametrize(
    ("born", "died", "band"),
    [
        (D(2016, 1, 1), D(2016, 1, 1), "under_28_days"),
        (D(2016, 1, 1), D(2016, 1, 28), "under_28_days"),  # 27 days old
        (D(2016, 1, 1), D(2016, 1, 29), "28_to_364_days"),  # 28 days old
        (D(2015, 3, 1), D(2016, 2, 29), "28_to_364_days"),  # 365 days, first birthday tomorrow
        (D(2015, 3, 1), D(2016, 3, 1), "1_to_4"),  # the first birthday itself
        (D(2012, 5, 10), D(2017, 5, 9), "1_to_4"),  # day before 5th birthday
        (D(2012, 5, 10), D(2017, 5, 10), "5_to_9"),
        (D(2002, 1, 1), D(2016, 12, 31), "10_to_14"),
        (D(2002, 1, 1), D(2017, 1, 1), "15_to_17"),
        (D(1999, 4, 1), D(2017, 3, 31), "15_to_17"),  # the last day before 18
    ],
)
def test_age_band_on_the_date_of_death(born, died, band):
    assert age_band(born, died) == band


def test_a_child_born_on_29_february_has_birthdays_on_1_march():
    born = D(2012, 2, 29)
    assert age_in_years(born, D(2013, 2, 28)) == 0
    assert age_in_years(born, D(2013, 3, 1)) == 1
    assert age_in_years(born, D(2016, 2, 29)) == 4
    assert age_band(born, D(2017, 2, 28)) == "1_to_4"
    assert age_band(born, D(2017, 3, 1)) == "5_to_9"


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2030, 1, 1)), st.integers(0, 17 * 366))
def test_age_in_years_matches_counting_birthdays(born, days):
    died = born + dt.timedelta(days=days)
    expected = sum(
        1 for y in range(born.year + 1, died.year + 1) if (D(y, 3, 1) if (born.month, born.day) == (2, 29) and not (y % 4 == 0 and (y % 100 or y % 400 == 0)) else D(y, born.month, born.day)) <= died
    )  # fmt: skip
    assert age_in_years(born, died) == expected


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "4010232137"])
def test_valid_nhs_numbers_are_accepted(number):
    assert nhs_number_valid(number)
    assert not death_problems(
        date_of_birth=D(2016, 1, 1),
        date_of_death=D(2016, 2, 1),
        notification_date=D(2016, 2, 1),
        nhs_number=number,
    )


@pytest.mark.parametrize("number", ["9434765918", "943476591", "94347659190", "abcdefghij"])
def test_wrong_nhs_numbers_are_refused_naming_the_field(number):
    problems = death_problems(
        date_of_birth=D(2016, 1, 1),
        date_of_death=D(2016, 2, 1),
        notification_date=D(2016, 2, 1),
        nhs_number=number,
    )
    assert [f for f, _ in problems] == ["nhs_number"]


def base(**kw):
    values = dict(
        date_of_birth=D(2010, 1, 1), date_of_death=D(2016, 6, 1), notification_date=D(2016, 6, 2)
    )
    values.update(kw)
    return death_problems(**values)


def test_death_before_birth_is_refused():
    (problem,) = base(date_of_birth=D(2016, 6, 2))
    assert problem[0] == "date_of_death" and "before the date of birth" in problem[1]


def test_death_at_18_or_over_is_refused():
    (problem,) = base(date_of_birth=D(1998, 6, 1))
    assert problem[0] == "date_of_death" and "18 or over" in problem[1]
    assert base(date_of_birth=D(1998, 6, 2)) == []  # the day before the 18th birthday


def test_dates_must_follow_in_order():
    assert [f for f, _ in base(notification_date=D(2016, 5, 31))] == ["notification_date"]
    assert [f for f, _ in base(review_date=D(2016, 6, 1), category="8")] == ["review_date"]


def test_future_dates_are_refused():
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert ("notification_date", f"{tomorrow:%d/%m/%Y} is in the future") in base(
        notification_date=tomorrow
    )


def test_category_needs_a_review_and_a_review_needs_a_category():
    assert [f for f, _ in base(category="8")] == ["category"]
    assert [f for f, _ in base(modifiable_factors="no")] == ["modifiable_factors"]
    assert [f for f, _ in base(review_date=D(2016, 9, 1))] == ["category"]
    assert [f for f, _ in base(review_date=D(2016, 9, 1), category="11")] == ["category"]


def test_unknown_ethnicity_code_is_refused():
    assert [f for f, _ in base(ethnicity="XXXX")] == ["ethnicity"]


# ---- the child death review meeting, the NCMD and the analysis form's domains -------------


def test_the_review_meeting_may_be_on_the_day_of_death_not_the_day_before():
    assert base(review_meeting_date=D(2016, 6, 1)) == []
    (problem,) = base(review_meeting_date=D(2016, 5, 31))
    assert problem[0] == "review_meeting_date" and "before the death" in problem[1]


def test_the_review_meeting_is_held_before_the_panel_review():
    reviewed = dict(review_date=D(2016, 9, 1), category="8")
    assert base(review_meeting_date=D(2016, 9, 1), **reviewed) == []  # the same day
    (problem,) = base(review_meeting_date=D(2016, 9, 2), **reviewed)
    assert problem[0] == "review_meeting_date" and "after the panel review" in problem[1]
    assert base(review_meeting_date=D(2016, 9, 2)) == []  # not yet reviewed


def test_the_review_meeting_and_the_ncmd_notification_are_not_in_the_future():
    today = dt.date.today()
    tomorrow = today + dt.timedelta(days=1)
    died = dict(date_of_birth=D(2016, 1, 1), date_of_death=D(2016, 6, 1))
    assert base(ncmd_notified_date=today, **died) == []
    assert base(review_meeting_date=today, **died) == []
    assert base(ncmd_notified_date=tomorrow, **died) == [
        ("ncmd_notified_date", f"{tomorrow:%d/%m/%Y} is in the future")
    ]
    assert base(review_meeting_date=tomorrow, **died) == [
        ("review_meeting_date", f"{tomorrow:%d/%m/%Y} is in the future")
    ]


def test_the_ncmd_notification_may_be_on_the_day_of_death_not_the_day_before():
    assert base(ncmd_notified_date=D(2016, 6, 1)) == []
    (problem,) = base(ncmd_notified_date=D(2016, 5, 31))
    assert problem[0] == "ncmd_notified_date" and "before the death" in problem[1]


REVIEWED = dict(review_date=D(2016, 9, 1), category="10")


@pytest.mark.parametrize(
    "domain", ["factors_social_environment", "factors_physical_environment",
               "factors_service_provision"],
)  # fmt: skip
def test_significant_factors_outside_the_child_contradict_no_modifiable_factors(domain):
    (problem,) = base(modifiable_factors="no", **{domain: "significant"}, **REVIEWED)
    assert problem[0] == "modifiable_factors" and "choose yes" in problem[1]
    assert base(modifiable_factors="no", **{domain: "possible"}, **REVIEWED) == []
    assert base(modifiable_factors="yes", **{domain: "significant"}, **REVIEWED) == []


def test_significant_factors_intrinsic_to_the_child_may_have_no_modifiable_factors():
    assert base(modifiable_factors="no", factors_child="significant", **REVIEWED) == []


def test_modifiable_factors_need_a_domain_with_factors():
    none = dict(factors_child="none", factors_social_environment="none",
                factors_physical_environment="none", factors_service_provision="none")  # fmt: skip
    (problem,) = base(modifiable_factors="yes", **none, **REVIEWED)
    assert problem[0] == "modifiable_factors" and "every domain" in problem[1]
    assert base(modifiable_factors="no", **none, **REVIEWED) == []
    partly = {**none, "factors_service_provision": ""}  # one domain not recorded
    assert base(modifiable_factors="yes", **partly, **REVIEWED) == []


def test_domain_levels_are_codes_and_wait_for_the_review():
    assert [f for f, _ in base(factors_child="high", **REVIEWED)] == ["factors_child"]
    assert [f for f, _ in base(factors_service_provision="possible")] == [
        "factors_service_provision"
    ]
