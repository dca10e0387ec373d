"""The episode list: scope, search kept out of the URL, constant queries."""

import pytest
from django.urls import reverse

from .fixtures import CHILD_NAME, assert_refuses_others

URL = "/missing/"


def test_officer_sees_every_episode(client_for, met_officer, episode):
    response = client_for(met_officer).get(URL)
    assert response.status_code == 200
    assert episode.reference in response.content.decode()
    assert CHILD_NAME in response.content.decode()


def test_contributor_sees_only_their_agencys_episodes(client_for, met_owner, met_outsider, episode):
    assert episode.reference in client_for(met_owner).get(URL).content.decode()
    response = client_for(met_outsider).get(URL)
    assert response.status_code == 200
    assert episode.reference not in response.content.decode()
    assert CHILD_NAME not in response.content.decode()


def test_reader_anonymous_and_wrong_method(client_for, met_reader, episode):
    assert assert_refuses_others(client_for, URL, reader=met_reader)
    assert client_for(met_reader).delete(URL).status_code == 405


def test_search_is_posted_to_the_session_not_the_url(client_for, met_officer, episode, child):
    client = client_for(met_officer)
    response = client.post(URL, {"q": "Featherstonehaugh"})
    assert response.status_code == 302
    assert "Featherstone" not in response["Location"]
    assert episode.reference in client.get(URL).content.decode()
    client.post(URL, {"q": "Nobody"})
    assert episode.reference not in client.get(URL).content.decode()
    assert client.post(reverse("missing:search_clear")).status_code == 302
    assert episode.reference in client.get(URL).content.decode()


def test_search_clear_only_takes_post(client_for, met_officer):
    assert client_for(met_officer).get(reverse("missing:search_clear")).status_code == 405


def test_filters_by_status(client_for, met_officer, episode):
    assert (
        episode.reference not in client_for(met_officer).get(URL + "?status=open").content.decode()
    )
    assert episode.reference in client_for(met_officer).get(URL + "?status=closed").content.decode()


@pytest.mark.parametrize("extra", [0, 30])
def test_the_list_costs_the_same_number_of_queries(
    client_for, met_officer, child, extra, django_assert_max_num_queries
):
    import datetime as dt

    from safeguarding.missing.models import Episode

    from .fixtures import at

    for i in range(extra):
        Episode.objects.create(
            reference=f"Q{i}",
            child=child,
            episode_type="absent",
            start=at("2015-05-01 10:00") + dt.timedelta(days=i),
            end=at("2015-05-01 11:00") + dt.timedelta(days=i),
        )
    client = client_for(met_officer)
    client.get(URL)
    with django_assert_max_num_queries(16):
        assert client.get(URL).status_code == 200
