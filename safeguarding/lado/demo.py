"""Demo LADO records. 2016-17 reproduces the seed report's chapter 6 tables; 2015-16 its
previous-year figures; a few recent open cases keep the clocks alive (several past their
resolution targets); the schools' designated safeguarding leads have referrals of their own:
two awaiting the LADO's decision (one overdue), one decided, with information added since."""

from __future__ import annotations

import datetime as dt
import random

from safeguarding.core.periods import FinancialYear

from . import services

FIRST = [
    "Sam",
    "Alex",
    "Jordan",
    "Chris",
    "Jamie",
    "Morgan",
    "Taylor",
    "Robin",
    "Lee",
    "Pat",
    "Kim",
    "Ashley",
    "Dana",
    "Leslie",
    "Frankie",
    "Sasha",
    "Charlie",
    "Nicola",
    "Kofi",
    "Aisha",
]
LAST = [
    "Adams",
    "Baker",
    "Clarke",
    "Davies",
    "Evans",
    "Fisher",
    "Green",
    "Hughes",
    "Iqbal",
    "Johnson",
    "Khan",
    "Lewis",
    "Mensah",
    "Nowak",
    "Owusu",
    "Patel",
    "Quinn",
    "Roberts",
]
ROLES = {
    "primary_school": ["Class teacher", "Teaching assistant", "Lunchtime supervisor"],
    "secondary_school": ["Teacher", "Head of year", "Learning mentor", "PE teacher"],
    "early_years": ["Nursery practitioner", "Childminder", "Room leader"],
    "foster_carer_local_authority": ["Foster carer"],
    "foster_carer_independent": ["Foster carer (agency)"],
    "health": ["Nurse", "Healthcare assistant", "Doctor"],
    "residential_care": ["Residential worker", "Night care worker"],
    "voluntary_sector": ["Youth worker", "Scout leader", "Volunteer"],
    "sport_leisure": ["Swimming coach", "Football coach"],
    "faith": ["Youth leader", "Supplementary school teacher"],
    "transport": ["Taxi driver", "Bus escort"],
    "social_care": ["Social worker", "Family support worker"],
    "police": ["Police officer"],
}
EMPLOYERS = {
    "primary_school": [
        "Brockley Rise Primary School",
        "St Mary's Catholic Primary School",
        "Elm Grove Primary School",
    ],
    "secondary_school": ["Hillside Academy", "Northbank Girls' School", "Riverside College"],
    "early_years": ["Little Stars Day Nursery", "Registered childminder", "Tiny Steps Nursery"],
    "foster_carer_local_authority": ["London Borough of Northbank fostering service"],
    "foster_carer_independent": ["Horizon Fostering Agency", "Family Futures Fostering"],
    "health": ["Northbank and Riverside Hospitals NHS Trust", "Northbank GP practice"],
    "residential_care": ["Oak House children's home", "Willow Lodge"],
    "voluntary_sector": ["Youth First", "1st Northbank Scouts"],
    "sport_leisure": ["Northbank Leisure Centre", "Riverside Juniors FC"],
    "faith": ["Saturday school", "Community church youth group"],
    "transport": ["School transport contractor"],
}
CATEGORY = {
    "primary_school": "physical",
    "secondary_school": "sexual",
    "early_years": "physical",
    "foster_carer_local_authority": "physical",
    "foster_carer_independent": "emotional",
}
NEXT_STEPS = {
    "advice": "Advice given: the employer handles it under its staff code of conduct and "
    "keeps a record. Contact the LADO again if anything more comes to light.",
    "referral": "Strategy meeting to be held within five working days; the employer to "
    "consider suspension; the police to check for a criminal offence.",
}
HARM = {
    "physical": "harmed",
    "sexual": "possible_offence",
    "emotional": "risk_of_harm",
    "neglect": "harmed",
    "suitability": "unsuitable",
}

SEED_2016 = {  # seed report chapter 6: outcomes by sector, 2016-17 (130 referrals)
    "primary_school": {
        "false": 1,
        "unsubstantiated": 3,
        "unfounded": 1,
        "substantiated": 7,
        "no_further_action": 14,
    },
    "secondary_school": {
        "unsubstantiated": 5,
        "unfounded": 3,
        "substantiated": 9,
        "no_further_action": 8,
    },
    "foster_carer_independent": {"unsubstantiated": 2, "substantiated": 1, "no_further_action": 3},
    "foster_carer_local_authority": {
        "unsubstantiated": 2,
        "substantiated": 4,
        "pending": 1,
        "no_further_action": 3,
    },
    "early_years": {
        "unsubstantiated": 10,
        "unfounded": 2,
        "substantiated": 3,
        "no_further_action": 13,
    },
    "other": {
        "unsubstantiated": 12,
        "unfounded": 2,
        "substantiated": 5,
        "pending": 2,
        "no_further_action": 13,
        "malicious": 1,
    },
}
OTHER_SECTORS = (
    ["health"] * 8
    + ["residential_care"] * 9
    + ["voluntary_sector"] * 6
    + ["sport_leisure"] * 5
    + ["faith"] * 4
    + ["transport"] * 3
)
# Table 1 and 2 of the seed: contacts, referrals and strategy meetings by quarter.
CONTACTS_2016 = [23, 53, 46, 93]
REFERRALS_2016 = [23, 32, 28, 47]
MEETINGS_2016 = [22, 18, 16, 31]
SUBSTANTIATED_2016 = [11, 5, 8, 5]  # the seed's Table 2 shows 27 but Table 3 shows 29

PREVIOUS_2015 = {
    "primary_school": 44,
    "secondary_school": 19,
    "foster_carer_independent": 12,
    "foster_carer_local_authority": 9,
    "early_years": 45,
    "other": 36,
}


def _expand(sector_outcomes: dict, rng) -> list[tuple[str, str]]:
    out = []
    others = list(OTHER_SECTORS)
    rng.shuffle(others)
    for sector, outcomes in sector_outcomes.items():
        for outcome, n in outcomes.items():
            for _ in range(n):
                out.append(
                    (
                        (others.pop() if others else rng.choice(OTHER_SECTORS))
                        if sector == "other"
                        else sector,
                        outcome,
                    )
                )
    return out


def _day_in(first: dt.date, last: dt.date, rng) -> dt.date:
    day = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
    while day.weekday() >= 5 and day < last:
        day += dt.timedelta(days=1)
    return min(day, dt.date.today())


def _plan_year(
    year: FinancialYear,
    referrals: list[tuple[str, str]],
    per_quarter: list[int],
    contacts: list[int],
    meetings: list[int],
    substantiated: list[int] | None,
    rng,
):
    """Spread the referrals over the quarters so each seed table comes out exactly."""
    subs = [r for r in referrals if r[1] == "substantiated"]
    if substantiated is None:
        substantiated = [len(subs) * n // sum(per_quarter) for n in per_quarter]
    rest = [r for r in referrals if r[1] != "substantiated"]
    rng.shuffle(rest)
    plan = []
    for i, (_q, first, last) in enumerate(year.quarters()):
        chosen = [subs.pop() for _ in range(min(substantiated[i], len(subs)))]
        while len(chosen) < per_quarter[i] and rest:
            chosen.append(rest.pop())
        if i == 3:
            chosen += subs + rest
        rng.shuffle(chosen)
        with_meeting = set(range(min(meetings[i], len(chosen))))
        for j, (sector, outcome) in enumerate(chosen):
            plan.append(("referral", first, last, sector, outcome, j in with_meeting))
        for _ in range(contacts[i] - len(chosen)):
            sector = rng.choice(
                [
                    "primary_school",
                    "secondary_school",
                    "early_years",
                    "health",
                    "voluntary_sector",
                    "residential_care",
                ]
            )
            plan.append(("advice", first, last, sector, "", False))
    return plan


def _create(plan, year, agencies, users, rng, meeting_types):
    officer = users["lado@northbank.example"]
    schools = {"primary_school": agencies[6], "secondary_school": agencies[7]}
    count = 0
    for kind, first, last, sector, outcome, has_meeting in plan:
        contact = _day_in(first, last, rng)
        role = rng.choice(ROLES.get(sector, ["Staff member"]))
        category = CATEGORY.get(sector) or rng.choice(
            ["physical", "emotional", "sexual", "suitability"]
        )
        aware = contact - dt.timedelta(days=rng.choice([0, 0, 0, 1, 1, 3]))
        values = dict(
            contact_date=contact,
            received_via=rng.choice(["phone", "email", "online_form"]),
            employer_name=rng.choice(EMPLOYERS.get(sector, ["Local employer"])),
            employer_sector=sector,
            employer_aware_date=aware,
            subject_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            subject_role=role,
            children=f"{rng.choice('ABCDEFGHJKLMN')}{rng.choice('ABCDEFGHJKLMN')}, "
            f"aged {rng.randint(2, 16)}",
            summary=f"Concern raised about the conduct of a {role.lower()} towards a child.",
            threshold_met=kind == "referral",
            next_steps=NEXT_STEPS[kind],
        )
        if kind == "referral":
            values.update(
                harm_test=HARM[category], allegation_category=category, referral_date=contact
            )
            if outcome and outcome != "pending":
                values.update(
                    outcome=outcome,
                    outcome_date=min(
                        contact + dt.timedelta(days=rng.randint(10, 120)), dt.date.today()
                    ),
                )
            else:
                values.update(outcome="pending")
        owner = schools.get(sector) or agencies[0]
        case = services.case_create(acting_user=officer, owning_agency=owner, **values)
        if has_meeting:
            meeting_day = contact + dt.timedelta(days=rng.randint(1, 7))
            if case.outcome_date and meeting_day > case.outcome_date:
                meeting_day = contact
            services.meeting_add(
                acting_user=officer,
                case=case,
                meeting_type=meeting_types[0],
                date=meeting_day,
                agencies=[agencies[0], agencies[2], owner],
                decisions="Police to check for criminal offence; employer to "
                "consider suspension; review in four weeks.",
            )
        count += 1
    return count


def load(*, agencies, users, seed: int = 2017) -> None:
    rng = random.Random(seed)
    meeting_types = [
        services.meeting_type_save(acting_user=None, meeting_type=None, name=name, order=i)
        for i, name in enumerate(
            ["Strategy meeting", "Allegation management meeting", "Position of trust meeting"]
        )
    ]
    # 2016-17: the seed report's figures.
    year = FinancialYear(2016)
    referrals = _expand(SEED_2016, rng)
    _create(
        _plan_year(
            year, referrals, REFERRALS_2016, CONTACTS_2016, MEETINGS_2016, SUBSTANTIATED_2016, rng
        ),
        year,
        agencies,
        users,
        rng,
        meeting_types,
    )
    # 2015-16: the previous year's sector totals from the seed's commentary.
    year = FinancialYear(2015)
    outcomes = ["unsubstantiated", "substantiated", "no_further_action", "unfounded", "false"]
    previous = {}
    for sector, n in PREVIOUS_2015.items():
        counts = {}
        for _ in range(n):
            o = rng.choices(outcomes, weights=[40, 22, 30, 6, 2])[0]
            counts[o] = counts.get(o, 0) + 1
        previous[sector] = counts
    referrals = _expand(previous, rng)
    per_quarter = [40, 42, 38, 45]
    _create(
        _plan_year(year, referrals, per_quarter, [70, 60, 55, 68], [25, 28, 24, 30], None, rng),
        year,
        agencies,
        users,
        rng,
        meeting_types,
    )
    # This year: a few open cases, so the clocks and targets show.
    today = dt.date.today()
    recent = []
    for days_ago, sector in [
        (3, "primary_school"),
        (12, "secondary_school"),
        (25, "early_years"),
        (50, "primary_school"),
        (95, "health"),
        (140, "residential_care"),
        (200, "secondary_school"),
    ]:
        day = today - dt.timedelta(days=days_ago)
        recent.append(("referral", day, day, sector, "pending", days_ago > 10))
    for days_ago in (1, 6, 20):
        day = today - dt.timedelta(days=days_ago)
        recent.append(("advice", day, day, "early_years", "", False))
    _create(recent, FinancialYear.current(), agencies, users, rng, meeting_types)
    _partner_referrals(users, rng)


def _partner_referrals(users, rng) -> None:
    """The schools' own referrals (services.referral_make): two await the LADO's decision,
    one received today (due) and one a week ago (overdue); one was decided, and the school
    has added information since. Nobody is emailed."""
    officer = users["lado@northbank.example"]
    brockley, hillside = users["dsl@brockleyrise.example"], users["dsl@hillside.example"]
    today = dt.date.today()

    def refer(user, days_ago: int, sector: str, role: str, what: str):
        return services.referral_make(
            acting_user=user,
            contact_date=today - dt.timedelta(days=days_ago),
            employer_name=user.agency.name,
            employer_sector=sector,
            employer_aware_date=today - dt.timedelta(days=days_ago),
            subject_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            subject_role=role,
            children=f"{rng.choice('ABCDEFGHJKLMN')}{rng.choice('ABCDEFGHJKLMN')}, "
            f"aged {rng.randint(5, 11)}",
            summary=what,
        )

    refer(
        brockley,
        0,
        "primary_school",
        "Teaching assistant",
        "A child told their teacher that the teaching assistant hit them on the hand during "
        "a lesson. The teaching assistant has been moved to work away from the class.",
    )
    refer(
        hillside,
        7,
        "secondary_school",
        "Learning mentor",
        "A student's parent reported messages from the learning mentor on a personal social "
        "media account. The school has screenshots.",
    )
    decided = refer(
        hillside,
        20,
        "secondary_school",
        "PE teacher",
        "Two students said the PE teacher grabbed a student by the collar in the changing "
        "rooms. The teacher denies it.",
    )
    decided = services.decision_record(
        acting_user=officer,
        case=decided,
        expected_version=decided.version,
        threshold_met=True,
        harm_test="harmed",
        allegation_category="physical",
        decided_on=decided.contact_date,
        next_steps=NEXT_STEPS["referral"],
        notify=False,
    )
    services.note_add(
        acting_user=hillside,
        case=decided,
        text="The teacher has been suspended on full pay while the strategy meeting takes "
        "place. The two students have been offered support by the pastoral team.",
    )
