"""Demo child death records. 2008-09 to 2016-17 reproduce the seed report's section 3.6
(266 notified and 253 reviewed by 31 March 2017; 28 reviewed in 2016-17 with its
breakdown); a few recent deaths keep the forms, the chasing and the panel view alive."""

from __future__ import annotations

import datetime as dt
import random

from safeguarding.core.demo import demo_user
from safeguarding.core.periods import FinancialYear

from . import services
from .rules import age_band

FIRST_BOYS = ["Kwame", "Oliver", "Mohammed", "Leo", "Tyrese", "Harry", "Jayden", "Arjun"]
FIRST_GIRLS = ["Amara", "Olivia", "Aisha", "Mia", "Chloe", "Zainab", "Grace", "Priya"]
LAST = ["Mensah", "Smith", "Ahmed", "Jones", "Okoro", "Brown", "Khan", "Williams", "Boateng"]

# Notifications per financial year 2008-09 ... 2016-17 (sum 266, the seed's total).
NOTIFIED = [25, 32, 30, 29, 31, 28, 30, 31, 30]
# The 28 deaths reviewed in 2016-17 (seed 3.6); splits the seed does not give are ours.
SEED_2016 = {
    "expected": [True] * 18 + [False] * 10,
    "age": ["under_28_days"] * 15
    + ["28_to_364_days"] * 5
    + ["1_to_4"] * 3
    + ["5_to_9"] * 1
    + ["10_to_14"] * 2
    + ["15_to_17"] * 2,
    "sex": ["male"] * 17 + ["female"] * 11,
    "ethnicity": ["WBRI"] * 2
    + ["WOTH"]
    + ["BAFR"] * 9
    + ["BCRB"] * 4
    + ["BOTH"] * 2
    + ["MWBC"] * 2
    + ["MOTH"] * 2
    + ["ABAN", "APKN", "AIND", "AOTH"]
    + ["OOTH", "CHNE"],
    "category": ["8"] * 11
    + ["7"] * 5
    + ["6"] * 3
    + ["5"] * 2
    + ["9"] * 2
    + ["10"] * 2
    + ["3", "4", "2"],
    "modifiable": ["yes"] * 6 + ["no"] * 20 + ["insufficient"] * 2,
}
BANDS = ["under_28_days", "28_to_364_days", "1_to_4", "5_to_9", "10_to_14", "15_to_17"]
BAND_WEIGHTS = [45, 20, 12, 7, 7, 9]
ETHNICITY_WEIGHTS = {
    "WBRI": 18, "WOTH": 5, "BAFR": 22, "BCRB": 14, "BOTH": 5, "MWBC": 6, "MOTH": 4,
    "ABAN": 3, "APKN": 3, "AIND": 3, "AOTH": 3, "OOTH": 4, "CHNE": 1, "NOBT": 2,
}  # fmt: skip
CATEGORY_WEIGHTS = {"1": 2, "2": 3, "3": 5, "4": 8, "5": 8, "6": 10, "7": 20, "8": 30, "9": 6,
                    "10": 8}  # fmt: skip


def nhs_number(rng) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def birth_for(band: str, death: dt.date, rng) -> dt.date:
    while True:
        days = {
            "under_28_days": lambda: rng.randint(0, 27),
            "28_to_364_days": lambda: rng.randint(28, 360),
            "1_to_4": lambda: rng.randint(366, 4 * 365 + 300),
            "5_to_9": lambda: rng.randint(5 * 366, 9 * 365 + 300),
            "10_to_14": lambda: rng.randint(10 * 366, 14 * 365 + 300),
            "15_to_17": lambda: rng.randint(15 * 366, 17 * 365 + 300),
        }[band]()
        born = death - dt.timedelta(days=days)
        if age_band(born, death) == band:
            return born


def _pick(weights: dict, rng) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _values(rng, *, death, band, sex, ethnicity, expected, agencies) -> dict:
    first = rng.choice(FIRST_BOYS if sex == "male" else FIRST_GIRLS)
    return dict(
        child_name=f"{first} {rng.choice(LAST)}",
        date_of_birth=birth_for(band, death, rng),
        sex=sex,
        ethnicity=ethnicity,
        nhs_number=nhs_number(rng),
        home_area="Northbank",
        date_of_death=death,
        place_of_death="hospital" if band in BANDS[:2] else rng.choice(["hospital", "home"]),
        notification_date=death + dt.timedelta(days=rng.randint(0, 3)),
        expected=expected,
        owning_agency=agencies[4] if expected else rng.choice([agencies[2], agencies[4]]),
    )


def factor_levels(category: str, modifiable: str) -> dict[str, str]:
    """The analysis form's four domains for a demo review, from its category and answer on
    modifiable factors (no random draw: the seed's figures depend on the draws)."""
    levels = {
        "factors_child": "significant"
        if category in ("4", "6", "7")
        else "possible"
        if category in ("5", "8", "9")
        else "none"
    }
    if modifiable == "insufficient":
        return levels  # the other domains not recorded
    found = modifiable == "yes"
    levels["factors_social_environment"] = (
        ("significant" if category in ("1", "2", "10") else "possible") if found else "none"
    )
    levels["factors_physical_environment"] = (
        "significant" if found and category in ("3", "10") else "none"
    )
    levels["factors_service_provision"] = (
        ("significant" if category not in ("1", "2", "3", "10") else "possible")
        if found
        else "none"
    )
    return levels


def _history(rng, officer, agencies) -> None:
    plan = []  # (death date) spread evenly over each year
    for i, n in enumerate(NOTIFIED):
        year = FinancialYear(2008 + i)
        for k in range(n):
            plan.append(year.start + dt.timedelta(days=(365 * k) // n + rng.randint(0, 5)))
    seed = {key: rng.sample(values, len(values)) for key, values in SEED_2016.items()}
    last_2015 = dt.date(2016, 3, 31)
    end_2016 = dt.date(2017, 3, 31)
    for position, death_day in enumerate(plan):
        if 225 <= position <= 252:  # the 28 reviewed in 2016-17
            j = position - 225
            band, sex, eth = seed["age"][j], seed["sex"][j], seed["ethnicity"][j]
            expected, category = seed["expected"][j], seed["category"][j]
            modifiable = seed["modifiable"][j]
        else:
            band = rng.choices(BANDS, weights=BAND_WEIGHTS)[0]
            sex = rng.choice(["male", "female"])
            eth = _pick(ETHNICITY_WEIGHTS, rng)
            expected = rng.random() < 0.6
            category = _pick(CATEGORY_WEIGHTS, rng)
            modifiable = rng.choices(["yes", "no", "insufficient"], weights=[25, 70, 5])[0]
        values = _values(
            rng,
            death=death_day - dt.timedelta(days=rng.randint(0, 2)),
            band=band,
            sex=sex,
            ethnicity=eth,
            expected=expected,
            agencies=agencies,
        )
        notified = values["notification_date"]
        review = notified + dt.timedelta(days=rng.randint(90, 300))
        if position <= 224:
            review = max(min(review, last_2015), notified)
        elif position <= 252:
            review = max(min(max(review, dt.date(2016, 4, 1)), end_2016), notified)
        else:  # still waiting on 31 March 2017; reviewed in 2017-18
            review = max(review, dt.date(2017, 4, 3))
        if not expected:
            values.update(
                jar_date=values["date_of_death"] + dt.timedelta(days=rng.randint(1, 4)),
                jar_attendees="Paediatrician, police, social worker",
            )
        values.update(
            review_meeting_date=max(values["date_of_death"], review - dt.timedelta(days=28)),
            review_date=review,
            category=category,
            modifiable_factors=modifiable,
            **(factor_levels(category, modifiable) if position >= 225 else {}),
            learning_points=(
                "Safer sleep advice to be repeated at every health visit."
                if category in ("10", "8") and modifiable == "yes"
                else ""
            ),
        )
        services.death_create(acting_user=officer, **values)


def _recent(rng, officer, agencies, contributors) -> None:
    today = dt.date.today()
    health, police, council = agencies[4], agencies[2], agencies[0]

    def make(days_ago, *, expected, band, sex, eth, jar=True):
        death = today - dt.timedelta(days=days_ago)
        values = _values(
            rng, death=death, band=band, sex=sex, ethnicity=eth, expected=expected,
            agencies=agencies,
        )  # fmt: skip
        values["notification_date"] = death + dt.timedelta(days=1)
        # Deaths since April 2019 are notified to the National Child Mortality Database too.
        values.update(
            child_protection_plan_at_death=False,
            looked_after_at_death=eth == "BCRB",
            ncmd_notified_date=min(death + dt.timedelta(days=2), today) if days_ago > 20 else None,
        )
        if not expected and jar:
            values.update(jar_date=death + dt.timedelta(days=2), jar_attendees="Paediatrician, "
                          "police, social worker")  # fmt: skip
        return services.death_create(acting_user=officer, **values)

    def ask(death, agencies_asked, requested_ago, due_in):
        requested = today - dt.timedelta(days=requested_ago)
        return services.form_requests_create(
            acting_user=officer,
            death=death,
            agencies=agencies_asked,
            requested_date=requested,
            due_date=today + dt.timedelta(days=due_in),
        )

    def give(form, days_ago):
        user = contributors.get(form.owning_agency_id, officer)
        services.form_return(
            acting_user=user,
            form_request=form,
            expected_version=form.version,
            involvement="Known to universal services; no safeguarding concerns recorded.",
            information="Health visiting contacts were up to date. Family engaged well.",
            returned_date=today - dt.timedelta(days=days_ago),
        )

    # Ready for the panel, review overdue (more than six months since the death).
    a = make(200, expected=True, band="28_to_364_days", sex="female", eth="BAFR")
    for form in ask(a, [health, council], 190, -160):
        give(form, 170)
    a = services.review_meeting_record(
        acting_user=officer,
        death=a,
        expected_version=a.version,
        review_meeting_date=today - dt.timedelta(days=150),
    )
    # Ready for the panel, unexpected, joint agency response held.
    d = make(90, expected=False, band="1_to_4", sex="male", eth="WBRI")
    for form in ask(d, [health, police], 85, -57):
        give(form, 60)
    # Unexpected, no joint agency response yet; police form overdue, health returned.
    b = make(40, expected=False, band="under_28_days", sex="male", eth="MWBC", jar=False)
    forms = ask(b, [health, police], 38, -3)
    give(forms[0] if forms[0].owning_agency_id == health.pk else forms[1], 5)
    # Recently notified, forms not yet due.
    c = make(12, expected=True, band="10_to_14", sex="female", eth="AIND")
    ask(c, [health, council, police], 10, 18)
    # Reviewed this year with a recommendation tracked as an action.
    e = make(150, expected=False, band="28_to_364_days", sex="male", eth="BCRB")
    e = services.review_meeting_record(
        acting_user=officer,
        death=e,
        expected_version=e.version,
        review_meeting_date=today - dt.timedelta(days=45),
    )
    e = services.review_record(
        acting_user=officer,
        death=e,
        expected_version=e.version,
        review_date=today - dt.timedelta(days=20),
        category="10",
        modifiable_factors="yes",
        **factor_levels("10", "yes"),
        learning_points="Unsafe sleeping arrangement; parents had not received safer sleep advice.",
    )
    services.recommendation_add(
        acting_user=officer,
        death=e,
        description="Health visitors to give and record safer sleep advice at every contact "
        "in the first year.",
        owning_agency=health,
        due_date=today + dt.timedelta(days=90),
    )


def load(*, agencies, users, seed: int = 2017) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    made = []

    def user(email, name, agency, role, description):
        created = demo_user(email, name, agency, {"child_deaths": role})
        made.append((email, description))
        return created

    officer = user(
        "cdop@northbank.example",
        "Pauline Cross",
        agencies[3],
        "officer",
        "CDOP coordinator: every child death record, forms, panel and figures",
    )
    health = user(
        "cdop.health@northbank.example",
        "Nadia Mensah",
        agencies[4],
        "contributor",
        "named nurse, hospital trust: sees and returns forms asked of the trust",
    )
    police = user(
        "cdop.police@northbank.example",
        "Sean Doyle",
        agencies[2],
        "contributor",
        "police: sees and returns forms asked of the police",
    )
    user(
        "cdop.reader@northbank.example",
        "Olu Adeyemi",
        agencies[0],
        "reader",
        "board member: child death figures only",
    )
    _history(rng, officer, agencies)
    _recent(rng, officer, agencies, {health.agency_id: health, police.agency_id: police})
    return made
