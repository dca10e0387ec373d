"""Child death review writes. Each is keyword-only, atomic, and writes its audit row.

Edits of a copy shown in a form (a notification, the joint agency response, the panel
review, an agency's reporting form) take its ``expected_version`` and are refused when it
is missing or stale (core/writes.py); additions under a death (form requests,
recommendations) lock the death instead."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from safeguarding.actions.services import action_create
from safeguarding.core.audit import record_event
from safeguarding.core.models import Agency, User
from safeguarding.core.writes import (
    RecordInvalid,
    create_record,
    lock,
    update_record,
    upsert_by_reference,
)

from .codes import FACTOR_DOMAIN_CODES
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
    "child_protection_plan_at_death",
    "looked_after_at_death",
    "ncmd_notified_date",
    "jar_date",
    "jar_attendees",
    "review_meeting_date",
    "review_date",
    "category",
    "modifiable_factors",
    *FACTOR_DOMAIN_CODES,
    "learning_points",
]
FORM_FIELDS = [
    "owning_agency",
    "due_date",
    "returned_date",
    "returned_by",
    "involvement",
    "information",
]


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
        review_meeting_date=death.review_meeting_date,
        ncmd_notified_date=death.ncmd_notified_date,
        **{domain: getattr(death, domain) for domain in FACTOR_DOMAIN_CODES},
    )
    if problems:
        raise RecordInvalid(problems)


def _normalise(death: Death) -> None:
    death.nhs_number = (death.nhs_number or "").replace(" ", "")
    death.sex = death.sex or "unknown"
    death.ethnicity = death.ethnicity or "NOBT"
    death.category = death.category or ""
    death.modifiable_factors = death.modifiable_factors or ""
    for domain in FACTOR_DOMAIN_CODES:
        setattr(death, domain, getattr(death, domain) or "")
    death.refresh_derived()


def _prepare(death: Death) -> None:
    _normalise(death)
    _validate(death)


@transaction.atomic
def death_create(*, acting_user, **values: Any) -> Death:
    death = Death(**values)
    _prepare(death)
    return create_record(
        acting_user=acting_user,
        instance=death,
        fields=DEATH_FIELDS,
        summary="Death notified",
        series=("CDR", "notification_date"),
        given_reference=values.get("reference"),
    )


def _death_edit(
    acting_user, death: Death, expected_version: int | None, values: dict, summary: str, check=None
) -> Death:
    """Lock, check the version, apply, (check,) normalise and validate, save and audit."""

    def prepare(current: Death) -> None:
        if check is not None:
            check(current)
        _prepare(current)

    return update_record(
        acting_user=acting_user,
        instance=death,
        expected_version=expected_version,
        fields=DEATH_FIELDS,
        values=values,
        summary=summary,
        prepare=prepare,
    )


@transaction.atomic
def death_update(
    *, acting_user, death: Death, expected_version: int | None, **values: Any
) -> Death:
    return _death_edit(acting_user, death, expected_version, values, "Notification changed")


@transaction.atomic
def jar_record(
    *,
    acting_user,
    death: Death,
    expected_version: int | None,
    jar_date: dt.date,
    jar_attendees: str = "",
) -> Death:
    def check(current: Death) -> None:
        if not current.jar_date:
            raise RecordInvalid(
                [("jar_date", "Enter the date of the joint agency response meeting")]
            )

    values = {"jar_date": jar_date, "jar_attendees": (jar_attendees or "").strip()}
    return _death_edit(
        acting_user, death, expected_version, values, "Joint agency response recorded", check
    )


@transaction.atomic
def review_meeting_record(
    *,
    acting_user,
    death: Death,
    expected_version: int | None,
    review_meeting_date: dt.date,
) -> Death:
    """The child death review meeting: the professionals who knew the child meet before the
    panel's review (Child Death Review: Statutory and Operational Guidance (England), 2018)."""

    def check(current: Death) -> None:
        if not current.review_meeting_date:
            raise RecordInvalid(
                [("review_meeting_date", "Enter the date of the child death review meeting")]
            )

    values = {"review_meeting_date": review_meeting_date}
    return _death_edit(
        acting_user, death, expected_version, values, "Child death review meeting recorded", check
    )


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
    factors_child: str = "",
    factors_social_environment: str = "",
    factors_physical_environment: str = "",
    factors_service_provision: str = "",
) -> Death:
    """The panel's review: the analysis-form category, modifiable factors, the level of the
    factors found in each of its four domains, and learning."""

    def check(current: Death) -> None:
        problems = []
        if not current.review_date:
            problems.append(("review_date", "Enter the date of the panel meeting"))
        if not current.modifiable_factors:
            problems.append(("modifiable_factors", "Choose whether there were modifiable factors"))
        if problems:
            raise RecordInvalid(problems)

    values = {
        "review_date": review_date,
        "category": category,
        "modifiable_factors": modifiable_factors,
        "factors_child": factors_child or "",
        "factors_social_environment": factors_social_environment or "",
        "factors_physical_environment": factors_physical_environment or "",
        "factors_service_provision": factors_service_provision or "",
        "learning_points": (learning_points or "").strip(),
    }
    return _death_edit(acting_user, death, expected_version, values, "Panel review recorded", check)


@transaction.atomic
def recommendation_add(
    *,
    acting_user,
    death: Death,
    description: str,
    owning_agency: Agency,
    due_date: dt.date,
):
    """A panel recommendation becomes a tracked action in the shared action tracker. It is
    added under the death (nothing recorded is overwritten, so no version is needed); the
    death is locked so that its review is read as stored."""
    current = lock(death)
    if not current.is_reviewed:
        raise RecordInvalid(
            [("description", "Record the panel review before adding recommendations")]
        )
    if not (description or "").strip():
        raise RecordInvalid([("description", "Enter the recommendation")])
    action = action_create(
        acting_user=acting_user,
        source=current,
        source_label=f"Child death review {current.reference}",
        description=description.strip(),
        owning_agency=owning_agency,
        due_date=due_date,
        measure="",
        owner_person="",
    )
    record_event(
        actor=acting_user,
        action="update",
        obj=current,
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
    """Ask each named agency for its reporting form; an agency already asked is skipped.
    The death is locked so that two requests at once cannot ask an agency twice."""
    requested_date = requested_date or dt.date.today()
    if due_date < requested_date:
        raise RecordInvalid([("due_date", "The due date cannot be before the request")])
    agencies = list(agencies)
    if not agencies:
        raise RecordInvalid([("agencies", "Choose at least one agency")])
    current = lock(death)
    already = set(
        FormRequest.objects.filter(death=current, owning_agency__in=agencies).values_list(
            "owning_agency_id", flat=True
        )
    )
    made = [
        FormRequest.objects.create(
            death=current, owning_agency=agency, requested_date=requested_date, due_date=due_date
        )
        for agency in agencies
        if agency.pk not in already
    ]
    if made:
        record_event(
            actor=acting_user,
            action="update",
            obj=current,
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
    """The asked agency returns its form (or corrects a returned one)."""

    def prepare(current: FormRequest) -> None:
        if not current.information:
            raise RecordInvalid([("information", "Enter the information for the panel")])
        current.returned_date = current.returned_date or returned_date or dt.date.today()
        current.returned_by = acting_user if getattr(acting_user, "pk", None) else None

    return update_record(
        acting_user=acting_user,
        instance=form_request,
        expected_version=expected_version,
        fields=FORM_FIELDS,
        values={
            "involvement": (involvement or "").strip(),
            "information": (information or "").strip(),
        },
        summary="Reporting form returned",
        prepare=prepare,
    )


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
    email). The email names only the reference: no personal data leaves the system.

    A chase is a button, not an edit of the form: each request is re-read locked (a form
    returned meanwhile is not chased) and its version is left alone, so an agency part-way
    through returning it can still save."""
    today = today or dt.date.today()
    chased = nobody = 0
    for form in form_requests:
        form = lock(form, queryset=FormRequest.objects.select_related("death", "owning_agency"))
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
    *FACTOR_DOMAIN_CODES,
    "review_meeting_date",
    "child_protection_plan_at_death",
    "looked_after_at_death",
    "ncmd_notified_date",
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
        **{domain: row[domain] or "" for domain in FACTOR_DOMAIN_CODES},
        "review_meeting_date": row["review_meeting_date"],
        # None (a blank cell): not known
        "child_protection_plan_at_death": row["child_protection_plan_at_death"],
        "looked_after_at_death": row["looked_after_at_death"],
        "ncmd_notified_date": row["ncmd_notified_date"],
    }


def deaths_import(*, acting_user, rows: list[dict[str, Any]]) -> tuple[int, int, int]:
    """Upsert one batch of validated import rows (inside the import's transaction)."""
    # select_related: the change history snapshots the owning agency of every death.
    existing = {
        d.reference: d
        for d in Death.objects.filter(reference__in=[r["reference"] for r in rows]).select_related(
            "owning_agency"
        )
    }
    return upsert_by_reference(
        acting_user=acting_user,
        model=Death,
        rows=[(r["reference"], _import_values(r)) for r in rows],
        audit_fields=DEATH_FIELDS,
        write_fields=IMPORT_FIELDS + ["age_band"],
        prepare=_normalise,
        existing=existing,
    ).counts
