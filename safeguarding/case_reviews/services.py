"""Case review writes. Each is keyword-only, atomic, and writes its audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguarding.actions import services as action_services
from safeguarding.children.models import Child
from safeguarding.children.services import child_find_or_create
from safeguarding.core.audit import (
    build_event,
    changes_between,
    record_event,
    record_events,
    snapshot,
)
from safeguarding.core.periods import FinancialYear

from .models import Chronology, Referral, ReviewType, Theme
from .rules import referral_problems

REFERRAL_FIELDS = [
    "reference",
    "title",
    "owning_agency",
    "referral_date",
    "incident_date",
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


class RecordInvalid(Exception):
    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))


class StaleRecord(Exception):
    """Someone else saved the record after this copy was loaded."""


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


def next_reference(referral_date: dt.date) -> str:
    prefix = f"CR-{FinancialYear.containing(referral_date).label}-"
    taken = Referral.objects.filter(reference__startswith=prefix).count()
    return f"{prefix}{taken + 1:03d}"


def _m2m_snapshot(referral: Referral) -> dict:
    if not referral.pk:
        return {}
    return {
        "agencies_involved": sorted(str(a) for a in referral.agencies_involved.all()),
        "themes": sorted(str(t) for t in referral.themes.all()),
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
    for attempt in range(5):
        if not values.get("reference"):
            referral.reference = next_reference(referral.referral_date)
            if attempt:
                referral.reference += f"-{attempt}"
        try:
            with transaction.atomic():
                referral.save()
            break
        except IntegrityError:
            if values.get("reference"):
                raise RecordInvalid([("reference", "This reference is already used")]) from None
    _set_m2m(referral, m2m)
    for child in children or []:
        referral.children.add(
            child_find_or_create(
                acting_user=acting_user, owning_agency=referral.owning_agency, **child
            )
        )
    changes = changes_between({}, snapshot(referral, REFERRAL_FIELDS))
    changes.update(changes_between({}, _m2m_snapshot(referral)))
    record_event(
        actor=acting_user,
        action="create",
        obj=referral,
        changes=changes,
        summary="Referral to the case review panel recorded",
    )
    return referral


def _locked(referral: Referral, expected_version: int | None) -> Referral:
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleRecord(
            "Someone else changed this record after you opened it. Your changes were not "
            "saved: reload the page to see their changes, then make yours again."
        )
    return current


@transaction.atomic
def referral_update(
    *,
    acting_user,
    referral: Referral,
    expected_version: int | None,
    summary: str = "Record changed",
    **values: Any,
) -> Referral:
    """Change any part of the record: details, clocks, decision, review, publication."""
    current = _locked(referral, expected_version)
    before = snapshot(current, REFERRAL_FIELDS)
    before.update(_m2m_snapshot(current))
    m2m = {name: values.pop(name, None) for name in M2M_FIELDS}
    for name, value in values.items():
        setattr(current, name, value)
    _validate(current)
    current.refresh_clocks()
    current.version += 1
    current.updated_at = timezone.now()
    current.save()
    _set_m2m(current, m2m)
    after = snapshot(current, REFERRAL_FIELDS)
    after.update(_m2m_snapshot(current))
    changes = changes_between(before, after)
    if changes:
        record_event(
            actor=acting_user, action="update", obj=current, changes=changes, summary=summary
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
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    child = child_find_or_create(
        acting_user=acting_user,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        owning_agency=current.owning_agency,
    )
    current.children.add(child)
    current.version += 1
    current.save(update_fields=["version"])
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
    *, acting_user, chronology: Chronology, returned_date: dt.date, note: str = ""
) -> Chronology:
    current = Chronology.objects.select_for_update().get(pk=chronology.pk)
    if returned_date < current.requested_date:
        raise RecordInvalid(
            [("returned_date", "The chronology cannot be returned before it was requested")]
        )
    if returned_date > dt.date.today():
        raise RecordInvalid([("returned_date", "The return date cannot be in the future")])
    before = snapshot(current, ["returned_date", "note"])
    current.returned_date, current.note = returned_date, note
    current.save()
    record_event(
        actor=acting_user,
        action="update",
        obj=current.referral,
        changes={
            f"chronology from {current.agency}": [
                before["returned_date"],
                returned_date.isoformat(),
            ]
        },
        summary="Chronology returned",
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


@transaction.atomic
def review_type_save(
    *,
    acting_user,
    review_type: ReviewType | None,
    code: str,
    name: str,
    is_active: bool = True,
    order: int = 0,
) -> ReviewType:
    fields = ["code", "name", "is_active", "order"]
    before = snapshot(review_type, fields) if review_type else {}
    review_type = review_type or ReviewType()
    review_type.code, review_type.name = code, name
    review_type.is_active, review_type.order = is_active, order
    review_type.save()
    record_event(
        actor=acting_user,
        action="update" if before else "create",
        obj=review_type,
        changes=changes_between(before, snapshot(review_type, fields)),
        summary="Review type saved",
    )
    return review_type


@transaction.atomic
def theme_save(*, acting_user, theme: Theme | None, name: str, is_active: bool = True) -> Theme:
    fields = ["name", "is_active"]
    before = snapshot(theme, fields) if theme else {}
    theme = theme or Theme()
    theme.name, theme.is_active = name.strip(), is_active
    theme.save()
    record_event(
        actor=acting_user,
        action="update" if before else "create",
        obj=theme,
        changes=changes_between(before, snapshot(theme, fields)),
        summary="Learning theme saved",
    )
    return theme


IMPORT_FIELDS = [
    "title",
    "referral_date",
    "la_aware_date",
    "abuse_or_neglect",
    "child_died",
    "seriously_harmed",
    "looked_after",
    "notification_date",
    "rapid_review_date",
    "decision",
    "decision_date",
    "review_start_date",
    "publication_decision",
    "published_date",
]


def referrals_import(*, acting_user, rows: list[dict[str, Any]]) -> tuple[int, int, int]:
    """Upsert one batch of validated import rows (inside the import's transaction)."""
    types = {t.code: t for t in ReviewType.objects.all()}
    existing = {
        r.reference: r
        for r in Referral.objects.filter(
            reference__in=[r["reference"] for r in rows]
        ).select_related("decision")
    }
    created = updated = unchanged = 0
    new, changed, events = [], [], []
    now = timezone.now()
    for row in rows:
        values = {
            "title": row.get("title") or "",
            "referral_date": row["referral_date"],
            "la_aware_date": row.get("la_aware_date"),
            "abuse_or_neglect": bool(row.get("abuse_or_neglect")),
            "child_died": bool(row.get("child_died")),
            "seriously_harmed": bool(row.get("seriously_harmed")),
            "looked_after": bool(row.get("looked_after")),
            "notification_date": row.get("notification_date"),
            "rapid_review_date": row.get("rapid_review_date"),
            "decision": types.get(row.get("decision") or ""),
            "decision_date": row.get("decision_date"),
            "review_start_date": row.get("review_start_date"),
            "publication_decision": row.get("publication_decision") or "pending",
            "published_date": row.get("published_date"),
        }
        referral = existing.get(row["reference"])
        if referral is None:
            referral = Referral(reference=row["reference"], **values)
            if acting_user is not None:
                referral.owning_agency_id = acting_user.agency_id
            referral.refresh_clocks()
            new.append(referral)
            created += 1
            continue
        before = snapshot(referral, REFERRAL_FIELDS)
        for name, value in values.items():
            setattr(referral, name, value)
        referral.refresh_clocks()
        changes = changes_between(before, snapshot(referral, REFERRAL_FIELDS))
        if changes:
            referral.version += 1
            referral.updated_at = now
            changed.append(referral)
            events.append(
                build_event(
                    actor=acting_user,
                    action="import",
                    obj=referral,
                    changes=changes,
                    summary="Updated by import",
                )
            )
            updated += 1
        else:
            unchanged += 1
    if new:
        Referral.objects.bulk_create(new, batch_size=500)
        if any(r.pk is None for r in new):  # backends without RETURNING
            ids = dict(
                Referral.objects.filter(reference__in=[r.reference for r in new]).values_list(
                    "reference", "pk"
                )
            )
            for r in new:
                r.pk = r.id = ids[r.reference]
        events += [
            build_event(
                actor=acting_user,
                action="import",
                obj=r,
                changes=changes_between({}, snapshot(r, REFERRAL_FIELDS)),
                summary="Created by import",
            )
            for r in new
        ]
    if changed:
        Referral.objects.bulk_update(
            changed,
            IMPORT_FIELDS
            + ["notification_due", "rapid_review_due", "publication_due", "version", "updated_at"],
            batch_size=500,
        )
    record_events(events)
    return created, updated, unchanged
