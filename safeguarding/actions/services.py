"""Action writes. Other modules create actions ONLY through action_create()."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from safeguarding.core.audit import changes_between, record_event, snapshot
from safeguarding.core.models import Agency

from .models import Action

ACTION_FIELDS = [
    "reference",
    "source_label",
    "description",
    "measure",
    "owning_agency",
    "owner_person",
    "due_date",
    "status",
    "evidence",
]


class ActionInvalid(Exception):
    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))


def _next_reference() -> str:
    return f"ACT-{Action.objects.count() + 1:05d}"


@transaction.atomic
def action_create(
    *,
    acting_user,
    source,
    source_label: str,
    description: str,
    owning_agency: Agency,
    due_date: dt.date,
    measure: str = "",
    owner_person: str = "",
    reference: str | None = None,
) -> Action:
    """A tracked action for any source record (review, audit, death review, priority)."""
    if not description.strip():
        raise ActionInvalid([("description", "Enter what will be done")])
    action = Action(
        reference=reference or _next_reference(),
        source_type=ContentType.objects.get_for_model(source),
        source_id=str(source.pk),
        source_module=getattr(source, "MODULE", source._meta.app_label),
        source_label=source_label,
        description=description,
        measure=measure,
        owning_agency=owning_agency,
        owner_person=owner_person,
        due_date=due_date,
    )
    action.save()
    record_event(
        actor=acting_user,
        action="create",
        obj=action,
        changes=changes_between({}, snapshot(action, ACTION_FIELDS)),
        summary=f"Action created from {source_label}",
    )
    return action


def actions_for(source):
    """The actions whose source is this record."""
    return Action.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=str(source.pk)
    ).select_related("owning_agency")
