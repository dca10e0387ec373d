"""The child death rules, shared by the forms, the services and the import."""

from __future__ import annotations

import datetime as dt

from safeguarding.core.clocks import Clock, Unit, declare
from safeguarding.core.codes import ETHNICITY_CODES, nhs_number_valid
from safeguarding.core.rules import future_dates

from . import conf
from .codes import (
    CATEGORY_CODES,
    FACTOR_DOMAIN_CODES,
    FACTOR_LEVEL_CODES,
    MODIFIABLE_CODES,
)

ADULT_AGE = 18

# ---- the clocks (core.clocks) ------------------------------------------------------------
# Child death reviews are a duty from 1 April 2008: the Local Safeguarding Children Boards
# Regulations 2006 (SI 2006/90) reg 6(1), "From 1st April 2008 each LSCB shall ... have the
# following functions in relation to the deaths of children"; since 2019 the child death
# review partners' (Children Act 2004 s16M; Child Death Review: Statutory and Operational
# Guidance (England), 2018). Neither sets a number of days for an agency's reporting form
# or months for the panel's review: the form's due date is the one given on each request
# (by default CHILD_DEATHS_FORM_DUE_DAYS after it), and the review's is the partnership's
# target (CHILD_DEATHS_REVIEW_MONTHS after the death, default 6).
CHILD_DEATH_REVIEWS_BEGAN = dt.date(2008, 4, 1)

AGENCY_FORM = declare(
    Clock(
        name="Agency reporting form",
        start="when the form was requested",
        end="the agency's return of the form",
        source="child death review: LSCB Regulations 2006 reg 6; the date is the partnership's",
        effective=CHILD_DEATH_REVIEWS_BEGAN,
    )
)
PANEL_REVIEW = declare(
    Clock(
        name="Panel review",
        start="the death",
        end="the panel's review",
        source="child death review: LSCB Regulations 2006 reg 6; the partnership's target",
        effective=CHILD_DEATH_REVIEWS_BEGAN,
        length=conf.review_months,
        unit=Unit.MONTHS,
    )
)


def birthday(date_of_birth: dt.date, year: int) -> dt.date:
    """The birthday in a given year; 29 February falls on 1 March in other years."""
    try:
        return date_of_birth.replace(year=year)
    except ValueError:
        return dt.date(year, 3, 1)


def age_in_years(date_of_birth: dt.date, on: dt.date) -> int:
    """Completed years of age on a date (a birthday counts from its first minute)."""
    years = on.year - date_of_birth.year
    if on < birthday(date_of_birth, on.year):
        years -= 1
    return years


def age_band(date_of_birth: dt.date | None, date_of_death: dt.date | None) -> str:
    """The reported age band on the date of death ('' when a date is missing or out of order)."""
    if not date_of_birth or not date_of_death or date_of_death < date_of_birth:
        return ""
    if (date_of_death - date_of_birth).days < 28:
        return "under_28_days"
    years = age_in_years(date_of_birth, date_of_death)
    if years < 1:
        return "28_to_364_days"
    if years <= 4:
        return "1_to_4"
    if years <= 9:
        return "5_to_9"
    if years <= 14:
        return "10_to_14"
    return "15_to_17"


def death_problems(
    *,
    date_of_birth: dt.date | None,
    date_of_death: dt.date | None,
    notification_date: dt.date | None,
    review_date: dt.date | None = None,
    category: str | None = None,
    modifiable_factors: str | None = None,
    sex: str | None = None,
    ethnicity: str | None = None,
    nhs_number: str | None = None,
    jar_date: dt.date | None = None,
    review_meeting_date: dt.date | None = None,
    ncmd_notified_date: dt.date | None = None,
    factors_child: str | None = None,
    factors_social_environment: str | None = None,
    factors_physical_environment: str | None = None,
    factors_service_provision: str | None = None,
    today: dt.date | None = None,
) -> list[tuple[str, str]]:
    """[(field, message)]. Field names are the import's column names (forms use the same)."""
    today = today or dt.date.today()
    domains = {
        "factors_child": factors_child,
        "factors_social_environment": factors_social_environment,
        "factors_physical_environment": factors_physical_environment,
        "factors_service_provision": factors_service_provision,
    }
    problems: list[tuple[str, str]] = []
    problems += future_dates(
        today,
        date_of_birth=date_of_birth,
        date_of_death=date_of_death,
        notification_date=notification_date,
        review_date=review_date,
        jar_date=jar_date,
        review_meeting_date=review_meeting_date,
        ncmd_notified_date=ncmd_notified_date,
    )
    if date_of_birth is None:
        problems.append(("date_of_birth", "Enter the child's date of birth"))
    if date_of_death is None:
        problems.append(("date_of_death", "Enter the date of death"))
    if notification_date is None:
        problems.append(("notification_date", "Enter the date the death was notified"))
    if date_of_birth and date_of_death:
        if date_of_death < date_of_birth:
            problems.append(
                (
                    "date_of_death",
                    "The date of death is before the date of birth: deaths before birth "
                    "(stillbirths) are not reviewed by the panel",
                )
            )
        elif age_in_years(date_of_birth, date_of_death) >= ADULT_AGE:
            problems.append(
                (
                    "date_of_death",
                    "The young person was 18 or over at death: the panel reviews deaths of "
                    "children before their 18th birthday",
                )
            )
    if date_of_death and notification_date and notification_date < date_of_death:
        problems.append(("notification_date", "The notification cannot be before the death"))
    if jar_date and date_of_death and jar_date < date_of_death:
        problems.append(("jar_date", "The joint agency response cannot be before the death"))
    if review_meeting_date and date_of_death and review_meeting_date < date_of_death:
        problems.append(
            ("review_meeting_date", "The child death review meeting cannot be before the death")
        )
    if review_meeting_date and review_date and review_meeting_date > review_date:
        problems.append(
            (
                "review_meeting_date",
                "The child death review meeting cannot be after the panel review: it is "
                "held before the panel",
            )
        )
    if ncmd_notified_date and date_of_death and ncmd_notified_date < date_of_death:
        problems.append(
            (
                "ncmd_notified_date",
                "The notification to the National Child Mortality Database cannot be before "
                "the death",
            )
        )
    if review_date:
        if notification_date and review_date < notification_date:
            problems.append(("review_date", "The review cannot be before the notification"))
        if not category:
            problems.append(("category", "is required when the death has been reviewed"))
    else:
        if category:
            problems.append(("category", "must be blank until the death has been reviewed"))
        if modifiable_factors:
            problems.append(
                ("modifiable_factors", "must be blank until the death has been reviewed")
            )
        for domain, level in domains.items():
            if level:
                problems.append((domain, "must be blank until the death has been reviewed"))
    if category and category not in CATEGORY_CODES:
        problems.append(("category", f"'{category}' is not a category: use 1 to 10"))
    if modifiable_factors and modifiable_factors not in MODIFIABLE_CODES:
        problems.append(("modifiable_factors", "Use yes, no or insufficient"))
    problems += factor_problems(modifiable_factors=modifiable_factors, **domains)
    if sex and sex not in ("male", "female", "unknown"):
        problems.append(("sex", "Use male, female or unknown"))
    if ethnicity and ethnicity not in ETHNICITY_CODES:
        problems.append(("ethnicity", f"'{ethnicity}' is not a DfE ethnicity code"))
    if nhs_number and not nhs_number_valid(nhs_number):
        problems.append(
            (
                "nhs_number",
                "Enter a valid NHS number: 10 digits, the last a check digit (this one does "
                "not match)",
            )
        )
    return problems


# The domains outside the child: a significant factor there is one that local or national
# services, families or environments could change. Factors intrinsic to the child (a
# chromosomal anomaly, a malignancy) are often a complete explanation of a death that had
# no modifiable factors, so they are not held against "no".
FACTORS_OUTSIDE_THE_CHILD = [d for d in FACTOR_DOMAIN_CODES if d != "factors_child"]
WHERE = {
    "factors_social_environment": "the social environment",
    "factors_physical_environment": "the physical environment",
    "factors_service_provision": "service provision",
}


def factor_problems(
    *, modifiable_factors: str | None = None, **domains: str | None
) -> list[tuple[str, str]]:
    """The analysis form's four domains (codes.FACTOR_DOMAINS) against the panel's answer on
    modifiable factors. Child Death Review: Statutory and Operational Guidance (England),
    2018, and the National Child Mortality Database's analysis form: the panel records the
    factors it finds in each domain, and modifiable factors are factors which, by national or
    local intervention, could reduce the risk of future child deaths. So:

    - a significant factor in the social or physical environment or in service provision
      contradicts "no modifiable factors" (intrinsic factors do not: see above);
    - "modifiable factors identified" contradicts every domain recorded as having none.

    [(field, message)]; a blank level is not recorded and contradicts nothing."""
    unknown = set(domains) - set(FACTOR_DOMAIN_CODES)
    if unknown:
        raise TypeError(f"not a factor domain: {', '.join(sorted(unknown))}")
    problems: list[tuple[str, str]] = []
    for domain, level in domains.items():
        if level and level not in FACTOR_LEVEL_CODES:
            problems.append(
                (domain, f"'{level}' is not a level: use none, possible or significant")
            )
    significant = [d for d in FACTORS_OUTSIDE_THE_CHILD if domains.get(d) == "significant"]
    if modifiable_factors == "no" and significant:
        where = " and ".join(WHERE[d] for d in significant)
        problems.append(
            (
                "modifiable_factors",
                f"The panel recorded significant factors in {where}, so the death had "
                "modifiable factors: choose yes, or change the level of those factors",
            )
        )
    recorded = [domains.get(d) for d in FACTOR_DOMAIN_CODES]
    if modifiable_factors == "yes" and all(level == "none" for level in recorded):
        problems.append(
            (
                "modifiable_factors",
                "Modifiable factors were identified but every domain is recorded as having "
                "none: record the level of the factors in the domain where they were found",
            )
        )
    return problems
