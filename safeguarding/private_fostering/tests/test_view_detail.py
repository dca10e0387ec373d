"""The record page: the definition decision with its reason, visits and history."""

import pytest
from django.urls import reverse

from safeguarding.core.models import AccessEvent


@pytest.fixture
def url(notification):
    return reverse("private_fostering:detail", args=[notification.pk])


@pytest.mark.django_db
def test_officer_sees_decision_reason_visits_and_history(client_for, pf_officer, notification, url):
    page = client_for(pf_officer).get(url).content.decode()
    assert "Zebedee Quartermaine" in page
    assert "Private fostering: the child was under 16 at the start" in page
    assert "Overdue" in page  # the first visit, due May 2016, was not recorded
    assert "Change history" in page and "Notification recorded" in page
    assert AccessEvent.objects.filter(user=pf_officer, object_id=str(notification.pk)).exists()


@pytest.mark.django_db
def test_owner_sees_it_without_change_buttons(client_for, pf_owner, url):
    r = client_for(pf_owner).get(url)
    assert r.status_code == 200
    assert "Record a visit" not in r.content.decode()


@pytest.mark.django_db
def test_other_agency_gets_404(client_for, pf_outsider, url):
    r = client_for(pf_outsider).get(url)
    assert r.status_code == 404 and b"Zebedee" not in r.content


@pytest.mark.django_db
def test_reader_403_anonymous_302_wrong_method_405(client_for, pf_reader, pf_officer, url):
    r = client_for(pf_reader).get(url)
    assert r.status_code == 403 and b"Zebedee" not in r.content
    assert client_for(None).get(url)["Location"].startswith("/sign-in/")
    assert client_for(pf_officer).post(url).status_code == 405


@pytest.mark.django_db
def test_not_private_fostering_is_kept_with_its_reason(client_for, pf_officer):
    import datetime as dt

    from safeguarding.private_fostering import services

    n = services.notification_create(
        acting_user=pf_officer,
        notification_date=dt.date(2016, 6, 1),
        child_date_of_birth=dt.date(2006, 1, 1),
        carer_relationship="grandparent",
        intended_start_date=dt.date(2016, 6, 1),
        intended_duration_days=60,
        category="parent_ill_health",
    )
    page = (
        client_for(pf_officer)
        .get(reverse("private_fostering:detail", args=[n.pk]))
        .content.decode()
    )
    assert "Not private fostering: the carer is a close relative (grandparent)" in page
    assert "Late notification" in page
