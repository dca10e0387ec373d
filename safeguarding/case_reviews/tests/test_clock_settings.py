"""The case-review clocks' lengths are settings with the Working Together 2018 defaults."""

import datetime as dt

from safeguarding.case_reviews.rules import NOTIFICATION, RAPID_REVIEW


def test_the_defaults_are_working_together_s():
    # Aware on Friday 22 August 2025, before the Summer bank holiday (Monday 25 August).
    assert NOTIFICATION.due(dt.date(2025, 8, 22)) == dt.date(2025, 9, 1)  # 5 working days
    assert RAPID_REVIEW.due(dt.date(2025, 8, 22)) == dt.date(2025, 9, 15)  # 15 working days


def test_a_partnership_may_set_other_lengths(settings):
    settings.CASE_REVIEW_NOTIFICATION_WORKING_DAYS = 3
    settings.CASE_REVIEW_RAPID_REVIEW_WORKING_DAYS = 10
    assert NOTIFICATION.due(dt.date(2025, 8, 22)) == dt.date(2025, 8, 28)
    assert RAPID_REVIEW.due(dt.date(2025, 8, 22)) == dt.date(2025, 9, 8)
