"""The return home interview clock (rules.RETURN_INTERVIEW) on the home worklist: 72 elapsed
hours from the return, so weekends and bank holidays do not move it; on time up to and
including the deadline, overdue from the moment after."""

import datetime as dt

import pytest

from safeguarding.missing import queries, services
from safeguarding.missing.rules import RETURN_INTERVIEW, offered_in_time

from .fixtures import at


def _returned(met_officer, school, child, start, end):
    return services.episode_create(
        acting_user=met_officer,
        owning_agency=school,
        child=child,
        looked_after=True,
        episode_type="missing",
        start=at(start),
        end=at(end),
    )


def _items(user, now):
    return [(i.reference, i.due, i.overdue) for i in queries.interview_worklist(user=user, now=now)]


@pytest.mark.parametrize(
    "start, end, deadline",
    [
        # Back on the Friday before the summer bank holiday: due on the bank holiday itself.
        ("2025-08-22 09:00", "2025-08-22 18:00", "2025-08-25 18:00"),
        # Back on Good Friday 2025: due on Easter Monday.
        ("2025-04-17 22:00", "2025-04-18 20:30", "2025-04-21 20:30"),
    ],
)
def test_offer_due_72_hours_after_the_return_whatever_the_day(
    met_officer, school, child, start, end, deadline
):
    episode = _returned(met_officer, school, child, start, end)
    due_moment = at(deadline)
    assert episode.interview_deadline == due_moment
    due = due_moment.date()
    ref = episode.reference
    day = dt.timedelta(days=1)
    assert _items(met_officer, due_moment - day) == [(ref, due, False)]  # the day before
    assert _items(met_officer, due_moment) == [(ref, due, False)]  # the deadline itself
    assert _items(met_officer, due_moment + dt.timedelta(minutes=1)) == [(ref, due, True)]
    assert _items(met_officer, due_moment + day) == [(ref, due, True)]  # the day after
    [item] = queries.interview_worklist(user=met_officer, now=due_moment)
    assert "72 hours" in item.rule and "go missing from home or care" in item.rule


def test_offered_at_the_deadline_is_in_time_a_second_later_is_not(met_officer, school, child):
    episode = _returned(met_officer, school, child, "2025-08-22 09:00", "2025-08-22 18:00")
    deadline = episode.interview_deadline
    assert offered_in_time(episode.end, deadline) is True
    assert offered_in_time(episode.end, deadline + dt.timedelta(seconds=1)) is False


def test_the_clock_applies_from_the_2014_guidance(met_officer, school, child):
    assert RETURN_INTERVIEW.effective == dt.date(2014, 1, 1)
    assert RETURN_INTERVIEW.due(at("2013-12-31 23:00")) is None
    assert RETURN_INTERVIEW.due(at("2014-01-01 10:00")) == at("2014-01-04 10:00")
    old = _returned(met_officer, school, child, "2013-12-30 10:00", "2013-12-31 23:00")
    assert old.interview_deadline is None
    # Not awaiting an offer under a clock that did not yet run, even two days later.
    assert old not in queries.interviews_waiting(user=met_officer, now=at("2014-01-02 10:00"))
