"""Booking pages: detail, accept/decline, move, cancel, no-shows."""

import pytest
from django.urls import reverse

from safeguarding.core.models import AccessEvent
from safeguarding.training import services

from .conftest import apply, backdate, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(session, school):
    return apply(session, name="Sade Mine", agency=school)


def test_detail_for_lead_and_own_agency(client_for, lead, coordinator, booking):
    url = reverse("training:booking", args=[booking.pk])
    for user in (lead, coordinator):
        page = client_for(user).get(url)
        assert page.status_code == 200 and "Sade Mine" in page.content.decode()
    assert AccessEvent.objects.filter(object_id=str(booking.pk), kind="view").count() == 2


def test_detail_other_agency_404(client_for, other_coordinator, booking):
    page = client_for(other_coordinator).get(reverse("training:booking", args=[booking.pk]))
    assert page.status_code == 404
    assert "Sade Mine" not in page.content.decode()


def test_detail_reader_anonymous_method(client_for, figures_reader, booking):
    url = reverse("training:booking", args=[booking.pk])
    assert client_for(figures_reader).get(url).status_code == 403
    assert client_for(None).get(url)["Location"].startswith("/sign-in/")
    assert client_for(figures_reader).post(url).status_code == 405


def test_lead_declines(client_for, lead, booking):
    url = reverse("training:booking_decide", args=[booking.pk])
    assert client_for(lead).get(url).status_code == 200
    client_for(lead).post(url, {"decision": "decline", "version": booking.version})
    booking.refresh_from_db()
    assert booking.status == "declined"


def test_stale_decision_is_refused(client_for, lead, booking):
    page = client_for(lead).post(
        reverse("training:booking_decide", args=[booking.pk]),
        {"decision": "decline", "version": booking.version + 5},
    )
    assert "Someone else changed this record" in page.content.decode()


def test_lead_moves(client_for, lead, booking, course):
    other = make_session(course, days=30)
    url = reverse("training:booking_move", args=[booking.pk])
    assert client_for(lead).get(url).status_code == 200
    client_for(lead).post(url, {"to_session": other.pk, "version": booking.version})
    booking.refresh_from_db()
    assert booking.session_id == other.pk


def test_lead_cancels(client_for, lead, booking):
    url = reverse("training:booking_cancel", args=[booking.pk])
    assert client_for(lead).get(url).status_code == 405
    client_for(lead).post(url)
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_changes_need_officer(client_for, coordinator, other_coordinator, figures_reader, booking):
    for name in ("training:booking_decide", "training:booking_move"):
        url = reverse(name, args=[booking.pk])
        for user in (coordinator, other_coordinator, figures_reader):
            assert client_for(user).get(url).status_code == 403
        assert client_for(None).get(url).status_code == 302
        assert client_for(coordinator).put(url).status_code == 405
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_no_shows_by_agency(
    client_for, lead, coordinator, figures_reader, session, school, other_school
):
    mine = apply(session, name="Sade Mine", agency=school)
    theirs = apply(session, name="Theo Theirs", agency=other_school)
    backdate(session, 2)
    services.attendance_record(
        acting_user=lead, session=session, marks={mine.pk: "absent", theirs.pk: "late_cancel"}
    )
    from safeguarding.core.periods import FinancialYear

    year = FinancialYear.containing(session.date).label
    url = reverse("training:no_shows") + f"?year={year}"
    everyone = client_for(lead).get(url).content.decode()
    assert "Sade Mine" in everyone and "Theo Theirs" in everyone
    own = client_for(coordinator).get(url).content.decode()
    assert "Sade Mine" in own and "Theo Theirs" not in own
    assert client_for(figures_reader).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
    assert client_for(lead).post(url).status_code == 405
