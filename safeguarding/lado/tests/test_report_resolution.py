"""The year report's `resolution`: referrals concluded within 1, 3 and 12 months of the
referral (LADO_RESOLUTION_TARGETS: 80%, 90%, 100%), by quarter of referral.

"Within n months" is on or before the same day n calendar months after the referral date
(the month's last day when it is shorter), as the case page counts it; exactly one month
is within one month, one day more is not. Expectations are computed independently in
test_report.expected_resolution.
"""

import datetime as dt

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguarding.core.periods import FinancialYear
from safeguarding.lado.models import Case
from safeguarding.lado.reports import year_report

from .test_report import expected_resolution, make

D = dt.date
YEAR = FinancialYear(2016)


def resolution():
    return year_report(YEAR)["resolution"]


def test_concluded_exactly_one_month_after_referral_is_within_one_month(db):
    make(D(2016, 5, 3), outcome="unfounded", outcome_date=D(2016, 6, 3))
    make(D(2016, 5, 3), outcome="unfounded", outcome_date=D(2016, 6, 4))  # one day more
    q1 = resolution()["Q1"]
    assert q1["referrals"] == 2
    assert q1["within_1_month"] == 1
    assert q1["within_3_months"] == 2
    assert q1["within_1_month_pct"] == 50.0


def test_a_month_that_is_shorter_ends_on_its_last_day(db):
    make(D(2017, 1, 31), outcome="false", outcome_date=D(2017, 2, 28))  # 31 Jan + 1 month
    make(D(2017, 1, 31), outcome="false", outcome_date=D(2017, 3, 1))
    make(D(2016, 11, 30), outcome="false", outcome_date=D(2017, 2, 28))  # + 3 months
    make(D(2016, 11, 30), outcome="false", outcome_date=D(2017, 3, 1))
    figures = resolution()
    assert figures["Q4"]["within_1_month"] == 1
    assert figures["Q4"]["within_3_months"] == 2
    assert figures["Q3"]["within_1_month"] == 0
    assert figures["Q3"]["within_3_months"] == 1
    assert figures["Q3"]["within_12_months"] == 2


def test_twelve_months_and_over(db):
    make(D(2016, 4, 15), outcome="substantiated", outcome_date=D(2017, 4, 15))
    make(D(2016, 4, 15), outcome="substantiated", outcome_date=D(2017, 4, 16))
    make(D(2016, 4, 20))  # pending
    q1 = resolution()["Q1"]
    assert q1 == {
        "referrals": 3,
        "within_1_month": 0,
        "within_3_months": 0,
        "within_12_months": 1,
        "over_12_months": 1,
        "not_concluded": 1,
        "within_1_month_pct": 0.0,
        "within_3_months_pct": 0.0,
        "within_12_months_pct": 33.3,
        "over_12_months_pct": 33.3,
        "not_concluded_pct": 33.3,
    }


def test_counted_by_quarter_of_referral_not_of_the_outcome(db):
    make(D(2016, 6, 30), outcome="malicious", outcome_date=D(2016, 7, 29))  # Q1
    make(D(2016, 9, 30), outcome="malicious", outcome_date=D(2016, 10, 30))  # Q2, 1 month
    make(D(2016, 12, 31), outcome="no_further_action", outcome_date=D(2017, 1, 31))  # Q3
    make(D(2017, 3, 31), outcome="unsubstantiated", outcome_date=D(2017, 4, 30))  # Q4
    make(D(2016, 3, 31), outcome="unsubstantiated", outcome_date=D(2016, 4, 1))  # 2015-16
    make(D(2016, 8, 1), threshold=False)  # advice: no referral
    figures = resolution()
    for q in ("Q1", "Q2", "Q3", "Q4"):
        assert figures[q]["referrals"] == 1
        assert figures[q]["within_1_month"] == 1
        assert figures[q]["within_1_month_pct"] == 100.0
    assert figures["total"]["referrals"] == 4
    assert figures["total"]["within_1_month"] == 4
    assert figures["targets"] == {
        "within_1_month": 80,
        "within_3_months": 90,
        "within_12_months": 100,
    }
    assert year_report(FinancialYear(2015))["resolution"]["Q4"]["within_1_month"] == 1


def test_a_quarter_without_referrals_has_no_share(db):
    assert resolution()["Q2"]["within_1_month_pct"] is None


def test_the_targets_follow_the_settings(db, settings):
    settings.LADO_RESOLUTION_TARGETS = [("two months", 2, 75)]
    make(D(2016, 5, 3), outcome="unfounded", outcome_date=D(2016, 7, 3))
    q1 = resolution()["Q1"]
    assert q1["within_2_months"] == 1
    assert q1["over_2_months"] == 0
    assert resolution()["targets"] == {"within_2_months": 75}


def test_resolution_is_one_query(db, django_assert_num_queries):
    from safeguarding.lado.reports import resolution as compute

    for day in range(1, 20):
        make(D(2016, 5, day), outcome="false", outcome_date=D(2016, 8, day))
    with django_assert_num_queries(1):
        compute(YEAR)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.integers(-30, 400),  # referral: days from 1 April 2016
            st.one_of(st.none(), st.integers(0, 500)),  # outcome: days later, or pending
        ),
        max_size=25,
    )
)
def test_resolution_agrees_with_an_independent_calculation(db, cases):
    Case.objects.all().delete()
    made = []
    for offset, later in cases:
        referral = D(2016, 4, 1) + dt.timedelta(days=offset)
        if later is None:
            made.append(make(referral))
        else:
            made.append(
                make(referral, outcome="false", outcome_date=referral + dt.timedelta(days=later))
            )
    assert resolution() == expected_resolution(made, YEAR)


def test_the_page_shows_the_table_with_shares_and_targets(client_for, reader, db):
    make(D(2016, 5, 3), outcome="unfounded", outcome_date=D(2016, 6, 3))
    make(D(2016, 5, 3), outcome="unfounded", outcome_date=D(2016, 9, 3))
    html = client_for(reader).get(reverse("lado:report") + "?year=2016-17").content.decode()
    assert 'id="resolution"' in html
    assert "Concluded within one month" in html
    assert "1 (50.0%)" in html
    assert "80.0%" in html and "90.0%" in html and "100.0%" in html
