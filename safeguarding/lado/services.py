"""LADO writes. Each is keyword-only, atomic, and writes its audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from safeguarding.core.audit import record_event, record_events, snapshot
from safeguarding.core.rules import future_dates
from safeguarding.core.writes import (
    RecordInvalid,
    config_service,
    create_record,
    lock,
    lock_for_edit,
    save_changes,
    upsert_by_reference,
)

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


def _prepare(case: Case) -> None:
    _normalise(case)
    _validate(case, _first_meeting_date(case))


@transaction.atomic
def case_create(*, acting_user, **values: Any) -> Case:
    case = Case(**values)
    _prepare(case)
    return create_record(
        acting_user=acting_user,
        instance=case,
        fields=CASE_FIELDS,
        summary="Referral recorded" if case.threshold_met else "Contact recorded",
        series=("LADO", "contact_date"),
        given_reference=values.get("reference"),
    )


def _change(acting_user, current: Case, values: dict[str, Any], summary: str) -> Case:
    before = snapshot(current, CASE_FIELDS)
    for name, value in values.items():
        setattr(current, name, value)
    _prepare(current)
    save_changes(
        acting_user=acting_user, current=current, before=before, fields=CASE_FIELDS, summary=summary
    )
    return current


@transaction.atomic
def case_update(*, acting_user, case: Case, expected_version: int | None, **values: Any) -> Case:
    current = lock_for_edit(case, expected_version)
    return _change(acting_user, current, values, "Record changed")


@transaction.atomic
def outcome_record(
    *,
    acting_user,
    case: Case,
    expected_version: int | None,
    outcome: str,
    outcome_date: dt.date | None,
) -> Case:
    current = lock_for_edit(case, expected_version)
    if not current.threshold_met:
        raise RecordInvalid([("outcome", "An advice-only contact has no outcome")])
    if outcome != "pending" and not outcome_date:
        raise RecordInvalid([("outcome_date", "Enter the date of the outcome")])
    values = {"outcome": outcome, "outcome_date": outcome_date if outcome != "pending" else None}
    return _change(acting_user, current, values, "Record changed")


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
    """A meeting is added to a referral: nothing recorded is overwritten, so no version
    is needed; the case is locked so that its first meeting is read consistently."""
    current = lock(case)
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
    if not any("in the future" in m for _, m in problems):
        problems += future_dates(dt.date.today(), date=date)
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


meeting_type_save = config_service(MeetingType, "meeting_type", summary="Meeting type saved")


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


def _import_values(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "contact_date": row["contact_date"],
        "threshold_met": bool(row["threshold_met"]),
        "referral_date": row["referral_date"],
        "employer_sector": row["employer_sector"],
        "allegation_category": row["allegation_category"] or "",
        "outcome": row["outcome"] or "",
        "outcome_date": row["outcome_date"],
        "subject_role": row["subject_role"] or "",
    }


def cases_import(*, acting_user, rows: list[dict[str, Any]]) -> tuple[int, int, int]:
    """Upsert one batch of validated import rows (inside the import's transaction)."""
    # select_related: the change history snapshots the owning agency of every case.
    existing = {
        c.reference: c
        for c in Case.objects.filter(reference__in=[r["reference"] for r in rows]).select_related(
            "owning_agency"
        )
    }
    firsts = dict(
        Meeting.objects.filter(case__in=existing.values())
        .values("case_id")
        .annotate(first=Min("date"))
        .values_list("case_id", "first")
    )
    meeting_dates = {r["reference"]: r["strategy_meeting_date"] for r in rows}
    moved = []  # (case, new first meeting date, stored first meeting date)

    def first_meeting(case: Case, _values) -> dict:
        meeting_date, first = meeting_dates[case.reference], firsts.get(case.pk)
        if not meeting_date or meeting_date == first:
            return {}
        moved.append((case, meeting_date, first))
        return {"first meeting": [first.isoformat() if first else None, meeting_date.isoformat()]}

    done = upsert_by_reference(
        acting_user=acting_user,
        model=Case,
        rows=[(r["reference"], _import_values(r)) for r in rows],
        audit_fields=CASE_FIELDS,
        write_fields=IMPORT_FIELDS + ["harm_test", "is_open"],
        prepare=_normalise,
        existing=existing,
        extra_changes=first_meeting,
        write_events=False,
    )
    moved += [(c, meeting_dates[c.reference], None) for c in done.created]
    moved = [(c, d, f) for c, d, f in moved if d]
    if moved:
        meeting_type = _import_meeting_type()
        new_meetings = []
        for case, meeting_date, first in moved:
            if first is None:
                new_meetings.append(
                    Meeting(case=case, meeting_type=meeting_type, date=meeting_date)
                )
            else:
                m = case.meetings.filter(date=first).order_by("id").first()
                m.date = meeting_date
                m.save(update_fields=["date"])
        Meeting.objects.bulk_create(new_meetings, batch_size=500)
    record_events(done.events)
    return done.counts
