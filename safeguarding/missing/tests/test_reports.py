"""The missing-episodes report: keys of the issue 5 contract, month edges, the 72-hour count."""

import datetime as dt

from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguarding.core.periods import FinancialYear
from safeguarding.missing import services
from safeguarding.missing.models import Episode, ReturnInterview
from safeguarding.missing.reports import year_report

from .fixtures import at

YEAR = FinancialYear(2016)


def add(child, start, end=None, kind="missing", care=False, offered=None, ref=None):
    episode = Episode.objects.create(
        reference=ref or f"R{Episode.objects.count() + 1}",
        child=child,
        episode_type=kind,
        looked_after=care,
        start=start,
        end=end,
    )
    if offered:
        ReturnInterview.objects.create(episode=episode, offered_at=offered)
    return episode


def test_keys_are_the_contract(db):
    report = year_report(YEAR)
    assert list(report) == ["by_month", "return_interviews", "children", "repeat_children"]
    assert list(report["by_month"]) == [f"2016-{m:02d}" for m in range(4, 13)] + [
        "2017-01",
        "2017-02",
        "2017-03",
    ]
    assert set(report["by_month"]["2016-04"]) == {
        "care_missing",
        "home_missing",
        "care_absent",
        "home_absent",
    }
    assert report["return_interviews"] == {
        "missing_episodes": 0,
        "offered_within_72_hours": 0,
        "completed_within_72_hours": 0,
    }


def test_episodes_count_in_the_month_they_started_in_england(db, child):
    add(child, at("2016-04-30 23:30"), at("2016-05-01 02:00"), care=True)  # April, local
    add(child, at("2016-05-01 00:30"), at("2016-05-01 03:00"), kind="absent")  # 23:30 UTC: May
    add(child, at("2017-03-31 23:59"), at("2017-04-01 01:00"), kind="absent", care=True)
    add(child, at("2017-04-01 00:00"), at("2017-04-01 05:00"))  # next year
    add(child, at("2016-03-31 23:59"), at("2016-04-01 00:10"))  # previous year
    report = year_report(YEAR)
    assert report["by_month"]["2016-04"]["care_missing"] == 1
    assert report["by_month"]["2016-05"]["home_absent"] == 1
    assert report["by_month"]["2017-03"]["care_absent"] == 1
    assert sum(sum(m.values()) for m in report["by_month"].values()) == 3


def test_return_interviews_within_72_hours_after_midnight_and_open_episodes(db, child, school):
    from safeguarding.children.services import child_create

    other = child_create(acting_user=None, external_reference="C-2")
    end = at("2016-06-01 23:45")  # returned just before midnight
    add(child, at("2016-06-01 20:00"), end, offered=end + dt.timedelta(hours=72))  # in time
    add(child, at("2016-07-01 20:00"), at("2016-07-02 00:30"), offered=at("2016-07-05 00:31"))
    add(child, at("2016-08-01 20:00"), at("2016-08-02 01:00"))  # returned, never offered
    add(
        child,
        at("2016-09-01 20:00"),
        at("2016-09-01 21:00"),
        kind="absent",
        offered=at("2016-09-02 09:00"),
    )
    add(other, at("2017-03-30 20:00"))  # still missing
    report = year_report(YEAR)
    assert report["return_interviews"] == {
        "missing_episodes": 4,
        "offered_within_72_hours": 1,
        "completed_within_72_hours": 0,
    }
    assert report["children"] == 2
    # `child` has 4 episodes in the year; June, July and August start within 90 days.
    assert report["repeat_children"] == 1


def test_away_from_placement_is_counted_with_absent(db, child):
    add(child, at("2016-10-10 10:00"), at("2016-10-10 12:00"), kind="away", care=True)
    assert year_report(YEAR)["by_month"]["2016-10"]["care_absent"] == 1


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.integers(-40, 400),  # day offset from 1 April 2016
            st.integers(0, 23),
            st.sampled_from(["missing", "absent", "away"]),
            st.booleans(),
        ),
        max_size=25,
    )
)
def test_monthly_counts_sum_to_the_episodes_that_started_in_the_year(child, episodes):
    Episode.objects.all().delete()
    base = dt.date(2016, 4, 1)
    for i, (offset, hour, kind, care) in enumerate(episodes):
        start = at(f"{base + dt.timedelta(days=offset)} {hour:02d}:00") + dt.timedelta(minutes=i)
        add(child, start, start + dt.timedelta(seconds=30), kind=kind, care=care, ref=f"H{i}")
    report = year_report(YEAR)
    in_year = sum(1 for offset, *_ in episodes if 0 <= offset < 365)
    assert sum(sum(m.values()) for m in report["by_month"].values()) == in_year
    missing = sum(1 for offset, _h, kind, _c in episodes if 0 <= offset < 365 and kind == "missing")
    assert report["return_interviews"]["missing_episodes"] == missing


def test_the_command_line_prints_json_with_the_keys(db, child, capsys):
    import json

    add(child, at("2016-04-05 10:00"), at("2016-04-05 12:00"), care=True)
    call_command("report", "missing-episodes", "--year", "2016-17", "--format", "json")
    figures = json.loads(capsys.readouterr().out)
    assert figures["by_month"]["2016-04"]["care_missing"] == 1
    assert figures["children"] == 1


def test_the_report_uses_a_constant_number_of_queries(db, child, django_assert_max_num_queries):
    for day in range(1, 20):
        add(child, at(f"2016-05-{day:02d} 10:00"), at(f"2016-05-{day:02d} 11:00"))
    # The year's totals, the months grouped in one pass, the repeat-missing starts.
    with django_assert_max_num_queries(3):
        year_report(YEAR)


def test_services_and_the_report_agree(db, child, met_officer):
    services.episode_create(
        acting_user=met_officer,
        child=child,
        looked_after=False,
        episode_type="absent",
        start=at("2016-11-02 16:00"),
        end=at("2016-11-02 19:00"),
    )
    assert year_report(YEAR)["by_month"]["2016-11"]["home_absent"] == 1
