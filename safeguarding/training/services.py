"""Training writes. Each is keyword-only, atomic, and writes its audit row."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safeguarding.core.audit import (
    build_event,
    changes_between,
    record_event,
    record_events,
    snapshot,
)
from safeguarding.core.models import Agency
from safeguarding.core.periods import FinancialYear
from safeguarding.core.writes import (
    RecordInvalid,
    config_save,
    lock,
    lock_for_edit,
    save_changes,
    save_with_reference,
    sequential_reference,
    upsert_by_reference,
)

from .models import (
    Booking,
    ConfidenceScore,
    Course,
    ELearningCompletion,
    Evaluation,
    Session,
    stage3_due_before,
)
from .rules import booking_problems, confidence_problems, session_problems
from .tasks import send_booking_email

BOOKING_FIELDS = [
    "session",
    "owning_agency",
    "agency_other",
    "full_name",
    "email",
    "job_role",
    "line_manager_email",
    "adjustments",
    "status",
    "attendance",
]
COMPLETION_FIELDS = ["learner_name", "email", "agency", "course", "completed_date"]


def _notify(booking: Booking, kind: str, notify: bool) -> None:
    if notify:
        send_booking_email.enqueue(booking.pk, kind)


# ---- programme --------------------------------------------------------------------------


def _check_course(course: Course) -> None:
    if not course.outcomes:
        raise RecordInvalid([("learning_outcomes", "Enter at least one learning outcome")])
    if Course.objects.filter(title__iexact=course.title).exclude(pk=course.pk).exists():
        raise RecordInvalid([("title", "A course with this title already exists")])


@transaction.atomic
def course_save(
    *, acting_user, course: Course | None, expected_version: int | None = None, **values: Any
) -> Course:
    """Add a course (no version) or change one: only from its current version."""
    return config_save(
        acting_user=acting_user,
        model=Course,
        instance=course,
        expected_version=expected_version,
        values=values,
        prepare=_check_course,
        summary="Course changed" if course else "Course added",
    )


def _check_session(session: Session) -> None:
    problems = session_problems(
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        capacity=session.capacity,
        venue=session.venue,
        online_link=session.online_link,
    )
    if session.pk and session.capacity is not None:
        booked = _booked_count(session)
        if session.capacity < booked:
            problems.append(
                ("capacity", f"Capacity cannot be below the {booked} places already booked")
            )
    if problems:
        raise RecordInvalid(problems)


@transaction.atomic
def session_save(
    *, acting_user, session: Session | None, expected_version: int | None = None, **values: Any
) -> Session:
    """Add a session (no version) or change one: only from its current version. A change
    that frees places offers them to the waiting list."""
    if session is None:
        summary = "Session published" if values.get("is_published", True) else "Session added"
    else:
        summary = "Session changed"
    saved = config_save(
        acting_user=acting_user,
        model=Session,
        instance=session,
        expected_version=expected_version,
        values=values,
        prepare=_check_session,
        summary=summary,
    )
    if session is not None:
        _promote_waiting(saved, acting_user=acting_user)
    return saved


# ---- bookings ---------------------------------------------------------------------------


def next_reference(day: dt.date) -> str:
    return sequential_reference(Booking, f"TRN-{FinancialYear.containing(day).label}-", 5)


def _lock_session(session: Session) -> Session:
    """Serialise bookings of one session: the capacity check and insert run under this lock."""
    return lock(session, queryset=Session.objects.select_related("course"))


def _lock_booking(booking: Booking, expected_version: int | None = None, *, edit: bool) -> Booking:
    """The stored booking, locked: for an edit of a shown copy only from its version
    (a missing version is refused like a stale one); for a button, as it is now."""
    queryset = Booking.objects.select_related("session__course", "owning_agency")
    if edit:
        return lock_for_edit(booking, expected_version, queryset=queryset)
    return lock(booking, queryset=queryset)


def _booked_count(session: Session) -> int:
    return Booking.objects.filter(session=session, status="booked").count()


def _save_scores(evaluation: Evaluation, outcomes: list[str], scores: list[int]) -> None:
    ConfidenceScore.objects.bulk_create(
        [
            ConfidenceScore(
                evaluation=evaluation, outcome_number=i, outcome=text[:300], score=int(score)
            )
            for i, (text, score) in enumerate(zip(outcomes, scores, strict=True), start=1)
        ]
    )


@transaction.atomic
def booking_apply(
    *,
    acting_user,
    session: Session,
    full_name: str,
    email: str,
    job_role: str,
    owning_agency: Agency | None = None,
    agency_other: str = "",
    line_manager_email: str = "",
    adjustments: str = "",
    confidence: list[int] | None = None,
    notify: bool = True,
    now: dt.datetime | None = None,
) -> Booking:
    """Apply for a place with the stage-1 questionnaire: a place if one is free, else the
    waiting list. Two applications for the last place cannot both get it: the session row
    is locked for the rest of the transaction.

    An address that already has a booking (booked or waiting) on the session gets no second
    one: that booking's details and its personal link are emailed again to that address
    (only to it), and it is returned. The public page says the same either way, so the form
    tells nobody whether an address has a booking."""
    now = now or timezone.now()
    session = _lock_session(session)
    email = (email or "").strip().lower()
    problems = booking_problems(
        full_name=full_name,
        email=email,
        job_role=job_role,
        owning_agency=owning_agency,
        agency_other=agency_other,
    )
    outcomes = session.course.outcomes
    problems += confidence_problems(list(confidence or []), outcomes)
    if not session.is_published or session.starts_at <= now:
        problems.append(("session", "This session is no longer open for booking"))
    if problems:
        raise RecordInvalid(problems)
    existing = (
        Booking.objects.filter(
            session=session, email__iexact=email, status__in=("booked", "waiting")
        )
        .order_by("created_at", "id")
        .first()
    )
    if existing is not None:
        # Nothing changes, so no audit row; the email goes to the address on the booking.
        _notify(existing, "existing", notify)
        return existing
    status = "booked" if _booked_count(session) < session.capacity else "waiting"
    booking = Booking(
        session=session,
        owning_agency=owning_agency,
        agency_other="" if owning_agency else agency_other.strip(),
        full_name=full_name.strip(),
        email=email,
        job_role=job_role.strip(),
        line_manager_email=(line_manager_email or "").strip().lower(),
        adjustments=(adjustments or "").strip(),
        status=status,
        created_at=now,
        updated_at=now,
    )
    # Not create_record(): that would give an "Other" delegate the acting user's agency.
    save_with_reference(
        booking, given=None, make_reference=lambda: next_reference(booking.session.date)
    )
    evaluation = Evaluation.objects.create(booking=booking, stage=1, submitted_at=now)
    _save_scores(evaluation, outcomes, list(confidence or []))
    record_event(
        actor=acting_user,
        action="create",
        obj=booking,
        changes=changes_between({}, snapshot(booking, BOOKING_FIELDS)),
        summary="Place booked" if status == "booked" else "Added to the waiting list",
    )
    _notify(booking, "confirmed" if status == "booked" else "waiting", notify)
    return booking


def _promote_waiting(session: Session, *, acting_user, notify: bool = True) -> list[Booking]:
    """Offer freed places to the waiting list in the order people applied."""
    session = _lock_session(session)
    free = session.capacity - _booked_count(session)
    promoted = []
    if free <= 0:
        return promoted
    waiting = list(
        Booking.objects.filter(session=session, status="waiting").order_by("created_at", "id")[
            :free
        ]
    )
    for booking in waiting:
        _set_status(
            booking,
            "booked",
            acting_user=acting_user,
            summary="Place offered from the waiting list",
        )
        _notify(booking, "offered", notify)
        promoted.append(booking)
    return promoted


def _set_status(booking: Booking, status: str, *, acting_user, summary: str) -> None:
    before = snapshot(booking, ["status"])
    booking.status = status
    save_changes(
        acting_user=acting_user,
        current=booking,
        before=before,
        fields=["status"],
        summary=summary,
    )


@transaction.atomic
def booking_cancel(
    *,
    acting_user,
    booking: Booking,
    by_delegate: bool,
    now: dt.datetime | None = None,
    notify: bool = True,
) -> Booking:
    """The delegate cancels (up to the session's deadline) or the training lead does."""
    session = _lock_session(booking.session)
    current = _lock_booking(booking, edit=False)
    if current.status not in ("booked", "waiting"):
        raise RecordInvalid([("status", "This booking is already cancelled")])
    if by_delegate and not current.can_cancel(now):
        deadline = timezone.localtime(session.cancellation_deadline)
        raise RecordInvalid(
            [
                (
                    "status",
                    f"Bookings can be cancelled online only until {deadline:%-d %B %Y %H:%M}. "
                    "Please contact the training team.",
                )
            ]
        )
    was_booked = current.status == "booked"
    _set_status(
        current,
        "cancelled",
        acting_user=acting_user,
        summary="Cancelled by the delegate" if by_delegate else "Cancelled by the training lead",
    )
    _notify(current, "cancelled", notify)
    if was_booked:
        _promote_waiting(session, acting_user=acting_user, notify=notify)
    return current


@transaction.atomic
def booking_decide(
    *,
    acting_user,
    booking: Booking,
    decision: str,
    expected_version: int | None,
    notify: bool = True,
) -> Booking:
    """The training lead accepts a waiting applicant or declines an application, from the
    copy of the booking they were shown (its version)."""
    session = _lock_session(booking.session)
    current = _lock_booking(booking, expected_version, edit=True)
    if decision == "accept":
        if current.status != "waiting":
            raise RecordInvalid([("decision", "Only a waiting-list application can be accepted")])
        if _booked_count(session) >= session.capacity:
            raise RecordInvalid(
                [("decision", "The session is full: increase its capacity or move the booking")]
            )
        _set_status(current, "booked", acting_user=acting_user, summary="Accepted")
        _notify(current, "offered", notify)
    elif decision == "decline":
        if current.status not in ("booked", "waiting"):
            raise RecordInvalid([("decision", "This booking is no longer active")])
        was_booked = current.status == "booked"
        _set_status(current, "declined", acting_user=acting_user, summary="Declined")
        _notify(current, "declined", notify)
        if was_booked:
            _promote_waiting(session, acting_user=acting_user, notify=notify)
    else:
        raise RecordInvalid([("decision", "Choose accept or decline")])
    return current


@transaction.atomic
def booking_move(
    *,
    acting_user,
    booking: Booking,
    to_session: Session,
    expected_version: int | None,
    notify: bool = True,
) -> Booking:
    """Move a booking to another session: a place there if one is free, else its waiting
    list. Only from the copy of the booking the training lead was shown (its version)."""
    first, second = sorted([booking.session_id, to_session.pk])
    locked = {
        s.pk: s for s in (_lock_session(Session(pk=first)), _lock_session(Session(pk=second)))
    }
    old, new = locked[booking.session_id], locked[to_session.pk]
    current = _lock_booking(booking, expected_version, edit=True)
    if old.pk == new.pk:
        raise RecordInvalid([("to_session", "Choose a different session")])
    if current.status not in ("booked", "waiting"):
        raise RecordInvalid([("to_session", "Only an active booking can be moved")])
    if new.starts_at <= timezone.now():
        raise RecordInvalid([("to_session", "Choose a session that has not started")])
    if Booking.objects.filter(
        session=new, email__iexact=current.email, status__in=("booked", "waiting")
    ).exists():
        raise RecordInvalid([("to_session", "This delegate is already booked on that session")])
    was_booked = current.status == "booked"
    status = "booked" if _booked_count(new) < new.capacity else "waiting"
    before = {"session": str(old), "status": current.status}
    current.session = new
    current.status = status
    save_changes(
        acting_user=acting_user,
        current=current,
        before=before,
        fields=["session", "status"],
        summary="Moved to another session",
    )
    _notify(current, "moved" if status == "booked" else "waiting", notify)
    if was_booked:
        _promote_waiting(old, acting_user=acting_user, notify=notify)
    return current


# ---- attendance -------------------------------------------------------------------------


@transaction.atomic
def attendance_record(*, acting_user, session: Session, marks: dict[int, str]) -> int:
    """The register of one session: {booking id: attended | absent | late_cancel | ''}."""
    session = _lock_session(session)
    bookings = list(
        Booking.objects.select_for_update(of=("self",)).filter(
            session=session, pk__in=list(marks), status="booked"
        )
    )
    changed, events = [], []
    now = timezone.now()
    for booking in bookings:
        mark = marks[booking.pk] or ""
        if mark == booking.attendance:
            continue
        events.append(
            build_event(
                actor=acting_user,
                action="update",
                obj=booking,
                changes={"attendance": [booking.attendance or None, mark or None]},
                summary="Attendance recorded",
            )
        )
        booking.attendance = mark
        booking.version += 1
        booking.updated_at = now
        changed.append(booking)
    Booking.objects.bulk_update(changed, ["attendance", "version", "updated_at"])
    record_events(events)
    return len(changed)


# ---- evaluation -------------------------------------------------------------------------


def new_certificate_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


@transaction.atomic
def evaluation_submit(
    *,
    acting_user,
    booking: Booking,
    stage: int,
    confidence: list[int],
    content_rating: int | None = None,
    trainer_rating: int | None = None,
    comment: str = "",
    practice_change: str = "",
    now: dt.datetime | None = None,
) -> Evaluation:
    """Stage 2 (after the course) releases the certificate; stage 3 is the 3-month survey."""
    now = now or timezone.now()
    current = _lock_booking(booking, edit=False)
    outcomes = current.session.course.outcomes
    problems = confidence_problems(list(confidence), outcomes)
    if stage == 2:
        if not current.can_evaluate_stage2(now):
            problems.append(("stage", "The course evaluation opens when the course starts"))
        for field, value in (
            ("content_rating", content_rating),
            ("trainer_rating", trainer_rating),
        ):
            if value is None or not 1 <= int(value) <= 5:
                problems.append((field, "Choose a rating"))
    elif stage == 3:
        if not current.can_evaluate_stage3(now.date()):
            problems.append(("stage", "The three-month survey is not open for this booking"))
        if not practice_change.strip():
            problems.append(("practice_change", "Tell us what you have done differently"))
    else:
        problems.append(("stage", "Only stages 2 and 3 are answered after applying"))
    if Evaluation.objects.filter(booking=current, stage=stage).exists():
        problems.append(("stage", "You have already answered this questionnaire"))
    if problems:
        raise RecordInvalid(problems)
    evaluation = Evaluation.objects.create(
        booking=current,
        stage=stage,
        submitted_at=now,
        content_rating=content_rating if stage == 2 else None,
        trainer_rating=trainer_rating if stage == 2 else None,
        comment=comment.strip(),
        practice_change=practice_change.strip() if stage == 3 else "",
    )
    _save_scores(evaluation, outcomes, list(confidence))
    changes = {f"stage {stage} evaluation": [None, "submitted"]}
    if stage == 2 and not current.certificate_code:
        code = new_certificate_code()
        while Booking.objects.filter(certificate_code=code).exists():
            code = new_certificate_code()
        current.certificate_code = code
        current.version += 1
        current.save(update_fields=["certificate_code", "version"])
        changes["certificate"] = [None, "released"]
    record_event(
        actor=acting_user,
        action="update",
        obj=current,
        changes=changes,
        summary=f"Stage {stage} evaluation submitted",
    )
    return evaluation


@transaction.atomic
def quote_select(*, acting_user, evaluation: Evaluation, selected: bool) -> Evaluation:
    current = lock(evaluation, queryset=Evaluation.objects.select_related("booking"))
    if current.quote_selected != selected:
        current.quote_selected = selected
        current.save(update_fields=["quote_selected"])
        record_event(
            actor=acting_user,
            action="update",
            obj=current.booking,
            module="training",
            changes={
                f"stage {current.stage} quote for the annual report": [not selected, selected]
            },
            summary="Quote selected" if selected else "Quote unselected",
        )
    return current


# ---- stage-3 survey scheduling ----------------------------------------------------------


def _no_stage3() -> Q:
    return ~Q(evaluations__stage=3)


@transaction.atomic
def surveys_enqueue_due(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Enqueue the three-month surveys that are due and the two-week reminders.

    Run daily from cron (`safeguarding training_surveys`). Marking and enqueueing happen
    in one transaction, so each delegate gets each email once.
    """
    now = now or timezone.now()
    # A session is due when its date is on or before today minus three months.
    cutoff_end = stage3_due_before(timezone.localdate(now))
    eligible = Booking.objects.filter(
        status="booked",
        attendance__in=("", "attended"),
        session__course__stage3_follow_up=True,
    ).filter(_no_stage3())
    due = list(
        eligible.filter(survey_sent_at__isnull=True, session__starts_at__lt=cutoff_end).values_list(
            "pk", flat=True
        )
    )
    remind_before = now - dt.timedelta(days=int(_setting("TRAINING_SURVEY_REMINDER_DAYS", 14)))
    reminders = list(
        eligible.filter(
            survey_reminded_at__isnull=True, survey_sent_at__lte=remind_before
        ).values_list("pk", flat=True)
    )
    events = []
    for pk in due:
        send_booking_email.enqueue(pk, "survey")
    for pk in reminders:
        send_booking_email.enqueue(pk, "survey_reminder")
    Booking.objects.filter(pk__in=due).update(survey_sent_at=now)
    Booking.objects.filter(pk__in=reminders).update(survey_reminded_at=now)
    for pk, summary in [(pk, "Three-month survey sent") for pk in due] + [
        (pk, "Survey reminder sent") for pk in reminders
    ]:
        events.append(build_event(actor=None, action="notify", obj=Booking(pk=pk), summary=summary))
    record_events(events)
    return len(due), len(reminders)


def _setting(name: str, default):
    from django.conf import settings

    return getattr(settings, name, default)


# ---- e-learning import ------------------------------------------------------------------


def completions_import(*, acting_user, rows: list[dict[str, Any]]) -> tuple[int, int, int]:
    """Upsert one batch of validated import rows by reference (idempotent). A learner's
    agency is the one named in the file (matched by its exact name), never the importer's."""
    agencies = {a.name.lower(): a.pk for a in Agency.objects.only("id", "name")}

    def named_agency(completion: ELearningCompletion) -> None:
        completion.owning_agency_id = agencies.get(completion.agency.lower())

    done = upsert_by_reference(
        acting_user=acting_user,
        model=ELearningCompletion,
        rows=[
            (
                row["reference"],
                {
                    "learner_name": row["learner_name"],
                    "email": (row.get("email") or "").lower(),
                    "agency": row.get("agency") or "",
                    "course": row["course"],
                    "completed_date": row["completed_date"],
                },
            )
            for row in rows
        ],
        audit_fields=COMPLETION_FIELDS,
        write_fields=COMPLETION_FIELDS + ["owning_agency"],
        # After core's default (the importer's agency): the file's agency or none.
        prepare=named_agency,
    )
    return done.counts
