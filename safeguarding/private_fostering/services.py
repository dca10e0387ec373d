"""Private fostering writes. Each is keyword-only, atomic, and writes its audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from safeguarding.core.audit import (
    build_event,
    changes_between,
    record_event,
    record_events,
    snapshot,
)
from safeguarding.core.periods import FinancialYear

from . import rules
from .models import Notification, Visit

NOTIFICATION_FIELDS = [
    "reference",
    "owning_agency",
    "notification_date",
    "aware_date",
    "notified_by",
    "notifier_name",
    "child_first_name",
    "child_last_name",
    "child_date_of_birth",
    "child_sex",
    "child_ethnicity",
    "child_disabled",
    "child_nationality",
    "child_school",
    "parents_names",
    "parents_contact",
    "parents_country",
    "carer_name",
    "carer_address",
    "carer_household",
    "carer_relationship",
    "intended_start_date",
    "intended_duration_days",
    "category",
    "summary",
    "arrangement_start_date",
    "arrangement_end_date",
    "end_reason",
    "assessment_checks",
    "assessment_date",
    "assessment_decision",
    "assessment_notes",
    "decision",
]


class RecordInvalid(Exception):
    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))


class StaleRecord(Exception):
    """Someone else saved the record after this copy was loaded."""


STALE_MESSAGE = (
    "Someone else changed this record after you opened it. Your changes were not "
    "saved: reload the page to see their changes, then make yours again."
)


def _validate(notification: Notification, decision: rules.Decision) -> None:
    problems = rules.notification_problems(
        notification_date=notification.notification_date,
        child_date_of_birth=notification.child_date_of_birth,
        arrangement_start_date=notification.arrangement_start_date,
        arrangement_end_date=notification.arrangement_end_date,
        aware_date=notification.aware_date,
        decision=decision,
    )
    if notification.end_reason and not notification.arrangement_end_date:
        problems.append(("end_reason", "must be blank while the arrangement continues"))
    if problems:
        raise RecordInvalid(problems)


def next_reference(notification_date: dt.date) -> str:
    prefix = f"PF-{FinancialYear.containing(notification_date).label}-"
    taken = Notification.objects.filter(reference__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


def _sync_schedule(notification: Notification) -> list[str]:
    """Keep exactly one open (unvisited) visit while an arrangement is in place.

    Its due date is the latest allowed: 7 working days after the authority became aware
    for the first visit, then 6 (first year) or 12 weeks after the last visit made.
    Returns a description of what changed, for the audit row.
    """
    visits = notification.visits.all()
    open_visits = visits.filter(visit_date__isnull=True)
    start, end = notification.arrangement_start_date, notification.arrangement_end_date
    if notification.decision != "private_fostering" or start is None:
        n = open_visits.count()
        open_visits.delete()
        return ["scheduled visit cancelled"] if n else []
    last_done = visits.filter(visit_date__isnull=False).order_by("-sequence").first()
    if last_done:
        due = rules.next_visit_due(last_done.visit_date, start)
    else:
        due = rules.first_visit_due(notification.aware)
    if end and due > end:
        n = open_visits.count()
        open_visits.delete()
        return ["scheduled visit cancelled: the arrangement ended"] if n else []
    current = open_visits.order_by("sequence").first()
    if current is not None:
        open_visits.exclude(pk=current.pk).delete()
        if current.due_date != due:
            current.due_date = due
            current.save(update_fields=["due_date"])
            return [f"visit {current.sequence} now due by {due:%d/%m/%Y}"]
        return []
    sequence = (visits.aggregate(n=Max("sequence"))["n"] or 0) + 1
    Visit.objects.create(notification=notification, sequence=sequence, due_date=due)
    return [f"visit {sequence} scheduled, due by {due:%d/%m/%Y}"]


def _audit(acting_user, action, notification, changes, summary, schedule) -> None:
    if schedule:
        changes = dict(changes)
        changes["visit schedule"] = [None, "; ".join(schedule)]
    record_event(
        actor=acting_user, action=action, obj=notification, changes=changes, summary=summary
    )


@transaction.atomic
def notification_create(*, acting_user, **values: Any) -> Notification:
    notification = Notification(**values)
    if notification.owning_agency_id is None and acting_user is not None:
        notification.owning_agency_id = acting_user.agency_id
    decision = notification.refresh()
    _validate(notification, decision)
    for attempt in range(5):
        if not values.get("reference"):
            notification.reference = next_reference(notification.notification_date)
            if attempt:
                notification.reference += f"-{attempt}"
        try:
            with transaction.atomic():
                notification.save()
            break
        except IntegrityError:
            if values.get("reference"):
                raise RecordInvalid([("reference", "This reference is already used")]) from None
    schedule = _sync_schedule(notification)
    _audit(
        acting_user,
        "create",
        notification,
        changes_between({}, snapshot(notification, NOTIFICATION_FIELDS)),
        "Notification recorded",
        schedule,
    )
    return notification


def _locked(notification: Notification, expected_version: int | None) -> Notification:
    current = Notification.objects.select_for_update().get(pk=notification.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleRecord(STALE_MESSAGE)
    return current


@transaction.atomic
def notification_update(
    *,
    acting_user,
    notification: Notification,
    expected_version: int | None,
    summary: str = "Record changed",
    **values: Any,
) -> Notification:
    current = _locked(notification, expected_version)
    before = snapshot(current, NOTIFICATION_FIELDS)
    for name, value in values.items():
        setattr(current, name, value)
    decision = current.refresh()
    _validate(current, decision)
    changes = changes_between(before, snapshot(current, NOTIFICATION_FIELDS))
    if changes:
        current.version += 1
        current.updated_at = timezone.now()
        current.save()
    schedule = _sync_schedule(current)
    if changes or schedule:
        _audit(acting_user, "update", current, changes, summary, schedule)
    return current


def arrangement_update(
    *,
    acting_user,
    notification: Notification,
    expected_version: int | None,
    arrangement_start_date: dt.date | None,
    arrangement_end_date: dt.date | None,
    end_reason: str = "",
) -> Notification:
    if arrangement_end_date and not end_reason:
        raise RecordInvalid([("end_reason", "Choose why the arrangement ended")])
    return notification_update(
        acting_user=acting_user,
        notification=notification,
        expected_version=expected_version,
        summary="Arrangement dates recorded",
        arrangement_start_date=arrangement_start_date,
        arrangement_end_date=arrangement_end_date,
        end_reason=end_reason if arrangement_end_date else "",
    )


def assessment_record(
    *,
    acting_user,
    notification: Notification,
    expected_version: int | None,
    assessment_date: dt.date | None,
    assessment_checks: list[str],
    assessment_decision: str,
    assessment_notes: str = "",
) -> Notification:
    problems = []
    if assessment_decision and not assessment_date:
        problems.append(("assessment_date", "Enter the date of the decision"))
    if assessment_date and assessment_date < notification.notification_date:
        problems.append(("assessment_date", "The assessment cannot be before the notification"))
    if assessment_date and assessment_date > dt.date.today():
        problems.append(("assessment_date", f"{assessment_date:%d/%m/%Y} is in the future"))
    if problems:
        raise RecordInvalid(problems)
    return notification_update(
        acting_user=acting_user,
        notification=notification,
        expected_version=expected_version,
        summary="Suitability assessment recorded",
        assessment_date=assessment_date,
        assessment_checks=sorted(assessment_checks),
        assessment_decision=assessment_decision,
        assessment_notes=assessment_notes,
    )


@transaction.atomic
def visit_record(
    *,
    acting_user,
    notification: Notification,
    visit_date: dt.date,
    seen_alone: bool,
    report_written: bool,
    notes: str = "",
) -> Visit:
    """Record the next scheduled visit as made, then schedule the one after."""
    current = Notification.objects.select_for_update().get(pk=notification.pk)
    problems = []
    if current.decision != "private_fostering" or not current.arrangement_start_date:
        raise RecordInvalid(
            [("visit_date", "Visits are recorded only once a private fostering arrangement began")]
        )
    if visit_date > dt.date.today():
        problems.append(("visit_date", f"{visit_date:%d/%m/%Y} is in the future"))
    if visit_date < current.arrangement_start_date:
        problems.append(("visit_date", "The visit cannot be before the arrangement began"))
    if current.arrangement_end_date and visit_date > current.arrangement_end_date:
        problems.append(("visit_date", "The visit cannot be after the arrangement ended"))
    last = current.visits.filter(visit_date__isnull=False).order_by("-sequence").first()
    if last and visit_date < last.visit_date:
        problems.append(
            ("visit_date", f"The visit cannot be before the last one ({last.visit_date:%d/%m/%Y})")
        )
    if problems:
        raise RecordInvalid(problems)
    _sync_schedule(current)
    visit = current.visits.filter(visit_date__isnull=True).order_by("sequence").first()
    if visit is None:  # the arrangement ended before the next deadline: an extra visit
        sequence = (current.visits.aggregate(n=Max("sequence"))["n"] or 0) + 1
        visit = Visit(notification=current, sequence=sequence, due_date=visit_date)
    visit.visit_date = visit_date
    visit.seen_alone = seen_alone
    visit.report_written = report_written
    visit.notes = notes
    visit.save()
    current.version += 1
    current.updated_at = timezone.now()
    current.save(update_fields=["version", "updated_at"])
    schedule = _sync_schedule(current)
    _audit(
        acting_user,
        "update",
        current,
        {
            f"visit {visit.sequence}": [
                None,
                f"{visit_date:%d/%m/%Y} (due by {visit.due_date:%d/%m/%Y}); "
                f"seen alone: {'yes' if seen_alone else 'no'}; "
                f"report written: {'yes' if report_written else 'no'}",
            ]
        },
        f"Visit {visit.sequence} recorded",
        schedule,
    )
    return visit


IMPORT_FIELDS = [
    "notification_date",
    "child_date_of_birth",
    "child_disabled",
    "carer_relationship",
    "arrangement_start_date",
    "arrangement_end_date",
    "category",
]
COMPUTED_FIELDS = ["decision", "decision_reason", "status", "late_notification"]


def notifications_import(*, acting_user, rows: list[dict[str, Any]]) -> tuple[int, int, int]:
    """Upsert one batch of validated import rows (inside the import's transaction).

    The import carries no visits: the schedule starts when an officer next saves the
    arrangement or records a visit.
    """
    existing = {
        n.reference: n
        for n in Notification.objects.filter(reference__in=[r["reference"] for r in rows])
    }
    created = updated = unchanged = 0
    new, changed, events = [], [], []
    now = timezone.now()
    for row in rows:
        values = {name: row.get(name) for name in IMPORT_FIELDS}
        values["carer_relationship"] = values["carer_relationship"] or ""
        values["category"] = values["category"] or ""
        notification = existing.get(row["reference"])
        if notification is None:
            notification = Notification(reference=row["reference"], **values)
            if acting_user is not None:
                notification.owning_agency_id = acting_user.agency_id
            notification.refresh()
            new.append(notification)
            created += 1
            continue
        before = snapshot(notification, NOTIFICATION_FIELDS)
        for name, value in values.items():
            setattr(notification, name, value)
        if not notification.arrangement_end_date:
            notification.end_reason = ""
        notification.refresh()
        changes = changes_between(before, snapshot(notification, NOTIFICATION_FIELDS))
        if changes:
            notification.version += 1
            notification.updated_at = now
            changed.append(notification)
            events.append(
                build_event(
                    actor=acting_user,
                    action="import",
                    obj=notification,
                    changes=changes,
                    summary="Updated by import",
                )
            )
            updated += 1
        else:
            unchanged += 1
    if new:
        Notification.objects.bulk_create(new, batch_size=500)
        if any(n.pk is None for n in new):  # backends without RETURNING
            ids = dict(
                Notification.objects.filter(reference__in=[n.reference for n in new]).values_list(
                    "reference", "pk"
                )
            )
            for n in new:
                n.pk = n.id = ids[n.reference]
        for n in new:
            events.append(
                build_event(
                    actor=acting_user,
                    action="import",
                    obj=n,
                    changes=changes_between({}, snapshot(n, NOTIFICATION_FIELDS)),
                    summary="Created by import",
                )
            )
    if changed:
        Notification.objects.bulk_update(
            changed,
            IMPORT_FIELDS + COMPUTED_FIELDS + ["end_reason", "version", "updated_at"],
            batch_size=500,
        )
    record_events(events)
    return created, updated, unchanged
