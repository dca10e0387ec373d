"""The worklist of interviews to offer, with the time left."""

import datetime as dt

from django.utils import timezone

from safeguarding.missing import services

from .fixtures import CHILD_NAME, assert_refuses_others

URL = "/missing/worklist/"


def test_lists_returns_awaiting_an_offer_with_time_left(
    client_for, met_officer, child, school, episode
):
    now = timezone.now()
    recent = services.episode_create(
        acting_user=met_officer,
        owning_agency=school,
        child=child,
        looked_after=True,
        episode_type="missing",
        start=now - dt.timedelta(hours=30),
        end=now - dt.timedelta(hours=20),
    )
    html = client_for(met_officer).get(URL).content.decode()
    assert recent.reference in html and episode.reference in html
    assert "Overdue" in html  # the 2016 episode
    assert "51 hours 59 minutes" in html or "52 hours 0 minutes" in html


def test_still_missing_children_are_listed(client_for, met_officer, open_episode):
    html = client_for(met_officer).get(URL).content.decode()
    assert "missing since" in html and open_episode.reference in html


def test_offered_episodes_leave_the_list(client_for, met_officer, episode):
    services.interview_save(
        acting_user=met_officer,
        episode=episode,
        expected_version=None,
        offered_at=episode.end + dt.timedelta(hours=3),
    )
    assert episode.reference not in client_for(met_officer).get(URL).content.decode()


def test_contributors_see_only_their_agencys(client_for, met_owner, met_outsider, episode):
    assert episode.reference in client_for(met_owner).get(URL).content.decode()
    html = client_for(met_outsider).get(URL).content.decode()
    assert episode.reference not in html and CHILD_NAME not in html


def test_reader_anonymous_and_wrong_method(client_for, met_reader, episode):
    assert assert_refuses_others(client_for, URL, reader=met_reader, wrong_method="post")
