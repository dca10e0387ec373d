"""Demo private fostering records.

2016-17 reproduces the seed report's chapter 5: 37 notifications, 48 arrangements in
place during the year, 23 privately fostered children on 31 March 2017, and 40.7% of
the new arrangements (11 of 27) language students with host families. Other years are
plausible; the current year has arrangements in place with some visits overdue.
"""

from __future__ import annotations

import datetime as dt
import random

from safeguarding.core.demo import demo_user
from safeguarding.core.periods import FinancialYear

from . import rules, services

FIRST = [
    "Wei",
    "Li",
    "Mei",
    "Jun",
    "Amara",
    "Kwame",
    "Chidi",
    "Fatima",
    "Yusuf",
    "Ana",
    "Lucas",
    "Sofia",
    "Ivan",
    "Nadia",
    "Tariq",
    "Grace",
    "Efua",
    "Hao",
    "Xin",
    "Tomasz",
]
LAST = [
    "Chen",
    "Wang",
    "Zhang",
    "Liu",
    "Okafor",
    "Mensah",
    "Adeyemi",
    "Hassan",
    "Silva",
    "Novak",
    "Ahmed",
    "Boateng",
    "Kowalski",
    "Huang",
    "Osei",
    "Ibrahim",
    "Costa",
    "Lin",
]
NATIONALITY = {
    "language_student": ["Chinese", "Chinese", "Chinese", "Japanese", "Spanish"],
    "education_or_better_life": ["Nigerian", "Ghanaian", "Sierra Leonean", "Jamaican"],
    "parent_ill_health": ["British", "British", "Polish"],
    "family_breakdown": ["British", "Irish"],
    "other": ["British", "Portuguese"],
}
PARENTS_LIVE = {
    "language_student": ["Beijing", "Shanghai", "Guangzhou", "Tokyo", "Madrid"],
    "education_or_better_life": ["Lagos", "Accra", "Freetown", "Kingston"],
    "parent_ill_health": ["Northbank", "Northbank", "Croydon"],
    "family_breakdown": ["Northbank", "Dublin"],
    "other": ["Northbank", "Lisbon"],
}
RELATIONSHIP = {
    "language_student": ["host_family"],
    "education_or_better_life": ["other_relative", "family_friend"],
    "parent_ill_health": ["family_friend", "other_relative"],
    "family_breakdown": ["family_friend"],
    "other": ["family_friend", "other"],
}
SEED_2016_CATEGORIES = {  # 27 new arrangements; 11 = 40.7% language students
    "language_student": 11,
    "education_or_better_life": 7,
    "parent_ill_health": 5,
    "family_breakdown": 2,
    "other": 2,
}


def _day(first: dt.date, last: dt.date, rng) -> dt.date:
    last = min(last, dt.date.today())
    return first + dt.timedelta(days=rng.randrange(max(1, (last - first).days + 1)))


class _Maker:
    def __init__(self, *, agencies, officer, rng):
        self.agencies, self.officer, self.rng = agencies, officer, rng
        self.notifiers = [agencies[0], agencies[0], agencies[6], agencies[7], agencies[4]]

    def notification(
        self,
        *,
        category,
        start,
        end=None,
        relationship=None,
        age=None,
        duration=None,
        notify_before=None,
        overdue=False,
    ):
        rng = self.rng
        today = dt.date.today()
        age_given = age is not None
        age = (
            age
            if age is not None
            else (rng.randint(14, 15) if category == "language_student" else rng.randint(3, 15))
        )
        dob = start - dt.timedelta(days=365 * age + rng.randint(10, 300))
        if not age_given:
            # Still under 16 when the arrangement ends (or today, while it continues), so
            # that no demo arrangement ends by age before the figures the seed reports.
            latest = end or today
            turns_16 = rules.birthday(dob, 16)
            if turns_16 <= latest:
                dob += (latest - turns_16) + dt.timedelta(days=45)
        early = notify_before if notify_before is not None else rng.random() < 0.6
        notified = (
            start - dt.timedelta(days=rng.randint(43, 70))
            if early
            else (start + dt.timedelta(days=rng.randint(0, 20)))
        )
        year = FinancialYear.containing(start)
        notified = max(year.start, min(notified, year.end, today))
        agency = rng.choice(self.notifiers)
        relationship = relationship or rng.choice(RELATIONSHIP[category])
        notification = services.notification_create(
            acting_user=self.officer,
            owning_agency=agency,
            notification_date=notified,
            notified_by="language_school"
            if category == "language_student"
            else rng.choice(["parent", "carer", "school", "health", "social_care"]),
            notifier_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            child_first_name=rng.choice(FIRST),
            child_last_name=rng.choice(LAST),
            child_date_of_birth=dob,
            child_sex=rng.choice(["male", "female"]),
            child_ethnicity="CHNE"
            if category == "language_student"
            else rng.choice(["BAFR", "BCRB", "WBRI", "WOTH", "MWBC"]),
            child_disabled=rng.random() < 0.05,
            child_nationality=rng.choice(NATIONALITY[category]),
            child_school=rng.choice(
                [
                    "Hillside Academy",
                    "Northbank College",
                    "St Mary's Catholic Primary School",
                    "Riverside School",
                ]
            ),
            parents_names=f"{rng.choice(FIRST)} and {rng.choice(FIRST)} {rng.choice(LAST)}",
            parents_contact="Telephone and email held on the child's file",
            parents_country=rng.choice(PARENTS_LIVE[category]),
            carer_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            carer_address=f"{rng.randint(1, 120)} {rng.choice(['Elm', 'Oak', 'Hill'])} Road, "
            "Northbank",
            carer_household="Two adults; one child of their own",
            carer_relationship=relationship,
            intended_start_date=start,
            intended_duration_days=duration or rng.choice([90, 180, 300, 365]),
            category=category,
            summary="Arrangement made privately by the parents.",
        )
        if notification.decision != "private_fostering":
            return notification
        if end is not None and end > today:
            end = None
        notification = services.arrangement_update(
            acting_user=self.officer,
            notification=notification,
            expected_version=notification.version,
            arrangement_start_date=start,
            arrangement_end_date=end,
            end_reason=("course_ended" if category == "language_student" else "returned_home")
            if end
            else "",
        )
        services.assessment_record(
            acting_user=self.officer,
            notification=notification,
            expected_version=notification.version,
            assessment_date=min(
                today, max(notified, start) + dt.timedelta(days=rng.randint(10, 40))
            ),
            assessment_checks=["dbs_carer", "local_authority", "home_visit", "references"],
            assessment_decision="suitable" if rng.random() < 0.85 else "suitable_with_requirements",
        )
        self.visits(notification, end=end, overdue=overdue)
        return notification

    def visits(self, notification, *, end, overdue):
        rng = self.rng
        today = dt.date.today()
        previous = notification.aware  # a proposal is visited before it begins (reg 4)
        while True:
            due = (
                notification.visits.filter(visit_date__isnull=True)
                .values_list("due_date", flat=True)
                .first()
            )
            if due is None:
                return
            late = rng.random() < 0.08
            when = (
                due + dt.timedelta(days=rng.randint(1, 9))
                if late
                else (due - dt.timedelta(days=rng.randint(0, 12)))
            )
            when = max(when, previous)
            if end and when > end:
                when = end
            if when > today or (overdue and due < today and due > today - dt.timedelta(days=60)):
                return
            services.visit_record(
                acting_user=self.officer,
                notification=notification,
                visit_date=when,
                seen_alone=rng.random() < 0.9,
                report_written=rng.random() < 0.95,
            )
            previous = when
            if end and when >= end:
                return


def _not_private_fostering(maker, year: FinancialYear, n: int, rng) -> None:
    kinds = ["relative", "relative", "age", "relative", "short", "age", "relative", "short"]
    for i in range(n):
        kind = kinds[i % len(kinds)]
        start = _day(year.start, year.end, rng)
        if kind == "relative":
            maker.notification(
                category=rng.choice(["parent_ill_health", "family_breakdown"]),
                start=start,
                relationship=rng.choice(["aunt_uncle", "grandparent", "sibling", "step_parent"]),
            )
        elif kind == "age":
            maker.notification(category="language_student", start=start, age=16)
        else:
            maker.notification(category="language_student", start=start, duration=14)


def _year(
    maker,
    year: FinancialYear,
    categories: dict[str, int],
    rng,
    *,
    continuing: int,
    not_pf: int,
    latest_end: dt.date | None = None,
) -> None:
    """New arrangements of a year; ``continuing`` of them still in place at its end."""
    plan = [c for c, n in categories.items() for _ in range(n)]
    rng.shuffle(plan)
    for i, category in enumerate(plan):
        start = _day(year.start, year.end - dt.timedelta(days=30), rng)
        if i < continuing:
            end = year.end + dt.timedelta(days=rng.randint(20, 300))
            if latest_end:
                end = min(end, latest_end)
        else:
            end = min(year.end, start + dt.timedelta(days=rng.randint(35, 200)))
        maker.notification(category=category, start=start, end=end)
    _not_private_fostering(maker, year, not_pf, rng)


def load(*, agencies, users, seed) -> list[tuple[str, str]]:
    rng = random.Random(seed + 4)
    officer = demo_user(
        "private.fostering@northbank.example",
        "Ruth Adebayo",
        agencies[0],
        {"private_fostering": "manager"},
    )
    demo_user(
        "pf.hillside@northbank.example",
        "Owen Bright",
        agencies[7],
        {"private_fostering": "contributor"},
    )
    demo_user(
        "pf.board@northbank.example", "Lena Fox", agencies[2], {"private_fostering": "reader"}
    )
    maker = _Maker(agencies=agencies, officer=officer, rng=rng)
    y2015, y2016 = FinancialYear(2015), FinancialYear(2016)
    # 2014-15: none still in place on 31 March 2016.
    _year(
        maker,
        FinancialYear(2014),
        {"language_student": 8, "education_or_better_life": 6, "parent_ill_health": 5, "other": 3},
        rng,
        continuing=6,
        not_pf=7,
        latest_end=y2015.end - dt.timedelta(days=10),
    )
    # 2015-16: 21 in place on 31 March 2016 (carried into 2016-17); 12 of them end in
    # 2016-17 and 9 run past 31 March 2017.
    plan = [
        c
        for c, n in {
            "language_student": 10,
            "education_or_better_life": 8,
            "parent_ill_health": 6,
            "family_breakdown": 2,
            "other": 2,
        }.items()
        for _ in range(n)
    ]
    rng.shuffle(plan)
    for i, category in enumerate(plan):
        start = _day(y2015.start, y2015.end - dt.timedelta(days=30), rng)
        if i < 12:
            end = _day(y2016.start, y2016.end, rng)
        elif i < 21:
            end = y2016.end + dt.timedelta(days=rng.randint(30, 300))
        else:
            end = min(y2015.end, start + dt.timedelta(days=rng.randint(35, 150)))
        maker.notification(category=category, start=start, end=end)
    _not_private_fostering(maker, y2015, 8, rng)
    # 2016-17, the seed year: 27 new (14 still in place on 31 March 2017) + 10 that were
    # not private fostering = 37 notifications; 21 + 27 = 48 in place; 9 + 14 = 23 at the end.
    _year(maker, y2016, SEED_2016_CATEGORIES, rng, continuing=14, not_pf=10)
    # Later years, to the current one.
    current = FinancialYear.current()
    for start_year in range(2017, current.start_year):
        year = FinancialYear(start_year)
        _year(
            maker,
            year,
            {
                "language_student": rng.randint(6, 11),
                "education_or_better_life": rng.randint(4, 8),
                "parent_ill_health": rng.randint(3, 6),
                "family_breakdown": rng.randint(1, 3),
                "other": rng.randint(0, 2),
            },
            rng,
            continuing=rng.randint(8, 14),
            not_pf=rng.randint(5, 9),
            latest_end=current.start + dt.timedelta(days=rng.randint(10, 120)),
        )
    # The current year: arrangements in place, some with a visit overdue.
    today = dt.date.today()
    for i, category in enumerate(
        [
            "language_student",
            "language_student",
            "parent_ill_health",
            "education_or_better_life",
            "language_student",
            "other",
            "family_breakdown",
            "education_or_better_life",
        ]
    ):
        start = max(current.start, today - dt.timedelta(days=rng.randint(20, 200)))
        maker.notification(category=category, start=start, overdue=i % 2 == 0)
    _not_private_fostering(maker, current, 3, rng)
    return [
        (
            "private.fostering@northbank.example",
            "private fostering manager: every notification, visits, import",
        ),
        (
            "pf.hillside@northbank.example",
            "Hillside Academy: notifies private fostering, sees own school's notifications",
        ),
        ("pf.board@northbank.example", "board member: private fostering figures only"),
    ]
