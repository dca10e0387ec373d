"""Demo data: the 2016-17 programme shaped like the seed report's section 3.3.3
(27 courses, 960 places, 713 used, 233 e-learning completions), 2015-16 for comparison,
and a few upcoming sessions on the public programme."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from safeguarding.core.audit import build_event, record_events
from safeguarding.core.demo import demo_user
from safeguarding.core.workdays import is_working_day

from .models import Booking, ConfidenceScore, Course, ELearningCompletion, Evaluation, Session

# (title, level, stage 3 follow-up, [delegates who attended each session]).
# The seed's list adds up to 704 delegates while its text says 713 places were used:
# nine delegates are added to Neglect, Safeguarding Level 2 and 3 so the totals match.
PROGRAMME_2016 = [
    ("Advanced Domestic Violence", "advanced", True, [13]),
    ("Children and Substance Misuse", "level_2", True, [9]),
    ("Children Missing from Education", "level_2", False, [14, 14]),
    ("Child Sexual Exploitation 1 hour Briefing", "briefing", False, [20]),
    ("Child Trafficking", "level_2", False, [8]),
    ("Counter Trafficking, Modern Slavery & Prostitution", "level_2", False, [13, 12]),
    ("Female Genital Mutilation", "level_2", False, [12, 11, 12, 11]),
    ("Forced Marriages and Honour Based Violence", "level_2", False, [12]),
    ("Harmful Cultural Practice", "level_2", False, [31]),
    ("Introduction to Child Sexual Exploitation", "level_2", False, [16]),
    ("Learning from Domestic Homicide Reviews", "level_3", True, [18]),
    ("Lewisham MARAC Briefing", "briefing", False, [12, 12]),
    ("Neglect – An Analytical Approach", "level_3", True, [18, 17, 18, 17]),
    ("Professional Curiosity – Learning from SCR's", "level_3", False, [12]),
    ("Safeguarding & Gangs", "level_2", False, [14, 14]),
    ("Safeguarding Level 2", "level_2", True, [16, 16, 16, 16]),
    ("Safeguarding Level 3", "level_3", True, [17, 17]),
    ("Safeguarding Sexually Active Young People", "level_2", True, [13, 12]),
    ("Safer Recruitment", "level_2", False, [15]),
    ("Self-Harm in Young People Awareness", "level_2", True, [18]),
    (
        "Sexually Harmful Behaviour – Supporting Women affected by CSE",
        "level_3",
        False,
        [13, 12, 12],
    ),
    ("Supporting Young People Affected by CSE", "level_2", True, [21]),
    ("Understanding Gangs & Gang Activity", "level_2", False, [17, 17]),
    ("Understanding the Different Strands of VAWG", "level_2", False, [13, 12]),
    ("Working with Challenging & Hard to Help Families", "level_3", True, [19]),
    ("Workshop to Raise Awareness of Prevent", "briefing", False, [21, 20]),
    ("Young Carers & Hidden Harm", "level_2", False, [10, 10]),
]
PLACES_2016 = 960
ELEARNING_2016 = 233
ELEARNING_2015 = 198

FIRST_NAMES = [
    "Ade",
    "Bola",
    "Chloe",
    "Dev",
    "Ellie",
    "Fatima",
    "George",
    "Hana",
    "Isaac",
    "Jade",
    "Kofi",
    "Leah",
    "Marcus",
    "Nadia",
    "Owen",
    "Priya",
    "Rosa",
    "Sam",
    "Tariq",
    "Una",
    "Vikram",
    "Wes",
    "Yasmin",
    "Zoe",
]
LAST_NAMES = [
    "Adeyemi",
    "Brown",
    "Clarke",
    "Das",
    "Evans",
    "Francis",
    "Green",
    "Hussain",
    "Ibrahim",
    "Jones",
    "Khan",
    "Lewis",
    "Mensah",
    "Nowak",
    "Okoro",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Walsh",
    "Young",
]
ROLES = [
    "Social worker",
    "Health visitor",
    "Class teacher",
    "Police constable",
    "School nurse",
    "Youth worker",
    "Family support worker",
    "Housing officer",
]
QUOTES = [
    "Very thought provoking and stimulating. The facilitator was fantastic",
    "Encouraged critical thinking, but also helpful insights from the trainer's experience",
]
PRACTICE = [
    "I now ask about the wider family at every first visit.",
    "I check the child's school attendance before every review.",
    "I escalate sooner when a plan is drifting and record why.",
]


def _outcomes(title: str) -> str:
    return "\n".join(
        [
            f"Recognise the signs and indicators covered by {title}",
            "Know the local procedures and who to contact",
            "Apply the learning to your own practice and record decisions",
        ]
    )


def _capacities(attended: list[int], extra_total: int, rng) -> list[int]:
    """Spread the unused places across the sessions (at least 2 spare each)."""
    caps = [a + 2 for a in attended]
    left = extra_total - 2 * len(attended)
    while left > 0:
        caps[rng.randrange(len(caps))] += 1
        left -= 1
    return caps


def _year_dates(year_start: int, count: int, rng) -> list[dt.datetime]:
    start = dt.date(year_start, 4, 12)
    days = sorted(rng.sample(range(0, 340), count))
    out = []
    for d in days:
        day = start + dt.timedelta(days=d)
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        out.append(timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30))))
    return out


def _programme(year_start, plan, places, courses, agencies, rng, events):
    sessions_total = sum(len(p[3]) for p in plan)
    extra_total = places - sum(sum(p[3]) for p in plan)
    all_attended = [a for p in plan for a in p[3]]
    caps = _capacities(all_attended, extra_total, rng)
    dates = _year_dates(year_start, sessions_total, rng)
    rng.shuffle(dates)
    i = 0
    n = 0
    for title, _level, _s3, attended in plan:
        course = courses[title]
        for count in attended:
            starts = dates[i]
            session = Session.objects.create(
                course=course,
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=6 if course.level != "briefing" else 2),
                venue="Northbank Civic Centre, Room 2",
                capacity=caps[i],
                cancellation_days=3,
            )
            i += 1
            absent = min(rng.randint(0, 2), caps[i - 1] - count)
            late = 1 if caps[i - 1] - count - absent > 1 and rng.random() < 0.3 else 0
            marks = ["attended"] * count + ["absent"] * absent + ["late_cancel"] * late
            bookings = []
            sent = None
            if course.stage3_follow_up:
                sent = timezone.make_aware(dt.datetime.combine(session.survey_due, dt.time(8)))
            for mark in marks:
                n += 1
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                agency = rng.choice(agencies) if rng.random() > 0.05 else None
                bookings.append(
                    Booking(
                        reference=f"TRN-{year_start}-{(year_start + 1) % 100:02d}-{n:05d}",
                        session=session,
                        owning_agency=agency,
                        agency_other="" if agency else "Independent childminder",
                        full_name=f"{first} {last}",
                        email=f"{first}.{last}.{n}@{'partner' if agency else 'other'}.example".lower(),
                        job_role=rng.choice(ROLES),
                        line_manager_email="",
                        adjustments="",
                        status="booked",
                        attendance=mark,
                        certificate_code="",
                        survey_sent_at=sent if mark == "attended" else None,
                        survey_reminded_at=sent + dt.timedelta(days=14)
                        if sent and mark == "attended"
                        else None,
                        created_at=starts - dt.timedelta(days=rng.randint(10, 60)),
                        updated_at=starts,
                    )
                )
            Booking.objects.bulk_create(bookings)
            _evaluations(bookings, course, session, rng)
            events += [
                build_event(actor=None, action="create", obj=b, summary="Demo booking")
                for b in bookings
            ]


def _evaluations(bookings, course, session, rng):
    outcomes = course.outcomes
    evaluations, plan = [], []
    for b in bookings:
        stages = [1]
        if b.attendance == "attended":
            stages.append(2)
            if course.stage3_follow_up and rng.random() < 0.55:
                stages.append(3)
        for stage in stages:
            base = {1: 4.6, 2: 7.8, 3: 7.3}[stage]
            quote = stage == 2 and rng.random() < 0.1
            evaluations.append(
                Evaluation(
                    booking=b,
                    stage=stage,
                    submitted_at=session.starts_at
                    + dt.timedelta(days={1: -20, 2: 0, 3: 95}[stage]),
                    content_rating=rng.randint(3, 5) if stage == 2 else None,
                    trainer_rating=rng.randint(3, 5) if stage == 2 else None,
                    comment=rng.choice(QUOTES) if quote else "",
                    practice_change=rng.choice(PRACTICE) if stage == 3 else "",
                )
            )
            plan.append(base)
        if b.attendance == "attended":
            b.certificate_code = f"{b.pk:04d}-{rng.randrange(16**4):04X}"[-9:]
    Evaluation.objects.bulk_create(evaluations)
    Booking.objects.bulk_update([b for b in bookings if b.certificate_code], ["certificate_code"])
    scores = []
    for evaluation, base in zip(evaluations, plan, strict=True):
        for number, text in enumerate(outcomes, start=1):
            score = round(min(10, max(1, rng.gauss(base, 1.3))))
            scores.append(
                ConfidenceScore(
                    evaluation=evaluation, outcome_number=number, outcome=text, score=score
                )
            )
    ConfidenceScore.objects.bulk_create(scores, batch_size=1000)


def _elearning(year_start: int, count: int, agencies, rng) -> None:
    rows = []
    for n in range(1, count + 1):
        agency = rng.choice(agencies)
        day = dt.date(year_start, 4, 1) + dt.timedelta(days=rng.randrange(365))
        rows.append(
            ELearningCompletion(
                reference=f"EL-{year_start}-{n:04d}",
                learner_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                email="",
                agency=agency.name,
                owning_agency=agency,
                course="Safeguarding Level 1",
                completed_date=day,
            )
        )
    ELearningCompletion.objects.bulk_create(rows)


def _upcoming(courses, agencies, rng, events) -> None:
    """Published sessions after today, one of them full with a waiting list."""
    today = timezone.localdate()
    picks = [
        "Safeguarding Level 2",
        "Neglect – An Analytical Approach",
        "Female Genital Mutilation",
        "Safeguarding Level 3",
    ]
    for k, title in enumerate(picks):
        day = today + dt.timedelta(days=14 + 21 * k)
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        starts = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))
        capacity = 6 if k == 0 else 20
        session = Session.objects.create(
            course=courses[title],
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=6),
            venue="Northbank Civic Centre, Room 2" if k % 2 == 0 else "",
            online_link="" if k % 2 == 0 else "https://meet.example/northbank-training",
            capacity=capacity,
            cancellation_days=3,
        )
        count = capacity + 2 if k == 0 else rng.randint(3, 12)
        bookings = []
        for n in range(count):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            bookings.append(
                Booking(
                    reference=f"TRN-UP-{k}-{n:03d}",
                    session=session,
                    owning_agency=rng.choice(agencies),
                    full_name=f"{first} {last}",
                    email=f"{first}.{last}.up{k}{n}@partner.example".lower(),
                    job_role=rng.choice(ROLES),
                    adjustments="Step-free access please" if n == 1 else "",
                    status="booked" if n < capacity else "waiting",
                    created_at=timezone.now() - dt.timedelta(days=count - n),
                )
            )
        Booking.objects.bulk_create(bookings)
        _evaluations(bookings, courses[title], session, rng)


def load(*, agencies, users, seed) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    courses = {}
    for title, level, stage3, _ in PROGRAMME_2016:
        courses[title] = Course.objects.create(
            title=title,
            level=level,
            learning_outcomes=_outcomes(title),
            audience="Staff of partner agencies who work with children and families",
            duration="Half day" if level == "briefing" else "1 day",
            trainer="Partnership training pool",
            price=0,
            stage3_follow_up=stage3,
        )
    events: list = []
    _programme(2016, PROGRAMME_2016, PLACES_2016, courses, agencies, rng, events)
    # 2015-16: a smaller programme (about 85% of the delegates, fewer dates).
    plan_2015 = [
        (t, lv, s3, [max(6, round(a * 0.85)) for a in att[: max(1, len(att) - (i % 2))]])
        for i, (t, lv, s3, att) in enumerate(PROGRAMME_2016[:24])
    ]
    _programme(2015, plan_2015, 800, courses, agencies, rng, events)
    _upcoming(courses, agencies, rng, events)
    _elearning(2016, ELEARNING_2016, agencies, rng)
    _elearning(2015, ELEARNING_2015, agencies, rng)
    record_events(events)

    police = agencies[2]
    made = [
        (
            "training@northbank.example",
            "Ruth Adebayo",
            agencies[0],
            "officer",
            "training lead: programme, bookings, attendance, evaluation",
        ),
        (
            "training.police@northbank.example",
            "Mark Ellis",
            police,
            "contributor",
            "police training coordinator: sees own agency's bookings and attendance",
        ),
        (
            "training.board@northbank.example",
            "Ian Moss",
            agencies[3],
            "reader",
            "board member: training figures only",
        ),
    ]
    out = []
    for email, name, agency, role, description in made:
        demo_user(email, name, agency, {"training": role})
        out.append((email, description))
    return out
