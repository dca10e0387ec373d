"""Stage-3 survey three months after the session, reminder two weeks later (task queue)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from safeguarding.training import services
from safeguarding.training.models import Booking

from .conftest import apply, backdate

pytestmark = pytest.mark.django_db


def test_survey_sent_when_three_months_have_passed(session):
    booking = apply(session, notify=False)
    backdate(session, 60)
    assert services.surveys_enqueue_due() == (0, 0)
    backdate(session, 93)
    assert services.surveys_enqueue_due() == (1, 0)
    assert mail.outbox[-1].to == [booking.email]
    assert mail.outbox[-1].subject.startswith("Three months on")
    assert "/training/booking/" in mail.outbox[-1].body
    # Sent once only.
    assert services.surveys_enqueue_due() == (0, 0)


def test_reminder_two_weeks_after_the_survey(session):
    booking = apply(session, notify=False)
    backdate(session, 93)
    now = timezone.now()
    services.surveys_enqueue_due(now=now)
    assert services.surveys_enqueue_due(now=now + dt.timedelta(days=13)) == (0, 0)
    assert services.surveys_enqueue_due(now=now + dt.timedelta(days=14, minutes=1)) == (0, 1)
    assert mail.outbox[-1].subject.startswith("Reminder: three-month training survey")
    assert services.surveys_enqueue_due(now=now + dt.timedelta(days=30)) == (0, 0)
    booking.refresh_from_db()
    assert booking.survey_reminded_at is not None


def test_no_reminder_once_answered(session):
    booking = apply(session, notify=False)
    backdate(session, 93)
    now = timezone.now()
    services.surveys_enqueue_due(now=now)
    services.evaluation_submit(
        acting_user=None,
        booking=Booking.objects.get(pk=booking.pk),
        stage=3,
        confidence=[8, 8],
        practice_change="Better chronologies",
    )
    assert services.surveys_enqueue_due(now=now + dt.timedelta(days=15)) == (0, 0)


def test_no_survey_for_courses_without_follow_up(session, course):
    course.stage3_follow_up = False
    course.save()
    apply(session, notify=False)
    backdate(session, 100)
    assert services.surveys_enqueue_due() == (0, 0)


def test_no_survey_for_absent_or_cancelled(session, lead):
    absent = apply(session, notify=False)
    backdate(session, 100)
    services.attendance_record(acting_user=lead, session=session, marks={absent.pk: "absent"})
    assert services.surveys_enqueue_due() == (0, 0)


def test_command_enqueues_into_the_database_queue(session, settings):
    """With the production backend the emails wait in the django-tasks-db queue."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    apply(session, notify=False)
    backdate(session, 93)
    call_command("training_surveys", stdout=open("/dev/null", "w"))
    queued = DBTaskResult.objects.get()
    assert queued.task_path.endswith("send_booking_email")
    assert queued.args_kwargs["args"][1] == "survey"
    assert mail.outbox == []
