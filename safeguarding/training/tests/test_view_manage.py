"""The delegate's signed link: manage, cancel, evaluate, certificate; tampering and expiry."""

import datetime as dt
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse

from safeguarding.training.models import Booking
from safeguarding.training.tokens import SALT, booking_token

from .conftest import apply, backdate, make_session

pytestmark = pytest.mark.django_db


def _url(booking, name="training:manage", *args):
    return reverse(name, args=[booking_token(booking), *args])


def test_manage_page_shows_own_booking(client, session):
    booking = apply(session, name="Olu Mensah")
    page = client.get(_url(booking))
    assert page.status_code == 200
    assert "Olu Mensah" in page.content.decode()
    assert "Cancel my booking" in page.content.decode()


def test_tampered_link_is_refused(client, session):
    booking = apply(session)
    token = booking_token(booking)
    bad = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    page = client.get(reverse("training:manage", args=[bad]))
    assert page.status_code == 404
    assert "This link does not work" in page.content.decode()


def test_link_to_another_booking_cannot_be_forged(client, session):
    booking = apply(session)
    other = apply(session)
    forged = signing.dumps({"b": other.pk, "r": booking.reference}, salt=SALT, compress=True)
    page = client.get(reverse("training:manage", args=[forged]))
    assert page.status_code == 404


def test_expired_link(client, session, settings):
    booking = apply(session)
    token = booking_token(booking)
    later = dt.datetime.now().timestamp() + 201 * 86400
    with mock.patch("time.time", return_value=later):
        page = client.get(reverse("training:manage", args=[token]))
    assert page.status_code == 410
    assert "This link has expired" in page.content.decode()


def test_delegate_cancels_through_the_link(client, session):
    booking = apply(session)
    response = client.post(_url(booking))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_cancel_after_deadline_shows_a_message(client, course):
    session = make_session(course, days=1, cancellation_days=3)
    booking = apply(session)
    page = client.post(_url(booking))
    assert page.status_code == 200
    assert "can be cancelled online only until" in page.content.decode()
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_wrong_method(client, session):
    booking = apply(session)
    assert client.put(_url(booking)).status_code == 405
    assert client.post(_url(booking, "training:certificate")).status_code == 405


def test_certificate_only_after_stage2(client, session):
    booking = apply(session, name="Kemi Ade")
    backdate(session, 0)
    before = client.get(_url(booking, "training:certificate"))
    assert before.status_code == 302  # back to the booking page: no certificate yet
    form = client.get(_url(booking, "training:evaluate", 2))
    assert form.status_code == 200 and "Course evaluation" in form.content.decode()
    response = client.post(
        _url(booking, "training:evaluate", 2),
        {
            "confidence_1": "8",
            "confidence_2": "9",
            "content_rating": "5",
            "trainer_rating": "5",
            "comment": "Excellent",
        },
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    manage = client.get(_url(booking)).content.decode()
    assert booking.certificate_code in manage
    pdf = client.get(_url(booking, "training:certificate"))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_evaluation_errors_name_the_field(client, session):
    booking = apply(session)
    backdate(session, 0)
    page = client.post(_url(booking, "training:evaluate", 2), {"confidence_1": "8"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Choose a rating for the content" in text
    assert "Rate your confidence: Use the neglect toolkit" in text
    assert not Booking.objects.get(pk=booking.pk).certificate_code


def test_stage3_survey_through_the_link(client, session):
    booking = apply(session)
    backdate(session, 95)
    response = client.post(
        _url(booking, "training:evaluate", 3),
        {"confidence_1": "7", "confidence_2": "8", "practice_change": "Earlier referrals"},
    )
    assert response.status_code == 302
    assert booking.evaluations.filter(stage=3, practice_change="Earlier referrals").exists()


def test_verify_certificate(client, session):
    booking = apply(session, name="Kemi Ade")
    backdate(session, 0)
    client.post(
        _url(booking, "training:evaluate", 2),
        {"confidence_1": "8", "confidence_2": "9", "content_rating": "5", "trainer_rating": "4"},
    )
    booking.refresh_from_db()
    good = client.post(reverse("training:verify"), {"code": booking.certificate_code.lower()})
    assert "Certificate is genuine" in good.content.decode()
    assert "Kemi Ade" in good.content.decode()
    bad = client.post(reverse("training:verify"), {"code": "ZZZZ-9999"})
    assert "No certificate has this code" in bad.content.decode()
    assert "Kemi Ade" not in bad.content.decode()
    assert client.get(reverse("training:verify")).status_code == 200
    assert client.put(reverse("training:verify")).status_code == 405
