"""Writes to the shared child record. Keyword-only, atomic, audited."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower

from safeguarding.core.audit import changes_between, record_event, snapshot

from .models import Child

CHILD_FIELDS = [
    "external_reference",
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "looked_after",
    "home_area",
    "owning_agency",
]


class RecordInvalid(Exception):
    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))


class StaleRecord(Exception):
    """Someone else saved the record after this copy was loaded."""


STALE_MESSAGE = (
    "Someone else changed this record after you opened it. Your changes were not saved: "
    "reload the page to see their changes, then make yours again."
)


def duplicates_of(
    *, first_name: str, last_name: str, date_of_birth, exclude_pk: int | None = None
) -> models.QuerySet[Child]:
    """Children (not merged away) with the same name (any case) and date of birth."""
    if not (first_name.strip() and last_name.strip() and date_of_birth):
        return Child.objects.none()
    found = Child.objects.annotate(f=Lower("first_name"), l=Lower("last_name")).filter(
        f=first_name.strip().lower(),
        l=last_name.strip().lower(),
        date_of_birth=date_of_birth,
        merged_into__isnull=True,
    )
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    return found


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    for name in ("first_name", "last_name", "external_reference", "home_area"):
        if name in values and values[name] is not None:
            values[name] = values[name].strip()
    return values


@transaction.atomic
def child_create(*, acting_user, **values: Any) -> Child:
    child = Child(**_clean(values))
    if child.owning_agency_id is None and acting_user is not None:
        child.owning_agency_id = acting_user.agency_id
    child.save()
    record_event(
        actor=acting_user,
        action="create",
        obj=child,
        changes=changes_between({}, snapshot(child, CHILD_FIELDS)),
        summary="Child recorded",
    )
    return child


@transaction.atomic
def child_find_or_create(
    *,
    acting_user,
    first_name: str,
    last_name: str,
    date_of_birth,
    owning_agency=None,
) -> Child:
    """The shared child record with this name (any case) and date of birth, or a new one
    (audited). For modules that name a child, e.g. in a case review."""
    existing = (
        duplicates_of(first_name=first_name, last_name=last_name, date_of_birth=date_of_birth)
        .order_by("id")
        .first()
    )
    if existing is not None:
        return existing
    return child_create(
        acting_user=acting_user,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        owning_agency=owning_agency,
    )


@transaction.atomic
def child_update(
    *, acting_user, child: Child, expected_version: int | None, **values: Any
) -> Child:
    current = Child.objects.select_for_update().get(pk=child.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleRecord(STALE_MESSAGE)
    before = snapshot(current, CHILD_FIELDS)
    for name, value in _clean(values).items():
        setattr(current, name, value)
    changes = changes_between(before, snapshot(current, CHILD_FIELDS))
    if changes:
        current.version += 1
        current.save()
        record_event(
            actor=acting_user,
            action="update",
            obj=current,
            changes=changes,
            summary="Child changed",
        )
    return current


def _links_to_child():
    """Every foreign key to Child in any installed module (incl. many-to-many tables)."""
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey)
                and field.related_model is Child
                and not (model is Child and field.name == "merged_into")
            ):
                yield model, field.name


@transaction.atomic
def child_merge(*, acting_user, keep: Child, duplicate: Child) -> Child:
    """Merge ``duplicate`` into ``keep``: every record of every module moves across.

    The duplicate stays (so references to it still resolve) marked as merged. Nothing
    changes if the merged records would break a rule (e.g. overlapping episodes).
    """
    if keep.pk == duplicate.pk:
        raise RecordInvalid([("duplicate", "Choose two different children")])
    locked = {
        c.pk: c for c in Child.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk])
    }
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]
    if keep.merged_into_id or duplicate.merged_into_id:
        raise RecordInvalid([("duplicate", "One of these children has already been merged")])
    moved: dict[str, int] = {}
    try:
        with transaction.atomic():
            for model, name in _links_to_child():
                count = model.objects.filter(**{name: duplicate}).update(**{name: keep})
                if count:
                    moved[model._meta.verbose_name_plural.lower()] = count
            Child.objects.filter(merged_into=duplicate).update(merged_into=keep)
    except IntegrityError:
        raise RecordInvalid(
            [
                (
                    "duplicate",
                    "Both children have an open record that can exist only once "
                    "(for example both are on the MET list): close one first",
                )
            ]
        ) from None
    from safeguarding.missing.services import child_episode_problems

    problems = child_episode_problems(child=keep)
    if problems:
        transaction.set_rollback(True)
        raise RecordInvalid(problems)
    before = snapshot(keep, CHILD_FIELDS)
    for name in CHILD_FIELDS:
        if getattr(keep, name) in ("", None) and getattr(duplicate, name) not in ("", None):
            setattr(keep, name, getattr(duplicate, name))
    keep.version += 1
    keep.save()
    duplicate.merged_into = keep
    duplicate.version += 1
    duplicate.save(update_fields=["merged_into", "version"])
    changes = changes_between(before, snapshot(keep, CHILD_FIELDS))
    changes["merged from"] = [None, f"child {duplicate.pk}"]
    changes["records moved"] = [None, moved]
    record_event(
        actor=acting_user,
        action="merge",
        obj=keep,
        changes=changes,
        summary=f"Duplicate record (child {duplicate.pk}) merged into this one",
    )
    record_event(
        actor=acting_user,
        action="merge",
        obj=duplicate,
        changes={"merged into": [None, f"child {keep.pk}"]},
        summary=f"Merged into child {keep.pk}",
    )
    return keep
