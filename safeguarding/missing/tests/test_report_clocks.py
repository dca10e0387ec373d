"""The year report against the regulations, at the edges.

Return home interviews: the statutory guidance "Children who run away or go missing from
home or care" (DfE, January 2014) asks for an independent return interview within 72 hours
of the return; the report gives both offered and completed within 72 hours (domain.md).
The clock counts elapsed hours (rules.RETURN_INTERVIEW), so the 72nd hour itself is on time
(72h00 counts, 72h00m01s does not: core.clocks, "the due date is the last moment on time"),
and weekends, bank holidays and the clock changes neither stop nor move it. The completion
is recorded as a date, so a completion counts when it falls on or before the day (in
England) on which the 72 hours end.

Repeat missing: MISSING_REPEAT_EPISODES (3) episodes whose starts lie within
MISSING_REPEAT_DAYS (90) days (at most 90 x 24 hours from the first to the last), the last
of them starting in the year.
"""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguarding.core.periods import FinancialYear
from safeguarding.missing.models import Episode, ReturnInterview
from safeguarding.missing.reports import year_bounds, year_report

from .fixtures import at

YEAR = FinancialYear(2016)
H72 = dt.timedelta(hours=72)


def add(child, start, end=None, *, kind="missing", offered=None, completed=None):
    episode = Episode.objects.create(
        reference=f"E{Episode.objects.count() + 1}",
        child=child,
        episode_type=kind,
        looked_after=False,
        start=start,
        end=end,
    )
    if offered or completed:
        ReturnInterview.objects.create(
            episode=episode,
            offered_at=offered or end,
            response="accepted" if completed else "",
            completed_on=completed,
        )
    return episode


def interviews():
    return year_report(YEAR)["return_interviews"]


# ---- offered within 72 hours ------------------------------------------------------------


def test_offered_at_72_hours_counts_and_one_second_more_does_not(db, child):
    end = at("2016-06-01 10:00")
    add(child, at("2016-06-01 08:00"), end, offered=end + H72)
    end = at("2016-07-01 10:00")
    add(child, at("2016-07-01 08:00"), end, offered=end + H72 + dt.timedelta(seconds=1))
    assert interviews()["offered_within_72_hours"] == 1


def test_the_72_hours_are_elapsed_hours_across_the_clock_change(db, child):
    # Returned Friday 28 October 2016 12:00 BST; clocks go back on Sunday 30 October, so
    # 72 hours later is Monday 31 October 11:00 GMT (not 12:00).
    end = at("2016-10-28 12:00")
    add(child, at("2016-10-28 08:00"), end, offered=at("2016-10-31 11:00"))  # on time
    end = at("2016-11-04 12:00")  # a week later, no change: the same hour three days on
    add(child, at("2016-11-04 08:00"), end, offered=at("2016-11-07 12:00"))  # on time
    add(
        child, at("2016-10-21 08:00"), at("2016-10-21 12:00"), offered=at("2016-10-24 12:01")
    )  # late
    add(child, at("2016-10-14 08:00"), at("2016-10-14 12:00"))  # never offered
    figures = interviews()
    assert figures["missing_episodes"] == 4
    assert figures["offered_within_72_hours"] == 2


def test_a_bank_holiday_weekend_does_not_stop_the_clock(db, child):
    # Returned Friday 26 August 2016 18:00; Monday 29 August was the summer bank holiday.
    end = at("2016-08-26 18:00")
    add(child, at("2016-08-26 09:00"), end, offered=at("2016-08-30 09:00"))  # Tuesday: late
    assert interviews()["offered_within_72_hours"] == 0


# ---- completed within 72 hours ----------------------------------------------------------


def test_completed_on_the_day_the_72_hours_end_counts_and_the_day_after_does_not(db, child):
    end = at("2016-06-03 23:30")  # Friday night: the 72 hours end Monday 6 June 23:30
    add(child, at("2016-06-03 20:00"), end, offered=end, completed=dt.date(2016, 6, 6))
    end = at("2016-07-01 23:30")  # Friday: the 72 hours end Monday 4 July 23:30
    add(child, at("2016-07-01 20:00"), end, offered=end, completed=dt.date(2016, 7, 5))
    figures = interviews()
    assert figures["completed_within_72_hours"] == 1
    assert figures["offered_within_72_hours"] == 2


def test_completion_is_read_on_england_s_calendar(db, child):
    # Returned 00:30 BST on 1 June (23:30 UTC on 31 May): the 72 hours end 00:30 BST on
    # 4 June, which is 3 June in UTC. A completion on 4 June is on the last day.
    end = at("2016-06-01 00:30")
    add(child, at("2016-05-31 20:00"), end, offered=end, completed=dt.date(2016, 6, 4))
    assert interviews()["completed_within_72_hours"] == 1


def test_a_bank_holiday_does_not_extend_the_completion(db, child):
    # Returned Friday 26 August 2016 18:00: the 72 hours end on the bank holiday Monday.
    end = at("2016-08-26 18:00")
    add(child, at("2016-08-26 09:00"), end, offered=end, completed=dt.date(2016, 8, 29))
    end = at("2016-09-02 18:00")
    add(child, at("2016-09-02 09:00"), end, offered=end, completed=dt.date(2016, 9, 6))
    assert interviews()["completed_within_72_hours"] == 1


def test_only_missing_episodes_in_the_year_count_as_completed(db, child):
    end = at("2016-09-10 12:00")
    add(child, at("2016-09-10 09:00"), end, kind="absent", completed=dt.date(2016, 9, 10))
    end = at("2016-03-31 12:00")  # previous year
    add(child, at("2016-03-31 09:00"), end, completed=dt.date(2016, 4, 1))
    assert interviews()["completed_within_72_hours"] == 0


# ---- repeat missing ---------------------------------------------------------------------


def test_three_episodes_within_exactly_90_days_are_a_repeat(db, child):
    from safeguarding.children.services import child_create

    first = at("2016-05-02 10:00")
    for days in (0, 45, 90):  # the third exactly 90 x 24 hours after the first
        add(child, first + dt.timedelta(days=days), first + dt.timedelta(days=days, hours=1))
    other = child_create(acting_user=None, external_reference="C-2")
    for days, extra in ((0, 0), (45, 0), (90, 60)):  # the third one minute too late
        when = first + dt.timedelta(days=days, seconds=extra)
        add(other, when, when + dt.timedelta(hours=1))
    assert year_report(YEAR)["repeat_children"] == 1


def test_episodes_spread_over_the_year_are_not_a_repeat(db, child):
    for day in ("2016-04-10", "2016-07-20", "2016-10-30", "2017-02-10"):  # > 90 days apart
        add(child, at(f"{day} 10:00"), at(f"{day} 12:00"))
    report = year_report(YEAR)
    assert report["children"] == 1
    assert report["repeat_children"] == 0


def test_the_window_may_begin_before_the_year_and_must_end_in_it(db, child):
    from safeguarding.children.services import child_create

    for day in ("2016-02-15", "2016-03-10", "2016-04-05"):  # ends in 2016-17
        add(child, at(f"{day} 10:00"), at(f"{day} 12:00"))
    other = child_create(acting_user=None, external_reference="C-2")
    for day in ("2017-02-20", "2017-03-15", "2017-04-02"):  # ends in 2017-18
        add(other, at(f"{day} 10:00"), at(f"{day} 12:00"))
    assert year_report(YEAR)["repeat_children"] == 1
    assert year_report(FinancialYear(2015))["repeat_children"] == 0
    assert year_report(FinancialYear(2017))["repeat_children"] == 1


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(-120, 400), st.integers(0, 23)),
        max_size=30,
    )
)
def test_repeat_children_agree_with_an_independent_count(db, child, episodes):
    from safeguarding.children.services import child_create

    Episode.objects.all().delete()
    children = [child] + [
        child_create(acting_user=None, external_reference=f"H-{i}") for i in (1, 2)
    ]
    base = at("2016-04-01 00:00")
    starts: dict[int, list] = {0: [], 1: [], 2: []}
    for i, (who, offset, hour) in enumerate(episodes):
        start = base + dt.timedelta(days=offset, hours=hour, minutes=i)
        add(children[who], start, start + dt.timedelta(seconds=30))
        starts[who].append(start)
    year_start, year_end = year_bounds(YEAR)
    expected = 0
    for mine in starts.values():
        mine.sort()
        if any(
            year_start <= c <= year_end - dt.timedelta(microseconds=1)
            and sum(1 for a in mine if c - dt.timedelta(days=90) <= a <= c) >= 3
            for c in mine
        ):
            expected += 1
    assert year_report(YEAR)["repeat_children"] == expected


def test_the_page_shows_completed_and_the_repeat_rule(client_for, met_reader, child):
    from django.urls import reverse

    end = at("2016-06-03 23:30")
    add(child, at("2016-06-03 20:00"), end, offered=end, completed=dt.date(2016, 6, 6))
    html = client_for(met_reader).get(reverse("missing:report") + "?year=2016-17")
    text = html.content.decode()
    assert html.status_code == 200
    assert "Interview completed within 72 hours of the return" in text
    assert "1 (100.0%)" in text
    assert "3 or more episodes within 90 days" in text
