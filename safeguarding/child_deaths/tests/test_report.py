"""The year report: the issue 3 keys, the seed's definitions, and sums that must hold."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from safeguarding.child_deaths import reports, services
from safeguarding.child_deaths.models import Death
from safeguarding.core.periods import FinancialYear

from .conftest import notify

Y2016 = FinancialYear(2016)


def test_report_has_exactly_the_contract_keys(db):
    report = reports.year_report(Y2016)
    assert list(report) == [
        "notified", "reviewed", "expected", "unexpected", "age_at_death", "sex", "ethnicity",
        "bme", "category", "modifiable", "notified_to_date", "reviewed_to_date",
        "modifiable_factor_domains", "ncmd",
    ]  # fmt: skip
    assert list(report["age_at_death"]) == [
        "under_28_days", "28_to_364_days", "1_to_4", "5_to_9", "10_to_14", "15_to_17",
    ]  # fmt: skip
    assert list(report["category"]) == [str(n) for n in range(1, 11)]
    assert list(report["ethnicity"]) == ["white", "mixed", "asian", "black", "other", "not_known"]
    assert list(report["modifiable"]) == ["yes", "no", "insufficient"]
    assert list(report["modifiable_factor_domains"]) == [
        "factors_child", "factors_social_environment", "factors_physical_environment",
        "factors_service_provision",
    ]  # fmt: skip
    for levels in report["modifiable_factor_domains"].values():
        assert list(levels) == ["none", "possible", "significant", "not_recorded"]
    assert list(report["ncmd"]) == ["child_protection_plan", "looked_after", "notified"]


def test_figures_count_notifications_and_reviews_in_their_own_years(coordinator):
    # Notified in 2015-16, reviewed in 2016-17: counts as notified in 2015-16 only.
    notify(
        coordinator, date_of_death=dt.date(2016, 2, 1), notification_date=dt.date(2016, 2, 2),
        review_date=dt.date(2016, 5, 1), category="8", modifiable_factors="no", expected=True,
        date_of_birth=dt.date(2016, 1, 20), sex="male", ethnicity="CHNE",
    )  # fmt: skip
    # Notified and reviewed in 2016-17.
    notify(
        coordinator, review_date=dt.date(2017, 3, 31), category="10", modifiable_factors="yes",
        ethnicity="REFU",
    )  # fmt: skip
    # Notified in 2016-17, not reviewed.
    notify(coordinator, date_of_death=dt.date(2017, 3, 1), notification_date=dt.date(2017, 3, 31))
    # Notified and reviewed in 2017-18: outside the year and its "to date" counts.
    notify(
        coordinator, date_of_death=dt.date(2017, 4, 2), notification_date=dt.date(2017, 4, 3),
        review_date=dt.date(2017, 9, 1), category="4", modifiable_factors="no",
    )  # fmt: skip
    report = reports.year_report(Y2016)
    assert (report["notified"], report["reviewed"]) == (2, 2)
    assert (report["notified_to_date"], report["reviewed_to_date"]) == (3, 2)
    assert (report["expected"], report["unexpected"]) == (1, 1)
    assert report["age_at_death"]["under_28_days"] == 1  # 12 days old
    assert report["age_at_death"]["28_to_364_days"] == 1  # born 10 Jan, died 1 Jun
    assert report["sex"] == {"male": 1, "female": 1, "unknown": 0}
    assert report["ethnicity"]["other"] == 1  # CHNE
    assert report["ethnicity"]["not_known"] == 1  # REFU
    assert report["bme"] == 1  # not_known is not counted as BME
    assert report["category"]["8"] == report["category"]["10"] == 1
    assert report["modifiable"] == {"yes": 1, "no": 1, "insufficient": 0}
    previous = reports.year_report(Y2016.previous())
    assert (previous["notified"], previous["reviewed"], previous["reviewed_to_date"]) == (1, 0, 0)


def test_report_is_computed_in_a_constant_number_of_queries(coordinator, django_assert_num_queries):
    for day in range(1, 6):
        notify(coordinator, review_date=dt.date(2016, 9, day), category="5",
               modifiable_factors="no")  # fmt: skip
    with django_assert_num_queries(2):
        reports.year_report(Y2016)


record = st.fixed_dictionaries(
    {
        "age_days": st.integers(0, 18 * 365 - 10),
        "sex": st.sampled_from(["male", "female", "unknown"]),
        "ethnicity": st.sampled_from(["WBRI", "MWBC", "ABAN", "BAFR", "OOTH", "NOBT", "REFU"]),
        "expected": st.booleans(),
        "review_offset": st.integers(-13, 420),
        "category": st.sampled_from([str(n) for n in range(1, 11)]),
        "modifiable": st.sampled_from(["yes", "no", "insufficient"]),
    }
)


class TestSums(TestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(record, max_size=12))
    def test_age_bands_sexes_categories_and_groups_each_sum_to_the_reviewed(self, records):
        Death.objects.all().delete()
        for i, r in enumerate(records):
            died = dt.date(2016, 3, 1)
            reviewed = dt.date(2016, 3, 15) + dt.timedelta(days=r["review_offset"])
            services.death_create(
                acting_user=None,
                reference=f"T-{i}",
                date_of_birth=died - dt.timedelta(days=r["age_days"]),
                date_of_death=died,
                notification_date=dt.date(2016, 3, 2),
                sex=r["sex"],
                ethnicity=r["ethnicity"],
                expected=r["expected"],
                review_date=reviewed,
                category=r["category"],
                modifiable_factors=r["modifiable"],
            )
        report = reports.year_report(Y2016)
        reviewed = sum(
            1 for r in records if dt.date(2016, 3, 15) + dt.timedelta(days=r["review_offset"])
            in Y2016
        )  # fmt: skip
        assert report["reviewed"] == reviewed
        assert report["expected"] + report["unexpected"] == reviewed
        for key in ("age_at_death", "sex", "ethnicity", "category", "modifiable"):
            assert sum(report[key].values()) == reviewed, key
        groups = report["ethnicity"]
        assert report["bme"] == reviewed - groups["white"] - groups["not_known"]


DOMAINS = ["factors_child", "factors_social_environment", "factors_physical_environment",
           "factors_service_provision"]  # fmt: skip
# (notified, reviewed, modifiable, domain levels, cp plan, looked after, NCMD notified)
SPECS = [
    (dt.date(2016, 6, 2), dt.date(2016, 9, 1), "yes", ("none", "significant", "possible", ""),
     True, False, dt.date(2016, 6, 3)),
    (dt.date(2016, 6, 2), dt.date(2017, 3, 31), "no", ("significant", "none", "none", "none"),
     None, True, None),
    (dt.date(2016, 6, 2), dt.date(2016, 12, 1), "insufficient", ("possible", "", "", ""),
     False, None, dt.date(2016, 7, 1)),
    (dt.date(2016, 6, 2), None, "", ("", "", "", ""), True, True, dt.date(2016, 6, 2)),
    # Notified in 2015-16, reviewed in 2016-17; notified in 2016-17, reviewed in 2017-18.
    (dt.date(2016, 3, 31), dt.date(2016, 5, 1), "yes", ("none", "none", "none", "significant"),
     True, True, dt.date(2016, 4, 1)),
    (dt.date(2017, 3, 31), dt.date(2017, 4, 1), "yes", ("none", "possible", "none", "none"),
     True, True, dt.date(2017, 3, 31)),
]  # fmt: skip


def test_domains_and_ncmd_figures_match_an_independent_count(coordinator):
    for i, (notified, reviewed, modifiable, levels, plan, looked_after, ncmd) in enumerate(SPECS):
        notify(
            coordinator, reference=f"T-{i}", date_of_death=notified, notification_date=notified,
            review_date=reviewed, category="5" if reviewed else "", modifiable_factors=modifiable,
            child_protection_plan_at_death=plan, looked_after_at_death=looked_after,
            ncmd_notified_date=ncmd, **dict(zip(DOMAINS, levels, strict=True)),
        )  # fmt: skip
    report = reports.year_report(Y2016)
    reviewed_in_year = [s for s in SPECS if s[1] and s[1] in Y2016]
    notified_in_year = [s for s in SPECS if s[0] in Y2016]
    assert len(reviewed_in_year) == report["reviewed"] == 4
    for d, domain in enumerate(DOMAINS):
        levels = [s[3][d] or "not_recorded" for s in reviewed_in_year]
        assert report["modifiable_factor_domains"][domain] == {
            level: levels.count(level) for level in ("none", "possible", "significant",
                                                     "not_recorded")
        }, domain  # fmt: skip
        assert sum(report["modifiable_factor_domains"][domain].values()) == report["reviewed"]
    assert len(notified_in_year) == report["notified"] == 5
    assert (
        report["ncmd"]
        == {
            "child_protection_plan": sum(1 for s in notified_in_year if s[4] is True),
            "looked_after": sum(1 for s in notified_in_year if s[5] is True),
            "notified": sum(1 for s in notified_in_year if s[6] is not None),
        }
        == {"child_protection_plan": 3, "looked_after": 3, "notified": 4}
    )
