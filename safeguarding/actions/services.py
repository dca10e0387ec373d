"""Action writes. Other modules create actions ONLY through action_create() and read a
source's actions through actions_for(): this file is the tracker's one public entry point."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from safeguarding.core.audit import snapshot
from safeguarding.core.models import Agency
from safeguarding.core.writes import (
    RecordInvalid,
    create_record,
    lock_for_edit,
    save_changes,
    sequential_reference,
    update_record,
)

from .models import Action, ActionUpdate
from .rules import close_problems, update_problems

# The tracker's old name for RecordInvalid, kept for callers that still catch it.
ActionInvalid = RecordInvalid

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
PROGRESS_FIELDS = ACTION_FIELDS + ["completed_date"]


def next_reference() -> str:
    """ACT-00001, ACT-00002, ..."""
    return sequential_reference(Action, "ACT-", 5)


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
    agreed_date: dt.date | None = None,
) -> Action:
    """A tracked action for any source record (review, audit, death review, priority)."""
    if not description.strip():
        raise RecordInvalid([("description", "Enter what will be done")])
    action = Action(
        source_type=ContentType.objects.get_for_model(source),
        source_id=str(source.pk),
        source_module=getattr(source, "MODULE", source._meta.app_label),
        source_label=source_label,
        description=description,
        measure=measure,
        owning_agency=owning_agency,
        owner_person=owner_person,
        due_date=due_date,
        agreed_date=agreed_date or dt.date.today(),
    )
    return create_record(
        acting_user=acting_user,
        instance=action,
        fields=ACTION_FIELDS,
        summary=f"Action created from {source_label}",
        make_reference=next_reference,
        given_reference=reference,
    )


def actions_for(source):
    """The actions whose source is this record."""
    return Action.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=str(source.pk)
    ).select_related("owning_agency")


@transaction.atomic
def action_update_progress(
    *,
    acting_user,
    action: Action,
    expected_version: int | None,
    status: str,
    note: str,
    date: dt.date,
    evidence: str = "",
) -> ActionUpdate:
    """A dated progress update by the owning agency: new status, note, optional evidence."""
    current = lock_for_edit(action, expected_version)
    problems = update_problems(
        current_status=current.status, status=status, note=note, date=date, today=dt.date.today()
    )
    if problems:
        raise RecordInvalid(problems)
    before = snapshot(current, PROGRESS_FIELDS)
    current.status = status
    if evidence.strip():
        current.evidence = evidence.strip()
    if status == "complete":
        current.completed_date = current.completed_date or date
    else:
        current.completed_date = None
    update = ActionUpdate.objects.create(
        action=current, date=date, status=status, note=note.strip(), author=acting_user
    )
    save_changes(
        acting_user=acting_user,
        current=current,
        before=before,
        fields=PROGRESS_FIELDS,
        summary=f"Progress update: {current.get_status_display()}",
        extra_changes={"progress update": [None, f"{date:%d/%m/%Y}: {note.strip()[:200]}"]},
    )
    return update


@transaction.atomic
def action_close(
    *,
    acting_user,
    action: Action,
    expected_version: int | None,
    evidence: str,
    date: dt.date,
) -> Action:
    """The business unit closes an action after checking the evidence of impact."""
    current = lock_for_edit(action, expected_version)
    evidence = (evidence or "").strip() or current.evidence.strip()
    problems = close_problems(
        current_status=current.status, evidence=evidence, date=date, today=dt.date.today()
    )
    if problems:
        raise RecordInvalid(problems)
    before = snapshot(current, PROGRESS_FIELDS)
    current.status = "closed"
    current.evidence = evidence
    current.completed_date = current.completed_date or date
    current.closed_at = timezone.now()
    current.closed_by = acting_user
    ActionUpdate.objects.create(
        action=current,
        date=date,
        status="closed",
        note="Closed: evidence checked",
        author=acting_user,
    )
    save_changes(
        acting_user=acting_user,
        current=current,
        before=before,
        fields=PROGRESS_FIELDS,
        summary="Action closed with evidence of impact",
    )
    return current


def _check_agreed(action: Action) -> None:
    if not action.description:
        raise RecordInvalid([("description", "Enter what will be done")])


@transaction.atomic
def action_edit(
    *,
    acting_user,
    action: Action,
    expected_version: int | None,
    description: str,
    measure: str,
    owning_agency: Agency,
    owner_person: str,
    due_date: dt.date,
) -> Action:
    """The business unit changes what was agreed (wording, owner, due date)."""
    return update_record(
        acting_user=acting_user,
        instance=action,
        expected_version=expected_version,
        fields=ACTION_FIELDS,
        values={
            "description": description.strip(),
            "measure": measure.strip(),
            "owning_agency": owning_agency,
            "owner_person": owner_person.strip(),
            "due_date": due_date,
        },
        summary="Action changed",
        prepare=_check_agreed,
    )
