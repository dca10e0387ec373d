"""Tried as a new user would: publish a session, book as a delegate, attend, evaluate,
download the certificate, answer the three-month survey, see the report."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.periods import FinancialYear
from safeguarding.training import services
from safeguarding.training.models import Booking, Session

pytestmark = pytest.mark.django_db


def test_whole_journey(client_for, lead, figures_reader, course, school):
    officer = client_for(lead)
    day = timezone.localdate() + dt.timedelta(days=20)
    officer.post(
        reverse("training:session_create"),
        {
            "course": course.pk,
            "date_0": day.day,
            "date_1": day.month,
            "date_2": day.year,
            "start_time": "09:30",
            "end_time": "16:00",
            "venue": "Civic Centre",
            "capacity": "12",
            "cancellation_days": "3",
            "is_published": "on",
        },
    )
    session = Session.objects.get()

    public = client_for(None)
    assert course.title in public.get(reverse("training:programme")).content.decode()
    public.post(
        reverse("training:book", args=[session.pk]),
        {
            "full_name": "Jo Delegate",
            "email": "jo@example.org",
            "agency": str(school.pk),
            "job_role": "Teacher",
            "confidence_1": "3",
            "confidence_2": "4",
        },
    )
    link = re.search(r"https?://\S+/training/booking/\S+/", mail.outbox[0].body).group(0)
    path = link[link.index("/training/") :]
    assert "Place confirmed" in public.get(path).content.decode()

    # The course happens; the lead takes the register.
    starts = timezone.now() - dt.timedelta(hours=7)
    Session.objects.filter(pk=session.pk).update(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=6)
    )
    booking = Booking.objects.get()
    officer.post(reverse("training:attendance", args=[session.pk]), {f"b{booking.pk}": "attended"})

    public.post(
        path + "evaluation/2/",
        {
            "confidence_1": "8",
            "confidence_2": "9",
            "content_rating": "5",
            "trainer_rating": "5",
            "comment": "Very thought provoking",
        },
    )
    pdf = public.get(path + "certificate.pdf")
    assert pdf.content.startswith(b"%PDF")

    # Three months later the survey goes out, and the delegate answers it.
    later = timezone.now() + dt.timedelta(days=95)
    Session.objects.filter(pk=session.pk).update(starts_at=starts - dt.timedelta(days=95))
    assert services.surveys_enqueue_due(now=later) == (1, 0)
    public.post(
        path + "evaluation/3/",
        {"confidence_1": "8", "confidence_2": "8", "practice_change": "I use the toolkit"},
    )
    assert booking.evaluations.count() == 3

    year = FinancialYear.containing(timezone.localdate(starts - dt.timedelta(days=95)))
    page = client_for(figures_reader).get(reverse("training:report") + f"?year={year.label}")
    text = page.content.decode()
    assert "12 delegate places were available" in text and "1 places were used" in text
    assert "Jo Delegate" not in text
