"""Children named in a case review are the shared child record, written (and audited) only
by children.services. The defect: case reviews created Child rows directly, with no audit."""

import datetime as dt

from django.urls import reverse

from safeguarding.children.models import Child
from safeguarding.core.models import AuditEvent


def created(child: Child) -> AuditEvent:
    return AuditEvent.objects.get(
        object_type="children.child", object_id=str(child.pk), action="create"
    )


def test_a_child_named_in_a_referral_has_an_audited_creation(referral, unit):
    child = referral.children.get()
    event = created(child)
    assert (event.actor, event.module) == (unit, "children")
    assert event.changes["first_name"] == [None, "Xanthe"]


def test_a_child_added_from_the_review_page_has_an_audited_creation(client_for, unit, referral):
    response = client_for(unit).post(
        reverse("case_reviews:child_add", args=[referral.pk]),
        {
            "first_name": "Yusuf",
            "last_name": "Brennan",
            "date_of_birth_0": "4",
            "date_of_birth_1": "5",
            "date_of_birth_2": "2014",
        },
    )
    assert response.status_code == 302
    child = Child.objects.get(first_name="Yusuf")
    assert child.date_of_birth == dt.date(2014, 5, 4)
    assert created(child).actor == unit


def test_the_same_child_named_again_is_the_same_record(client_for, unit, referral):
    before = Child.objects.count()
    client_for(unit).post(
        reverse("case_reviews:child_add", args=[referral.pk]),
        {
            "first_name": "XANTHE",
            "last_name": "quillfeather",
            "date_of_birth_0": "2",
            "date_of_birth_1": "1",
            "date_of_birth_2": "2015",
        },
    )
    assert Child.objects.count() == before


# ---- who sees a child named by a case review -------------------------------------------


def test_a_child_named_only_by_a_case_review_is_not_the_missing_registers(
    client_for, referral, council
):
    """A missing-register officer with no case review role: the child is not theirs."""
    from conftest import make_user

    met_officer = make_user("met.only@example.org", council, {"missing": "officer"})
    child = referral.children.get()
    client = client_for(met_officer)
    response = client.get(f"/children/{child.pk}/")
    assert response.status_code == 404 and "Xanthe" not in response.content.decode()
    listed = client.get("/children/")
    assert listed.status_code == 200 and "Quillfeather" not in listed.content.decode()
    client.post("/children/", {"q": "Quillfeather"})
    searched = client.get("/children/").content.decode()
    assert f"/children/{child.pk}/" not in searched and "Xanthe" not in searched


def test_case_review_users_see_the_children_of_the_reviews_they_may_see(
    client_for, referral, unit, police_user, health_user
):
    child = referral.children.get()
    for user in (unit, police_user):  # the business unit; the referring agency
        html = client_for(user).get(f"/children/{child.pk}/").content.decode()
        assert "Xanthe Quillfeather" in html and referral.reference in html
        assert "Xanthe Quillfeather" in client_for(user).get("/children/").content.decode()
    response = client_for(health_user).get(f"/children/{child.pk}/")  # not the referrer
    assert response.status_code == 404 and "Xanthe" not in response.content.decode()
    assert "Xanthe" not in client_for(health_user).get("/children/").content.decode()


def test_naming_a_child_recorded_elsewhere_makes_a_new_record_and_tells_the_officers(
    client_for, unit, referral, school, council
):
    """A case review officer naming a child that only the missing register records does
    not open that record: a new one is made, and the officers told (no names)."""
    from django.core import mail

    from conftest import make_user
    from safeguarding.children.services import child_create
    from safeguarding.missing import services as missing
    from safeguarding.missing.tests.fixtures import at

    met_officer = make_user("met.only@example.org", council, {"missing": "officer"})
    recorded = child_create(
        acting_user=met_officer,
        first_name="Yusuf",
        last_name="Brennan",
        date_of_birth=dt.date(2014, 5, 4),
        external_reference="NB-4242",
    )
    missing.episode_create(
        acting_user=met_officer,
        owning_agency=school,
        child=recorded,
        looked_after=False,
        episode_type="absent",
        start=at("2016-05-01 10:00"),
        end=at("2016-05-01 11:00"),
    )
    response = client_for(unit).post(
        reverse("case_reviews:child_add", args=[referral.pk]),
        {
            "first_name": "Yusuf",
            "last_name": "Brennan",
            "date_of_birth_0": "4",
            "date_of_birth_1": "5",
            "date_of_birth_2": "2014",
        },
    )
    assert response.status_code == 302
    named = referral.children.get(first_name="Yusuf")
    assert named != recorded and not recorded.missing_episodes.exclude(child=recorded).exists()
    assert client_for(unit).get(f"/children/{recorded.pk}/").status_code == 404
    [email] = mail.outbox
    assert email.to == [met_officer.email]
    for text in ("Yusuf", "Brennan", "NB-4242", "2014"):
        assert text not in email.body and text not in email.subject
