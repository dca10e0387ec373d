"""Private fostering writes. Each is keyword-only, atomic, and writes its audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from safeguarding.core.audit import record_event, snapshot
from safeguarding.core.rules import future_dates
from safeguarding.core.writes import (
    RecordInvalid,
    create_record,
    lock,
    lock_for_edit,
    save_changes,
    upsert_by_reference,
)

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


def _open_visit_due(notification: Notification, last_done: Visit | None) -> dt.date | None:
    """The latest allowed date of the next statutory visit, or None when none is due (not
    private fostering, not begun, or ended before it).

    The Children (Private Arrangements for Fostering) Regulations 2005: the first visit
    within 7 working days of the authority becoming aware (reg 7), then at intervals of
    at most 6 weeks in the arrangement's first year and 12 weeks after (reg 8); the
    clocks are in rules.py and their lengths in conf.py.
    """
    start, end = notification.arrangement_start_date, notification.arrangement_end_date
    if notification.decision != "private_fostering" or start is None:
        return None
    if last_done:
        due = rules.next_visit_due(last_done.visit_date, start)
    else:
        due = rules.first_visit_due(notification.aware)
    return None if end and due > end else due


def _sync_schedule(notification: Notification) -> list[str]:
    """Keep exactly one open (unvisited) visit while an arrangement is in place, due on
    its latest allowed date (_open_visit_due). Returns what changed, for the audit row."""
    visits = notification.visits.all()
    open_visits = visits.filter(visit_date__isnull=True)
    last_done = visits.filter(visit_date__isnull=False).order_by("-sequence").first()
    due = _open_visit_due(notification, last_done)
    if due is None:
        n = open_visits.count()
        open_visits.delete()
        if not n:
            return []
        ended = notification.decision == "private_fostering" and notification.arrangement_start_date
        return ["scheduled visit cancelled" + (": the arrangement ended" if ended else "")]
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


def _schedule_changes(schedule: list[str]) -> dict:
    """What the visit schedule did, as a change in the notification's audit row."""
    return {"visit schedule": [None, "; ".join(schedule)]} if schedule else {}


@transaction.atomic
def notification_create(*, acting_user, **values: Any) -> Notification:
    notification = Notification(**values)
    _validate(notification, notification.refresh())
    # A new notification has no visits: its first is scheduled once it is saved, and
    # written in the same audit row.
    first_due = _open_visit_due(notification, last_done=None)
    create_record(
        acting_user=acting_user,
        instance=notification,
        fields=NOTIFICATION_FIELDS,
        summary="Notification recorded",
        series=("PF", "notification_date"),
        given_reference=values.get("reference"),
        extra_changes=_schedule_changes(
            [f"visit 1 scheduled, due by {first_due:%d/%m/%Y}"] if first_due else []
        ),
    )
    if first_due:
        Visit.objects.create(notification=notification, sequence=1, due_date=first_due)
    return notification


@transaction.atomic
def notification_update(
    *,
    acting_user,
    notification: Notification,
    expected_version: int | None,
    summary: str = "Record changed",
    **values: Any,
) -> Notification:
    """Change a notification from the copy a form was made from (``expected_version``):
    a missing or stale version is refused (StaleRecord), never saved over a colleague's
    change. The visit schedule follows the new dates in the same audit row."""
    current = lock_for_edit(notification, expected_version)
    before = snapshot(current, NOTIFICATION_FIELDS)
    for name, value in values.items():
        setattr(current, name, value)
    _validate(current, current.refresh())
    save_changes(
        acting_user=acting_user,
        current=current,
        before=before,
        fields=NOTIFICATION_FIELDS,
        summary=summary,
        extra_changes=_schedule_changes(_sync_schedule(current)),
    )
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
    problems += future_dates(dt.date.today(), assessment_date=assessment_date)
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
    """Record the next scheduled visit as made, then schedule the one after.

    A visit is added, nothing recorded is overwritten, so no version is needed; the
    notification is locked so that its schedule is read and changed consistently."""
    current = lock(notification)
    problems = []
    if current.decision != "private_fostering" or not current.arrangement_start_date:
        raise RecordInvalid(
            [("visit_date", "Visits are recorded only once a private fostering arrangement began")]
        )
    problems += future_dates(dt.date.today(), visit_date=visit_date)
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
    made = (
        f"{visit_date:%d/%m/%Y} (due by {visit.due_date:%d/%m/%Y}); "
        f"seen alone: {'yes' if seen_alone else 'no'}; "
        f"report written: {'yes' if report_written else 'no'}"
    )
    record_event(
        actor=acting_user,
        action="update",
        obj=current,
        changes={
            f"visit {visit.sequence}": [None, made],
            **_schedule_changes(_sync_schedule(current)),
        },
        summary=f"Visit {visit.sequence} recorded",
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


def _prepare_imported(notification: Notification) -> None:
    if not notification.arrangement_end_date:
        notification.end_reason = ""
    notification.refresh()


def notifications_import(*, acting_user, rows: list[dict[str, Any]]) -> tuple[int, int, int]:
    """Upsert one batch of validated import rows (inside the import's transaction).

    The import carries no visits: the schedule starts when an officer next saves the
    arrangement or records a visit.
    """

    def values(row: dict[str, Any]) -> dict[str, Any]:
        found = {name: row.get(name) for name in IMPORT_FIELDS}
        found["carer_relationship"] = found["carer_relationship"] or ""
        found["category"] = found["category"] or ""
        return found

    return upsert_by_reference(
        acting_user=acting_user,
        model=Notification,
        rows=[(row["reference"], values(row)) for row in rows],
        audit_fields=NOTIFICATION_FIELDS,
        write_fields=IMPORT_FIELDS + COMPUTED_FIELDS + ["end_reason"],
        prepare=_prepare_imported,
    ).counts
