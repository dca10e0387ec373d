"""Signed links that let a delegate manage their booking without an account."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing

from .models import Booking

SALT = "safeguarding.training.booking"


def max_age() -> dt.timedelta:
    """Long enough for the three-month survey and its reminder."""
    return dt.timedelta(days=int(getattr(settings, "TRAINING_LINK_DAYS", 200)))


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def booking_token(booking: Booking) -> str:
    return signing.dumps({"b": booking.pk, "r": booking.reference}, salt=SALT, compress=True)


def booking_from_token(token: str) -> Booking:
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    try:
        return Booking.objects.select_related("session__course", "owning_agency").get(
            pk=data["b"], reference=data["r"]
        )
    except (Booking.DoesNotExist, KeyError, TypeError):
        raise LinkInvalid from None
