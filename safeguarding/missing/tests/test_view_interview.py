"""Offering and completing the return home interview."""

import datetime as dt

from safeguarding.missing.models import ReturnInterview

from .fixtures import assert_refuses_others, at


def url(episode):
    return f"/missing/{episode.pk}/interview/"


def data(episode, **extra):
    values = {
        "version": episode.version,
        "offered_date_0": "5",
        "offered_date_1": "5",
        "offered_date_2": "2016",
        "offered_time": "09:00",
        "offered_by": "Runaways project",
        "response": "accepted",
        "completed_on_0": "7",
        "completed_on_1": "5",
        "completed_on_2": "2016",
        "disclosed": ["disclosed_sexual_exploitation"],
        "disclosures": "Older boyfriend",
        "follow_up_actions": "Refer to MET",
    }
    values.update(extra)
    return values


def test_officer_offers_and_completes_the_interview(client_for, met_officer, episode):
    client = client_for(met_officer)
    assert client.get(url(episode)).status_code == 200
    response = client.post(url(episode), data(episode))
    assert response.status_code == 302
    interview = ReturnInterview.objects.get()
    assert interview.offered_at == at("2016-05-05 09:00")
    assert interview.disclosed_sexual_exploitation and not interview.disclosed_harm
    assert interview.completed_on == dt.date(2016, 5, 7)
    html = client.get(f"/missing/{episode.pk}/").content.decode()
    assert "Within 72 hours" in html and "Older boyfriend" in html


def test_an_offer_without_its_version_is_refused(client_for, met_officer, episode):
    """Issue 12: the interview (an edit of the episode) was saved without its version."""
    without = data(episode)
    del without["version"]
    response = client_for(met_officer).post(url(episode), without)
    assert "does not say which copy of the record it was made from" in response.content.decode()
    assert not ReturnInterview.objects.exists()
    episode.refresh_from_db()
    assert episode.version == 1


def test_a_stale_offer_is_refused(client_for, met_officer, episode):
    client_for(met_officer).post(url(episode), data(episode))
    response = client_for(met_officer).post(url(episode), data(episode, offered_by="Someone"))
    assert "Someone else changed this record" in response.content.decode()
    assert ReturnInterview.objects.get().offered_by == "Runaways project"


def test_an_offer_before_the_return_is_refused(client_for, met_officer, episode):
    response = client_for(met_officer).post(
        url(episode), data(episode, offered_date_0="3", offered_time="22:00")
    )
    assert "cannot be offered before the child returned" in response.content.decode()
    assert not ReturnInterview.objects.exists()


def test_no_interview_page_while_still_missing(client_for, met_officer, open_episode):
    assert client_for(met_officer).get(url(open_episode)).status_code == 404


def test_no_interview_page_after_an_absence(client_for, met_officer, child):
    from safeguarding.missing import services

    absence = services.episode_create(
        acting_user=met_officer,
        child=child,
        looked_after=True,
        episode_type="absent",
        start=at("2016-06-03 21:30"),
        end=at("2016-06-04 01:00"),
    )
    client = client_for(met_officer)
    assert client.get(url(absence)).status_code == 404
    html = client.get(f"/missing/{absence.pk}/").content.decode()
    assert "Record the interview offer" not in html
    assert "follows a missing episode, not an absence" in html


def test_contributors_are_refused(client_for, met_owner, met_outsider, episode):
    assert client_for(met_owner).get(url(episode)).status_code == 403
    assert client_for(met_outsider).post(url(episode), data(episode)).status_code == 403


def test_reader_anonymous_and_wrong_method(client_for, met_reader, episode):
    assert assert_refuses_others(client_for, url(episode), reader=met_reader)
