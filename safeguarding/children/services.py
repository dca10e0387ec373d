"""Writes to the shared child record: the only way any module creates, changes or merges
a child. Keyword-only, atomic, audited (module "children")."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower

from safeguarding.core.audit import changes_between, insert_events, record_event, snapshot
from safeguarding.core.imports import insert_rows
from safeguarding.core.permissions import ROLE_FROM
from safeguarding.core.writes import (
    RecordInvalid,
    create_record,
    update_record,
)

from . import hooks, queries
from .models import Child
from .notify import link, tell_officers

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
    return create_record(
        acting_user=acting_user,
        instance=Child(**_clean(values)),
        fields=CHILD_FIELDS,
        summary="Child recorded",
    )


DUPLICATE_SHOWN = (
    "A child with this name and date of birth is already recorded: use that record, or "
    "confirm this is a different child"
)
# A possible duplicate outside the user's scope: never shown, the officers are told.
DUPLICATE_HIDDEN = "A possible duplicate exists; the register's officers have been told."
NAMED_TWICE = (
    "Another child has this name and date of birth: ask a manager to merge the records, "
    "or confirm this is a different child"
)


def _duplicates_for(acting_user, **name) -> tuple[models.QuerySet[Child], list[int]]:
    """(the possible duplicates the user may see, the ids of those they may not)."""
    found = duplicates_of(**name)
    shown = queries.visible_children(acting_user, found)
    hidden = list(found.exclude(pk__in=shown.values("pk")).values_list("pk", flat=True))
    return shown, hidden


def _tell_of_hidden_duplicates(*, acting_user, child: Child, hidden: list[int]) -> None:
    """Email the officers who can see the hidden duplicates (those of the modules naming
    them, or of every module recording children when none does): no names, no references,
    only links to the new record and to the possible duplicates page."""
    modules = queries.modules_naming(Child.objects.filter(pk__in=hidden)) or set(
        ROLE_FROM.get(Child.MODULE, ())
    )
    agency = getattr(acting_user, "agency", None)
    tell_officers(
        modules=sorted(modules),
        subject="Possible duplicate child record",
        message=(
            f"A user of {agency or 'an agency'} has recorded a child whose name and date of "
            "birth match a child record they cannot see. They were told only that a possible "
            "duplicate exists. Please check the records, and merge them if they are the same "
            "child.\n\n"
            f"The record they made: {link('children:detail', child.pk)}\n"
            f"Possible duplicates: {link('children:duplicates')}\n\n"
            "This email carries no personal details: sign in to see the records."
        ),
    )


def child_add(*, acting_user, confirmed_different: bool = False, **values: Any) -> Child:
    """A child added by a user (the "Add a child" page). A child with the same name and
    date of birth that the user may see refuses it unless ``confirmed_different``; one the
    user may not see is never shown: the child is recorded, the officers are told by email,
    and the child returned says so (``hidden_duplicate``)."""
    values = _clean(values)
    with transaction.atomic():
        shown, hidden = _duplicates_for(
            acting_user,
            first_name=values.get("first_name") or "",
            last_name=values.get("last_name") or "",
            date_of_birth=values.get("date_of_birth"),
        )
        if not confirmed_different and shown.exists():
            raise RecordInvalid([("not_duplicate", DUPLICATE_SHOWN)])
        child = child_create(acting_user=acting_user, **values)
    if hidden:
        _tell_of_hidden_duplicates(acting_user=acting_user, child=child, hidden=hidden)
    child.hidden_duplicate = bool(hidden)
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
    """The shared child record with this name (any case) and date of birth that the acting
    user may see, or a new one (audited). For modules that name a child, e.g. in a case
    review. A match the user may not see is not used (naming a child must not open another
    agency's record): a new record is made and the officers are told of the possible
    duplicate."""
    shown, hidden = _duplicates_for(
        acting_user, first_name=first_name, last_name=last_name, date_of_birth=date_of_birth
    )
    existing = shown.order_by("id").first()
    if existing is not None:
        return existing
    child = child_create(
        acting_user=acting_user,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        owning_agency=owning_agency,
    )
    if hidden:
        _tell_of_hidden_duplicates(acting_user=acting_user, child=child, hidden=hidden)
    return child


def child_update(
    *,
    acting_user,
    child: Child,
    expected_version: int | None,
    confirmed_different: bool = False,
    **values: Any,
) -> Child:
    """Change the child's details, only from the version the form was made from. A name and
    date of birth that another child the user may see has already is refused unless
    ``confirmed_different`` (field "not_duplicate"); one only outside their scope is saved
    and the officers are told (``hidden_duplicate`` on the child returned)."""
    hidden: list[int] = []

    def check(current: Child) -> None:
        shown, hidden[:] = _duplicates_for(
            acting_user,
            first_name=current.first_name,
            last_name=current.last_name,
            date_of_birth=current.date_of_birth,
            exclude_pk=current.pk,
        )
        if not confirmed_different and shown.exists():
            raise RecordInvalid([("not_duplicate", NAMED_TWICE)])

    with transaction.atomic():
        child = update_record(
            acting_user=acting_user,
            instance=child,
            expected_version=expected_version,
            fields=CHILD_FIELDS,
            values=_clean(values),
            summary="Child changed",
            prepare=check,
        )
    if hidden:
        _tell_of_hidden_duplicates(acting_user=acting_user, child=child, hidden=hidden)
    child.hidden_duplicate = bool(hidden)
    return child


# ---- children named by reference (episodes, imports) --------------------------------------


def resolve_child(child: Child) -> Child:
    """The record kept, when this child was merged into another."""
    if not child.merged_into_id:
        return child
    return Child.objects.get(pk=queries.kept_id(child))


def children_for_references(
    *, acting_user, references: dict[str, bool], summary: str = "Created by import"
) -> dict[str, int]:
    """{reference: child id} for an import's batch (``references``: {reference: looked
    after}): a known reference gives the record kept (merges followed); the others become
    new children, inserted together, each with its audit row. Call it inside the import's
    transaction."""
    found = queries.child_for_references(references)
    new = sorted(set(references) - set(found))
    if new:
        agency_id = getattr(acting_user, "agency_id", None)
        insert_rows(
            Child,
            ["external_reference", "looked_after", "owning_agency_id"],
            [(ref, bool(references[ref]), agency_id) for ref in new],
        )
        ids = dict(
            Child.objects.filter(external_reference__in=new).values_list("external_reference", "pk")
        )
        insert_events(
            actor=acting_user,
            action="import",
            module=Child.MODULE,
            object_type=Child._meta.label_lower,
            rows=[
                (
                    ids[ref],
                    {
                        "external_reference": [None, ref],
                        "looked_after": [None, bool(references[ref])],
                    },
                    summary,
                )
                for ref in new
            ],
        )
        found.update(ids)
    return found


# ---- merge ------------------------------------------------------------------------------


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
    changes if the merged records would break a module's rule (hooks.merge_checks, e.g.
    overlapping episodes).
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
                    "Both children have an open record that can exist only once for a child "
                    "(for example, both are on the same list): close one first",
                )
            ]
        ) from None
    problems = hooks.merge_problems(keep)
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
