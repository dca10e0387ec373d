"""Private fostering fixtures: the platform's roles, granted on this module."""

import datetime as dt

import pytest

from safeguarding.core.models import ModuleGrant, User

PASSWORD = "a-long-test-password-1"


def make_user(email, agency, role=None):
    user = User.objects.create_user(
        email=email, password=PASSWORD, full_name=email.split("@")[0], agency=agency
    )
    if role:
        ModuleGrant.objects.create(user=user, module="private_fostering", role=role)
    return user


@pytest.fixture
def pf_officer(council):
    return make_user("pf.officer@example.org", council, "officer")


@pytest.fixture
def pf_owner(school):
    return make_user("pf.owner@example.org", school, "contributor")


@pytest.fixture
def pf_outsider(other_school):
    return make_user("pf.outsider@example.org", other_school, "contributor")


@pytest.fixture
def pf_reader(council):
    return make_user("pf.reader@example.org", council, "reader")


@pytest.fixture
def notification(db, school, pf_officer):
    """An arrangement in place, notified by `school`, with a child's name that must not leak."""
    from safeguarding.private_fostering import services

    n = services.notification_create(
        acting_user=pf_officer,
        owning_agency=school,
        notification_date=dt.date(2016, 5, 3),
        child_first_name="Zebedee",
        child_last_name="Quartermaine",
        child_date_of_birth=dt.date(2004, 2, 1),
        child_disabled=False,
        carer_name="Hostess Carer",
        carer_relationship="host_family",
        intended_start_date=dt.date(2016, 5, 9),
        intended_duration_days=300,
        category="language_student",
    )
    return services.arrangement_update(
        acting_user=pf_officer,
        notification=n,
        expected_version=None,
        arrangement_start_date=dt.date(2016, 5, 9),
        arrangement_end_date=None,
    )


def date_post(name, day):
    """The three boxes of a GOV.UK date input."""
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}
