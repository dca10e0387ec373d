"""Recording an exploitation screening from a child's record."""

from safeguarding.missing.models import Screening

from .fixtures import assert_refuses_others


def url(child):
    return f"/missing/children/{child.pk}/screenings/new/"


DATA = {
    "date_0": "2",
    "date_1": "9",
    "date_2": "2016",
    "exploitation_type": "sexual",
    "tool": "CSE toolkit",
    "score": "18",
    "level": "medium",
}


def test_the_owning_agencys_contributor_records_a_screening(client_for, met_owner, child, school):
    client = client_for(met_owner)
    assert client.get(url(child)).status_code == 200
    assert client.post(url(child), DATA).status_code == 302
    screening = Screening.objects.get()
    assert screening.owning_agency == school and screening.score == 18
    assert "CSE toolkit" in client_for(met_owner).get(f"/children/{child.pk}/").content.decode()


def test_a_score_or_a_level_is_needed(client_for, met_officer, child):
    response = client_for(met_officer).post(url(child), dict(DATA, score="", level=""))
    assert "Enter a score or choose a level" in response.content.decode()
    assert not Screening.objects.exists()


def test_contributor_of_another_agency_gets_404(client_for, met_outsider, child):
    assert client_for(met_outsider).get(url(child)).status_code == 404
    assert client_for(met_outsider).post(url(child), DATA).status_code == 404
    assert not Screening.objects.exists()


def test_reader_anonymous_and_wrong_method(client_for, met_reader, child):
    assert assert_refuses_others(client_for, url(child), reader=met_reader)
