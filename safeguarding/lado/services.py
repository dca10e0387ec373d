"""LADO writes. Each is keyword-only, atomic, and writes its audit row."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Min
from django.urls import reverse
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

from .models import Case, Meeting, MeetingType, Note
from .rules import case_problems, decision_problems

logger = logging.getLogger(__name__)

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
    "employer_outcome",
    "awaiting_decision",
    "decided_on",
    "next_steps",
]

# What a partner agency says in a referral: the threshold, the harm test, the category,
# the dates of the referral and the outcome are the LADO's to decide.
REFERRAL_FIELDS = [
    "employer_name",
    "employer_sector",
    "employer_aware_date",
    "subject_name",
    "subject_role",
    "subject_date_of_birth",
    "children",
    "summary",
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
        employer_outcome=case.employer_outcome,
        employer_aware_date=case.employer_aware_date,
        subject_date_of_birth=case.subject_date_of_birth,
    )
    if case.threshold_met and not case.harm_test and not getattr(case, "_imported", False):
        problems.append(("harm_test", "Select which part of the harm test was met"))
    if problems:
        raise RecordInvalid(problems)


def _normalise(case: Case) -> None:
    if case.awaiting_decision:
        # Not decided: a contact, not (yet) a referral, whatever a caller passed.
        case.threshold_met = False
        case.harm_test = ""
        case.referral_date = None
        case.outcome = ""
        case.outcome_date = None
        case.employer_outcome = ""
        case.decided_on = None
    elif case.threshold_met:
        case.referral_date = case.referral_date or case.contact_date
        case.outcome = case.outcome or "pending"
    else:
        case.harm_test = ""
        case.referral_date = None
        case.outcome = ""
        case.outcome_date = None
        case.employer_outcome = ""
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
    _save(acting_user, current, values, summary)
    return current


def _save(acting_user, current: Case, values: dict[str, Any], summary: str) -> dict:
    """Apply, normalise, validate and save the values; the changes (as audited)."""
    before = snapshot(current, CASE_FIELDS)
    for name, value in values.items():
        setattr(current, name, value)
    _prepare(current)
    return save_changes(
        acting_user=acting_user, current=current, before=before, fields=CASE_FIELDS, summary=summary
    )


# ---- a partner agency's referral, the LADO's decision, notes ---------------------------


@transaction.atomic
def referral_make(*, acting_user, contact_date: dt.date | None = None, **values: Any) -> Case:
    """A partner agency (a school's designated safeguarding lead, say) refers an allegation
    to the LADO. It is the agency's record and waits for the LADO's decision: the threshold,
    the harm test and what happens next are not the referrer's to say. ``contact_date`` is
    the day the LADO receives it (today)."""
    unknown = set(values) - set(REFERRAL_FIELDS)
    if unknown:
        raise TypeError(f"a referral does not say {', '.join(sorted(unknown))}")
    problems = []
    if not (values.get("summary") or "").strip():
        problems.append(("summary", "Say what happened"))
    if not (values.get("subject_role") or "").strip():
        problems.append(("subject_role", "Enter the adult's role"))
    if problems:
        raise RecordInvalid(problems)
    case = Case(
        **values,
        contact_date=contact_date or timezone.localdate(),
        received_via="online_form",
        awaiting_decision=True,
        referred_by=acting_user,
        owning_agency_id=getattr(acting_user, "agency_id", None),
    )
    _prepare(case)
    return create_record(
        acting_user=acting_user,
        instance=case,
        fields=CASE_FIELDS,
        summary="Referral made: awaiting the LADO's decision",
        series=("LADO", "contact_date"),
    )


@transaction.atomic
def decision_record(
    *,
    acting_user,
    case: Case,
    expected_version: int | None,
    threshold_met: bool,
    harm_test: str = "",
    allegation_category: str = "",
    decided_on: dt.date | None,
    next_steps: str,
    notify: bool = True,
) -> Case:
    """The LADO records (or changes) the threshold decision on a contact or a referral:
    advice only, or a LADO referral with the part of the harm test met, and the next
    steps. A referrer is told by email that there is a decision, with no personal data in
    it (notify=False: the demo's records tell nobody)."""
    current = lock_for_edit(case, expected_version)
    problems = decision_problems(
        contact_date=current.contact_date,
        threshold_met=threshold_met,
        harm_test=harm_test,
        decided_on=decided_on,
        next_steps=next_steps,
    )
    if problems:
        raise RecordInvalid(problems)
    first = current.awaiting_decision
    values = {
        "awaiting_decision": False,
        "threshold_met": bool(threshold_met),
        "harm_test": harm_test if threshold_met else "",
        "allegation_category": allegation_category or "",
        "decided_on": decided_on,
        "next_steps": next_steps.strip(),
    }
    summary = "Threshold decision recorded" if first else "Threshold decision changed"
    changes = _save(acting_user, current, values, summary)
    if changes and notify:
        _tell_the_referrer(current, first=first)
    return current


def _tell_the_referrer(case: Case, *, first: bool) -> None:
    """Email the referrer once the transaction commits. The email names the reference and
    links to the referral, nothing else: no adult, no child, no allegation, no decision."""
    referrer = case.referred_by
    if referrer is None or not referrer.is_active or not referrer.email:
        return
    link = settings.SITE_URL.rstrip("/") + reverse("lado:detail", args=[case.pk])
    what = "recorded a decision on" if first else "changed the decision on"
    subject = f"LADO decision on referral {case.reference}"
    made = f"{case.contact_date.day} {case.contact_date:%B %Y}"
    message = (
        f"The Local Authority Designated Officer (LADO) has {what} referral "
        f"{case.reference}, which your organisation made on {made}.\n\n"
        f"Sign in to read the decision and the next steps:\n{link}\n\n"
        "You can add information to the referral from the same page at any time.\n\n"
        "This email leaves out every personal detail on purpose. Please do not reply "
        "with any: add them to the referral instead.\n"
    )
    recipient = referrer.email
    pk = case.pk

    def send() -> None:
        try:
            send_mail(
                subject=subject,
                message=message,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[recipient],
            )
        except Exception:  # the decision is saved; the referrer can still read it
            logger.exception("LADO decision email for case %s could not be sent", pk)

    transaction.on_commit(send)


@transaction.atomic
def note_add(*, acting_user, case: Case, text: str) -> Note:
    """Add dated information to a case: nothing recorded is changed, so no version is
    needed (a note never overwrites a colleague's work). Audited on the case, so its
    history shows who added what, when."""
    text = (text or "").strip()
    if not text:
        raise RecordInvalid([("text", "Enter the information to add")])
    current = lock(case)
    note = Note.objects.create(
        case=current,
        text=text,
        written_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        agency_id=getattr(acting_user, "agency_id", None),
    )
    record_event(
        actor=acting_user,
        action="create",
        obj=current,
        changes={"note": [None, text]},
        summary="Note added",
    )
    return note


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
    employer_outcome: str = "",
) -> Case:
    current = lock_for_edit(case, expected_version)
    if not current.threshold_met:
        raise RecordInvalid([("outcome", "An advice-only contact has no outcome")])
    if outcome != "pending" and not outcome_date:
        raise RecordInvalid([("outcome_date", "Enter the date of the outcome")])
    values = {
        "outcome": outcome,
        "outcome_date": outcome_date if outcome != "pending" else None,
        # The employer's own process: recorded only with "no further action".
        "employer_outcome": employer_outcome if outcome == "no_further_action" else "",
    }
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
    "employer_outcome",
    "subject_role",
]


def _import_values(row: dict[str, Any]) -> dict[str, Any]:
    values = {
        "contact_date": row["contact_date"],
        "threshold_met": bool(row["threshold_met"]),
        "referral_date": row["referral_date"],
        "employer_sector": row["employer_sector"],
        "allegation_category": row["allegation_category"] or "",
        "outcome": row["outcome"] or "",
        "outcome_date": row["outcome_date"],
        "subject_role": row["subject_role"] or "",
        # A row says the threshold: importing a referral that awaited a decision decides it.
        "awaiting_decision": False,
    }
    # employer_outcome (optional): a value is written; a blank leaves what the app recorded,
    # unless the outcome is no longer "no further action" (then it is cleared).
    if row.get("employer_outcome"):
        values["employer_outcome"] = row["employer_outcome"]
    elif (row["outcome"] or "") != "no_further_action":
        values["employer_outcome"] = ""
    return values


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
        write_fields=IMPORT_FIELDS
        + ["harm_test", "is_open", "awaiting_decision", "decided_on", "open_since"],
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
