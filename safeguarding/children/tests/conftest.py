"""Fixtures of the shared child record's tests. Nobody holds a role in "children": a user's
role there is their role in the modules that record children (ROLE_FROM), so these users
are given theirs in the first such module, whichever it is.

child_officer / child_manager (council), child_owner (contributor of the school that
recorded the child), child_outsider (contributor of another school), child_reader."""

import pytest

from conftest import user_fixture
from safeguarding.core.permissions import ROLE_FROM

from .helpers import tallulah


def _grant(role: str) -> dict[str, str]:
    return {ROLE_FROM["children"][0]: role}


child_officer = user_fixture("child.officer@example.org", "council", _grant("officer"))
child_manager = user_fixture("child.manager@example.org", "council", _grant("manager"))
child_owner = user_fixture("child.owner@example.org", "school", _grant("contributor"))
child_outsider = user_fixture("child.outsider@example.org", "other_school", _grant("contributor"))
child_reader = user_fixture("child.reader@example.org", "council", _grant("reader"))


@pytest.fixture
def child(db, school, child_officer):
    return tallulah(acting_user=child_officer, owning_agency=school)
