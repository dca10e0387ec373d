"""Fixtures shared by the missing and children tests (imported by both conftest files).

met_officer / met_manager (council), met_owner (contributor of the school that reported
the episode), met_outsider (contributor of another school), met_reader (figures only).
"""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import user_fixture
from safeguarding.children.tests.helpers import (  # noqa: F401 (fixtures.X)
    CHILD_NAME,
    assert_refuses_others,
    assert_sign_in_redirect,
    tallulah,
)
from safeguarding.missing.rules import LONDON


def at(text: str) -> dt.datetime:
    """'2016-05-03 21:30' as an aware time in England."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


met_officer = user_fixture("met.officer@example.org", "council", {"missing": "officer"})
met_manager = user_fixture("met.manager@example.org", "council", {"missing": "manager"})
met_owner = user_fixture("met.owner@example.org", "school", {"missing": "contributor"})
met_outsider = user_fixture("met.outsider@example.org", "other_school", {"missing": "contributor"})
met_reader = user_fixture("met.reader@example.org", "council", {"missing": "reader"})


@pytest.fixture
def child(db, school, met_officer):
    return tallulah(acting_user=met_officer, owning_agency=school)


@pytest.fixture
def episode(child, school, met_officer):
    """A returned missing episode reported by `school`, interview not yet offered."""
    from safeguarding.missing import services

    return services.episode_create(
        acting_user=met_officer,
        owning_agency=school,
        child=child,
        looked_after=True,
        episode_type="missing",
        start=at("2016-05-03 21:30"),
        end=at("2016-05-04 02:15"),
        police_reference="CAD1234",
    )


@pytest.fixture
def open_episode(child, school, met_officer):
    from safeguarding.missing import services

    return services.episode_create(
        acting_user=met_officer,
        owning_agency=school,
        child=child,
        looked_after=True,
        episode_type="missing",
        start=timezone.now() - dt.timedelta(hours=5),
    )


@pytest.fixture
def met_entry(child, school, met_officer):
    from safeguarding.missing import services

    return services.met_add(
        acting_user=met_officer,
        child=child,
        owning_agency=school,
        risk_level="high",
        added_on=dt.date(2016, 9, 1),
    )
