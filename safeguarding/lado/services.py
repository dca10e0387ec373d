"""LADO writes. Each is keyword-only, atomic, and writes its audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone

from safeguarding.core.audit import (
    build_event,
    changes_between,
    record_event,
    record_events,
    snapshot,
)
from safeguarding.core.periods import FinancialYear

from .models import Case, Meeting, MeetingType
from .rules import case_problems

CASE_FIELDS = [
    "reference",
    "owning_agency",
    "contact_date",
    "received_via",
    "employer_name",
    "employer_sector",
    "employer_aware_date",
    "subject_name",
    "subject_role",
    "subject_date_of_birth",
    "children",
    "summary",
    "threshold_met",
    "harm_test",
    "allegation_category",
    "referral_date",
    "outcome",
    "outcome_date",
]


class RecordInvalid(Exception):
    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))


class StaleRecord(Exception):
    """Someone else saved the record after this copy was loaded."""


def _first_meeting_date(case: Case) -> dt.date | None:
    if not case.pk:
        return None
    return case.meetings.aggregate(first=Min("date"))["first"]


def _validate(case: Case, first_meeting: dt.date | None) -> None:
    problems = case_problems(
        contact_date=case.contact_date,
        threshold_met=case.threshold_met,
        referral_date=case.referral_date,
        strategy_meeting_date=first_meeting,
        outcome=case.outcome,
        outcome_date=case.outcome_date,
        employer_aware_date=case.employer_aware_date,
        subject_date_of_birth=case.subject_date_of_birth,
    )
    if case.threshold_met and not case.harm_test and not getattr(case, "_imported", False):
        problems.append(("harm_test", "Select which part of the harm test was met"))
    if problems:
        raise RecordInvalid(problems)


def _normalise(case: Case) -> None:
    if case.threshold_met:
        case.referral_date = case.referral_date or case.contact_date
        case.outcome = case.outcome or "pending"
    else:
        case.harm_test = ""
        case.referral_date = None
        case.outcome = ""
        case.outcome_date = None
    case.refresh_status()


def next_reference(contact_date: dt.date) -> str:
    year = FinancialYear.containing(contact_date).label
    prefix = f"LADO-{year}-"
    taken = Case.objects.filter(reference__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


@transaction.atomic
def case_create(*, acting_user, **values: Any) -> Case:
    case = Case(**values)
    if case.owning_agency_id is None and acting_user is not None:
        case.owning_agency_id = acting_user.agency_id
    _normalise(case)
    _validate(case, None)
    for attempt in range(5):
        if not values.get("reference"):
            case.reference = next_reference(case.contact_date)
            if attempt:
                case.reference += f"-{attempt}"
        try:
            with transaction.atomic():
                case.save()
            break
        except IntegrityError:
            if values.get("reference"):
                raise RecordInvalid([("reference", "This reference is already used")]) from None
    else:  # every generated reference was taken: never record an unsaved case
        raise RecordInvalid([("reference", "No free reference could be found; try again")])
    record_event(
        actor=acting_user,
        action="create",
        obj=case,
        changes=changes_between({}, snapshot(case, CASE_FIELDS)),
        summary="Contact recorded" if not case.threshold_met else "Referral recorded",
    )
    return case


def _locked(case: Case, expected_version: int | None) -> Case:
    current = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleRecord(
            "Someone else changed this record after you opened it. Your changes were not "
            "saved: reload the page to see their changes, then make yours again."
        )
    return current


@transaction.atomic
def case_update(*, acting_user, case: Case, expected_version: int | None, **values: Any) -> Case:
    current = _locked(case, expected_version)
    before = snapshot(current, CASE_FIELDS)
    for name, value in values.items():
        setattr(current, name, value)
    _normalise(current)
    _validate(current, _first_meeting_date(current))
    changes = changes_between(before, snapshot(current, CASE_FIELDS))
    if changes:
        current.version += 1
        current.updated_at = timezone.now()
        current.save()
        record_event(
            actor=acting_user,
            action="update",
            obj=current,
            changes=changes,
            summary="Record changed",
        )
    return current


@transaction.atomic
def outcome_record(
    *,
    acting_user,
    case: Case,
    expected_version: int | None,
    outcome: str,
    outcome_date: dt.date | None,
) -> Case:
    current = _locked(case, expected_version)
    if not current.threshold_met:
        raise RecordInvalid([("outcome", "An advice-only contact has no outcome")])
    if outcome != "pending" and not outcome_date:
        raise RecordInvalid([("outcome_date", "Enter the date of the outcome")])
    return case_update(
        acting_user=acting_user,
        case=current,
        expected_version=None,
        outcome=outcome,
        outcome_date=outcome_date if outcome != "pending" else None,
    )


@transaction.atomic
def meeting_add(
    *,
    acting_user,
    case: Case,
    meeting_type: MeetingType,
    date: dt.date,
    agencies=(),
    decisions: str = "",
) -> Meeting:
    current = Case.objects.select_for_update().get(pk=case.pk)
    if not current.threshold_met:
        raise RecordInvalid([("date", "Meetings are held only for referrals, not advice")])
    first = _first_meeting_date(current)
    problems = case_problems(
        contact_date=current.contact_date,
        threshold_met=True,
        referral_date=current.referral_date,
        strategy_meeting_date=min(d for d in (first, date) if d),
        outcome=current.outcome,
        outcome_date=current.outcome_date,
    )
    problems = [("date", m) for f, m in problems if f in ("strategy_meeting_date", "outcome_date")]
    # The rules see the first meeting only: a later meeting dated in the future must
    # still be refused.
    if date > dt.date.today() and not any("in the future" in m for _, m in problems):
        problems.append(("date", f"{date:%d/%m/%Y} is in the future"))
    if problems:
        raise RecordInvalid(problems)
    meeting = Meeting.objects.create(
        case=current, meeting_type=meeting_type, date=date, decisions=decisions
    )
    meeting.agencies.set(agencies)
    current.version += 1
    current.updated_at = timezone.now()
    current.save(update_fields=["version", "updated_at"])
    record_event(
        actor=acting_user,
        action="create",
        obj=current,
        changes={
            "meeting": [None, f"{meeting_type.name} on {date:%d/%m/%Y}"],
            "meeting agencies": [None, [str(a) for a in agencies]],
            "meeting decisions": [None, decisions],
        },
        summary=f"{meeting_type.name} recorded",
    )
    return meeting


@transaction.atomic
def meeting_type_save(
    *,
    acting_user,
    meeting_type: MeetingType | None,
    name: str,
    is_active: bool = True,
    order: int = 0,
) -> MeetingType:
    fields = ["name", "is_active", "order"]
    before = snapshot(meeting_type, fields) if meeting_type else {}
    meeting_type = meeting_type or MeetingType()
    meeting_type.name, meeting_type.is_active, meeting_type.order = name, is_active, order
    meeting_type.save()
    record_event(
        actor=acting_user,
        action="update" if before else "create",
        obj=meeting_type,
        changes=changes_between(before, snapshot(meeting_type, fields)),
        summary="Meeting type saved",
    )
    return meeting_type


def _import_meeting_type() -> MeetingType:
    meeting_type = MeetingType.objects.filter(is_active=True).first()
    return meeting_type or MeetingType.objects.create(name="Strategy meeting")


IMPORT_FIELDS = [
    "contact_date",
    "threshold_met",
    "referral_date",
    "employer_sector",
    "allegation_category",
    "outcome",
    "outcome_date",
    "subject_role",
]


def cases_import(*, acting_user, rows: list[dict[str, Any]]) -> tuple[int, int, int]:
    """Upsert one batch of validated import rows (inside the import's transaction)."""
    # select_related: the change history snapshots the owning agency of every case.
    existing = {
        c.reference: c
        for c in Case.objects.filter(reference__in=[r["reference"] for r in rows]).select_related(
            "owning_agency"
        )
    }
    agency = acting_user.agency if acting_user is not None else None
    firsts = dict(
        Meeting.objects.filter(case__in=existing.values())
        .values("case_id")
        .annotate(first=Min("date"))
        .values_list("case_id", "first")
    )
    meeting_type = None
    created = updated = unchanged = 0
    new_cases, changed_cases, events, meeting_rows = [], [], [], []
    now = timezone.now()
    for row in rows:
        values = {
            "contact_date": row["contact_date"],
            "threshold_met": bool(row["threshold_met"]),
            "referral_date": row["referral_date"],
            "employer_sector": row["employer_sector"],
            "allegation_category": row["allegation_category"] or "",
            "outcome": row["outcome"] or "",
            "outcome_date": row["outcome_date"],
            "subject_role": row["subject_role"] or "",
        }
        case = existing.get(row["reference"])
        if case is None:
            case = Case(reference=row["reference"], owning_agency=agency, **values)
            _normalise(case)
            new_cases.append((case, row["strategy_meeting_date"]))
            created += 1
            continue
        before = snapshot(case, CASE_FIELDS)
        for name, value in values.items():
            setattr(case, name, value)
        _normalise(case)
        changes = changes_between(before, snapshot(case, CASE_FIELDS))
        meeting_date = row["strategy_meeting_date"]
        first = firsts.get(case.pk)
        if meeting_date and meeting_date != first:
            meeting_rows.append((case, meeting_date, first))
            changes["first meeting"] = [
                first.isoformat() if first else None,
                meeting_date.isoformat(),
            ]
        if changes:
            case.version += 1
            case.updated_at = now
            changed_cases.append(case)
            events.append(
                build_event(
                    actor=acting_user,
                    action="import",
                    obj=case,
                    changes=changes,
                    summary="Updated by import",
                )
            )
            updated += 1
        else:
            unchanged += 1
    if new_cases:
        Case.objects.bulk_create([c for c, _ in new_cases], batch_size=500)
        if any(c.pk is None for c, _ in new_cases):  # backends without RETURNING
            ids = dict(
                Case.objects.filter(reference__in=[c.reference for c, _ in new_cases]).values_list(
                    "reference", "pk"
                )
            )
            for c, _ in new_cases:
                c.pk = c.id = ids[c.reference]
        for case, meeting_date in new_cases:
            if meeting_date:
                meeting_rows.append((case, meeting_date, None))
            events.append(
                build_event(
                    actor=acting_user,
                    action="import",
                    obj=case,
                    changes=changes_between({}, snapshot(case, CASE_FIELDS)),
                    summary="Created by import",
                )
            )
    if changed_cases:
        Case.objects.bulk_update(
            changed_cases,
            IMPORT_FIELDS + ["harm_test", "is_open", "version", "updated_at"],
            batch_size=500,
        )
    if meeting_rows:
        meeting_type = _import_meeting_type()
        new_meetings = []
        for case, meeting_date, first in meeting_rows:
            if first is None:
                new_meetings.append(
                    Meeting(case=case, meeting_type=meeting_type, date=meeting_date)
                )
            else:
                m = case.meetings.filter(date=first).order_by("id").first()
                m.date = meeting_date
                m.save(update_fields=["date"])
        Meeting.objects.bulk_create(new_meetings, batch_size=500)
    record_events(events)
    return created, updated, unchanged
