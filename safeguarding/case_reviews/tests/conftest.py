"""Case review fixtures: the business unit, agency contributors, a reader, and records."""

import datetime as dt

import pytest

from conftest import agency_fixture, user_fixture
from safeguarding.case_reviews import services
from safeguarding.case_reviews.models import ReviewType

GRANTS = {"case_reviews": "officer", "actions": "officer"}


police = agency_fixture("Metropolitan Police", "police")
hospital = agency_fixture("Riverside Hospital", "health")
# The partnership business unit: case review and action officer.
unit = user_fixture("unit@example.org", "council", GRANTS)
cr_manager = user_fixture(
    "crmanager@example.org", "council", {"case_reviews": "manager", "actions": "manager"}
)


police_user = user_fixture(
    "police@example.org", "police", {"case_reviews": "contributor", "actions": "contributor"}
)


health_user = user_fixture(
    "health@example.org", "hospital", {"case_reviews": "contributor", "actions": "contributor"}
)


cr_reader = user_fixture(
    "crreader@example.org", "council", {"case_reviews": "reader", "actions": "reader"}
)


@pytest.fixture
def types(db):
    return {t.code: t for t in ReviewType.objects.all()}


@pytest.fixture
def referral(unit, police, hospital, council):
    """A referral made by the police, with a child whose name must not leak."""
    return services.referral_create(
        acting_user=unit,
        title="Case Q",
        owning_agency=police,
        referral_date=dt.date(2016, 6, 6),
        la_aware_date=dt.date(2016, 6, 3),
        summary="Serious injury to an infant",
        abuse_or_neglect=True,
        seriously_harmed=True,
        agencies_involved=[police, hospital, council],
        children=[
            {
                "first_name": "Xanthe",
                "last_name": "Quillfeather",
                "date_of_birth": dt.date(2015, 1, 2),
            }
        ],
    )


@pytest.fixture
def police_action(unit, referral, police):
    return services.referral_action_add(
        acting_user=unit,
        referral=referral,
        description="Brief all officers on the learning",
        measure="All officers briefed",
        owning_agency=police,
        due_date=dt.date(2016, 12, 1),
        agreed_date=dt.date(2016, 9, 1),
    )


@pytest.fixture
def health_action(unit, referral, hospital):
    return services.referral_action_add(
        acting_user=unit,
        referral=referral,
        description="Update the hospital's injury protocol",
        owning_agency=hospital,
        due_date=dt.date(2016, 12, 1),
        agreed_date=dt.date(2016, 9, 1),
    )
