"""Capacity, the waiting list, cancellation deadlines and the training lead's decisions."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from safeguarding.core.models import AuditEvent
from safeguarding.core.writes import RecordInvalid
from safeguarding.training import services
from safeguarding.training.models import Booking, Evaluation

from .conftest import apply, make_session

pytestmark = pytest.mark.django_db


def test_places_then_waiting_list(session, school):
    first = apply(session, agency=school)
    second = apply(session, agency=school)
    third = apply(session, agency=school)
    assert [first.status, second.status, third.status] == ["booked", "booked", "waiting"]
    subjects = [m.subject for m in mail.outbox]
    assert subjects[0].startswith("Your place is confirmed")
    assert subjects[2].startswith("You are on the waiting list")
    assert "/training/booking/" in mail.outbox[0].body


def test_stage1_questionnaire_saved_with_the_application(session):
    booking = apply(session)
    stage1 = Evaluation.objects.get(booking=booking, stage=1)
    assert [s.score for s in stage1.scores.all()] == [4, 4]
    assert stage1.scores.first().outcome == "Recognise neglect"


def test_application_audited(session):
    booking = apply(session)
    event = AuditEvent.objects.get(object_id=str(booking.pk), object_type="training.booking")
    assert event.summary == "Place booked"


def test_confidence_required_for_every_outcome(session):
    with pytest.raises(RecordInvalid) as exc:
        services.booking_apply(
            acting_user=None,
            session=session,
            full_name="A B",
            email="a@example.org",
            job_role="Nurse",
            agency_other="Clinic",
            confidence=[5],
        )
    assert exc.value.problems[0][0] == "confidence"
    assert not Booking.objects.exists()


def test_same_email_gets_its_booking_again_not_a_second_one(session):
    first = apply(session, name="Ama Owusu", email="twice@example.org")
    mail.outbox.clear()
    again = apply(session, name="Somebody Else", email="Twice@example.org")
    assert again == first
    assert Booking.objects.filter(session=session).count() == 1
    assert AuditEvent.objects.filter(object_type="training.booking").count() == 1
    # The details go to that address only, and say nothing of the second applicant.
    (message,) = mail.outbox
    assert message.to == ["twice@example.org"]
    assert message.subject == f"You already have a booking: {session.course.title}"
    assert "we have not made a second one" in message.body
    assert "Your place is confirmed" in message.body and first.reference in message.body
    assert "/training/booking/" in message.body
    assert "Somebody Else" not in message.body and "Dear Ama Owusu" in message.body


def test_a_waiting_applicant_applying_again_is_told_they_are_waiting(session):
    apply(session), apply(session)
    waiting = apply(session, email="wait@example.org")
    mail.outbox.clear()
    assert apply(session, email="wait@example.org") == waiting
    (message,) = mail.outbox
    assert "You are on the waiting list" in message.body
    assert "You can cancel up to" not in message.body


def test_a_cancelled_booking_does_not_stop_a_new_application(session):
    first = apply(session, email="back@example.org")
    services.booking_cancel(acting_user=None, booking=first, by_delegate=True)
    second = apply(session, email="back@example.org")
    assert second != first and second.status == "booked"


def test_cancelling_a_place_offers_it_to_the_first_on_the_waiting_list(session):
    a, _b = apply(session), apply(session)
    c, d = apply(session), apply(session)
    mail.outbox.clear()
    services.booking_cancel(acting_user=None, booking=a, by_delegate=True)
    c.refresh_from_db()
    d.refresh_from_db()
    assert (c.status, d.status) == ("booked", "waiting")
    assert any(
        m.subject.startswith("A place has become free") and m.to == [c.email] for m in mail.outbox
    )


def test_delegate_cannot_cancel_after_the_deadline(course):
    session = make_session(course, days=2, cancellation_days=3)
    booking = apply(session)
    with pytest.raises(RecordInvalid) as exc:
        services.booking_cancel(acting_user=None, booking=booking, by_delegate=True)
    assert "can be cancelled online only until" in exc.value.problems[0][1]
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_delegate_can_cancel_just_before_the_deadline(course):
    session = make_session(course, days=10, cancellation_days=3)
    booking = apply(session)
    just_before = session.cancellation_deadline - dt.timedelta(minutes=1)
    services.booking_cancel(acting_user=None, booking=booking, by_delegate=True, now=just_before)
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_training_lead_can_cancel_after_the_deadline(course, lead):
    session = make_session(course, days=1, cancellation_days=3)
    booking = apply(session)
    services.booking_cancel(acting_user=lead, booking=booking, by_delegate=False)
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_accept_only_when_a_place_is_free(session, lead):
    apply(session), apply(session)
    waiting = apply(session)
    with pytest.raises(RecordInvalid):
        services.booking_decide(
            acting_user=lead, booking=waiting, decision="accept", expected_version=waiting.version
        )
    services.session_save(
        acting_user=lead, session=session, expected_version=session.version, capacity=3
    )
    waiting.refresh_from_db()
    assert waiting.status == "booked"  # raising the capacity offered the place


def test_decline_frees_the_place(session, lead):
    a, _b, c = apply(session), apply(session), apply(session)
    services.booking_decide(
        acting_user=lead, booking=a, decision="decline", expected_version=a.version
    )
    a.refresh_from_db()
    c.refresh_from_db()
    assert (a.status, c.status) == ("declined", "booked")


def test_move_to_another_session(session, course, lead):
    other = make_session(course, days=20, capacity=1)
    a, _b, waiting = apply(session), apply(session), apply(session)
    services.booking_move(acting_user=lead, booking=a, to_session=other, expected_version=a.version)
    a.refresh_from_db()
    waiting.refresh_from_db()
    assert (a.session_id, a.status) == (other.pk, "booked")
    assert waiting.status == "booked"


def test_capacity_cannot_drop_below_places_booked(session, lead):
    apply(session), apply(session)
    with pytest.raises(RecordInvalid) as exc:
        services.session_save(
            acting_user=lead, session=session, expected_version=session.version, capacity=1
        )
    assert exc.value.problems[0][0] == "capacity"


def test_past_session_cannot_be_booked(course):
    session = make_session(course, days=-1)
    with pytest.raises(RecordInvalid) as exc:
        apply(session)
    assert exc.value.problems[0][0] == "session"


@pytest.mark.django_db(transaction=True)
def test_two_people_booking_the_last_place_at_once(course):
    """One gets the place, the other the waiting list (the session row is locked)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite cannot run two writers at once; this runs on PostgreSQL in CI")
    session = make_session(course, capacity=1)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def book(n):
        try:
            barrier.wait(timeout=5)
            b = services.booking_apply(
                acting_user=None,
                session=session,
                full_name=f"Racer {n}",
                email=f"racer{n}@example.org",
                job_role="Nurse",
                agency_other="Clinic",
                confidence=[5, 5],
                notify=False,
            )
            results.append(b.status)
        except Exception as exc:  # pragma: no cover - reported by the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == ["booked", "waiting"]


@pytest.mark.django_db(transaction=True)
def test_last_place_in_separate_transactions(course):
    """Sequential commits (any database): the second applicant goes on the waiting list."""
    session = make_session(course, capacity=1)
    first = apply(session, notify=False)
    second = apply(session, notify=False)
    assert (first.status, second.status) == ("booked", "waiting")
    assert Booking.objects.filter(session=session, status="booked").count() == 1
    assert timezone.now() < session.starts_at
