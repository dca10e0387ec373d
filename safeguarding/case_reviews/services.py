"""Case review writes. Each is keyword-only, atomic, and writes its audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguarding.actions import services as action_services
from safeguarding.children.models import Child
from safeguarding.children.services import child_find_or_create
from safeguarding.core.audit import changes_between, record_event, snapshot
from safeguarding.core.writes import (
    RecordInvalid,
    config_service,
    create_record,
    lock,
    lock_for_edit,
    save_changes,
    upsert_by_reference,
)

from .models import Chronology, Referral, ReviewType, Theme
from .rules import referral_problems

REFERRAL_FIELDS = [
    "reference",
    "title",
    "owning_agency",
    "referral_date",
    "incident_date",
    "outside_england",
    "la_aware_date",
    "summary",
    "abuse_or_neglect",
    "child_died",
    "seriously_harmed",
    "looked_after",
    "notification_date",
    "rapid_review_date",
    "decision",
    "decision_reasons",
    "decision_date",
    "reviewer",
    "terms_of_reference",
    "review_start_date",
    "joint_with",
    "findings",
    "draft_report_date",
    "final_report_date",
    "publication_decision",
    "published_date",
    "published_url",
]
M2M_FIELDS = ["agencies_involved", "themes"]
CHRONOLOGY_FIELDS = ["returned_date", "note"]


def _validate(referral: Referral) -> None:
    problems = referral_problems(
        referral_date=referral.referral_date,
        la_aware_date=referral.la_aware_date,
        incident_date=referral.incident_date,
        notification_date=referral.notification_date,
        rapid_review_date=referral.rapid_review_date,
        decision_code=referral.decision.code if referral.decision_id else None,
        decision_date=referral.decision_date,
        review_start_date=referral.review_start_date,
        draft_report_date=referral.draft_report_date,
        final_report_date=referral.final_report_date,
        published_date=referral.published_date,
        publication_decision=referral.publication_decision,
    )
    if problems:
        raise RecordInvalid(problems)


def _names(objects) -> list[str]:
    return sorted(str(o) for o in objects or ())


def _m2m_snapshot(referral: Referral) -> dict:
    return {
        "agencies_involved": _names(referral.agencies_involved.all()),
        "themes": _names(referral.themes.all()),
        "children": sorted(c.display_name for c in referral.children.all()),
    }


def _set_m2m(referral: Referral, values: dict) -> None:
    for name in M2M_FIELDS:
        if name in values and values[name] is not None:
            getattr(referral, name).set(values[name])


@transaction.atomic
def referral_create(*, acting_user, children: list[dict] | None = None, **values: Any) -> Referral:
    """A case referred to the panel. children: [{first_name, last_name, date_of_birth}]."""
    m2m = {name: values.pop(name, None) for name in M2M_FIELDS}
    referral = Referral(**values)
    if referral.owning_agency_id is None and acting_user is not None:
        referral.owning_agency_id = acting_user.agency_id
    _validate(referral)
    referral.refresh_clocks()
    # The children are named through the shared child record (children.services).
    named = [
        child_find_or_create(acting_user=acting_user, owning_agency=referral.owning_agency, **child)
        for child in children or []
    ]
    after = {name: _names(m2m[name]) for name in M2M_FIELDS}
    after["children"] = sorted(c.display_name for c in named)
    create_record(
        acting_user=acting_user,
        instance=referral,
        fields=REFERRAL_FIELDS,
        summary="Referral to the case review panel recorded",
        series=("CR", "referral_date", 3),
        given_reference=values.get("reference"),
        extra_changes=changes_between({}, after),
    )
    _set_m2m(referral, m2m)
    referral.children.add(*named)
    return referral


@transaction.atomic
def referral_update(
    *,
    acting_user,
    referral: Referral,
    expected_version: int | None,
    change_summary: str = "Record changed",
    **values: Any,
) -> Referral:
    """Change any part of the record: details, clocks, decision, review, publication.
    Only from the version the form was made from (StaleRecord otherwise).
    ``change_summary`` heads the audit row (``summary`` is the record's "what happened")."""
    current = lock_for_edit(referral, expected_version)
    before = snapshot(current, REFERRAL_FIELDS)
    m2m_before = _m2m_snapshot(current)
    m2m = {name: values.pop(name, None) for name in M2M_FIELDS}
    for name, value in values.items():
        setattr(current, name, value)
    _validate(current)
    current.refresh_clocks()
    _set_m2m(current, m2m)
    save_changes(
        acting_user=acting_user,
        current=current,
        before=before,
        fields=REFERRAL_FIELDS,
        summary=change_summary,
        extra_changes=changes_between(m2m_before, _m2m_snapshot(current)),
    )
    return current


@transaction.atomic
def child_add(
    *,
    acting_user,
    referral: Referral,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date | None,
) -> Child:
    """A child named in the referral: added, never overwriting anything, so no version is
    needed; the referral's version goes up (its children are part of the record)."""
    current = lock(referral)
    child = child_find_or_create(
        acting_user=acting_user,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        owning_agency=current.owning_agency,
    )
    current.children.add(child)
    current.version += 1
    current.updated_at = timezone.now()
    current.save(update_fields=["version", "updated_at"])
    record_event(
        actor=acting_user,
        action="update",
        obj=current,
        changes={"children": [None, child.display_name]},
        summary="Child added",
    )
    return child


@transaction.atomic
def chronology_request(
    *,
    acting_user,
    referral: Referral,
    agency,
    requested_date: dt.date,
    due_date: dt.date | None = None,
) -> Chronology:
    """An agency asked for its chronology: a new row under the referral, no version."""
    if due_date and due_date < requested_date:
        raise RecordInvalid([("due_date", "The due date cannot be before the request")])
    if requested_date > dt.date.today():
        raise RecordInvalid([("requested_date", "The request date cannot be in the future")])
    if Chronology.objects.filter(referral=referral, agency=agency).exists():
        raise RecordInvalid([("agency", f"A chronology has already been requested from {agency}")])
    chronology = Chronology.objects.create(
        referral=referral, agency=agency, requested_date=requested_date, due_date=due_date
    )
    record_event(
        actor=acting_user,
        action="create",
        obj=referral,
        changes={"chronology requested": [None, f"{agency} on {requested_date:%d/%m/%Y}"]},
        summary="Chronology requested",
    )
    return chronology


@transaction.atomic
def chronology_return(
    *,
    acting_user,
    chronology: Chronology,
    expected_version: int | None,
    returned_date: dt.date,
    note: str = "",
) -> Chronology:
    """The chronology came back: its return date and note, saved only from the version
    the form was made from (the agency and the business unit may both record it)."""
    current = lock_for_edit(
        chronology, expected_version, queryset=Chronology.objects.select_related("agency")
    )
    if returned_date < current.requested_date:
        raise RecordInvalid(
            [("returned_date", "The chronology cannot be returned before it was requested")]
        )
    if returned_date > dt.date.today():
        raise RecordInvalid([("returned_date", "The return date cannot be in the future")])
    before = snapshot(current, CHRONOLOGY_FIELDS)
    current.returned_date, current.note = returned_date, note
    save_changes(
        acting_user=acting_user,
        current=current,
        before=before,
        fields=CHRONOLOGY_FIELDS,
        summary=f"Chronology from {current.agency} returned",
    )
    return current


@transaction.atomic
def referral_action_add(
    *,
    acting_user,
    referral: Referral,
    description: str,
    owning_agency,
    due_date: dt.date,
    measure: str = "",
    owner_person: str = "",
    agreed_date: dt.date | None = None,
):
    """A recommendation's action, tracked in the one action tracker."""
    return action_services.action_create(
        acting_user=acting_user,
        source=referral,
        source_label=referral.label,
        description=description,
        owning_agency=owning_agency,
        due_date=due_date,
        measure=measure,
        owner_person=owner_person,
        agreed_date=agreed_date,
    )


def _stripped_name(values: dict) -> dict:
    return {**values, "name": values["name"].strip()} if "name" in values else values


review_type_save = config_service(
    ReviewType, "review_type", summary="Review type saved", clean=_stripped_name
)


theme_save = config_service(Theme, "theme", summary="Learning theme saved", clean=_stripped_name)


IMPORT_FIELDS = [
    "title",
    "referral_date",
    "la_aware_date",
    "abuse_or_neglect",
    "child_died",
    "seriously_harmed",
    "looked_after",
    "outside_england",
    "notification_date",
    "rapid_review_date",
    "decision",
    "decision_date",
    "review_start_date",
    "publication_decision",
    "published_date",
]


def _import_values(row: dict[str, Any], types: dict[str, ReviewType]) -> dict[str, Any]:
    return {
        "title": row.get("title") or "",
        "referral_date": row["referral_date"],
        "la_aware_date": row.get("la_aware_date"),
        "abuse_or_neglect": bool(row.get("abuse_or_neglect")),
        "child_died": bool(row.get("child_died")),
        "seriously_harmed": bool(row.get("seriously_harmed")),
        "looked_after": bool(row.get("looked_after")),
        "outside_england": bool(row.get("outside_england")),
        "notification_date": row.get("notification_date"),
        "rapid_review_date": row.get("rapid_review_date"),
        "decision": types.get(row.get("decision") or ""),
        "decision_date": row.get("decision_date"),
        "review_start_date": row.get("review_start_date"),
        "publication_decision": row.get("publication_decision") or "pending",
        "published_date": row.get("published_date"),
    }


def referrals_import(*, acting_user, rows: list[dict[str, Any]]) -> tuple[int, int, int]:
    """Upsert one batch of validated import rows (inside the import's transaction)."""
    types = {t.code: t for t in ReviewType.objects.all()}
    # select_related: the change history names the agency and the decision of each.
    existing = {
        r.reference: r
        for r in Referral.objects.filter(
            reference__in=[row["reference"] for row in rows]
        ).select_related("decision", "owning_agency")
    }
    done = upsert_by_reference(
        acting_user=acting_user,
        model=Referral,
        rows=[(row["reference"], _import_values(row, types)) for row in rows],
        audit_fields=REFERRAL_FIELDS,
        write_fields=IMPORT_FIELDS + ["notification_due", "rapid_review_due", "publication_due"],
        prepare=Referral.refresh_clocks,
        existing=existing,
    )
    return done.counts
