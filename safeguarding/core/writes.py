"""The safe path for every write, shared by every module's services.py.

- ``RecordInvalid`` (problems by field) and ``StaleRecord`` (someone else saved first).
- ``lock_for_edit()``: the stored row, locked, and only if the form was made from its
  current version. A form without a version is refused exactly like a stale one: an
  edit is never saved without the check that it is not overwriting a colleague's change.
- ``save_changes()`` / ``update_record()``: apply values, bump the version, write the
  audit row ``{field: [old, new]}`` in the same transaction.
- ``create_record()``: save a new record under a free reference and audit it.
- ``config_save()``: a configuration edit (meeting types, review types...) compared with
  the *stored* row, never with a form's instance that validation already changed.
- ``upsert_by_reference()``: the import's batch writer (create, update or leave alone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .audit import build_event, changes_between, record_event, record_events, snapshot
from .periods import FinancialYear

STALE_MESSAGE = (
    "Someone else changed this record after you opened it. Your changes were not "
    "saved: reload the page to see their changes, then make yours again."
)
NO_VERSION_MESSAGE = (
    "This form does not say which copy of the record it was made from, so it was not "
    "saved: reload the page and make your changes again."
)


class RecordInvalid(Exception):
    """The values break a rule: [(field, message)], shown beside each field."""

    def __init__(self, problems: list[tuple[str | None, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{f}: {m}" if f else m for f, m in problems))


class StaleRecord(RecordInvalid):
    """The copy being saved is not the stored one (or does not say which one it is)."""

    def __init__(self, message: str = STALE_MESSAGE):
        super().__init__([(None, message)])
        self.args = (message,)

    def __str__(self) -> str:
        return self.args[0]


def _has_field(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def lock(instance: models.Model, *, queryset: models.QuerySet | None = None) -> models.Model:
    """A fresh copy of the stored row, locked until the end of the transaction.

    For writes that are not edits of a copy shown in a form (a button, a system job)."""
    queryset = queryset if queryset is not None else type(instance)._default_manager.all()
    return queryset.select_for_update(of=("self",)).get(pk=instance.pk)


def check_version(current: models.Model, expected_version: int | None) -> None:
    if expected_version is None:
        raise StaleRecord(NO_VERSION_MESSAGE)
    if current.version != int(expected_version):
        raise StaleRecord(STALE_MESSAGE)


def lock_for_edit(
    instance: models.Model,
    expected_version: int | None,
    *,
    queryset: models.QuerySet | None = None,
) -> models.Model:
    """The stored row, locked, if ``expected_version`` is its version; else StaleRecord."""
    current = lock(instance, queryset=queryset)
    check_version(current, expected_version)
    return current


def save_changes(
    *,
    acting_user,
    current: models.Model,
    before: dict,
    fields: list[str],
    summary: str,
    action: str = "update",
    extra_changes: dict | None = None,
    module: str = "",
) -> dict:
    """Save ``current`` if anything in ``fields`` changed since ``before``; audit it.

    The version goes up by one with every saved change (optimistic locking)."""
    changes = changes_between(before, snapshot(current, fields))
    changes.update(extra_changes or {})
    if changes:
        model = type(current)
        if _has_field(model, "version"):
            current.version += 1
        if _has_field(model, "updated_at"):
            current.updated_at = timezone.now()
        current.save()
        record_event(
            actor=acting_user,
            action=action,
            obj=current,
            module=module,
            changes=changes,
            summary=summary,
        )
    return changes


def update_record(
    *,
    acting_user,
    instance: models.Model,
    expected_version: int | None,
    fields: list[str],
    values: dict[str, Any],
    summary: str,
    prepare: Callable[[models.Model], None] | None = None,
    queryset: models.QuerySet | None = None,
    module: str = "",
) -> models.Model:
    """The whole edit: lock and check the version, apply, ``prepare`` (normalise and
    validate: raise RecordInvalid), save the changes with their audit row."""
    current = lock_for_edit(instance, expected_version, queryset=queryset)
    before = snapshot(current, fields)
    for name, value in values.items():
        setattr(current, name, value)
    if prepare is not None:
        prepare(current)
    save_changes(
        acting_user=acting_user,
        current=current,
        before=before,
        fields=fields,
        summary=summary,
        module=module,
    )
    return current


def sequential_reference(
    model: type[models.Model], prefix: str, width: int, *, field_name: str = "reference"
) -> str:
    """The next reference of a series: PREFIX0001, PREFIX0002, ..."""
    taken = model._default_manager.filter(**{f"{field_name}__startswith": prefix}).count()
    return f"{prefix}{taken + 1:0{width}d}"


def year_reference(model: type[models.Model], code: str, day, width: int = 4) -> str:
    """The next reference of a financial year's series: CODE-2016-17-0001 (``day``, a date
    or a date-time, places it in its year)."""
    if isinstance(day, dt.datetime):
        day = timezone.localdate(day)
    return sequential_reference(model, f"{code}-{FinancialYear.containing(day).label}-", width)


def save_with_reference(
    instance: models.Model,
    *,
    given: str | None,
    make_reference: Callable[[], str],
    attempts: int = 5,
) -> None:
    """Save a new record. A given reference must be free; otherwise the next one of the
    series is taken, with a suffix if a concurrent save took it first."""
    for attempt in range(attempts):
        if not given:
            instance.reference = make_reference() + (f"-{attempt}" if attempt else "")
        try:
            with transaction.atomic():
                instance.save()
            return
        except IntegrityError:
            if given:
                raise RecordInvalid([("reference", "This reference is already used")]) from None
    # Every generated reference was taken: never pretend an unsaved record was saved.
    raise RecordInvalid([("reference", "No free reference could be found; try again")])


def create_record(
    *,
    acting_user,
    instance: models.Model,
    fields: list[str],
    summary: str,
    make_reference: Callable[[], str] | None = None,
    series: tuple | None = None,
    given_reference: str | None = None,
    extra_changes: dict | None = None,
    module: str = "",
) -> models.Model:
    """Save a new (already validated) record and write its audit row. Its reference is the
    one given, else ``make_reference()``, else the next of its ``series``: (code, the date
    field that places it in a financial year[, width]), e.g. ("LADO", "contact_date")."""
    if series is not None and make_reference is None:
        code, field_name, *width = series
        model = type(instance)

        def make_reference() -> str:
            return year_reference(model, code, getattr(instance, field_name), *width)

    if (
        _has_field(type(instance), "owning_agency")
        and instance.owning_agency_id is None
        and acting_user is not None
    ):
        instance.owning_agency_id = acting_user.agency_id
    if make_reference is not None:
        save_with_reference(instance, given=given_reference, make_reference=make_reference)
    else:
        instance.save()
    changes = changes_between({}, snapshot(instance, fields))
    changes.update(extra_changes or {})
    record_event(
        actor=acting_user,
        action="create",
        obj=instance,
        module=module,
        changes=changes,
        summary=summary,
    )
    return instance


def config_save(
    *,
    acting_user,
    model: type[models.Model],
    instance: models.Model | None,
    values: dict[str, Any],
    summary: str,
    expected_version: int | None = None,
    prepare: Callable[[models.Model], None] | None = None,
) -> models.Model:
    """Create or change a configuration row (a meeting type, a review type, a theme...).

    The comparison is made with the row as stored, locked, so the audit row always says
    what changed; a versioned row is saved only from its current version."""
    fields = list(values)
    if instance is None or instance.pk is None:
        current = model(**values)
        if prepare is not None:
            prepare(current)
        current.save()
        record_event(
            actor=acting_user,
            action="create",
            obj=current,
            changes=changes_between({}, snapshot(current, fields)),
            summary=summary,
        )
        return current
    current = lock(instance)
    if _has_field(model, "version"):
        check_version(current, expected_version)
    before = snapshot(current, fields)
    for name, value in values.items():
        setattr(current, name, value)
    if prepare is not None:
        prepare(current)
    save_changes(
        acting_user=acting_user, current=current, before=before, fields=fields, summary=summary
    )
    return current


def config_service(
    model: type[models.Model],
    row: str,
    *,
    summary: str,
    clean: Callable[[dict], dict] | None = None,
) -> Callable[..., models.Model]:
    """The service of a configuration model: ``save(*, acting_user, <row>=None,
    expected_version=None, **values)`` adds a row (``<row>`` None) or changes one from its
    version, through config_save. ``values`` are the model's own fields; ``clean`` tidies
    them (e.g. strips a name) before they are compared and saved."""
    fields = {f.name for f in model._meta.concrete_fields}

    @transaction.atomic
    def save(*, acting_user, expected_version: int | None = None, **values) -> models.Model:
        instance = values.pop(row, None)
        unknown = set(values) - fields
        if unknown:
            raise TypeError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
        return config_save(
            acting_user=acting_user,
            model=model,
            instance=instance,
            expected_version=expected_version,
            values=clean(values) if clean else values,
            summary=summary,
        )

    save.__name__ = save.__qualname__ = f"{row}_save"
    save.__doc__ = f"Add a {model._meta.verbose_name}, or change one from its version."
    return save


# ---- imports ------------------------------------------------------------------------------


@dataclass
class Upserted:
    """What one batch of an import did: counts, and the records for follow-up writes."""

    created: list[models.Model] = field(default_factory=list)
    changed: list[models.Model] = field(default_factory=list)
    unchanged: int = 0
    events: list = field(default_factory=list)

    @property
    def counts(self) -> tuple[int, int, int]:
        return len(self.created), len(self.changed), self.unchanged


def upsert_by_reference(
    *,
    acting_user,
    model: type[models.Model],
    rows: Iterable[tuple[str, dict[str, Any]]],
    audit_fields: list[str],
    write_fields: list[str],
    prepare: Callable[[models.Model], None] | None = None,
    existing: dict[str, models.Model] | None = None,
    new_values: dict[str, Any] | None = None,
    extra_changes: Callable[[models.Model, dict], dict] | None = None,
    write_events: bool = True,
) -> Upserted:
    """Write one batch of validated import rows ``(reference, values)``, inside the
    import's transaction: a new reference is created; a stored one is updated (version
    up, audit row of what changed) or left alone when nothing changed. Never duplicated.

    ``prepare`` normalises a record (derived fields) before it is compared or saved;
    ``extra_changes(record, values)`` adds changes the record's own fields do not show
    (e.g. a linked meeting's date) and may count a record as changed by them."""
    rows = list(rows)
    if existing is None:
        existing = {
            obj.reference: obj
            for obj in model._default_manager.filter(reference__in=[ref for ref, _ in rows])
        }
    # The agency object, not its id: the audit snapshot names it without a query per row.
    agency = acting_user.agency if getattr(acting_user, "agency_id", None) else None
    now = timezone.now()
    has_version, has_updated = _has_field(model, "version"), _has_field(model, "updated_at")
    result = Upserted()
    for reference, values in rows:
        record = existing.get(reference)
        if record is None:
            record = model(reference=reference, **(new_values or {}), **values)
            if _has_field(model, "owning_agency") and record.owning_agency_id is None:
                record.owning_agency = agency
            if prepare is not None:
                prepare(record)
            result.created.append(record)
            continue
        before = snapshot(record, audit_fields)
        for name, value in values.items():
            setattr(record, name, value)
        if prepare is not None:
            prepare(record)
        changes = changes_between(before, snapshot(record, audit_fields))
        if extra_changes is not None:
            changes.update(extra_changes(record, values))
        if not changes:
            result.unchanged += 1
            continue
        if has_version:
            record.version += 1
        if has_updated:
            record.updated_at = now
        result.changed.append(record)
        result.events.append(
            build_event(
                actor=acting_user,
                action="import",
                obj=record,
                changes=changes,
                summary="Updated by import",
            )
        )
    if result.created:
        model._default_manager.bulk_create(result.created, batch_size=500)
        if any(r.pk is None for r in result.created):  # backends without RETURNING
            ids = dict(
                model._default_manager.filter(
                    reference__in=[r.reference for r in result.created]
                ).values_list("reference", "pk")
            )
            for r in result.created:
                r.pk = ids[r.reference]
        result.events += [
            build_event(
                actor=acting_user,
                action="import",
                obj=r,
                changes=changes_between({}, snapshot(r, audit_fields)),
                summary="Created by import",
            )
            for r in result.created
        ]
    if result.changed:
        columns = list(write_fields)
        columns += [c for c in ("version", "updated_at") if _has_field(model, c)]
        model._default_manager.bulk_update(result.changed, columns, batch_size=500)
    if write_events:
        record_events(result.events)
    return result
