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


# ---- which recorded date starts each clock is a setting too (issue 15) ---------------------


def test_the_rapid_review_counts_from_the_notification_by_default():
    assert RAPID_REVIEW.rule.startswith("15 working days from the notification (")


def test_an_area_may_count_the_rapid_review_from_the_authority_becoming_aware(unit, settings):
    from safeguarding.case_reviews import queries
    from safeguarding.case_reviews.tests.test_clocks import _referral

    settings.CASE_REVIEW_RAPID_REVIEW_FROM = "la_aware_date"
    # Aware on Wednesday 16 April 2025: Good Friday (18th), Easter Monday (21st), the early
    # May bank holiday (5 May) and three weekends skipped: due Monday 12 May.
    referral = _referral(
        unit,
        referral_date=dt.date(2025, 4, 17),
        la_aware_date=dt.date(2025, 4, 16),
        notification_date=dt.date(2025, 4, 18),
    )
    assert referral.rapid_review_due == dt.date(2025, 5, 12)
    assert RAPID_REVIEW.rule.startswith("15 working days from the local authority becoming aware (")
    assert ("Rapid review", dt.date(2025, 4, 16)) in [
        (clock.name, start) for clock, _due, start, _done in referral.clock_rows()
    ]
    # The worklist reads the same start: the clock is listed as overdue.
    items = queries.worklist(user=unit, today=dt.date(2025, 5, 13))
    assert [i for i in items if "Rapid review" in str(i)]


def test_an_unknown_start_event_is_refused_by_name(settings):
    import pytest
    from django.core.exceptions import ImproperlyConfigured

    from safeguarding.case_reviews import rules

    settings.CASE_REVIEW_RAPID_REVIEW_FROM = "yesterday"
    with pytest.raises(ImproperlyConfigured, match="CASE_REVIEW_RAPID_REVIEW_FROM must be"):
        rules.clocks()
