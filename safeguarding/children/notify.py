"""Telling a register's officers what a user could not be shown.

When a check finds a record outside the user's scope (a possible duplicate child, an
overlapping episode of another agency), the user is told only that the officers know, and
the officers get an email. The email carries no personal data: no names, no references,
only links into the system (which check who signs in).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from safeguarding.core.models import ModuleGrant

OFFICER_ROLES = ("officer", "manager")


def link(name: str, *args) -> str:
    """An absolute link to one of our pages (settings.SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def officers(modules: Iterable[str]) -> list[str]:
    """The email addresses of the active officers and managers of these modules."""
    return sorted(
        set(
            ModuleGrant.objects.filter(
                module__in=list(modules), role__in=OFFICER_ROLES, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )


def tell_officers(*, modules: Iterable[str], subject: str, message: str) -> int:
    """Email the officers of ``modules``; the number of recipients (0: nobody to tell)."""
    recipients = officers(modules)
    if recipients:
        send_mail(
            subject=subject,
            message=message,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
    return len(recipients)
