"""Shared test fixtures: the same users in every view test.

officer (LADO officer), owner (contributor of the agency that owns the record),
outsider (contributor of another agency), reader (figures only), admin (partnership
administrator with no module grant) - plus the anonymous client.
"""

import datetime as dt

import pytest
from hypothesis import HealthCheck, settings

from safeguarding.core.models import Agency, ModuleGrant, User

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


@pytest.fixture
def council(db):
    return Agency.objects.create(name="Children's Social Care", sector="local_authority")


@pytest.fixture
def school(db):
    return Agency.objects.create(name="Brockley Rise Primary School", sector="education")


@pytest.fixture
def other_school(db):
    return Agency.objects.create(name="Hillside Academy", sector="education")


@pytest.fixture
def officer(council):
    return make_user("officer@example.org", council, {"lado": "officer"})


@pytest.fixture
def manager(council):
    return make_user("manager@example.org", council, {"lado": "manager"})


@pytest.fixture
def owner(school):
    return make_user("owner@example.org", school, {"lado": "contributor"})


@pytest.fixture
def outsider(other_school):
    return make_user("outsider@example.org", other_school, {"lado": "contributor"})


@pytest.fixture
def reader(council):
    return make_user("reader@example.org", council, {"lado": "reader"})


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


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (charts and figures are cached briefly)."""
    from django.core.cache import cache

    cache.clear()
    yield
