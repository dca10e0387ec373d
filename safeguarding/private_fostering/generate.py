"""Synthetic private fostering records for scale tests: about 150 notifications a year
(large), with their arrangements, suitability assessments and statutory visits.

Visits follow the module's clock (rules.first_visit_due / rules.next_visit_due, as
services._sync_schedule applies them): each visit's due date is the latest allowed
after the previous visit actually made, and an arrangement in place keeps one open visit.
Synthetic personal data only ("Child 000123"); no per-record audit rows.
"""

from __future__ import annotations

import datetime as dt

from . import rules
from .codes import ASSESSMENT_CHECKS
from .models import Notification, Visit

CATEGORY_WEIGHTS = {
    "language_student": 30,
    "education_or_better_life": 22,
    "parent_ill_health": 15,
    "family_breakdown": 23,
    "other": 10,
}
CARERS = {"family_friend": 40, "other_relative": 25, "host_family": 25, "other": 10}
NOTIFIERS = {
    "parent": 15,
    "carer": 20,
    "school": 25,
    "language_school": 15,
    "health": 8,
    "social_care": 12,
    "police": 2,
    "other": 3,
}
ETHNICITIES = ["WBRI", "WOTH", "BAFR", "BCRB", "AOTH", "CHNE", "MOTH", "OOTH", "NOBT"]
CHECKS = [code for code, _ in ASSESSMENT_CHECKS]


def _pick(rng, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _visits(rng, notification: Notification, today: dt.date) -> list[Visit]:
    """The visits made, then the one open visit (if one is due): rules.next_visit after
    the visits actually made, as services._sync_schedule applies it."""
    start, end = notification.arrangement_start_date, notification.arrangement_end_date
    made_dates: list[dt.date] = []
    visits = []
    while True:
        step = notification.next_visit(made_dates)
        if step is None:
            return visits  # the schedule stops when the arrangement ends
        rule, due = step
        made = due - dt.timedelta(days=rng.randint(0, 12))
        if rng.random() < 0.12:  # late
            made = due + dt.timedelta(days=rng.randint(1, 21))
        floor = (
            notification.aware if rule == rules.PROPOSAL_VISIT else max(start, notification.aware)
        )
        made = max(made, floor, made_dates[-1] if made_dates else floor)
        if end:
            made = min(made, end)
        sequence = len(visits) + 1
        if made > today or (due < today and rng.random() < 0.01 and not end):
            # Not yet made: the open visit (overdue if its date has passed).
            visits.append(Visit(sequence=sequence, rule=rule, due_date=due))
            return visits
        visits.append(
            Visit(
                sequence=sequence,
                rule=rule,
                due_date=due,
                visit_date=made,
                seen_alone=rng.random() < 0.85,
                report_written=rng.random() < 0.92,
            )
        )
        made_dates.append(made)


def _notification(rng, reference: str, child: int, notified: dt.date, today: dt.date, agency):
    kind = rng.choices(
        ["private_fostering", "close_relative", "short_stay", "to_confirm", "never_began"],
        weights=[72, 12, 6, 6, 4],
    )[0]
    category = _pick(rng, CATEGORY_WEIGHTS)
    student = category == "language_student"
    age = rng.randint(12, 15) if student else rng.randint(1, 15)
    # Notice given before the start (sometimes in time), or the arrangement had begun.
    if rng.random() < 0.35:
        start = notified + dt.timedelta(days=rng.randint(1, 70))
    else:
        start = notified - dt.timedelta(days=rng.randint(0, 120))
    born = start - dt.timedelta(days=age * 365 + rng.randint(0, 300))
    n = Notification(
        reference=reference,
        owning_agency=agency,
        notification_date=notified,
        notified_by="language_school" if student else _pick(rng, NOTIFIERS),
        notifier_name="Generated notifier",
        child_first_name="Child",
        child_last_name=f"{child:06d}",
        child_date_of_birth=born,
        child_sex=rng.choice(["male", "female"]),
        child_ethnicity=rng.choice(ETHNICITIES),
        child_disabled=rng.random() < 0.04,
        child_nationality="Generated",
        parents_names=f"Parents of child {child:06d}",
        parents_country="Generated country" if student else "Generated town",
        carer_name=f"Carer {child:06d}",
        carer_relationship=_pick(rng, CARERS),
        intended_start_date=start,
        category=category,
    )
    if student:
        n.intended_duration_days = rng.choice([30, 60, 90, 180, 270, 300])
    elif rng.random() < 0.5:
        n.intended_duration_days = rng.randint(90, 900)
    if kind == "close_relative":
        n.carer_relationship = rng.choice(["grandparent", "aunt_uncle", "sibling"])
    elif kind == "short_stay":
        n.intended_duration_days = rng.randint(5, 27)
    elif kind == "to_confirm":
        n.carer_relationship = ""
        n.intended_duration_days = None
    if kind != "private_fostering" or start > today:
        n.refresh(today)
        return n
    # The arrangement began: its dates, the assessment and how it ended.
    n.arrangement_start_date = start
    limit = rules.birthday(born, rules.age_limit(n.child_disabled))
    if n.intended_duration_days:
        planned = start + dt.timedelta(days=n.intended_duration_days + rng.randint(-10, 30))
    else:
        planned = start + dt.timedelta(days=rng.randint(60, 1000))
    planned = max(planned, start + dt.timedelta(days=28))
    end, reason = None, ""
    if limit <= planned:
        end, reason = limit, "age"
    elif planned <= today:
        end = planned
        reason = "course_ended" if student else _pick(
            rng,
            {"returned_home": 50, "moved_to_relative": 15, "looked_after": 8,
             "moved_away": 17, "other": 10},
        )  # fmt: skip
    if end and end <= today:
        n.arrangement_end_date, n.end_reason = end, reason
    assessed = start + dt.timedelta(days=rng.randint(10, 45))
    if assessed <= today and assessed <= (n.arrangement_end_date or today):
        n.assessment_date = max(assessed, notified)
        n.assessment_checks = sorted(rng.sample(CHECKS, rng.randint(5, len(CHECKS))))
        n.assessment_decision = rng.choices(
            ["suitable", "suitable_with_requirements", "not_suitable"], weights=[80, 17, 3]
        )[0]
    n.refresh(today)
    return n


def generate(*, years, scale, rng, agencies, progress):
    today = dt.date.today()
    child = Notification.objects.filter(reference__startswith="GEN-PF-").count()
    for year in years:
        n = max(1, round(150 * scale))
        notifications = []
        for i in range(n):
            notified = year.start + dt.timedelta(days=rng.randrange(365))
            if notified > today:
                continue
            child += 1
            notification = _notification(
                rng, f"GEN-PF-{year.label}-{i:05d}", child, notified, today, rng.choice(agencies)
            )
            problems = rules.notification_problems(
                notification_date=notification.notification_date,
                child_date_of_birth=notification.child_date_of_birth,
                arrangement_start_date=notification.arrangement_start_date,
                arrangement_end_date=notification.arrangement_end_date,
                aware_date=notification.aware_date,
                decision=notification.evaluate(today),
                today=today,
            )
            if problems:  # a generator bug, never bad luck
                raise ValueError(f"{notification.reference}: {problems}")
            notifications.append(notification)
        Notification.objects.bulk_create(notifications, batch_size=1000)
        ids = dict(
            Notification.objects.filter(reference__startswith=f"GEN-PF-{year.label}-").values_list(
                "reference", "id"
            )
        )
        visits = []
        for notification in notifications:
            if notification.decision != "not_private_fostering":
                for visit in _visits(rng, notification, today):
                    visit.notification_id = ids[notification.reference]
                    visits.append(visit)
        Visit.objects.bulk_create(visits, batch_size=2000)
        begun = sum(1 for x in notifications if x.arrangement_start_date)
        progress(f"{year}: {len(notifications)} notifications, {begun} arrangements, "
                 f"{len(visits)} visits")  # fmt: skip
