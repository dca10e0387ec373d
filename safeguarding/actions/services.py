"""Action writes. Other modules create actions ONLY through action_create()."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from safeguarding.core.audit import changes_between, record_event, snapshot
from safeguarding.core.models import Agency

from .models import Action, ActionUpdate
from .rules import close_problems, update_problems

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
    """ACT-00001, ... : one more than the highest number used (safe after deletions)."""
    highest = (
        Action.objects.filter(reference__regex=r"^ACT-[0-9]{5}$")
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(highest[4:]) + 1 if highest else 1
    while Action.objects.filter(reference=f"ACT-{number:05d}").exists():
        number += 1
    return f"ACT-{number:05d}"


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
        agreed_date=agreed_date or dt.date.today(),
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


class StaleRecord(Exception):
    """Someone else saved the action after this copy was loaded."""


def _locked(action: Action, expected_version: int | None) -> Action:
    current = Action.objects.select_for_update().get(pk=action.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleRecord(
            "Someone else changed this action after you opened it. Your changes were not "
            "saved: reload the page to see their changes, then make yours again."
        )
    return current


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
    current = _locked(action, expected_version)
    problems = update_problems(
        current_status=current.status, status=status, note=note, date=date, today=dt.date.today()
    )
    if problems:
        raise ActionInvalid(problems)
    before = snapshot(current, ACTION_FIELDS + ["completed_date"])
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
    current.version += 1
    current.save()
    changes = changes_between(before, snapshot(current, ACTION_FIELDS + ["completed_date"]))
    changes["progress update"] = [None, f"{date:%d/%m/%Y}: {note.strip()[:200]}"]
    record_event(
        actor=acting_user,
        action="update",
        obj=current,
        changes=changes,
        summary=f"Progress update: {current.get_status_display()}",
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
    current = _locked(action, expected_version)
    evidence = (evidence or "").strip() or current.evidence.strip()
    problems = close_problems(
        current_status=current.status, evidence=evidence, date=date, today=dt.date.today()
    )
    if problems:
        raise ActionInvalid(problems)
    before = snapshot(current, ACTION_FIELDS + ["completed_date"])
    current.status = "closed"
    current.evidence = evidence
    current.completed_date = current.completed_date or date
    current.closed_at = timezone.now()
    current.closed_by = acting_user
    current.version += 1
    current.save()
    ActionUpdate.objects.create(
        action=current,
        date=date,
        status="closed",
        note="Closed: evidence checked",
        author=acting_user,
    )
    record_event(
        actor=acting_user,
        action="update",
        obj=current,
        changes=changes_between(before, snapshot(current, ACTION_FIELDS + ["completed_date"])),
        summary="Action closed with evidence of impact",
    )
    return current


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
    current = _locked(action, expected_version)
    if not description.strip():
        raise ActionInvalid([("description", "Enter what will be done")])
    before = snapshot(current, ACTION_FIELDS)
    current.description, current.measure = description.strip(), measure.strip()
    current.owning_agency, current.owner_person = owning_agency, owner_person.strip()
    current.due_date = due_date
    changes = changes_between(before, snapshot(current, ACTION_FIELDS))
    if changes:
        current.version += 1
        current.save()
        record_event(
            actor=acting_user,
            action="update",
            obj=current,
            changes=changes,
            summary="Action changed",
        )
    return current
