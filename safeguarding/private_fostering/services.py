"""Private fostering writes. Each is keyword-only, atomic, and writes its audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, Max, Q
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
    "exclusion",
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


def _open_visit_due(notification: Notification) -> tuple[str, dt.date] | None:
    """The next statutory visit (its rule and latest allowed date) after the visits made,
    or None when none is due: rules.next_visit, under the Children (Private Arrangements
    for Fostering) Regulations 2005 regs 4, 7 and 8."""
    made = []
    if notification.pk:
        made = list(
            notification.visits.filter(visit_date__isnull=False)
            .order_by("visit_date", "sequence")
            .values_list("visit_date", flat=True)
        )
    return notification.next_visit(made)


def _sync_schedule(notification: Notification) -> list[str]:
    """Keep exactly one open (unvisited) visit while a visit is due, on its latest allowed
    date (_open_visit_due). Returns what changed, for the audit row."""
    visits = notification.visits.all()
    open_visits = visits.filter(visit_date__isnull=True)
    step = _open_visit_due(notification)
    if step is None:
        n = open_visits.count()
        open_visits.delete()
        if not n:
            return []
        ended = notification.decision == "private_fostering" and notification.arrangement_end_date
        why = ": the arrangement ended" if ended else ""
        if ended and notification.end_reason == "age":
            why = f": the child reached {rules.age_limit(notification.child_disabled)}"
        return ["scheduled visit cancelled" + why]
    rule, due = step
    current = open_visits.order_by("sequence").first()
    if current is not None:
        open_visits.exclude(pk=current.pk).delete()
        if current.due_date != due or current.rule != rule:
            current.due_date, current.rule = due, rule
            current.save(update_fields=["due_date", "rule"])
            return [f"visit {current.sequence} now due by {due:%d/%m/%Y}"]
        return []
    sequence = (visits.aggregate(n=Max("sequence"))["n"] or 0) + 1
    Visit.objects.create(notification=notification, sequence=sequence, rule=rule, due_date=due)
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
    first = _open_visit_due(notification)
    create_record(
        acting_user=acting_user,
        instance=notification,
        fields=NOTIFICATION_FIELDS,
        summary="Notification recorded",
        series=("PF", "notification_date"),
        given_reference=values.get("reference"),
        extra_changes=_schedule_changes(
            [f"visit 1 scheduled, due by {first[1]:%d/%m/%Y}"] if first else []
        ),
    )
    if first:
        Visit.objects.create(
            notification=notification, sequence=1, rule=first[0], due_date=first[1]
        )
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
    if not current.visitable:
        raise RecordInvalid(
            [("visit_date", "Visits are recorded only for private fostering, proposed or begun")]
        )
    problems += future_dates(dt.date.today(), visit_date=visit_date)
    if visit_date < current.aware:
        problems.append(
            (
                "visit_date",
                "The visit cannot be before the authority knew of the arrangement "
                f"({current.aware:%d/%m/%Y})",
            )
        )
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
    if visit is None:  # none due (ended, or a proposal already visited): an extra visit
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
    "aware_date",
    "exclusion",
    "child_date_of_birth",
    "child_disabled",
    "carer_relationship",
    "arrangement_start_date",
    "arrangement_end_date",
    "category",
]
COMPUTED_FIELDS = [
    "decision",
    "decision_reason",
    "status",
    "late_notification",
    "age_limit_date",
    "arrangement_end_date",
]


def _prepare_imported(notification: Notification) -> None:
    if not notification.arrangement_end_date:
        notification.end_reason = ""
    notification.refresh()


def notifications_import(*, acting_user, rows: list[dict[str, Any]]) -> tuple[int, int, int]:
    """Upsert one batch of validated import rows (inside the import's transaction).

    The import carries no visits, but each imported notification gets its statutory visit
    schedule as a saved one does (the next visit due, from the visits already recorded),
    written in the same transaction. The column authority_aware_date is the model's
    aware_date (blank: the notification date).
    """

    def values(row: dict[str, Any]) -> dict[str, Any]:
        found = {name: row.get(name) for name in IMPORT_FIELDS if name != "aware_date"}
        found["aware_date"] = row.get("authority_aware_date")
        for name in ("carer_relationship", "category", "exclusion"):
            found[name] = found[name] or ""
        return found

    upserted = upsert_by_reference(
        acting_user=acting_user,
        model=Notification,
        rows=[(row["reference"], values(row)) for row in rows],
        audit_fields=NOTIFICATION_FIELDS,
        write_fields=list(dict.fromkeys(IMPORT_FIELDS + COMPUTED_FIELDS + ["end_reason"])),
        prepare=_prepare_imported,
    )
    for notification in upserted.created + upserted.changed:
        _sync_schedule(notification)
    return upserted.counts


@transaction.atomic
def arrangements_end_at_age(*, acting_user=None, today: dt.date | None = None) -> list[str]:
    """End every arrangement whose child has reached 16 (18 if disabled) and that is still
    recorded as in place: the end date is the birthday and the reason "age" (Children Act
    1989 s66(4)), each in its own audit row, and any scheduled visit is cancelled. Run
    daily (`safeguarding private_fostering_reminders` calls it first). Returns the
    references ended."""
    today = today or dt.date.today()
    due = Notification.objects.filter(
        arrangement_start_date__isnull=False,
        age_limit_date__lte=today,
    ).filter(Q(arrangement_end_date__isnull=True) | Q(arrangement_end_date__gt=F("age_limit_date")))
    ended = []
    for notification in due.select_for_update():
        before = snapshot(notification, NOTIFICATION_FIELDS)
        notification.refresh(today)
        if snapshot(notification, NOTIFICATION_FIELDS) == before:
            continue
        save_changes(
            acting_user=acting_user,
            current=notification,
            before=before,
            fields=NOTIFICATION_FIELDS,
            summary=f"Arrangement ended: the child reached "
            f"{rules.age_limit(notification.child_disabled)}",
            extra_changes=_schedule_changes(_sync_schedule(notification)),
        )
        ended.append(notification.reference)
    return ended
