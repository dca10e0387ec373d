"""RAG with both polarities and the tolerance edge; percentage and rate arithmetic."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguarding.performance import rules


@pytest.mark.parametrize(
    ("value", "expected"),
    [("97", "green"), ("95", "green"), ("94.9", "amber"), ("93", "amber"), ("92.9", "red")],
)
def test_higher_is_better_with_inclusive_amber_edge(value, expected):
    assert rules.rag(Decimal(value), Decimal(95), Decimal(2), "higher") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("10", "green"), ("12", "green"), ("12.1", "amber"), ("15", "amber"), ("15.1", "red")],
)
def test_lower_is_better_with_inclusive_amber_edge(value, expected):
    assert rules.rag(Decimal(value), Decimal(12), Decimal(3), "lower") == expected


def test_rating_uses_the_value_as_shown():
    # 92.96 shows as 93.0, exactly on the amber edge: the user sees 93.0 and amber.
    assert rules.rag(Decimal("92.96"), Decimal(95), Decimal(2), "higher") == "amber"


def test_no_target_or_no_polarity_has_no_rating():
    assert rules.rag(Decimal(50), None, Decimal(0), "higher") == "none"
    assert rules.rag(Decimal(50), Decimal(40), Decimal(0), "none") == "none"
    assert rules.rag(None, Decimal(40), Decimal(0), "higher") == "none"


@pytest.mark.parametrize(
    ("value", "target", "polarity", "expected"),
    [
        (None, "95", "higher", "no_data"),  # a target, nothing approved: not "No target"
        (None, None, "none", "no_data"),
        ("50", None, "higher", "no_target"),
        ("50", "40", "none", "no_target"),  # context only: a figure, nothing to rate
        ("96", "95", "higher", "green"),
        ("90", "95", "higher", "red"),
    ],
)
def test_no_data_and_no_target_are_told_apart(value, target, polarity, expected):
    rating = rules.rating(
        Decimal(value) if value else None, Decimal(target) if target else None, 2, polarity
    )
    assert rating == expected
    assert rules.RATINGS[rating] in {"No data", "No target", "Green", "Red"}


def test_percentage_from_parts_rounds_half_up_to_one_place():
    value = rules.derive("percent", None, Decimal(11), Decimal(13))
    assert rules.shown(value) == Decimal("84.6")
    assert rules.shown(rules.derive("percent", None, Decimal(1), Decimal(8))) == Decimal("12.5")
    assert rules.shown(Decimal("0.05")) == Decimal("0.1")


def test_rate_per_10000_uses_the_population_setting(settings):
    settings.PERFORMANCE_CHILD_POPULATION = 67600
    assert rules.shown(rules.derive("rate_per_10000", None, Decimal(459), None)) == Decimal("67.9")
    assert rules.shown(rules.derive("rate_per_10000", None, Decimal(5), Decimal(1000))) == Decimal(
        "50.0"
    )


@pytest.mark.parametrize(
    ("unit", "value", "num", "den", "field"),
    [
        ("percent", "101", None, None, "value"),
        ("percent", None, "11", "10", "numerator"),
        ("count", "-1", None, None, "value"),
        ("count", "2.5", None, None, "value"),
        ("percent", None, "1", "0", "denominator"),
        ("count", None, None, None, "value"),
    ],
)
def test_bad_values_are_refused_naming_the_field(unit, value, num, den, field):
    problems = rules.value_problems(
        unit,
        Decimal(value) if value else None,
        Decimal(num) if num else None,
        Decimal(den) if den else None,
    )
    assert field in [f for f, _ in problems]


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_a_percentage_of_valid_parts_is_within_0_and_100(num, den):
    num = min(num, den)
    assert rules.value_problems("percent", None, Decimal(num), Decimal(den)) == []
    assert Decimal(0) <= rules.shown(rules.derive("percent", None, num, den)) <= Decimal(100)


def test_year_on_year_change():
    assert rules.shown(rules.change_percent(Decimal(722), Decimal(731))) == Decimal("-1.2")
    assert rules.change_percent(Decimal(5), Decimal(0)) is None
