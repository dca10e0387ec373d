"""The scale-data generator writes referrals with their stored clocks, and tracked actions
sourced from them; the year report adds up."""

import pytest

from conftest import GENERATED_YEARS as YEARS
from safeguarding.actions.models import DONE_STATUSES, Action
from safeguarding.case_reviews import generate, reports
from safeguarding.case_reviews.models import Referral
from safeguarding.case_reviews.rules import referral_problems


@pytest.fixture
def generated(generate_years):
    return generate_years(generate, scale=0.05, seed=5)


def test_each_year_reports_progress_and_writes_referrals_and_actions(generated):
    assert [m.split(":")[0] for m in generated] == ["2019-20", "2020-21"]
    assert Referral.objects.count() == 2  # 20 a year at scale 1
    assert Action.objects.count() == 100  # 1,000 a year at scale 1


def test_referrals_pass_the_rules_and_store_their_clocks(generated):
    for referral in Referral.objects.select_related("decision"):
        stored = (referral.notification_due, referral.rapid_review_due, referral.publication_due)
        referral.refresh_clocks()
        assert stored == (
            referral.notification_due,
            referral.rapid_review_due,
            referral.publication_due,
        )
        assert (
            referral_problems(
                referral_date=referral.referral_date,
                la_aware_date=referral.la_aware_date,
                incident_date=referral.incident_date,
                notification_date=referral.notification_date,
                rapid_review_date=referral.rapid_review_date,
                decision_code=referral.decision.code if referral.decision_id else None,
                decision_date=referral.decision_date,
                review_start_date=referral.review_start_date,
                draft_report_date=referral.draft_report_date,
                final_report_date=referral.final_report_date,
                published_date=referral.published_date,
                publication_decision=referral.publication_decision,
            )
            == []
        )
        assert referral.agencies_involved.exists()


def test_actions_have_a_source_review_and_progress(generated):
    for action in Action.objects.prefetch_related("updates"):
        assert isinstance(action.source, Referral)
        assert action.due_date > action.agreed_date
        updates = list(action.updates.all())
        if action.status != "not_started":
            assert updates and updates[0].status == action.status
        if action.status in DONE_STATUSES:
            assert action.completed_date and action.evidence
        else:
            assert action.completed_date is None


def test_year_reports_have_figures_that_add_up(generated):
    figures = [reports.year_report(year) for year in YEARS]
    assert sum(f["referrals"] for f in figures) == 2
    assert sum(sum(f["decisions"].values()) for f in figures) > 0
    assert sum(f["actions"]["open"] + f["actions"]["completed_in_year"] for f in figures) > 0
    for year, f in zip(YEARS, figures, strict=True):
        decided = Referral.objects.filter(decision_date__range=(year.start, year.end)).count()
        assert sum(f["decisions"].values()) == decided
        for clock in ("notifications", "rapid_reviews"):
            assert f[clock]["on_time"] <= f[clock]["due"]
        assert f["actions"]["overdue"] <= f["actions"]["open"]
