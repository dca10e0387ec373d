"""Programme management pages: sessions, courses, attendance register."""

import pytest
from django.urls import reverse

from safeguarding.training.models import Booking, Course, Session

from .conftest import apply, backdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(session, school, other_school):
    mine = apply(session, name="Sade Mine", agency=school)
    theirs = apply(session, name="Theo Theirs", agency=other_school)
    return mine, theirs


def test_session_list_for_lead_and_coordinator(client_for, lead, coordinator, session):
    for user in (lead, coordinator):
        page = client_for(user).get(reverse("training:sessions"))
        assert page.status_code == 200
        assert session.course.title in page.content.decode()


def test_session_list_denied(client_for, figures_reader, session):
    assert client_for(figures_reader).get(reverse("training:sessions")).status_code == 403
    anon = client_for(None).get(reverse("training:sessions"))
    assert anon.status_code == 302 and anon["Location"].startswith("/sign-in/")
    assert client_for(figures_reader).put(reverse("training:sessions")).status_code == 405


def test_session_detail_scopes_bookings_to_the_agency(
    client_for, lead, coordinator, other_coordinator, session, booked
):
    url = reverse("training:session", args=[session.pk])
    everyone = client_for(lead).get(url).content.decode()
    assert "Sade Mine" in everyone and "Theo Theirs" in everyone
    own = client_for(coordinator).get(url).content.decode()
    assert "Sade Mine" in own and "Theo Theirs" not in own
    other = client_for(other_coordinator).get(url).content.decode()
    assert "Theo Theirs" in other and "Sade Mine" not in other


def test_session_detail_denied(client_for, figures_reader, session, booked):
    url = reverse("training:session", args=[session.pk])
    assert client_for(figures_reader).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
    assert client_for(figures_reader).post(url).status_code == 405


def test_session_list_constant_queries(client_for, lead, course):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import make_session

    c = client_for(lead)
    make_session(course, days=2)
    c.get(reverse("training:sessions"))
    with CaptureQueriesContext(connection) as few:
        c.get(reverse("training:sessions"))
    for d in range(12):
        make_session(course, days=d + 3)
    with CaptureQueriesContext(connection) as many:
        page = c.get(reverse("training:sessions"))
    assert "13 sessions" in page.content.decode()
    assert len(many) == len(few)


def test_publish_a_session(client_for, lead, course):
    url = reverse("training:session_create")
    assert client_for(lead).get(url).status_code == 200
    response = client_for(lead).post(
        url,
        {
            "course": course.pk,
            "date_0": "15",
            "date_1": "3",
            "date_2": "2027",
            "start_time": "09:30",
            "end_time": "16:30",
            "venue": "Civic Centre",
            "online_link": "",
            "capacity": "25",
            "cancellation_days": "3",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.capacity == 25 and session.is_published
    assert course.title in client_for(None).get(reverse("training:programme")).content.decode()


def test_session_form_errors(client_for, lead, course):
    page = client_for(lead).post(
        reverse("training:session_create"),
        {
            "course": course.pk,
            "date_0": "15",
            "date_1": "3",
            "date_2": "2027",
            "start_time": "16:00",
            "end_time": "09:00",
            "capacity": "10",
            "cancellation_days": "3",
        },
    )
    text = page.content.decode()
    assert "The end must be after the start" in text
    assert "Enter the venue or an online link" in text
    assert not Session.objects.exists()


def test_programme_pages_need_officer(client_for, coordinator, figures_reader, session):
    for name, args in [
        ("training:session_create", []),
        ("training:session_edit", [session.pk]),
        ("training:course_create", []),
        ("training:course_edit", [session.course_id]),
        ("training:attendance", [session.pk]),
    ]:
        url = reverse(name, args=args)
        assert client_for(coordinator).get(url).status_code == 403
        assert client_for(figures_reader).get(url).status_code == 403
        assert client_for(None).get(url).status_code == 302
        assert client_for(coordinator).put(url).status_code == 405


def test_add_a_course(client_for, lead):
    response = client_for(lead).post(
        reverse("training:course_create"),
        {
            "title": "Safer Recruitment",
            "level": "level_2",
            "learning_outcomes": "One\nTwo",
            "price": "0",
            "stage3_follow_up": "no",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    course = Course.objects.get(title="Safer Recruitment")
    assert course.outcomes == ["One", "Two"] and not course.stage3_follow_up
    listing = client_for(lead).get(reverse("training:courses")).content.decode()
    assert "Safer Recruitment" in listing


def test_take_the_register(client_for, lead, session, booked):
    mine, theirs = booked
    backdate(session, 0)
    url = reverse("training:attendance", args=[session.pk])
    page = client_for(lead).get(url)
    assert "Sade Mine" in page.content.decode()
    response = client_for(lead).post(url, {f"b{mine.pk}": "attended", f"b{theirs.pk}": "absent"})
    assert response.status_code == 302
    assert Booking.objects.get(pk=mine.pk).attendance == "attended"
    assert Booking.objects.get(pk=theirs.pk).attendance == "absent"
