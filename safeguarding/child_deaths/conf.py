"""Child death review settings (configurable, read with getattr so settings.py need not change).

CHILD_DEATHS_REVIEW_MONTHS   a death not reviewed this many months after it is flagged (6)
CHILD_DEATHS_FORM_DUE_DAYS   default days an agency has to return a reporting form (28)
"""

from django.conf import settings


def review_months() -> int:
    return getattr(settings, "CHILD_DEATHS_REVIEW_MONTHS", 6)


def form_due_days() -> int:
    return getattr(settings, "CHILD_DEATHS_FORM_DUE_DAYS", 28)
