"""Configurable rules (domain.md): override any of them in settings.py."""

from django.conf import settings


def interview_hours() -> int:
    """Return home interviews are offered within this many hours of the return: 72 in the
    statutory guidance "Children who run away or go missing from home or care" (DfE, January
    2014), which asks for an independent return interview within 72 hours of the return."""
    return getattr(settings, "MISSING_RETURN_INTERVIEW_HOURS", 72)


def repeat_rule() -> tuple[int, int]:
    """(episodes, days): a child with this many episodes within this many days is repeat missing."""
    return (
        getattr(settings, "MISSING_REPEAT_EPISODES", 3),
        getattr(settings, "MISSING_REPEAT_DAYS", 90),
    )
