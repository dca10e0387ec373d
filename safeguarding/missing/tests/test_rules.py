"""The episode rules: ordering, overlap, the 72-hour interview clock, repeat missing."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from safeguarding.missing.rules import (
    OVERLAP_OUT_OF_SIGHT,
    episode_problems,
    interview_deadline,
    is_repeat,
    offered_in_time,
    overlaps,
    time_left,
)

from .fixtures import at


def test_the_end_cannot_be_before_the_start():
    problems = episode_problems(start=at("2016-05-03 21:30"), end=at("2016-05-03 21:00"))
    assert problems == [("end", "The end cannot be before the start")]


def test_an_interview_offer_cannot_precede_the_return_or_exist_while_missing():
    before_end = episode_problems(
        start=at("2016-05-03 21:30"),
        end=at("2016-05-04 09:00"),
        interview_offered=at("2016-05-04 08:00"),
    )
    assert before_end[0][0] == "return_interview_offered"
    while_missing = episode_problems(
        start=at("2016-05-03 21:30"), interview_offered=at("2016-05-04 08:00")
    )
    assert "still missing" in while_missing[0][1]


def test_overlapping_episodes_of_one_child_are_refused_but_touching_ones_are_not():
    others = [("E1", at("2016-05-03 10:00"), at("2016-05-03 20:00"))]
    inside = episode_problems(
        start=at("2016-05-03 19:00"), end=at("2016-05-03 23:00"), others=others
    )
    assert "overlaps episode E1" in inside[0][1]
    after = episode_problems(
        start=at("2016-05-03 20:00"), end=at("2016-05-03 23:00"), others=others
    )
    assert after == []


def test_an_open_episode_overlaps_everything_after_its_start():
    others = [("OPEN", at("2016-05-03 10:00"), None)]
    later = episode_problems(
        start=at("2016-06-01 10:00"), end=at("2016-06-01 12:00"), others=others
    )
    assert "overlaps episode OPEN" in later[0][1]
    earlier = episode_problems(
        start=at("2016-05-01 10:00"), end=at("2016-05-01 12:00"), others=others
    )
    assert earlier == []


def test_an_overlap_with_an_episode_out_of_sight_names_nothing_of_it():
    """The service passes None for the reference of an episode the user may not see."""
    others = [(None, at("2016-05-03 10:00"), at("2016-05-03 20:00"))]
    problems = episode_problems(
        start=at("2016-05-03 19:00"), end=at("2016-05-03 23:00"), others=others
    )
    assert problems == [("start", OVERLAP_OUT_OF_SIGHT)]
    assert "10:00" not in problems[0][1] and "03/05/2016" not in problems[0][1]


@given(a=st.integers(0, 100), la=st.integers(1, 50), b=st.integers(0, 100), lb=st.integers(1, 50))
def test_overlap_is_symmetric(a, la, b, lb):
    base = at("2016-05-01 00:00")
    h = dt.timedelta(hours=1)
    sa, ea, sb, eb = base + a * h, base + (a + la) * h, base + b * h, base + (b + lb) * h
    assert overlaps(sa, ea, sb, eb) == overlaps(sb, eb, sa, ea)


def test_72_hours_across_midnight():
    end = at("2016-05-04 23:50")
    assert interview_deadline(end) == at("2016-05-07 23:50")
    assert offered_in_time(end, at("2016-05-07 23:50"))
    assert offered_in_time(end, at("2016-05-07 23:51")) is False


def test_72_hours_are_elapsed_hours_across_the_clocks_going_forward():
    # Clocks went forward at 01:00 on 26 March 2017: 72 elapsed hours end at 00:30 BST + 1 hour.
    end = at("2017-03-25 00:30")
    assert interview_deadline(end) == at("2017-03-28 01:30")
    assert offered_in_time(end, at("2017-03-28 01:30"))
    assert offered_in_time(end, at("2017-03-28 01:31")) is False


def test_72_hours_across_the_clocks_going_back():
    # Clocks went back at 02:00 on 30 October 2016: the wall clock shows an hour less.
    end = at("2016-10-29 12:00")
    assert interview_deadline(end) == at("2016-11-01 11:00")
    assert offered_in_time(end, at("2016-11-01 11:30")) is False


def test_still_missing_means_no_clock_yet():
    assert interview_deadline(None) is None
    assert offered_in_time(None, at("2016-05-07 10:00")) is None
    assert time_left(None) is None


def test_time_left_counts_down_and_goes_negative_when_overdue():
    end = at("2016-05-04 02:15")
    assert time_left(end, at("2016-05-05 02:15")) == dt.timedelta(hours=48)
    assert time_left(end, at("2016-05-08 02:15")) < dt.timedelta(0)


def test_repeat_missing_is_three_episodes_within_90_days(settings):
    starts = [at("2016-05-01 10:00"), at("2016-06-01 10:00"), at("2016-07-29 10:00")]
    assert is_repeat(starts)
    assert not is_repeat([at("2016-05-01 10:00"), at("2016-06-01 10:00"), at("2016-08-01 10:00")])
    settings.MISSING_REPEAT_EPISODES = 4
    assert not is_repeat(starts)
