"""The single audit entry point: record_event() for changes, record_access() for views.

Both write to the database (never to log files, which must not hold personal data).
record_event() must be called inside the transaction of the change it describes.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models, transaction
from django.dispatch import receiver

from . import chain
from .models import AccessEvent, AuditEvent


def _label(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "system"
    return f"{user.full_name} <{user.email}>"


def _plain(value):
    """JSON-safe form of a field value for the change history."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict:
    return {name: _plain(getattr(obj, name)) for name in fields}


def changes_between(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def _object_ref(obj) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def build_event(
    *,
    actor,
    action: str,
    obj=None,
    module: str = "",
    changes: dict | None = None,
    summary: str = "",
) -> AuditEvent:
    object_type, object_id = _object_ref(obj)
    return AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=_label(actor),
        action=action,
        module=module or getattr(obj, "MODULE", ""),
        object_type=object_type,
        object_id=object_id,
        changes=changes or {},
        summary=summary[:300],
    )


def record_event(
    *,
    actor,
    action: str,
    obj=None,
    module: str = "",
    changes: dict | None = None,
    summary: str = "",
) -> AuditEvent:
    """Write one audit row. Call it inside the transaction of the change."""
    if obj is not None and not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event() must run inside the change's transaction")
    event = build_event(
        actor=actor, action=action, obj=obj, module=module, changes=changes, summary=summary
    )
    with transaction.atomic(savepoint=False):
        chain.seal(AuditEvent, [event])
        event.save()
    return event


def record_events(events: list[AuditEvent]) -> None:
    """Bulk form for imports: many rows, one statement per batch."""
    with transaction.atomic(savepoint=False):
        chain.seal(AuditEvent, events)
        AuditEvent.objects.bulk_create(events, batch_size=1000)


def insert_events(*, actor, action: str, module: str, object_type: str, rows) -> None:
    """Bulk form for big imports: rows of (object id, changes, summary), one executemany
    and no model instance per row. Same rows as build_event() + record_events() give."""
    from django.utils import timezone

    from .imports import insert_rows

    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    label, at = _label(actor), timezone.now()
    names = [
        "at",
        "actor_id",
        "actor_label",
        "action",
        "module",
        "object_type",
        "object_id",
        "changes",
        "summary",
    ]
    values = [
        {
            "at": at,
            "actor_id": actor_id,
            "actor_label": label,
            "action": action,
            "module": module,
            "object_type": object_type,
            "object_id": str(pk),
            "changes": changes or {},
            "summary": summary[:300],
        }
        for pk, changes, summary in rows
    ]
    with transaction.atomic(savepoint=False):
        chain.seal_values(AuditEvent, values)
        names += ["seq", "hash"]
        insert_rows(AuditEvent, names, [tuple(v[n] for n in names) for v in values])


# The records already logged while one request is answered (core.permissions.requires
# logs the record of every page with a pk; a view that logged it itself is not logged twice).
_logged: ContextVar[set | None] = ContextVar("access_logged", default=None)


@contextmanager
def one_request():
    token = _logged.set(set())
    try:
        yield
    finally:
        _logged.reset(token)


def record_access(*, user, module: str, kind: str = "view", obj=None, detail: str = "") -> None:
    """Note that a user saw or exported personal data."""
    object_type, object_id = _object_ref(obj)
    logged = _logged.get()
    if logged is not None and object_type:
        if (kind, object_type, object_id) in logged or (
            kind == "view" and ("*", object_type, object_id) in logged
        ):
            return
        logged.add((kind, object_type, object_id))
        logged.add(("*", object_type, object_id))
    event = AccessEvent(
        user=user if getattr(user, "is_authenticated", False) else None,
        user_label=_label(user),
        kind=kind,
        module=module,
        object_type=object_type,
        object_id=object_id,
        detail=detail[:300],
    )
    with transaction.atomic(savepoint=False):
        chain.seal(AccessEvent, [event])
        event.save()


def history_for(obj) -> models.QuerySet:
    """Every recorded change to a record, newest first."""
    object_type, object_id = _object_ref(obj)
    return AuditEvent.objects.filter(object_type=object_type, object_id=object_id).select_related(
        "actor"
    )


def history_for_many(objects) -> models.QuerySet:
    """Changes to a record and its child records (e.g. a case and its meetings)."""
    query = models.Q(pk__in=[])
    for obj in objects:
        object_type, object_id = _object_ref(obj)
        query |= models.Q(object_type=object_type, object_id=object_id)
    return AuditEvent.objects.filter(query).select_related("actor")


# Sign-in events are security events, not business logic: signals are the right hook.
@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    with transaction.atomic():
        record_event(actor=user, action="sign_in", module="core", summary="Signed in")


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        with transaction.atomic():
            record_event(actor=user, action="sign_out", module="core", summary="Signed out")


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # The attempted email is not stored: it may be a mistyped personal address.
    with transaction.atomic():
        record_event(
            actor=None, action="sign_in_failed", module="core", summary="Failed sign-in attempt"
        )
