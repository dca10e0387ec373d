"""Private fostering settings (configurable, read with getattr so settings.py need not change).

PRIVATE_FOSTERING_FIRST_VISIT_WORKING_DAYS  first visit after the authority becomes aware (7)
PRIVATE_FOSTERING_FIRST_YEAR_VISIT_WEEKS    longest interval in the arrangement's first year (6)
PRIVATE_FOSTERING_LATER_VISIT_WEEKS         longest interval after the first year (12)
PRIVATE_FOSTERING_NOTICE_WEEKS              notice due before a planned start (6)
PRIVATE_FOSTERING_MIN_DAYS                  shortest intended stay that is private fostering (28)
PRIVATE_FOSTERING_AGE_LIMIT                 age limit (16)
PRIVATE_FOSTERING_DISABLED_AGE_LIMIT        age limit for a disabled child (18)
PRIVATE_FOSTERING_REMINDER_DAYS_AHEAD       visits due within this many days are "due" (14)
"""

from django.conf import settings


def _get(name: str, default: int) -> int:
    return getattr(settings, f"PRIVATE_FOSTERING_{name}", default)


def first_visit_working_days() -> int:
    return _get("FIRST_VISIT_WORKING_DAYS", 7)


def first_year_visit_weeks() -> int:
    return _get("FIRST_YEAR_VISIT_WEEKS", 6)


def later_visit_weeks() -> int:
    return _get("LATER_VISIT_WEEKS", 12)


def notice_weeks() -> int:
    return _get("NOTICE_WEEKS", 6)


def min_days() -> int:
    return _get("MIN_DAYS", 28)


def age_limit() -> int:
    return _get("AGE_LIMIT", 16)


def disabled_age_limit() -> int:
    return _get("DISABLED_AGE_LIMIT", 18)


def reminder_days_ahead() -> int:
    return _get("REMINDER_DAYS_AHEAD", 14)
