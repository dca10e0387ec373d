"""Fixtures of the shared child record's tests. Nobody holds a role in "children": a user's
role there is their role in the modules that record children (ROLE_FROM), so these users
are given theirs in the first such module, whichever it is.

child_officer / child_manager (council), child_owner (contributor of the school that
recorded the child), child_outsider (contributor of another school), child_reader."""

import pytest

from conftest import make_user
from safeguarding.core.permissions import ROLE_FROM

from .helpers import tallulah


def _grant(role: str) -> dict[str, str]:
    return {ROLE_FROM["children"][0]: role}


@pytest.fixture
def child_officer(council):
    return make_user("child.officer@example.org", council, _grant("officer"))


@pytest.fixture
def child_manager(council):
    return make_user("child.manager@example.org", council, _grant("manager"))


@pytest.fixture
def child_owner(school):
    return make_user("child.owner@example.org", school, _grant("contributor"))


@pytest.fixture
def child_outsider(other_school):
    return make_user("child.outsider@example.org", other_school, _grant("contributor"))


@pytest.fixture
def child_reader(council):
    return make_user("child.reader@example.org", council, _grant("reader"))


@pytest.fixture
def child(db, school, child_officer):
    return tallulah(acting_user=child_officer, owning_agency=school)
