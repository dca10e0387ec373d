"""Child death review writes. Each is keyword-only, atomic, and writes its audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguarding.actions.services import action_create
from safeguarding.core.audit import (
    build_event,
    changes_between,
    record_event,
    record_events,
    snapshot,
)
from safeguarding.core.models import Agency, User
from safeguarding.core.periods import FinancialYear

from .models import Death, FormRequest
from .rules import death_problems

DEATH_FIELDS = [
    "reference",
    "owning_agency",
    "child_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "nhs_number",
    "home_area",
    "date_of_death",
    "place_of_death",
    "place_detail",
    "notification_date",
    "expected",
    "jar_date",
    "jar_attendees",
    "review_date",
    "category",
    "modifiable_factors",
    "learning_points",
]
FORM_FIELDS = ["owning_agency", "due_date", "returned_date", "involvement", "information"]


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


def _validate(death: Death) -> None:
    problems = death_problems(
        date_of_birth=death.date_of_birth,
        date_of_death=death.date_of_death,
        notification_date=death.notification_date,
        review_date=death.review_date,
        category=death.category,
        modifiable_factors=death.modifiable_factors,
        sex=death.sex,
        ethnicity=death.ethnicity,
        nhs_number=death.nhs_number,
        jar_date=death.jar_date,
    )
    if problems:
        raise RecordInvalid(problems)


def _normalise(death: Death) -> None:
    death.nhs_number = (death.nhs_number or "").replace(" ", "")
    death.sex = death.sex or "unknown"
    death.ethnicity = death.ethnicity or "NOBT"
    death.category = death.category or ""
    death.modifiable_factors = death.modifiable_factors or ""
    death.refresh_derived()


def next_reference(notification_date: dt.date) -> str:
    year = FinancialYear.containing(notification_date).label
    prefix = f"CDR-{year}-"
    taken = Death.objects.filter(reference__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


@transaction.atomic
def death_create(*, acting_user, **values: Any) -> Death:
    death = Death(**values)
    if death.owning_agency_id is None and acting_user is not None:
        death.owning_agency_id = acting_user.agency_id
    _normalise(death)
    _validate(death)
    for attempt in range(5):
        if not values.get("reference"):
            death.reference = next_reference(death.notification_date)
            if attempt:
                death.reference += f"-{attempt}"
        try:
            with transaction.atomic():
                death.save()
            break
        except IntegrityError:
            if values.get("reference"):
                raise RecordInvalid([("reference", "This reference is already used")]) from None
    record_event(
        actor=acting_user,
        action="create",
        obj=death,
        changes=changes_between({}, snapshot(death, DEATH_FIELDS)),
        summary="Death notified",
    )
    return death


def _locked(death: Death, expected_version: int | None) -> Death:
    current = Death.objects.select_for_update().get(pk=death.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleRecord(STALE_MESSAGE)
    return current


def _save_changes(acting_user, current: Death, before: dict, summary: str) -> Death:
    _normalise(current)
    _validate(current)
    changes = changes_between(before, snapshot(current, DEATH_FIELDS))
    if changes:
        current.version += 1
        current.updated_at = timezone.now()
        current.save()
        record_event(
            actor=acting_user, action="update", obj=current, changes=changes, summary=summary
        )
    return current


@transaction.atomic
def death_update(
    *, acting_user, death: Death, expected_version: int | None, **values: Any
) -> Death:
    current = _locked(death, expected_version)
    before = snapshot(current, DEATH_FIELDS)
    for name, value in values.items():
        setattr(current, name, value)
    return _save_changes(acting_user, current, before, "Notification changed")


@transaction.atomic
def jar_record(
    *,
    acting_user,
    death: Death,
    expected_version: int | None,
    jar_date: dt.date,
    jar_attendees: str = "",
) -> Death:
    current = _locked(death, expected_version)
    if not jar_date:
        raise RecordInvalid([("jar_date", "Enter the date of the joint agency response meeting")])
    before = snapshot(current, DEATH_FIELDS)
    current.jar_date, current.jar_attendees = jar_date, (jar_attendees or "").strip()
    return _save_changes(acting_user, current, before, "Joint agency response recorded")


@transaction.atomic
def review_record(
    *,
    acting_user,
    death: Death,
    expected_version: int | None,
    review_date: dt.date,
    category: str,
    modifiable_factors: str,
    learning_points: str = "",
) -> Death:
    """The panel's review: the analysis-form category, modifiable factors and learning."""
    current = _locked(death, expected_version)
    problems = []
    if not review_date:
        problems.append(("review_date", "Enter the date of the panel meeting"))
    if not modifiable_factors:
        problems.append(("modifiable_factors", "Choose whether there were modifiable factors"))
    if problems:
        raise RecordInvalid(problems)
    before = snapshot(current, DEATH_FIELDS)
    current.review_date, current.category = review_date, category
    current.modifiable_factors, current.learning_points = (
        modifiable_factors,
        (learning_points or "").strip(),
    )
    return _save_changes(acting_user, current, before, "Panel review recorded")


@transaction.atomic
def recommendation_add(
    *,
    acting_user,
    death: Death,
    description: str,
    owning_agency: Agency,
    due_date: dt.date,
):
    """A panel recommendation becomes a tracked action in the shared action tracker."""
    if not death.is_reviewed:
        raise RecordInvalid(
            [("description", "Record the panel review before adding recommendations")]
        )
    if not (description or "").strip():
        raise RecordInvalid([("description", "Enter the recommendation")])
    action = action_create(
        acting_user=acting_user,
        source=death,
        source_label=f"Child death review {death.reference}",
        description=description.strip(),
        owning_agency=owning_agency,
        due_date=due_date,
        measure="",
        owner_person="",
    )
    record_event(
        actor=acting_user,
        action="update",
        obj=death,
        changes={"recommendation": [None, f"{action.reference}: {description.strip()[:200]}"]},
        summary="Recommendation added",
    )
    return action


@transaction.atomic
def form_requests_create(
    *,
    acting_user,
    death: Death,
    agencies,
    due_date: dt.date,
    requested_date: dt.date | None = None,
) -> list[FormRequest]:
    """Ask each named agency for its reporting form; an agency already asked is skipped."""
    requested_date = requested_date or dt.date.today()
    if due_date < requested_date:
        raise RecordInvalid([("due_date", "The due date cannot be before the request")])
    agencies = list(agencies)
    if not agencies:
        raise RecordInvalid([("agencies", "Choose at least one agency")])
    already = set(
        FormRequest.objects.filter(death=death, owning_agency__in=agencies).values_list(
            "owning_agency_id", flat=True
        )
    )
    made = []
    for agency in agencies:
        if agency.pk in already:
            continue
        request = FormRequest.objects.create(
            death=death, owning_agency=agency, requested_date=requested_date, due_date=due_date
        )
        made.append(request)
    if made:
        record_event(
            actor=acting_user,
            action="update",
            obj=death,
            changes={
                "forms requested": [None, [str(r.owning_agency) for r in made]],
                "forms due": [None, due_date.isoformat()],
            },
            summary="Agency reporting forms requested",
        )
    return made


@transaction.atomic
def form_return(
    *,
    acting_user,
    form_request: FormRequest,
    expected_version: int | None,
    involvement: str,
    information: str,
    returned_date: dt.date | None = None,
) -> FormRequest:
    current = FormRequest.objects.select_for_update().get(pk=form_request.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleRecord(STALE_MESSAGE)
    if not (information or "").strip():
        raise RecordInvalid([("information", "Enter the information for the panel")])
    before = snapshot(current, FORM_FIELDS)
    current.involvement = (involvement or "").strip()
    current.information = information.strip()
    current.returned_date = current.returned_date or returned_date or dt.date.today()
    current.returned_by = acting_user if getattr(acting_user, "pk", None) else None
    current.version += 1
    current.save()
    record_event(
        actor=acting_user,
        action="update",
        obj=current,
        changes=changes_between(before, snapshot(current, FORM_FIELDS)),
        summary="Reporting form returned",
    )
    return current


def _recipients(agency_id: int) -> list[str]:
    return list(
        User.objects.filter(
            agency_id=agency_id,
            is_active=True,
            grants__module="child_deaths",
            grants__role__in=["contributor", "officer", "manager"],
        )
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


@transaction.atomic
def forms_chase(*, acting_user, form_requests, today: dt.date | None = None) -> tuple[int, int]:
    """Email the asked agency's users about each overdue form. (chased, without anyone to
    email). The email names only the reference: no personal data leaves the system."""
    today = today or dt.date.today()
    chased = nobody = 0
    for form in form_requests:
        if not form.is_overdue(today):
            continue
        recipients = _recipients(form.owning_agency_id)
        if not recipients:
            nobody += 1
            continue
        reference = form.death.reference
        send_mail(
            subject=f"Overdue: child death reporting form for {reference}",
            message=(
                f"The Child Death Overview Panel asked {form.owning_agency} for its reporting "
                f"form for {reference} by {form.due_date:%d %B %Y}. It has not been returned.\n\n"
                "Please sign in and return it from 'Agency reporting forms'."
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
        form.last_chased = today
        form.chase_count += 1
        form.save(update_fields=["last_chased", "chase_count"])
        record_event(
            actor=acting_user,
            action="update",
            obj=form,
            changes={"chased": [None, f"{today:%d/%m/%Y} ({len(recipients)} recipient(s))"]},
            summary="Overdue reporting form chased",
        )
        chased += 1
    return chased, nobody


IMPORT_FIELDS = [
    "date_of_birth",
    "date_of_death",
    "sex",
    "ethnicity",
    "notification_date",
    "expected",
    "review_date",
    "category",
    "modifiable_factors",
]


def _import_values(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "date_of_birth": row["date_of_birth"],
        "date_of_death": row["date_of_death"],
        "sex": row["sex"] or "unknown",
        "ethnicity": row["ethnicity"] or "NOBT",
        "notification_date": row["notification_date"],
        "expected": bool(row["expected"]),
        "review_date": row["review_date"],
        "category": str(row["category"]) if row["category"] else "",
        "modifiable_factors": row["modifiable_factors"] or "",
    }


def deaths_import(*, acting_user, rows: list[dict[str, Any]]) -> tuple[int, int, int]:
    """Upsert one batch of validated import rows (inside the import's transaction)."""
    existing = {
        d.reference: d for d in Death.objects.filter(reference__in=[r["reference"] for r in rows])
    }
    created = updated = unchanged = 0
    new, changed, events = [], [], []
    now = timezone.now()
    for row in rows:
        values = _import_values(row)
        death = existing.get(row["reference"])
        if death is None:
            death = Death(reference=row["reference"], **values)
            if acting_user is not None:
                death.owning_agency_id = acting_user.agency_id
            _normalise(death)
            new.append(death)
            created += 1
            continue
        before = snapshot(death, DEATH_FIELDS)
        for name, value in values.items():
            setattr(death, name, value)
        _normalise(death)
        changes = changes_between(before, snapshot(death, DEATH_FIELDS))
        if changes:
            death.version += 1
            death.updated_at = now
            changed.append(death)
            events.append(
                build_event(
                    actor=acting_user,
                    action="import",
                    obj=death,
                    changes=changes,
                    summary="Updated by import",
                )
            )
            updated += 1
        else:
            unchanged += 1
    if new:
        Death.objects.bulk_create(new, batch_size=500)
        if any(d.pk is None for d in new):  # backends without RETURNING
            ids = dict(
                Death.objects.filter(reference__in=[d.reference for d in new]).values_list(
                    "reference", "pk"
                )
            )
            for d in new:
                d.pk = d.id = ids[d.reference]
        for death in new:
            events.append(
                build_event(
                    actor=acting_user,
                    action="import",
                    obj=death,
                    changes=changes_between({}, snapshot(death, DEATH_FIELDS)),
                    summary="Created by import",
                )
            )
    if changed:
        Death.objects.bulk_update(
            changed, IMPORT_FIELDS + ["age_band", "version", "updated_at"], batch_size=500
        )
    record_events(events)
    return created, updated, unchanged
