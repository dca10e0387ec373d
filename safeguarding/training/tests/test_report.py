"""year_report(): the issue 7 keys and figures computed from the records."""

import datetime as dt

import pytest
from django.utils import timezone

from safeguarding.core.periods import FinancialYear
from safeguarding.training import reports, services
from safeguarding.training.models import Course, ELearningCompletion, Session

pytestmark = pytest.mark.django_db

YEAR = FinancialYear.parse("2016-17")


def _session(course, day, capacity):
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))
    return Session.objects.create(
        course=course,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=6),
        venue="Hall",
        capacity=capacity,
    )


@pytest.fixture
def year_of_training(school, other_school, lead):
    fgm = Course.objects.create(title="Female Genital Mutilation", learning_outcomes="A\nB")
    gangs = Course.objects.create(title="Safeguarding & Gangs", learning_outcomes="A")
    s1 = _session(fgm, dt.date(2016, 6, 1), 10)
    s2 = _session(fgm, dt.date(2017, 2, 1), 10)
    s3 = _session(gangs, dt.date(2016, 9, 1), 5)
    _session(gangs, dt.date(2017, 4, 3), 50)  # next year: not counted
    bookings = {}
    now = timezone.now()
    for session, plan in (
        (s1, ["attended", "attended", "absent"]),
        (s2, ["attended"]),
        (s3, ["attended", "late_cancel"]),
    ):
        Session.objects.filter(pk=session.pk).update(starts_at=now + dt.timedelta(days=5))
        session.refresh_from_db()
        made = []
        for n, mark in enumerate(plan):
            agency = school if n % 2 == 0 else other_school
            b = services.booking_apply(
                acting_user=None,
                session=session,
                full_name=f"P {n}",
                email=f"p{n}.{session.pk}@example.org",
                job_role="Nurse",
                owning_agency=agency,
                adjustments="Hearing loop" if session == s1 and n == 0 else "",
                confidence=[3] * len(session.course.outcomes),
                notify=False,
            )
            made.append((b, mark))
        Session.objects.filter(pk=session.pk).update(
            starts_at=timezone.make_aware(
                dt.datetime.combine(
                    {
                        s1.pk: dt.date(2016, 6, 1),
                        s2.pk: dt.date(2017, 2, 1),
                        s3.pk: dt.date(2016, 9, 1),
                    }[session.pk],
                    dt.time(9, 30),
                )
            )
        )
        session.refresh_from_db()
        services.attendance_record(
            acting_user=lead, session=session, marks={b.pk: m for b, m in made}
        )
        bookings[session.pk] = made
    # Stage 2 for the first FGM delegate (confidence 9 and 7 -> 8.0).
    b0 = bookings[s1.pk][0][0]
    b0.refresh_from_db()
    services.evaluation_submit(
        acting_user=None, booking=b0, stage=2, confidence=[9, 7], content_rating=5, trainer_rating=5
    )
    for n in range(3):
        ELearningCompletion.objects.create(
            reference=f"E{n}",
            learner_name="L",
            course="Safeguarding Level 1",
            completed_date=dt.date(2016, 5, 1 + n),
        )
    ELearningCompletion.objects.create(
        reference="E9",
        learner_name="L",
        course="Safeguarding Level 1",
        completed_date=dt.date(2017, 4, 1),
    )
    return school, other_school


def test_year_report_figures(year_of_training):
    school, other_school = year_of_training
    report = reports.year_report(YEAR)
    assert set(report) == {
        "courses",
        "places_available",
        "places_used",
        "uptake_percent",
        "elearning_completions",
        "by_agency",
        "adjustments_requested",
        "evaluation",
        "paired",
        "paired_by_course",
        "response_rates",
    }
    assert report["courses"]["Female Genital Mutilation"] == {
        "sessions": 2,
        "places": 20,
        "booked": 4,
        "attended": 3,
        "no_shows": 1,
    }
    assert report["courses"]["Safeguarding & Gangs"] == {
        "sessions": 1,
        "places": 5,
        "booked": 2,
        "attended": 1,
        "no_shows": 0,
    }
    assert report["places_available"] == 25
    assert report["places_used"] == 4
    assert report["uptake_percent"] == 16.0
    assert report["elearning_completions"] == {"Safeguarding Level 1": 3}
    assert report["by_agency"] == {school.name: 3, other_school.name: 1}
    assert report["adjustments_requested"] == 1
    fgm = report["evaluation"]["Female Genital Mutilation"]
    assert fgm["stage_1"] == {"mean_confidence": 3.0, "responses": 4}
    assert fgm["stage_2"] == {"mean_confidence": 8.0, "responses": 1}
    assert fgm["stage_3"] == {"mean_confidence": None, "responses": 0}


def test_empty_year():
    report = reports.year_report(FinancialYear.parse("2010-11"))
    assert report["courses"] == {} and report["places_available"] == 0
    assert report["uptake_percent"] == 0.0


def test_report_command_json(year_of_training, capsys):
    import json

    from django.core.management import call_command

    call_command("report", "training", "--year", "2016-17", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["places_used"] == 4
    assert data["courses"]["Female Genital Mutilation"]["sessions"] == 2
