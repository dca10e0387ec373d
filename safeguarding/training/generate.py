"""Synthetic training for scale tests: per year (large) 400 sessions of 30 courses, 8,000
bookings with attendance, three-stage evaluations with confidence scores, e-learning."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguarding.core.imports import insert_rows

from .models import Booking, ConfidenceScore, Course, ELearningCompletion, Evaluation, Session

OUTCOMES = ["Recognise the signs", "Know the local procedures", "Share information safely"]


def _courses(rng):
    courses = []
    for i in range(30):
        course, _ = Course.objects.get_or_create(
            title=f"Generated course {i:02d}",
            defaults={"learning_outcomes": "\n".join(OUTCOMES), "duration": "1 day"},
        )
        courses.append(course)
    return courses


def generate(*, years, scale, rng, agencies, progress):
    now = timezone.now()
    courses = _courses(rng)
    for year in years:
        tag = f"GEN-{year.label}"
        n_sessions = max(1, int(400 * scale))
        sessions = []
        for i in range(n_sessions):
            day = year.start + dt.timedelta(days=rng.randrange(365))
            starts = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))
            sessions.append(
                (
                    rng.choice(courses).pk,
                    starts,
                    starts + dt.timedelta(hours=6),
                    f"{tag} room {i}",
                    24,
                )
            )
        insert_rows(Session, ["course_id", "starts_at", "ends_at", "venue", "capacity"], sessions)
        session_ids = list(
            Session.objects.filter(venue__startswith=f"{tag} room ").values_list("id", "starts_at")
        )
        bookings = []
        for n in range(int(8000 * scale)):
            session_id, starts = session_ids[n % len(session_ids)]
            status = rng.choices(["booked", "waiting", "cancelled"], [88, 4, 8])[0]
            attendance = ""
            if status == "booked" and starts < now:
                attendance = rng.choices(["attended", "absent", "late_cancel"], [85, 10, 5])[0]
            agency = rng.choice(agencies)
            bookings.append(
                (
                    f"{tag}-B{n:06d}",
                    session_id,
                    agency.pk,
                    f"Delegate {n:06d}",
                    f"delegate{n}@example.org",
                    "Practitioner",
                    status,
                    attendance,
                    f"G{year.start_year}{n:07d}" if attendance == "attended" else "",
                    starts - dt.timedelta(days=rng.randint(5, 60)),
                )
            )
        insert_rows(
            Booking,
            [
                "reference",
                "session_id",
                "owning_agency_id",
                "full_name",
                "email",
                "job_role",
                "status",
                "attendance",
                "certificate_code",
                "created_at",
            ],
            bookings,
        )
        booking_ids = list(
            Booking.objects.filter(reference__startswith=f"{tag}-B").values_list(
                "id", "attendance", "created_at", "session__starts_at"
            )
        )
        evaluations = []
        for pk, attendance, booked_at, starts in booking_ids:
            evaluations.append((pk, 1, booked_at))
            if attendance == "attended":
                evaluations.append((pk, 2, starts + dt.timedelta(hours=7)))
                later = starts + dt.timedelta(days=95)
                if later < now and rng.random() < 0.45:
                    evaluations.append((pk, 3, later))
        insert_rows(Evaluation, ["booking_id", "stage", "submitted_at"], evaluations)
        evaluation_ids = Evaluation.objects.filter(
            booking__reference__startswith=f"{tag}-B"
        ).values_list("id", "stage")
        base = {1: 4, 2: 7, 3: 6}
        scores = [
            (pk, k + 1, outcome, max(1, min(10, base[stage] + rng.randint(-2, 2))))
            for pk, stage in evaluation_ids
            for k, outcome in enumerate(OUTCOMES)
        ]
        insert_rows(
            ConfidenceScore, ["evaluation_id", "outcome_number", "outcome", "score"], scores
        )
        completions = [
            (
                f"{tag}-L{n:05d}",
                f"Learner {n:05d}",
                "Safeguarding Level 1",
                min(year.start + dt.timedelta(days=rng.randrange(365)), now.date()),
            )
            for n in range(int(250 * scale))
        ]
        insert_rows(
            ELearningCompletion,
            ["reference", "learner_name", "course", "completed_date"],
            completions,
        )
        progress(
            f"{year}: {len(sessions)} sessions, {len(bookings)} bookings, "
            f"{len(evaluations)} evaluations, {len(completions)} e-learning completions"
        )
