"""The public programme and the booking form (honeypot, throttling, waiting list)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from safeguarding.training.models import Booking

from .conftest import apply, make_session

pytestmark = pytest.mark.django_db


def _form(school, **extra):
    data = {
        "full_name": "Ama Owusu",
        "email": "ama@example.org",
        "agency": str(school.pk),
        "job_role": "Health visitor",
        "line_manager_email": "boss@example.org",
        "adjustments": "",
        "confidence_1": "3",
        "confidence_2": "5",
    }
    data.update(extra)
    return data


def test_programme_lists_upcoming_sessions_with_places_left(client, session, course):
    apply(session)
    make_session(course, days=-3)  # past: not listed
    make_session(course, days=5, published=False)  # draft: not listed
    page = client.get(reverse("training:programme"))
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count("/book/") == 1
    assert ">1<" in text.replace(" ", "")  # one place left of two
    assert client.post(reverse("training:programme")).status_code == 405


def test_programme_shows_full(client, session):
    apply(session), apply(session)
    text = client.get(reverse("training:programme")).content.decode()
    assert "Full" in text and "Join the waiting list" in text


def test_apply_without_an_account(client, session, school):
    response = client.post(reverse("training:book", args=[session.pk]), _form(school))
    assert response.status_code == 302
    assert response["Location"] == reverse("training:booked")
    booking = Booking.objects.get()
    assert (booking.full_name, booking.status, booking.owning_agency) == (
        "Ama Owusu",
        "booked",
        school,
    )
    assert mail.outbox[0].to == ["ama@example.org"]
    # personal data never goes in the URL
    assert "ama" not in response["Location"]


def test_other_agency_needs_a_name(client, session, school):
    page = client.post(reverse("training:book", args=[session.pk]), _form(school, agency="other"))
    assert page.status_code == 200
    assert "Enter the name of your agency" in page.content.decode()
    assert not Booking.objects.exists()


def test_missing_confidence_is_named(client, session, school):
    data = _form(school)
    del data["confidence_2"]
    page = client.post(reverse("training:book", args=[session.pk]), data)
    assert "Rate your confidence: Use the neglect toolkit" in page.content.decode()
    assert not Booking.objects.exists()


def test_honeypot_saves_nothing(client, session, school):
    response = client.post(
        reverse("training:book", args=[session.pk]), _form(school, website="http://spam")
    )
    assert response.status_code == 302
    assert not Booking.objects.exists()
    assert mail.outbox == []


def test_flood_from_one_address_is_throttled(client, session, school, settings):
    settings.TRAINING_BOOKINGS_PER_IP_HOUR = 2
    url = reverse("training:book", args=[session.pk])
    for n in range(2):
        client.post(url, _form(school, email=f"p{n}@example.org"))
    page = client.post(url, _form(school, email="p9@example.org"))
    assert page.status_code == 429
    assert "Too many applications" in page.content.decode()
    assert Booking.objects.count() == 2


def test_same_email_is_throttled(client, session, school, settings):
    settings.TRAINING_BOOKINGS_PER_EMAIL_HOUR = 1
    url = reverse("training:book", args=[session.pk])
    client.post(url, _form(school))
    page = client.post(url, _form(school), REMOTE_ADDR="10.9.9.9")
    assert page.status_code == 429


def test_full_session_puts_applicant_on_waiting_list(client, session, school):
    apply(session), apply(session)
    page = client.get(reverse("training:book", args=[session.pk]))
    assert "This session is full" in page.content.decode()
    client.post(reverse("training:book", args=[session.pk]), _form(school))
    assert Booking.objects.get(email="ama@example.org").status == "waiting"


def test_unpublished_session_is_not_bookable(client, course):
    draft = make_session(course, published=False)
    assert client.get(reverse("training:book", args=[draft.pk])).status_code == 404


def test_booking_form_is_labelled(client, session):
    text = client.get(reverse("training:book", args=[session.pk])).content.decode()
    assert "<legend" in text and "How confident are you: Recognise neglect" in text
    assert client.put(reverse("training:book", args=[session.pk])).status_code == 405
    assert client.get(reverse("training:booked")).status_code == 200


def test_honeypot_is_hidden_from_people(client, session):
    text = client.get(reverse("training:book", args=[session.pk])).content.decode()
    assert text.count('name="website"') == 1
    assert '<div class="govuk-visually-hidden" aria-hidden="true"><label for="id_website">' in text


def _as_seen(response) -> tuple:
    """What a visitor can observe of a response, less what differs on every request (CSRF
    tokens, CSP nonces): the status, where it leads, and each page's headers and content."""

    def tidy(text: str) -> str:
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "csrf", text)
        text = re.sub(r'nonce="[^"]*"', "nonce", text)  # in the page
        return re.sub(r"'nonce-[^']*'", "nonce", text)  # in the CSP header

    pages = [(url, status) for url, status in response.redirect_chain]
    headers = {
        k: tidy(v)
        for k, v in response.headers.items()
        if k.lower() in ("content-type", "content-security-policy", "location", "cache-control")
    }
    return response.status_code, pages, headers, tidy(response.content.decode())


def test_the_answer_never_says_whether_an_address_has_a_booking(client, session, school):
    """The same application for an address with a booking and for one without gets the
    same answer; only the address's owner learns more, by email."""
    booked = apply(session, name="Ama Owusu", email="ama@example.org")
    mail.outbox.clear()
    url = reverse("training:book", args=[session.pk])

    known = client.post(
        url, _form(school, full_name="Someone Else", email="AMA@example.org"), follow=True
    )
    unknown = client.post(
        url, _form(school, full_name="Someone Else", email="new@example.org"), follow=True
    )

    assert _as_seen(known) == _as_seen(unknown)
    assert known.redirect_chain == [(reverse("training:booked"), 302)]
    assert "Check your email" in known.content.decode()
    # No second booking for the known address; the new one is booked as usual.
    assert list(Booking.objects.filter(email="ama@example.org")) == [booked]
    assert Booking.objects.filter(email="new@example.org").count() == 1
    # The known address is sent its own booking again, and nobody else hears of it.
    to_known = [m for m in mail.outbox if m.to == ["ama@example.org"]]
    assert [m.subject for m in to_known] == [f"You already have a booking: {session.course.title}"]
    assert booked.reference in to_known[0].body and "/training/booking/" in to_known[0].body
    assert "Someone Else" not in to_known[0].body
    assert {tuple(m.to) for m in mail.outbox} == {("ama@example.org",), ("new@example.org",)}


def test_the_throttle_still_holds_for_an_address_with_a_booking(client, session, school, settings):
    settings.TRAINING_BOOKINGS_PER_EMAIL_HOUR = 2
    apply(session, email="ama@example.org")
    mail.outbox.clear()
    url = reverse("training:book", args=[session.pk])
    for n in range(2):
        assert client.post(url, _form(school), REMOTE_ADDR=f"10.0.0.{n}").status_code == 302
    page = client.post(url, _form(school), REMOTE_ADDR="10.0.0.9")
    assert page.status_code == 429
    assert len(mail.outbox) == 2 and Booking.objects.count() == 1


def test_the_applied_page_does_not_claim_a_new_place(client):
    text = client.get(reverse("training:booked")).content.decode()
    assert "Check your email" in text
    assert "If that address already had a booking for this session, we have not made a " in text
