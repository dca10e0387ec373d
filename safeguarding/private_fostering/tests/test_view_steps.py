"""Arrangement dates, the suitability assessment and recording visits (officers)."""

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.private_fostering import services

from .conftest import date_post


def urls(n):
    return [
        reverse(f"private_fostering:{name}", args=[n.pk])
        for name in ("arrangement", "assessment", "visit_create")
    ]


@pytest.mark.django_db
def test_permissions(client_for, pf_owner, pf_outsider, pf_reader, pf_officer, notification):
    for url in urls(notification):
        assert client_for(pf_officer).get(url).status_code == 200
        assert client_for(pf_owner).get(url).status_code == 403
        assert client_for(pf_outsider).get(url).status_code == 403
        assert client_for(pf_reader).get(url).status_code == 403
        assert client_for(None).get(url)["Location"].startswith("/sign-in/")
        assert client_for(pf_officer).put(url).status_code == 405


@pytest.mark.django_db
def test_unknown_record_is_404(client_for, pf_officer):
    assert (
        client_for(pf_officer).get(reverse("private_fostering:arrangement", args=[999])).status_code
        == 404
    )


@pytest.mark.django_db
def test_record_visits_and_the_next_is_scheduled(client_for, pf_officer, notification):
    first = notification.visits.get()
    assert first.due_date == dt.date(2016, 5, 18)  # 7 working days after 9 May 2016
    url = reverse("private_fostering:visit_create", args=[notification.pk])
    r = client_for(pf_officer).post(
        url,
        {
            **date_post("visit_date", dt.date(2016, 5, 17)),
            "seen_alone": "yes",
            "report_written": "yes",
        },
    )
    assert r.status_code == 302
    visits = list(notification.visits.order_by("sequence"))
    assert visits[0].visit_date == dt.date(2016, 5, 17) and visits[0].on_time
    assert visits[1].due_date == dt.date(2016, 6, 28) and visits[1].visit_date is None
    page = (
        client_for(pf_officer)
        .get(reverse("private_fostering:detail", args=[notification.pk]))
        .content.decode()
    )
    assert "Visit 1 recorded" in page and "On time" in page


@pytest.mark.django_db
def test_a_visit_before_the_authority_knew_is_refused(client_for, pf_officer, notification):
    url = reverse("private_fostering:visit_create", args=[notification.pk])
    r = client_for(pf_officer).post(
        url,
        {
            **date_post("visit_date", dt.date(2016, 5, 1)),
            "seen_alone": "no",
            "report_written": "yes",
        },
    )
    assert (
        "The visit cannot be before the authority knew of the arrangement (09/05/2016)"
        in r.content.decode()
    )
    assert not notification.visits.filter(visit_date__isnull=False).exists()


@pytest.mark.django_db
def test_ending_the_arrangement_cancels_later_visits(client_for, pf_officer, notification):
    url = reverse("private_fostering:arrangement", args=[notification.pk])
    data = {
        **date_post("arrangement_start_date", dt.date(2016, 5, 9)),
        **date_post("arrangement_end_date", dt.date(2016, 5, 12)),
        "end_reason": "returned_home",
        "version": str(notification.version),
    }
    assert client_for(pf_officer).post(url, data).status_code == 302
    notification.refresh_from_db()
    assert notification.status == "ended"
    assert not notification.visits.exists()


@pytest.mark.django_db
def test_end_date_needs_a_reason(client_for, pf_officer, notification):
    url = reverse("private_fostering:arrangement", args=[notification.pk])
    data = {
        **date_post("arrangement_start_date", dt.date(2016, 5, 9)),
        **date_post("arrangement_end_date", dt.date(2016, 8, 1)),
    }
    r = client_for(pf_officer).post(url, data)
    assert "Choose why the arrangement ended" in r.content.decode()


@pytest.mark.django_db
def test_assessment_is_recorded(client_for, pf_officer, notification):
    url = reverse("private_fostering:assessment", args=[notification.pk])
    data = {
        "assessment_checks": ["dbs_carer", "home_visit"],
        "assessment_decision": "suitable",
        **date_post("assessment_date", dt.date(2016, 6, 1)),
        "version": str(notification.version),
    }
    assert client_for(pf_officer).post(url, data).status_code == 302
    page = (
        client_for(pf_officer)
        .get(reverse("private_fostering:detail", args=[notification.pk]))
        .content.decode()
    )
    assert "Enhanced DBS check of the carer" in page and "Suitable" in page


def step_posts(n):
    """A valid POST of each versioned step page, without its version."""
    return {
        "arrangement": {
            **date_post("arrangement_start_date", dt.date(2016, 5, 9)),
            **date_post("arrangement_end_date", dt.date(2016, 5, 12)),
            "end_reason": "returned_home",
        },
        "assessment": {
            "assessment_checks": ["dbs_carer"],
            "assessment_decision": "not_suitable",
            **date_post("assessment_date", dt.date(2016, 6, 1)),
        },
    }


def what_the_steps_change(n):
    n.refresh_from_db()
    return (n.version, n.arrangement_end_date, n.status, n.assessment_decision)


@pytest.mark.django_db
@pytest.mark.parametrize("step", ["arrangement", "assessment"])
def test_a_step_without_its_version_is_refused_and_says_why(
    client_for, pf_officer, notification, step
):
    """It used to be saved over whatever a colleague had saved since."""
    before = what_the_steps_change(notification)
    url = reverse(f"private_fostering:{step}", args=[notification.pk])
    r = client_for(pf_officer).post(url, step_posts(notification)[step])
    assert r.status_code == 200
    assert "does not say which copy of the record it was made from" in r.content.decode()
    assert what_the_steps_change(notification) == before


@pytest.mark.django_db
@pytest.mark.parametrize("step", ["arrangement", "assessment"])
def test_a_step_from_a_stale_copy_is_refused_and_says_why(
    client_for, pf_officer, notification, step
):
    opened = notification.version
    services.notification_update(  # a colleague saves after the page was opened
        acting_user=pf_officer,
        notification=notification,
        expected_version=opened,
        carer_name="Colleague's Change",
    )
    before = what_the_steps_change(notification)
    url = reverse(f"private_fostering:{step}", args=[notification.pk])
    r = client_for(pf_officer).post(url, {**step_posts(notification)[step], "version": str(opened)})
    assert r.status_code == 200
    assert "Someone else changed this record" in r.content.decode()
    assert what_the_steps_change(notification) == before
    notification.refresh_from_db()
    assert notification.carer_name == "Colleague's Change"


@pytest.mark.django_db
def test_the_step_pages_show_their_form_with_the_record_in_the_breadcrumbs(
    client_for, pf_officer, notification
):
    for name, heading, button in (
        ("arrangement", "Arrangement dates for", "Save dates"),
        ("assessment", "Suitability of the carer:", "Save assessment"),
        ("visit_create", "Record a visit:", "Save visit"),
    ):
        page = (
            client_for(pf_officer)
            .get(reverse(f"private_fostering:{name}", args=[notification.pk]))
            .content.decode()
        )
        assert f"{heading} {notification.reference}" in page and button in page
        assert "Private fostering register" in page
        assert reverse("private_fostering:detail", args=[notification.pk]) in page
    assert "Visit 1 is due by 18 May 2016" in page
