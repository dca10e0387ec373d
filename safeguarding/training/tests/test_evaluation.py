"""Stage 2 releases the certificate; stage 3 opens three months later."""

import datetime as dt

import pytest
from django.utils import timezone

from safeguarding.core.writes import RecordInvalid
from safeguarding.training import services
from safeguarding.training.models import Booking

from .conftest import apply, backdate

pytestmark = pytest.mark.django_db


def _stage2(booking, **kw):
    values = dict(confidence=[8, 9], content_rating=5, trainer_rating=4, comment="Great")
    values.update(kw)
    return services.evaluation_submit(acting_user=None, booking=booking, stage=2, **values)


def test_stage2_not_open_before_the_course(session):
    booking = apply(session)
    with pytest.raises(RecordInvalid) as exc:
        _stage2(booking)
    assert exc.value.problems[0][0] == "stage"
    booking.refresh_from_db()
    assert booking.certificate_code == ""


def test_stage2_releases_a_certificate_code(session):
    booking = apply(session)
    backdate(session, 0)
    _stage2(booking)
    booking.refresh_from_db()
    assert len(booking.certificate_code) == 9 and booking.certificate_code[4] == "-"


def test_stage2_needs_ratings(session):
    booking = apply(session)
    backdate(session, 0)
    with pytest.raises(RecordInvalid) as exc:
        _stage2(booking, content_rating=None)
    assert ("content_rating", "Choose a rating") in exc.value.problems


def test_absent_delegate_cannot_evaluate(session, lead):
    booking = apply(session)
    backdate(session, 1)
    services.attendance_record(acting_user=lead, session=session, marks={booking.pk: "absent"})
    with pytest.raises(RecordInvalid):
        _stage2(Booking.objects.get(pk=booking.pk))


def test_stage2_only_once(session):
    booking = apply(session)
    backdate(session, 0)
    _stage2(booking)
    with pytest.raises(RecordInvalid) as exc:
        _stage2(booking)
    assert ("stage", "You have already answered this questionnaire") in exc.value.problems


def test_stage3_opens_three_months_after_the_session(session):
    booking = apply(session)
    backdate(session, 30)
    with pytest.raises(RecordInvalid):
        services.evaluation_submit(
            acting_user=None, booking=booking, stage=3, confidence=[7, 7], practice_change="x"
        )
    backdate(session, 95)
    evaluation = services.evaluation_submit(
        acting_user=None,
        booking=Booking.objects.get(pk=booking.pk),
        stage=3,
        confidence=[7, 8],
        practice_change="I ask about the wider family.",
        now=timezone.now() + dt.timedelta(seconds=1),
    )
    assert evaluation.practice_change == "I ask about the wider family."
    assert [s.score for s in evaluation.scores.all()] == [7, 8]


def test_stage3_needs_practice_change(session):
    booking = apply(session)
    backdate(session, 95)
    with pytest.raises(RecordInvalid) as exc:
        services.evaluation_submit(acting_user=None, booking=booking, stage=3, confidence=[7, 7])
    assert exc.value.problems[0][0] == "practice_change"


def test_quote_selection_is_audited(session, lead):
    booking = apply(session)
    backdate(session, 0)
    evaluation = _stage2(booking)
    services.quote_select(acting_user=lead, evaluation=evaluation, selected=True)
    evaluation.refresh_from_db()
    assert evaluation.quote_selected is True
