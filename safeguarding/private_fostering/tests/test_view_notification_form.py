"""Recording and changing a notification."""

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.core.models import AuditEvent
from safeguarding.private_fostering.models import Notification

from .conftest import date_post

CREATE = reverse("private_fostering:create")


def form_data(**extra):
    data = {
        "child_first_name": "Mei",
        "child_last_name": "Lin",
        "carer_relationship": "host_family",
        "category": "language_student",
        "intended_duration_days": "200",
        "child_disabled": "no",
        **date_post("notification_date", dt.date(2016, 7, 1)),
        **date_post("child_date_of_birth", dt.date(2002, 3, 4)),
        **date_post("intended_start_date", dt.date(2016, 9, 1)),
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_contributor_records_a_notification_for_their_agency(client_for, pf_owner, school):
    r = client_for(pf_owner).post(CREATE, form_data())
    n = Notification.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse(
        "private_fostering:detail", args=[n.pk]
    )
    assert n.owning_agency == school
    assert n.decision == "private_fostering" and n.status == "proposed"
    assert not n.late_notification
    assert AuditEvent.objects.filter(object_id=str(n.pk), action="create").exists()


@pytest.mark.django_db
def test_missing_choices_are_named(client_for, pf_officer):
    r = client_for(pf_officer).post(CREATE, form_data(carer_relationship="", category=""))
    page = r.content.decode()
    assert r.status_code == 200
    assert "Select the carer&#x27;s relationship to the child" in page
    assert "Select the kind of arrangement" in page
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_create_permissions(client_for, pf_reader, pf_officer):
    assert client_for(pf_reader).get(CREATE).status_code == 403
    assert client_for(None).get(CREATE)["Location"].startswith("/sign-in/")
    assert client_for(pf_officer).put(CREATE).status_code == 405
    assert client_for(pf_officer).get(CREATE).status_code == 200


@pytest.mark.django_db
def test_officer_edits_and_the_decision_follows(client_for, pf_officer, notification):
    url = reverse("private_fostering:edit", args=[notification.pk])
    data = form_data(carer_relationship="family_friend", version=str(notification.version))
    r = client_for(pf_officer).post(url, data)
    assert r.status_code == 302
    notification.refresh_from_db()
    assert notification.carer_relationship == "family_friend"


@pytest.mark.django_db
def test_edit_refuses_close_relative_once_the_arrangement_began(
    client_for, pf_officer, notification
):
    url = reverse("private_fostering:edit", args=[notification.pk])
    r = client_for(pf_officer).post(
        url, form_data(carer_relationship="aunt_uncle", version=str(notification.version))
    )
    assert r.status_code == 200
    assert "this is not private fostering" in r.content.decode()
    notification.refresh_from_db()
    assert notification.carer_relationship == "host_family"


@pytest.mark.django_db
def test_stale_edit_is_refused(client_for, pf_officer, notification):
    url = reverse("private_fostering:edit", args=[notification.pk])
    r = client_for(pf_officer).post(url, form_data(version=str(notification.version - 1)))
    assert r.status_code == 200
    assert "Someone else changed this record" in r.content.decode()
    notification.refresh_from_db()
    assert notification.child_first_name == "Zebedee"


@pytest.mark.django_db
def test_edit_without_a_version_is_refused(client_for, pf_officer, notification):
    """A form that does not say which copy it was made from must not overwrite a
    colleague's change (it used to be saved)."""
    version = notification.version
    url = reverse("private_fostering:edit", args=[notification.pk])
    r = client_for(pf_officer).post(url, form_data(child_first_name="Overwritten"))
    assert r.status_code == 200
    assert "does not say which copy of the record it was made from" in r.content.decode()
    notification.refresh_from_db()
    assert notification.child_first_name == "Zebedee" and notification.version == version


@pytest.mark.django_db
def test_edit_permissions(client_for, pf_owner, pf_outsider, pf_reader, pf_officer, notification):
    url = reverse("private_fostering:edit", args=[notification.pk])
    assert client_for(pf_owner).get(url).status_code == 403  # contributors cannot change
    assert client_for(pf_outsider).get(url).status_code == 403
    assert client_for(pf_reader).get(url).status_code == 403
    assert client_for(None).get(url)["Location"].startswith("/sign-in/")
    assert client_for(pf_officer).delete(url).status_code == 405


@pytest.mark.django_db
def test_a_proposal_shows_its_reg4_visit_and_an_exemption_is_recorded(client_for, pf_officer):
    client = client_for(pf_officer)
    client.post(CREATE, form_data())
    n = Notification.objects.get()
    page = client.get(reverse("private_fostering:detail", args=[n.pk])).content.decode()
    assert "Visit on notice of a proposed arrangement (reg 4)" in page
    assert "Record a visit" in page
    # Notified on Friday 1 July 2016: 7 working days on is Tuesday 12 July.
    assert "12 Jul 2016" in page
    client.post(CREATE, form_data(child_first_name="Ana", exclusion="school"))
    excluded = Notification.objects.get(child_first_name="Ana")
    assert (excluded.exclusion, excluded.decision) == ("school", "not_private_fostering")
    detail = client.get(reverse("private_fostering:detail", args=[excluded.pk])).content.decode()
    assert "The child is accommodated at a school as a pupil" in detail
    assert not excluded.visits.exists()


@pytest.mark.django_db
def test_the_deadlines_ahead_follow_the_regulations_after_a_reg4_visit(client_for, pf_officer):
    from safeguarding.private_fostering import services

    n = services.notification_create(
        acting_user=pf_officer,
        notification_date=dt.date(2017, 1, 2),
        child_date_of_birth=dt.date(2012, 3, 1),
        carer_relationship="family_friend",
        intended_duration_days=200,
        arrangement_start_date=dt.date(2017, 2, 20),
        category="other",
    )
    page = client_for(pf_officer).get(reverse("private_fostering:detail", args=[n.pk]))
    text = page.content.decode()
    # The reg 4 visit is due by 11 January; made then, the next is the reg 7 visit,
    # 7 working days from the start on Monday 20 February: 1 March (not 6 weeks on).
    assert "11 Jan 2017" in text
    assert "the next deadlines are: 1 Mar 2017, 12 Apr 2017" in text
