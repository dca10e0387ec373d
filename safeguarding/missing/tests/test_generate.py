"""The scale-data generator writes valid, non-overlapping episodes with return
interviews, and the year report adds up."""

import pytest
from django.db.models import Count

from conftest import GENERATED_YEARS as YEARS
from safeguarding.children.models import Child
from safeguarding.missing import generate, reports, rules
from safeguarding.missing.models import Episode, MetListEntry, ReturnInterview, Screening


@pytest.fixture
def generated(generate_years):
    return generate_years(generate, scale=0.02, seed=3)


def test_each_year_reports_progress_and_writes_children_and_episodes(generated):
    assert [m.split(":")[0] for m in generated] == ["2019-20", "2020-21"]
    assert Episode.objects.count() == 2 * 300  # 15,000 a year at scale 1
    for year in YEARS:
        start, end = reports.year_bounds(year)
        children = Episode.objects.filter(start__gte=start, start__lt=end).values("child")
        assert children.distinct().count() == 60  # 3,000 a year at scale 1
    # Some children are known from the year before; a few go missing very often.
    assert Child.objects.count() < 120
    most = Episode.objects.values("child").annotate(n=Count("id")).order_by("-n")[0]["n"]
    assert most >= 5
    assert Episode.objects.filter(looked_after=True).exists()
    assert not Episode.objects.filter(looked_after=False, episode_type="away").exists()
    assert ReturnInterview.objects.exists() and Screening.objects.exists()
    assert MetListEntry.objects.filter(left_on__isnull=True).count() <= Child.objects.count()


def test_episodes_never_overlap_and_pass_the_module_rules(generated):
    by_child = {}
    for episode in Episode.objects.order_by("child_id", "start"):
        assert (
            rules.episode_problems(
                start=episode.start,
                end=episode.end,
                interview_offered=None,
                others=by_child.get(episode.child_id, []),
            )
            == []
        )
        by_child.setdefault(episode.child_id, []).append(
            (episode.reference, episode.start, episode.end)
        )
    assert not Episode.objects.filter(end__isnull=True).exists()  # past years: all ended


def test_interviews_follow_missing_episodes(generated):
    for interview in ReturnInterview.objects.select_related("episode"):
        episode = interview.episode
        assert episode.episode_type == "missing"
        assert interview.offered_at >= episode.end
        if interview.completed_on:
            assert interview.response == "accepted"
    offered = [i.offered_in_time for i in ReturnInterview.objects.select_related("episode")]
    assert True in offered and False in offered  # most in time, some late
    assert ReturnInterview.objects.filter(response="declined").exists()


def test_year_reports_have_figures_that_add_up(generated):
    for year in YEARS:
        report = reports.year_report(year)
        start, end = reports.year_bounds(year)
        in_year = Episode.objects.filter(start__gte=start, start__lt=end)
        assert sum(reports.month_totals(report)) == in_year.count() > 0
        assert all(total > 0 for total in reports.month_totals(report))
        interviews = report["return_interviews"]
        assert interviews["missing_episodes"] == in_year.filter(episode_type="missing").count()
        assert 0 < interviews["offered_within_72_hours"] < interviews["missing_episodes"]
        assert 0 < report["repeat_children"] <= report["children"] == 60
