"""Shared test fixtures: the same users in every view test.

officer (LADO officer), owner (contributor of the agency that owns the record),
outsider (contributor of another agency), reader (figures only), admin (partnership
administrator with no module grant) - plus the anonymous client.
"""

import datetime as dt
import random

import pytest
from hypothesis import HealthCheck, settings

from safeguarding.core.models import Agency, ModuleGrant, User
from safeguarding.core.periods import FinancialYear

# Shared 2-core machines are slow and noisy: no per-example deadline (a slow example is
# not a wrong one), and fixtures shared across examples are reset by the tests themselves.
settings.register_profile(
    "safeguarding",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile("safeguarding")

PASSWORD = "a-long-test-password-1"


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """Test users need no deliberate hashing cost (argon2 takes a second per user).
    A test that checks the production hashers asks for ``production_hashers``."""
    if "production_hashers" not in request.fixturenames:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_second_factor(request, settings):
    """Tests sign users in with force_login (or the demo users through the sign-in form) and
    are not about the second factor: no role needs one. A test of two-factor sign-in asks for
    ``two_factor`` (the deployed default)."""
    if "two_factor" not in request.fixturenames:
        settings.TWO_FACTOR_ROLES = []
        settings.DEMO_MODE = False


@pytest.fixture
def two_factor(settings):
    """Two-factor sign-in as deployed: required of officers, managers and administrators."""
    settings.TWO_FACTOR_ROLES = ["officer", "manager", "administrator"]
    settings.DEMO_MODE = False
    return settings


def make_user(email, agency, grants=None, admin=False):
    user = User.objects.create_user(
        email=email,
        password=PASSWORD,
        full_name=email.split("@")[0],
        agency=agency,
        is_partnership_admin=admin,
    )
    for module, role in (grants or {}).items():
        ModuleGrant.objects.create(user=user, module=module, role=role)
    return user


def user_fixture(email: str, agency: str, grants: dict[str, str] | None = None, *, admin=False):
    """A fixture of one test user: ``email`` in the agency fixture named ``agency``, holding
    ``grants`` ({module: role}). Declare each user in a line: ``lead = user_fixture(...)``."""

    @pytest.fixture
    def fixture(request, db):  # db named here: pytest-django orders tests by what they name
        return make_user(email, request.getfixturevalue(agency), grants, admin=admin)

    return fixture


def agency_fixture(name: str, sector: str):
    """A fixture of one partner agency."""

    @pytest.fixture
    def fixture(db):
        return Agency.objects.create(name=name, sector=sector)

    return fixture


council = agency_fixture("Children's Social Care", "local_authority")
school = agency_fixture("Brockley Rise Primary School", "education")
other_school = agency_fixture("Hillside Academy", "education")
officer = user_fixture("officer@example.org", "council", {"lado": "officer"})
manager = user_fixture("manager@example.org", "council", {"lado": "manager"})
owner = user_fixture("owner@example.org", "school", {"lado": "contributor"})
outsider = user_fixture("outsider@example.org", "other_school", {"lado": "contributor"})
reader = user_fixture("reader@example.org", "council", {"lado": "reader"})


@pytest.fixture
def admin(council):
    return make_user("admin@example.org", council, admin=True)


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that user (None: anonymous)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


@pytest.fixture
def lado_case(db, school, officer):
    """A referral owned by `school`, with personal data that must not leak."""
    from safeguarding.lado import services

    return services.case_create(
        acting_user=officer,
        owning_agency=school,
        contact_date=dt.date(2016, 5, 3),
        employer_name="Brockley Rise Primary School",
        employer_sector="primary_school",
        subject_name="Zebedee Quartermaine",
        subject_role="Class teacher",
        summary="Pushed a child against a wall",
        threshold_met=True,
        harm_test="harmed",
        allegation_category="physical",
        referral_date=dt.date(2016, 5, 4),
    )


GENERATED_YEARS = [FinancialYear(2019), FinancialYear(2020)]


@pytest.fixture
def generate_years(db):
    """generate_years(a module's generate, scale=, seed=) -> its progress messages, once it
    has written 2019-20 and 2020-21 of a partnership's synthetic records at that scale."""
    from safeguarding.core.generate import generated_agencies

    def run(generator, *, scale: float, seed: int) -> list[str]:
        messages: list[str] = []
        generator.generate(
            years=GENERATED_YEARS,
            scale=scale,
            rng=random.Random(seed),
            agencies=generated_agencies(),
            progress=messages.append,
        )
        return messages

    return run


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (charts and figures are cached briefly)."""
    from django.core.cache import cache

    cache.clear()
    yield
