"""Synthetic training for scale tests: per year (large) 400 sessions of about 30 courses,
8,000 applications for places, attendance, the three-stage evaluations with confidence
scores against each learning outcome, and e-learning completions.

Follows the module's services: a place is booked while the session has one, later
applicants wait; a cancelled place goes to the first on the waiting list; the register
marks booked delegates only; stage 1 is answered on applying, stage 2 after the course
(releasing the certificate, in the module's code format), stage 3 once the three-month
survey is due (survey_sent_at set). Synthetic personal data only ("Delegate 000123");
no per-record audit rows.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.utils import timezone

from safeguarding.core.imports import insert_rows

from .models import Booking, ConfidenceScore, Course, ELearningCompletion, Evaluation, Session

SESSIONS_PER_YEAR = 400
APPLICATIONS_PER_YEAR = 8000
ELEARNING_PER_YEAR = 1500
PREFIX = "Generated: "
COURSES = [
    ("Safeguarding children: an introduction", "level_1", True),
    ("Working together to safeguard children", "level_2", False),
    ("Child sexual exploitation", "level_2", False),
    ("Child criminal exploitation and county lines", "level_2", False),
    ("Neglect: recognising and responding", "level_2", False),
    ("Domestic abuse and its impact on children", "level_2", False),
    ("Parental mental health", "level_2", False),
    ("Parental substance misuse", "level_2", False),
    ("Harmful sexual behaviour", "level_3", False),
    ("Online safety", "level_1", True),
    ("Female genital mutilation", "level_2", False),
    ("Forced marriage and honour-based abuse", "level_2", False),
    ("Radicalisation and Prevent", "level_1", True),
    ("Missing children and return interviews", "level_2", False),
    ("Child trafficking and modern slavery", "level_3", False),
    ("Allegations against staff: the LADO", "level_2", False),
    ("Safer recruitment", "level_3", False),
    ("Child protection conferences", "level_3", False),
    ("Core groups and child protection plans", "level_3", False),
    ("Early help assessments", "level_2", False),
    ("Disguised compliance", "level_3", False),
    ("Learning from case reviews", "briefing", True),
    ("Child death review process", "briefing", True),
    ("Bruising in non-mobile babies", "briefing", True),
    ("Private fostering awareness", "briefing", True),
    ("Trauma-informed practice", "advanced", False),
    ("Professional curiosity and challenge", "level_3", False),
    ("Information sharing", "level_2", False),
    ("Children with disabilities", "level_2", False),
    ("Supervision for safeguarding leads", "advanced", False),
]
OUTCOMES = [
    "Recognise the signs and indicators",
    "Know the local procedures and who to contact",
    "Share information safely and lawfully",
    "Record concerns and decisions clearly",
    "Apply the learning in supervision and practice",
    "Know the legal framework",
]
ELEARNING = {
    "Safeguarding children level 1 (e-learning)": 50,
    "Prevent awareness (e-learning)": 20,
    "Online safety (e-learning)": 15,
    "Female genital mutilation (e-learning)": 15,
}
ROLES = ["Teacher", "Social worker", "Nurse", "Health visitor", "Police officer",
         "Youth worker", "Early years practitioner", "Designated safeguarding lead",
         "Housing officer", "GP"]  # fmt: skip
CERTIFICATE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # services.new_certificate_code


def _next_id(model) -> int:
    return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1


def _courses(rng) -> list[Course]:
    existing = list(Course.objects.filter(title__startswith=PREFIX).order_by("id"))
    if existing:
        return existing
    courses = []
    for title, level, briefing in COURSES:
        outcomes = rng.sample(OUTCOMES, 2 if briefing else rng.randint(3, 5))
        courses.append(
            Course(
                title=f"{PREFIX}{title}",
                level=level,
                learning_outcomes="\n".join(outcomes),
                audience="Practitioners in every partner agency",
                duration="Half a day" if briefing else rng.choice(["1 day", "1 day", "2 days"]),
                trainer="Generated trainer",
                stage3_follow_up=not briefing,
            )
        )
    Course.objects.bulk_create(courses)
    return list(Course.objects.filter(title__startswith=PREFIX).order_by("id"))


def _certificate(rng, taken: set[str]) -> str:
    while True:
        raw = "".join(rng.choice(CERTIFICATE_ALPHABET) for _ in range(8))
        code = f"{raw[:4]}-{raw[4:]}"
        if code not in taken:
            taken.add(code)
            return code


def _sessions(rng, year, scale, courses):
    popularity = [rng.uniform(0.3, 3.0) for _ in courses]
    rows = []
    for i in range(max(1, round(SESSIONS_PER_YEAR * scale))):
        course = rng.choices(courses, weights=popularity)[0]
        day = year.start + dt.timedelta(days=rng.randrange(365))
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
        day = max(day, year.start)
        half_day = course.duration == "Half a day"
        at = rng.choice([dt.time(9, 30), dt.time(13, 30)]) if half_day else dt.time(9, 30)
        starts = timezone.make_aware(dt.datetime.combine(day, at))
        online = rng.random() < 0.35
        rows.append(
            (
                course.pk,
                starts,
                starts + dt.timedelta(hours=3 if half_day else 6),
                "" if online else f"Generated venue {i % 12 + 1}",
                f"https://meet.example.org/generated-{year.start_year}-{i}" if online else "",
                rng.choice([24, 30, 40]) if half_day else rng.choice([16, 20, 20, 24]),
            )
        )
    return rows


def _bookings(rng, sessions, n_applications, agencies, now, prefix, first):
    """One session's applications in order: booked while places last, then waiting;
    cancellations free places for the waiting list; the register after the session."""
    demand = [rng.uniform(0.5, 1.6) * capacity for _id, _s, capacity, _c in sessions]
    per_session = [0] * len(sessions)
    for i in rng.choices(range(len(sessions)), weights=demand, k=n_applications):
        per_session[i] += 1
    rows, number = [], first
    for (session_id, starts, capacity, _course), n in zip(sessions, per_session, strict=True):
        opened = starts - dt.timedelta(days=rng.randint(40, 90))
        applied = sorted(
            opened + dt.timedelta(minutes=rng.randrange(60 * 24 * 35)) for _ in range(n)
        )
        statuses = ["booked" if k < capacity else "waiting" for k in range(n)]
        for k in range(n):
            if statuses[k] == "booked" and rng.random() < 0.07:
                statuses[k] = "cancelled"
                if "waiting" in statuses:
                    statuses[statuses.index("waiting")] = "booked"
            elif statuses[k] == "waiting" and rng.random() < 0.02:
                statuses[k] = "declined"
        for created, status in zip(applied, statuses, strict=True):
            attendance = ""
            if status == "booked" and starts <= now:
                attendance = rng.choices(["attended", "absent", "late_cancel"], [86, 8, 6])[0]
            agency = rng.choice(agencies) if rng.random() < 0.93 else None
            rows.append(
                [
                    f"{prefix}{number:06d}",
                    session_id,
                    agency.pk if agency else None,
                    "" if agency else "Generated independent provider",
                    f"Delegate {number:06d}",
                    f"delegate{number:06d}@example.org",
                    rng.choice(ROLES),
                    f"manager{number % 997:03d}@example.org",
                    "Hearing loop" if rng.random() < 0.03 else "",
                    status,
                    attendance,
                    "",  # certificate_code: released by the stage 2 evaluation
                    None,  # survey_sent_at
                    min(created, now),
                    min(created, now),
                ]
            )
            number += 1
    return rows


def _scores(rng, base: float, n: int) -> list[int]:
    return [max(1, min(10, round(rng.gauss(base, 1.3)))) for _ in range(n)]


def generate(*, years, scale, rng, agencies, progress):
    now = timezone.now()
    today = timezone.localdate(now)
    courses = _courses(rng)
    by_id = {c.pk: c for c in courses}
    taken = set(
        Booking.objects.exclude(certificate_code="").values_list("certificate_code", flat=True)
    )
    for year in years:
        session_rows = _sessions(rng, year, scale, courses)
        start_id = _next_id(Session)
        insert_rows(
            Session,
            ["course_id", "starts_at", "ends_at", "venue", "online_link", "capacity"],
            session_rows,
        )
        sessions = list(
            Session.objects.filter(id__gte=start_id)
            .order_by("id")
            .values_list("id", "starts_at", "capacity", "course_id")
        )
        prefix = f"GEN-TRN-{year.label}-"
        first = Booking.objects.filter(reference__startswith=prefix).count() + 1
        rows = _bookings(
            rng, sessions, round(APPLICATIONS_PER_YEAR * scale), agencies, now, prefix, first
        )
        session_of = {pk: (starts, course_id) for pk, starts, _cap, course_id in sessions}
        evaluations = []  # (row index, stage, submitted_at, content, trainer, practice change)
        for index, row in enumerate(rows):
            starts, course_id = session_of[row[1]]
            evaluations.append((index, 1, row[13], None, None, ""))
            if row[10] != "attended":
                continue
            if rng.random() < 0.85:
                submitted = starts + dt.timedelta(hours=rng.randint(6, 72))
                if submitted <= now:
                    row[11] = _certificate(rng, taken)
                    content = rng.choices([5, 4, 3, 2], [45, 40, 12, 3])[0]
                    trainer = rng.choices([5, 4, 3, 2], [55, 33, 10, 2])[0]
                    evaluations.append((index, 2, submitted, content, trainer, ""))
            due = starts + dt.timedelta(days=91)
            if by_id[course_id].stage3_follow_up and due.date() <= today:
                row[12] = due
                answered = due + dt.timedelta(days=rng.randint(0, 30))
                if rng.random() < 0.4 and answered <= now:
                    change = "Generated: I now use the local procedures with families"
                    evaluations.append((index, 3, answered, None, None, change))
        start_id = _next_id(Booking)
        insert_rows(
            Booking,
            [
                "reference",
                "session_id",
                "owning_agency_id",
                "agency_other",
                "full_name",
                "email",
                "job_role",
                "line_manager_email",
                "adjustments",
                "status",
                "attendance",
                "certificate_code",
                "survey_sent_at",
                "created_at",
                "updated_at",
            ],
            [tuple(row) for row in rows],
        )
        booking_ids = list(
            Booking.objects.filter(id__gte=start_id, reference__startswith=prefix)
            .order_by("id")
            .values_list("id", flat=True)
        )
        start_id = _next_id(Evaluation)
        insert_rows(
            Evaluation,
            [
                "booking_id",
                "stage",
                "submitted_at",
                "content_rating",
                "trainer_rating",
                "practice_change",
            ],
            [(booking_ids[i], stage, at, c, t, p) for i, stage, at, c, t, p in evaluations],
        )
        evaluation_ids = list(
            Evaluation.objects.filter(id__gte=start_id).order_by("id").values_list("id", flat=True)
        )
        scores = []
        base = {1: 4.8, 2: 7.6, 3: 7.1}
        for pk, (index, stage, *_rest) in zip(evaluation_ids, evaluations, strict=True):
            outcomes = by_id[session_of[rows[index][1]][1]].outcomes
            for number, (text, score) in enumerate(
                zip(outcomes, _scores(rng, base[stage], len(outcomes)), strict=True), start=1
            ):
                scores.append((pk, number, text[:300], score))
        insert_rows(
            ConfidenceScore, ["evaluation_id", "outcome_number", "outcome", "score"], scores
        )
        completions = _elearning(rng, year, scale, agencies, today)
        booked = sum(1 for row in rows if row[9] == "booked")
        attended = sum(1 for row in rows if row[10] == "attended")
        progress(
            f"{year}: {len(sessions)} sessions, {len(rows)} applications ({booked} booked, "
            f"{attended} attended), {len(evaluations)} evaluations, {len(scores)} confidence "
            f"scores, {completions} e-learning completions"
        )


def _elearning(rng, year, scale, agencies, today) -> int:
    prefix = f"GEN-EL-{year.label}-"
    first = ELearningCompletion.objects.filter(reference__startswith=prefix).count() + 1
    rows = []
    for k in range(round(ELEARNING_PER_YEAR * scale)):
        day = year.start + dt.timedelta(days=rng.randrange(365))
        if day > today:
            continue
        agency = rng.choice(agencies)
        number = first + k
        rows.append(
            (
                f"{prefix}{number:06d}",
                f"Learner {number:06d}",
                f"learner{year.start_year}{number:06d}@example.org",
                agency.name,
                agency.pk,
                rng.choices(list(ELEARNING), weights=list(ELEARNING.values()))[0],
                day,
            )
        )
    insert_rows(
        ELearningCompletion,
        ["reference", "learner_name", "email", "agency", "owning_agency_id", "course",
         "completed_date"],
        rows,
    )  # fmt: skip
    return len(rows)
