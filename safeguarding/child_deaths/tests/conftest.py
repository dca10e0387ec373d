"""Child death fixtures: a coordinator (officer), the contributor of an agency asked for a
form, a contributor of another agency, a reader, and one notified death with a request."""

import datetime as dt

import pytest

from conftest import make_user
from safeguarding.child_deaths import services
from safeguarding.core.models import Agency

CHILD = "Tallulah Featherstonehaugh"


@pytest.fixture
def hospital(db):
    return Agency.objects.create(name="Riverside Hospitals NHS Trust", sector="health")


@pytest.fixture
def police(db):
    return Agency.objects.create(name="Metropolitan Police", sector="police")


@pytest.fixture
def coordinator(council):
    return make_user("cdop@example.org", council, {"child_deaths": "officer"})


@pytest.fixture
def asked(hospital):
    """Contributor of the agency asked for a reporting form."""
    return make_user("nurse@example.org", hospital, {"child_deaths": "contributor"})


@pytest.fixture
def not_asked(police):
    """Contributor of an agency that was not asked."""
    return make_user("police@example.org", police, {"child_deaths": "contributor"})


@pytest.fixture
def cdop_reader(council):
    return make_user("board@example.org", council, {"child_deaths": "reader"})


def notify(acting_user, **overrides):
    values = dict(
        child_name=CHILD,
        date_of_birth=dt.date(2016, 1, 10),
        sex="female",
        ethnicity="BAFR",
        nhs_number="9434765919",
        home_area="Northbank",
        date_of_death=dt.date(2016, 6, 1),
        place_of_death="hospital",
        notification_date=dt.date(2016, 6, 2),
        expected=False,
    )
    values.update(overrides)
    return services.death_create(acting_user=acting_user, **values)


@pytest.fixture
def death(coordinator, council):
    return notify(coordinator, owning_agency=council)


@pytest.fixture
def form_request(death, coordinator, hospital):
    (made,) = services.form_requests_create(
        acting_user=coordinator,
        death=death,
        agencies=[hospital],
        requested_date=dt.date(2016, 6, 3),
        due_date=dt.date(2016, 7, 1),
    )
    return made
