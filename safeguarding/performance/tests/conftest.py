import datetime as dt
from decimal import Decimal

import pytest

from conftest import agency_fixture, make_user
from safeguarding.performance import services


def _user(email, agency, role):
    return make_user(email, agency, {"performance": role})


trust = agency_fixture("CAMHS Trust", "health")
police = agency_fixture("Police", "police")


@pytest.fixture
def lead(council):
    return _user("lead@example.org", council, "manager")


@pytest.fixture
def bu_officer(council):
    return _user("bu@example.org", council, "officer")


@pytest.fixture
def trust_user(trust):
    return _user("trust@example.org", trust, "contributor")


@pytest.fixture
def police_user(police):
    return _user("police@example.org", police, "contributor")


@pytest.fixture
def board(council):
    return _user("board@example.org", council, "reader")


@pytest.fixture
def group(lead):
    return services.group_save(acting_user=lead, group=None, name="Mental health")


@pytest.fixture
def cgas(lead, group, trust):
    return services.indicator_save(
        acting_user=lead,
        indicator=None,
        reference="CAMHS-2",
        name="Paired CGAS recorded",
        group=group,
        owning_agency=trust,
        frequency="monthly",
        unit="percent",
        polarity="higher",
        target=Decimal(95),
        tolerance=Decimal(2),
    )


@pytest.fixture
def trust_return(lead, cgas):
    from safeguarding.core.periods import Period

    (data_return,) = services.returns_open(acting_user=lead, period=Period.parse("2016-04"))
    return data_return


@pytest.fixture
def today():
    return dt.date.today()


def enter_value(user, indicator, data_return=None, *, period="2016-04", agency=None, **values):
    """services.value_save with a value of 96 unless given (a new value: no version)."""
    entry = {"value": Decimal(96), "numerator": None, "denominator": None, "commentary": ""}
    return services.value_save(
        acting_user=user,
        indicator=indicator,
        period=data_return.period if data_return else period,
        agency=agency or indicator.owning_agency,
        data_return=data_return,
        **{**entry, **values},
    )


@pytest.fixture
def submitted_return(trust_user, cgas, trust_return):
    """The trust's April return, its value entered and submitted."""
    enter_value(trust_user, cgas, trust_return)
    return services.return_submit(acting_user=trust_user, data_return=trust_return)
