"""Recording an episode: a contributor's own agency owns it; messages name the fields.

The child is one the user may see, chosen or named by its reference: a reference nobody
has and another agency's child get the same answer, and nothing is created or attached."""

from django.core import mail

from safeguarding.children.models import Child
from safeguarding.missing import services
from safeguarding.missing.models import Episode

from .fixtures import CHILD_NAME, assert_refuses_others, at, tallulah

NO_CHILD = (
    "No child you can see has this reference. Choose a child you can see, or add the child first."
)
OUT_OF_SIGHT = (
    "This child already has a missing episode at this time recorded by another agency; "
    "the register&#x27;s officers have been told."
)

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


def test_contributor_adds_a_child_then_records_its_episode(client_for, met_owner, school):
    client = client_for(met_owner)
    page = client.get(URL).content.decode()
    assert 'href="/children/new/?next=%2Fmissing%2Fnew%2F"' in page
    response = client.post(
        "/children/new/?next=%2Fmissing%2Fnew%2F",
        {
            "first_name": "Bo",
            "last_name": "Peep",
            "date_of_birth_0": "1",
            "date_of_birth_1": "2",
            "date_of_birth_2": "2005",
            "sex": "female",
            "looked_after": "yes",
        },
    )
    child = Child.objects.get()
    assert response["Location"] == f"/missing/new/?child={child.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Bo Peep" in page and 'name="child_reference"' not in page
    data = form(child=str(child.pk))
    del data["child_reference"]
    response = client.post(f"{URL}?child={child.pk}", data)
    episode = Episode.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/missing/{episode.pk}/"
    assert (episode.child, episode.owning_agency) == (child, school)
    assert episode.start == at("2016-05-03 21:30") and episode.end == at("2016-05-04 02:15")


def test_a_mistyped_reference_creates_no_child(client_for, met_owner, met_officer):
    for user in (met_owner, met_officer):
        response = client_for(user).post(URL, form(child_reference="C-77"))
        assert response.status_code == 200
        assert NO_CHILD in response.content.decode()
    assert not Child.objects.exists() and not Episode.objects.exists()


def other_agencys_child(met_officer, other_school):
    """A child only another school's episode names (reference C-1001)."""
    child = tallulah(acting_user=met_officer, owning_agency=other_school)
    services.episode_create(
        acting_user=met_officer,
        owning_agency=other_school,
        child=child,
        looked_after=True,
        episode_type="missing",
        start=at("2016-04-01 10:00"),
        end=at("2016-04-01 12:00"),
    )
    return child


def test_another_agencys_child_reference_is_answered_like_an_unknown_one(
    client_for, met_owner, met_officer, other_school
):
    child = other_agencys_child(met_officer, other_school)
    client = client_for(met_owner)
    unknown = client.post(URL, form(child_reference="C-99999")).content.decode()
    response = client.post(URL, form(child_reference=child.external_reference))
    html = response.content.decode()
    assert response.status_code == 200
    assert NO_CHILD in html and NO_CHILD in unknown
    assert CHILD_NAME not in html and "Tallulah" not in html
    assert Episode.objects.count() == 1 and Child.objects.count() == 1
    assert not child.missing_episodes.filter(owning_agency=met_owner.agency).exists()


def test_a_child_another_agency_recorded_is_not_attached_either(
    client_for, met_owner, met_officer, other_school
):
    """A child with no record yet, added by another school: not the contributor's to name."""
    child = tallulah(acting_user=met_officer, owning_agency=other_school)
    response = client_for(met_owner).post(URL, form(child_reference="C-1001"))
    assert NO_CHILD in response.content.decode()
    assert CHILD_NAME not in response.content.decode()
    assert not Episode.objects.exists() and list(Child.objects.all()) == [child]


def test_choosing_another_agencys_child_by_its_id_is_404(
    client_for, met_owner, met_officer, other_school
):
    child = other_agencys_child(met_officer, other_school)
    client = client_for(met_owner)
    response = client.get(f"{URL}?child={child.pk}")
    assert response.status_code == 404 and CHILD_NAME not in response.content.decode()
    data = form(child=str(child.pk))
    del data["child_reference"]
    assert client.post(URL, data).status_code == 404
    assert Episode.objects.count() == 1


def test_an_overlap_with_another_agencys_episode_names_nothing_and_tells_the_officers(
    client_for, met_owner, met_officer, met_manager, school, other_school
):
    child = other_agencys_child(met_officer, other_school)
    own = services.episode_create(  # the school's own episode: the child is theirs to see
        acting_user=met_owner,
        child=child,
        looked_after=True,
        episode_type="absent",
        start=at("2016-03-01 10:00"),
        end=at("2016-03-01 12:00"),
    )
    hidden = child.missing_episodes.get(owning_agency=other_school)
    response = client_for(met_owner).post(
        URL,
        form(
            child_reference="C-1001",
            start_date_0="1",
            start_date_1="4",
            start_time="11:00",
            end_date_0="1",
            end_date_1="4",
            end_time="13:00",
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200 and OUT_OF_SIGHT in html
    assert hidden.reference not in html and "01/04/2016 10:00" not in html
    assert "10:00" not in html and "overlaps episode" not in html
    assert child.missing_episodes.count() == 2  # nothing saved
    [email] = mail.outbox
    assert set(email.to) == {met_officer.email, met_manager.email}
    assert f"/children/{child.pk}/" in email.body
    for text in ("Tallulah", "Featherstonehaugh", "C-1001", hidden.reference, own.reference):
        assert text not in email.body and text not in email.subject


def test_an_overlap_with_an_own_episode_is_named(client_for, met_owner, episode):
    response = client_for(met_owner).post(
        URL, form(child_reference="C-1001", start_time="23:00", end_time="05:00")
    )
    assert f"overlaps episode {episode.reference}" in response.content.decode()
    assert Episode.objects.count() == 1 and not mail.outbox


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
