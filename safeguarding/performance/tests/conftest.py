import datetime as dt
from decimal import Decimal

import pytest

from safeguarding.core.models import Agency, ModuleGrant, User
from safeguarding.performance import services


def _user(email, agency, role=None):
    user = User.objects.create_user(
        email=email, password="a-long-test-password-1", full_name=email.split("@")[0], agency=agency
    )
    if role:
        ModuleGrant.objects.create(user=user, module="performance", role=role)
    return user


@pytest.fixture
def council(db):
    return Agency.objects.create(name="Children's Social Care", sector="local_authority")


@pytest.fixture
def trust(db):
    return Agency.objects.create(name="CAMHS Trust", sector="health")


@pytest.fixture
def police(db):
    return Agency.objects.create(name="Police", sector="police")


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
