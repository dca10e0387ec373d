"""Private fostering fixtures: the platform's roles, granted on this module."""

import datetime as dt

import pytest

from conftest import make_user


def pf_user(email, agency, role):
    return make_user(email, agency, {"private_fostering": role})


@pytest.fixture
def pf_officer(council):
    return pf_user("pf.officer@example.org", council, "officer")


@pytest.fixture
def pf_owner(school):
    return pf_user("pf.owner@example.org", school, "contributor")


@pytest.fixture
def pf_outsider(other_school):
    return pf_user("pf.outsider@example.org", other_school, "contributor")


@pytest.fixture
def pf_reader(council):
    return pf_user("pf.reader@example.org", council, "reader")


@pytest.fixture
def notification(db, school, pf_officer):
    """An arrangement in place, notified by `school`, with a child's name that must not leak."""
    from safeguarding.private_fostering import services

    n = services.notification_create(
        acting_user=pf_officer,
        owning_agency=school,
        notification_date=dt.date(2016, 5, 9),
        child_first_name="Zebedee",
        child_last_name="Quartermaine",
        child_date_of_birth=dt.date(2012, 2, 1),
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
        expected_version=n.version,
        arrangement_start_date=dt.date(2016, 5, 9),
        arrangement_end_date=None,
    )


def date_post(name, day):
    """The three boxes of a GOV.UK date input."""
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def visit_made(user, notification, day=dt.date(2016, 5, 17)):
    """The fixture's first visit, made on time (due by 18 May 2016), seen alone."""
    from safeguarding.private_fostering import services

    return services.visit_record(
        acting_user=user,
        notification=notification,
        visit_date=day,
        seen_alone=True,
        report_written=True,
    )
