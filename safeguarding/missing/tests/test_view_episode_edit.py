"""Changing an episode (officers): stale copies refused, rules applied."""

from safeguarding.missing.models import Episode

from .fixtures import CHILD_NAME, assert_refuses_others, at


def url(episode):
    return f"/missing/{episode.pk}/edit/"


def data(episode, **extra):
    values = {
        "version": episode.version,
        "looked_after": "yes",
        "episode_type": "missing",
        "start_date_0": "3",
        "start_date_1": "5",
        "start_date_2": "2016",
        "start_time": "21:30",
        "end_date_0": "4",
        "end_date_1": "5",
        "end_date_2": "2016",
        "end_time": "06:00",
        "where_found": "found_by_police",
        "police_reference": "CAD1234",
        "risk_level": "high",
    }
    values.update(extra)
    return values


def test_officer_changes_the_return_time(client_for, met_officer, episode):
    client = client_for(met_officer)
    assert "21:30" in client.get(url(episode)).content.decode()
    response = client.post(url(episode), data(episode))
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.end == at("2016-05-04 06:00") and episode.version == 2


def test_a_stale_form_is_refused(client_for, met_officer, episode):
    client_for(met_officer).post(url(episode), data(episode))
    response = client_for(met_officer).post(url(episode), data(episode, risk_level="low"))
    assert "Someone else changed this record" in response.content.decode()
    assert Episode.objects.get().risk_level == "high"


def test_a_form_without_its_version_is_refused_and_nothing_saved(client_for, met_officer, episode):
    """Issue 12: an edit posted without its version overwrote a colleague's change."""
    without = data(episode, risk_level="low")
    del without["version"]
    response = client_for(met_officer).post(url(episode), without)
    assert response.status_code == 200
    assert "does not say which copy of the record it was made from" in response.content.decode()
    episode.refresh_from_db()
    assert (episode.risk_level, episode.end, episode.version) == ("", at("2016-05-04 02:15"), 1)


def test_contributors_cannot_change_episodes(client_for, met_owner, met_outsider, episode):
    assert client_for(met_owner).get(url(episode)).status_code == 403
    response = client_for(met_outsider).post(url(episode), data(episode))
    assert response.status_code == 403
    assert CHILD_NAME not in response.content.decode()


def test_another_officer_gets_404_for_an_unknown_episode(client_for, met_officer, episode):
    assert client_for(met_officer).get(f"/missing/{episode.pk + 99}/edit/").status_code == 404


def test_reader_anonymous_and_wrong_method(client_for, met_officer, met_reader, episode):
    assert_refuses_others(client_for, url(episode), reader=met_reader)
    assert client_for(met_officer).delete(url(episode)).status_code == 405
