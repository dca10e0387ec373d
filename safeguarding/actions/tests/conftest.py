"""Action tracker fixtures: reuse the case review ones (a review is the usual source)."""

from safeguarding.case_reviews.tests.conftest import (  # noqa: F401
    cr_manager,
    cr_reader,
    health_action,
    health_user,
    hospital,
    police,
    police_action,
    police_user,
    referral,
    types,
    unit,
)
