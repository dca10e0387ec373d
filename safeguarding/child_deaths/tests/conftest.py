"""Child death fixtures: a coordinator (officer), the contributor of an agency asked for a
form, a contributor of another agency, a reader, and one notified death with a request."""

import datetime as dt

import pytest

from conftest import agency_fixture, user_fixture
from safeguarding.child_deaths import services

CHILD = "Tallulah Featherstonehaugh"


hospital = agency_fixture("Riverside Hospitals NHS Trust", "health")
police = agency_fixture("Metropolitan Police", "police")
coordinator = user_fixture("cdop@example.org", "council", {"child_deaths": "officer"})
# Contributor of the agency asked for a reporting form.
asked = user_fixture("nurse@example.org", "hospital", {"child_deaths": "contributor"})
# Contributor of an agency that was not asked.
not_asked = user_fixture("police@example.org", "police", {"child_deaths": "contributor"})
cdop_reader = user_fixture("board@example.org", "council", {"child_deaths": "reader"})


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
