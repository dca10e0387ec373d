"""Background work (django-tasks): emails to delegates.

Emails are enqueued inside the transaction of the change, so the database queue is
an outbox: a change that rolls back sends nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

SUBJECTS = {
    "confirmed": "Your place is confirmed",
    "waiting": "You are on the waiting list",
    "offered": "A place has become free for you",
    "cancelled": "Your booking is cancelled",
    "declined": "Your application was not accepted",
    "moved": "Your booking has moved to another date",
    "existing": "You already have a booking",
    "survey": "Three months on: how has the training changed your practice?",
    "survey_reminder": "Reminder: three-month training survey",
}


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def manage_url(booking) -> str:
    from .tokens import booking_token

    return site_url() + reverse("training:manage", args=[booking_token(booking)])


@task()
def send_booking_email(booking_id: int, kind: str) -> bool:
    from .models import Booking

    booking = (
        Booking.objects.select_related("session__course", "owning_agency")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None or kind not in SUBJECTS:
        return False
    session = booking.session
    body = render_to_string(
        "training/email.txt",
        {
            "kind": kind,
            "booking": booking,
            "session": session,
            "course": session.course,
            "starts": timezone.localtime(session.starts_at),
            "link": manage_url(booking),
        },
    )
    subject = f"{SUBJECTS[kind]}: {session.course.title}"
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [booking.email])
    return True
