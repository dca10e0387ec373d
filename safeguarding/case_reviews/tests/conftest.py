"""Case review fixtures: the business unit, agency contributors, a reader, and records."""

import datetime as dt

import pytest

from conftest import make_user
from safeguarding.case_reviews import services
from safeguarding.case_reviews.models import ReviewType
from safeguarding.core.models import Agency

GRANTS = {"case_reviews": "officer", "actions": "officer"}


@pytest.fixture
def police(db):
    return Agency.objects.create(name="Metropolitan Police", sector="police")


@pytest.fixture
def hospital(db):
    return Agency.objects.create(name="Riverside Hospital", sector="health")


@pytest.fixture
def unit(council):
    """The partnership business unit: case review and action officer."""
    return make_user("unit@example.org", council, GRANTS)


@pytest.fixture
def cr_manager(council):
    return make_user(
        "crmanager@example.org", council, {"case_reviews": "manager", "actions": "manager"}
    )


@pytest.fixture
def police_user(police):
    return make_user(
        "police@example.org", police, {"case_reviews": "contributor", "actions": "contributor"}
    )


@pytest.fixture
def health_user(hospital):
    return make_user(
        "health@example.org", hospital, {"case_reviews": "contributor", "actions": "contributor"}
    )


@pytest.fixture
def cr_reader(council):
    return make_user(
        "crreader@example.org", council, {"case_reviews": "reader", "actions": "reader"}
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
