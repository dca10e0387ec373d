"""Recording an episode: a contributor's own agency owns it; messages name the fields."""

from safeguarding.children.models import Child
from safeguarding.missing.models import Episode

from .fixtures import assert_refuses_others, at

URL = "/missing/new/"


def form(**extra):
    data = {
        "child_reference": "C-77",
        "looked_after": "yes",
        "episode_type": "missing",
        "start_date_0": "3",
        "start_date_1": "5",
        "start_date_2": "2016",
        "start_time": "21:30",
        "end_date_0": "4",
        "end_date_1": "5",
        "end_date_2": "2016",
        "end_time": "02:15",
        "where_found": "friend_address",
        "police_reference": "CAD55",
        "risk_level": "medium",
    }
    data.update(extra)
    return data


def test_contributor_records_an_episode_for_a_new_child(client_for, met_owner, school):
    client = client_for(met_owner)
    assert client.get(URL).status_code == 200
    response = client.post(URL, form())
    episode = Episode.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/missing/{episode.pk}/"
    assert episode.owning_agency == school
    assert episode.start == at("2016-05-03 21:30") and episode.end == at("2016-05-04 02:15")
    assert Child.objects.get().external_reference == "C-77"


def test_an_existing_child_is_linked_not_duplicated(client_for, met_officer, child):
    client_for(met_officer).post(URL, form(child_reference=child.external_reference))
    assert Episode.objects.get().child == child
    assert Child.objects.count() == 1


def test_bad_input_is_named_and_nothing_saved(client_for, met_officer):
    response = client_for(met_officer).post(
        URL, form(end_date_0="3", end_time="20:00", start_time="25:00")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Time the episode started" in html
    assert not Episode.objects.exists()
    response = client_for(met_officer).post(URL, form(end_date_0="3", end_time="20:00"))
    assert "The end cannot be before the start" in response.content.decode()
    assert not Episode.objects.exists()


def test_an_overlapping_episode_is_refused(client_for, met_officer, episode):
    response = client_for(met_officer).post(
        URL,
        form(
            child_reference=episode.child.external_reference,
            start_time="23:00",
            end_date_0="4",
            end_time="05:00",
            start_date_0="3",
        ),
    )
    assert "overlaps episode" in response.content.decode()
    assert Episode.objects.count() == 1


def test_reader_anonymous_and_wrong_method(client_for, met_reader):
    assert assert_refuses_others(client_for, URL, reader=met_reader)
    assert client_for(met_reader).post(URL, form()).status_code == 403
    assert not Episode.objects.exists()
