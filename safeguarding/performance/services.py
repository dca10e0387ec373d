"""Performance writes: indicators, returns and values. Atomic, audited.

Edits of a copy shown in a form (an indicator, a group, a stored value) carry the version
they were made from and are refused without it; the returns workflow (submit, approve,
send back) is a button: it locks the stored return and checks its status instead.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguarding.core.audit import (
    build_event,
    changes_between,
    record_event,
    record_events,
    snapshot,
)
from safeguarding.core.models import Agency, ModuleGrant
from safeguarding.core.periods import Period
from safeguarding.core.writes import (
    STALE_MESSAGE,
    RecordInvalid,
    StaleRecord,
    check_version,
    config_service,
    create_record,
    lock,
    save_changes,
    update_record,
)

from . import rules
from .computed import validate_path
from .models import (
    PERIOD_KIND,
    Benchmark,
    DataReturn,
    Indicator,
    IndicatorGroup,
    IndicatorValue,
    default_aggregation,
)

INDICATOR_FIELDS = [
    "reference",
    "name",
    "definition",
    "group",
    "owning_agency",
    "frequency",
    "unit",
    "polarity",
    "aggregation",
    "target",
    "tolerance",
    "disaggregation",
    "source",
    "computed_value",
    "computed_numerator",
    "computed_denominator",
    "order",
    "is_active",
]
VALUE_FIELDS = ["value", "numerator", "denominator", "commentary"]
VALUE_PLACES = {
    "value": Decimal("0.0001"),
    "numerator": Decimal("0.01"),
    "denominator": Decimal("0.01"),
}
FREQUENCY_OF_KIND = {v: k for k, v in PERIOD_KIND.items()}


def return_due_date(period: Period) -> dt.date:
    """The return's due date on its declared clock (rules.DATA_RETURN): the setting's
    working days after the period ends."""
    return rules.return_due(period.end)


group_save = config_service(IndicatorGroup, "group", summary="Indicator group saved")


def _check_indicator(ind: Indicator) -> None:
    problems = []
    if ind.source == "computed":
        if not (ind.computed_value or ind.computed_numerator):
            problems.append(("computed_value", "A computed indicator needs a figure path"))
        for field in ("computed_value", "computed_numerator", "computed_denominator"):
            if message := validate_path(getattr(ind, field)):
                problems.append((field, message))
    if ind.aggregation == "sum" and ind.unit != "count":
        problems.append(
            ("aggregation", "Only a count adds up: use ratio, snapshot or latest for this unit")
        )
    if ind.aggregation == "ratio" and ind.unit == "count":
        problems.append(("aggregation", "A count has no numerator: use sum, snapshot or latest"))
    if ind.tolerance is not None and ind.tolerance < 0:
        problems.append(("tolerance", "The tolerance must not be negative"))
    if ind.unit == "percent" and ind.target is not None and not 0 <= ind.target <= 100:
        problems.append(("target", "A percentage target must be between 0 and 100"))
    if problems:
        raise RecordInvalid(problems)


@transaction.atomic
def indicator_save(
    *, acting_user, indicator: Indicator | None, expected_version: int | None = None, **values: Any
) -> Indicator:
    """Define an indicator (``indicator=None``: no version) or change one: a change is
    saved only from the version it was made from, and refused without one.

    No aggregation given (or a blank one from the form): the unit's usual one, a count
    summed and anything else recomputed from its parts (models.default_aggregation)."""
    if indicator is None or "aggregation" in values:
        if not values.get("aggregation"):
            unit = values.get("unit") or (indicator.unit if indicator else "count")
            values["aggregation"] = default_aggregation(unit)
    if indicator is None:
        new = Indicator(**values)
        _check_indicator(new)
        return create_record(
            acting_user=acting_user,
            instance=new,
            fields=INDICATOR_FIELDS,
            summary="Indicator saved",
        )
    return update_record(
        acting_user=acting_user,
        instance=indicator,
        expected_version=expected_version,
        fields=INDICATOR_FIELDS,
        values=values,
        summary="Indicator saved",
        prepare=_check_indicator,
    )


@transaction.atomic
def benchmark_save(
    *, acting_user, indicator: Indicator, year: str, kind: str, value: Decimal | None
) -> None:
    """Enter, change or (value None) remove a benchmark: an upsert by indicator, year and
    kind, written in the indicator's history. The indicator is locked, so two people
    entering the same benchmark are recorded one after the other."""
    lock(indicator)
    existing = Benchmark.objects.filter(indicator=indicator, year=year, kind=kind).first()
    old = str(existing.value) if existing else None
    if value is None:
        if existing:
            existing.delete()
    else:
        Benchmark.objects.update_or_create(
            indicator=indicator, year=year, kind=kind, defaults={"value": value}
        )
    new = str(value) if value is not None else None
    if old != new:
        record_event(
            actor=acting_user,
            action="update",
            obj=indicator,
            changes={f"benchmark {kind} {year}": [old, new]},
            summary="Benchmark saved",
        )


@transaction.atomic
def returns_open(*, acting_user, period: Period) -> list[DataReturn]:
    """Open one return per agency that owns submitted indicators of this period's frequency."""
    frequency = FREQUENCY_OF_KIND[period.kind]
    agencies = (
        Indicator.objects.filter(is_active=True, source="submitted", frequency=frequency)
        .values_list("owning_agency", flat=True)
        .distinct()
    )
    opened = []
    for agency_id in agencies:
        data_return, created = DataReturn.objects.get_or_create(
            owning_agency_id=agency_id,
            period=period.label,
            frequency=frequency,
            defaults={"due_date": return_due_date(period)},
        )
        if created:
            record_event(
                actor=acting_user,
                action="create",
                obj=data_return,
                summary=f"Return opened for {period.label}",
            )
            opened.append(data_return)
    return opened


def return_indicators(data_return: DataReturn):
    return Indicator.objects.filter(
        is_active=True,
        source="submitted",
        frequency=data_return.frequency,
        owning_agency_id=data_return.owning_agency_id,
    )


def _check_value(indicator: Indicator, values: dict) -> None:
    problems = rules.value_problems(
        indicator.unit, values.get("value"), values.get("numerator"), values.get("denominator")
    )
    if problems:
        raise RecordInvalid([(f"{indicator.reference} {f}", m) for f, m in problems])


def _set_values(current: IndicatorValue, values: dict) -> None:
    """The entered figures, stored to their columns' places (so that a re-entry of the
    same figure is no change)."""
    for name in VALUE_FIELDS:
        new = values.get(name)
        if name == "commentary":
            new = new or ""
        elif new is not None:
            new = Decimal(new).quantize(VALUE_PLACES[name])
        setattr(current, name, new)


def _value_summary(data_return: DataReturn | None, default: str) -> str:
    approved = data_return is not None and data_return.status == "approved"
    return "Corrected after approval" if approved else default


@transaction.atomic
def value_save(
    *,
    acting_user,
    indicator: Indicator,
    period: str,
    agency: Agency,
    data_return: DataReturn | None = None,
    expected_version: int | None = None,
    **values: Any,
) -> IndicatorValue:
    """Enter a value (none stored yet: no version) or correct the stored one: a
    correction is saved only from the version it was made from, and refused without
    one. The old value stays in the history."""
    _check_value(indicator, values)
    current = (
        IndicatorValue.objects.select_for_update()
        .filter(indicator=indicator, period=period, owning_agency=agency)
        .first()
    )
    if current is None:
        current = IndicatorValue(indicator=indicator, period=period, owning_agency=agency)
        _set_values(current, values)
        current.data_return = data_return
        try:
            with transaction.atomic():
                return create_record(
                    acting_user=acting_user,
                    instance=current,
                    fields=VALUE_FIELDS,
                    summary=_value_summary(data_return, "Value entered"),
                )
        except IntegrityError:  # someone else entered it since the page was opened
            raise StaleRecord(f"{indicator.reference}: {STALE_MESSAGE}") from None
    try:
        check_version(current, expected_version)
    except StaleRecord as exc:
        raise StaleRecord(f"{indicator.reference}: {exc}") from None
    before = snapshot(current, VALUE_FIELDS)
    _set_values(current, values)
    if data_return is not None:
        current.data_return = data_return
    save_changes(
        acting_user=acting_user,
        current=current,
        before=before,
        fields=VALUE_FIELDS,
        summary=_value_summary(data_return, "Value entered"),
    )
    return current


def values_import(
    *, acting_user, rows: list[dict[str, Any]], data_return: DataReturn | None = None
) -> tuple[int, int, int]:
    """One batch of validated import rows (inside the import's transaction), keyed by
    indicator, period and agency: a new value is created, a stored one corrected (version
    up, its audit row) or left alone when nothing changed. Never duplicated. A row is
    linked to its agency's return for the period (``data_return`` when uploaded to one).

    Three queries a batch, whatever its size, plus the writes."""
    keys = {(r["indicator"].pk, r["period"].label, r["agency"].pk) for r in rows}
    stored = {
        (v.indicator_id, v.period, v.owning_agency_id): v
        for v in IndicatorValue.objects.filter(
            indicator_id__in={k[0] for k in keys}, period__in={k[1] for k in keys}
        )
    }
    returns = {}
    if data_return is not None:
        returns[(data_return.owning_agency_id, data_return.period)] = data_return
    else:
        for r in DataReturn.objects.filter(
            owning_agency_id__in={k[2] for k in keys}, period__in={k[1] for k in keys}
        ):
            returns.setdefault((r.owning_agency_id, r.period), r)
    now = timezone.now()
    created, changed, unchanged, events = [], [], 0, []
    for row in rows:
        indicator, agency, period = row["indicator"], row["agency"], row["period"].label
        linked = returns.get((agency.pk, period))
        current = stored.get((indicator.pk, period, agency.pk))
        if current is None:
            current = IndicatorValue(
                indicator=indicator, period=period, owning_agency=agency, data_return=linked
            )
            _set_values(current, row)
            created.append(current)
            continue
        before = snapshot(current, VALUE_FIELDS)
        _set_values(current, row)
        changes = changes_between(before, snapshot(current, VALUE_FIELDS))
        if not changes:
            unchanged += 1
            continue
        if linked is not None:
            current.data_return = linked
        current.version += 1
        current.updated_at = now
        changed.append(current)
        events.append(
            build_event(
                actor=acting_user,
                action="import",
                obj=current,
                changes=changes,
                summary=_value_summary(linked, "Corrected by import"),
            )
        )
    if created:
        IndicatorValue.objects.bulk_create(created, batch_size=500)
        if any(v.pk is None for v in created):  # backends without RETURNING
            ids = {
                (v.indicator_id, v.period, v.owning_agency_id): v.pk
                for v in IndicatorValue.objects.filter(
                    indicator_id__in={v.indicator_id for v in created},
                    period__in={v.period for v in created},
                )
            }
            for v in created:
                v.pk = ids[(v.indicator_id, v.period, v.owning_agency_id)]
        events += [
            build_event(
                actor=acting_user,
                action="import",
                obj=v,
                changes=changes_between({}, snapshot(v, VALUE_FIELDS)),
                summary="Entered by import",
            )
            for v in created
        ]
    if changed:
        IndicatorValue.objects.bulk_update(
            changed, VALUE_FIELDS + ["data_return", "version", "updated_at"], batch_size=500
        )
    record_events(events)
    return len(created), len(changed), unchanged


def _set_status(current: DataReturn, acting_user, status: str, summary: str, **extra) -> None:
    before = snapshot(current, ["status", "note"])
    current.status = status
    for name, value in extra.items():
        setattr(current, name, value)
    save_changes(
        acting_user=acting_user,
        current=current,
        before=before,
        fields=["status", "note"],
        summary=summary,
    )


@transaction.atomic
def return_submit(*, acting_user, data_return: DataReturn) -> DataReturn:
    """The agency's button: a return is submitted once every value is entered."""
    current = lock(data_return)
    if current.status not in ("open", "sent_back"):
        raise RecordInvalid([("status", "Only an open or sent-back return can be submitted")])
    have = set(
        IndicatorValue.objects.filter(data_return=current).values_list("indicator_id", flat=True)
    )
    missing = [i.reference for i in return_indicators(current) if i.pk not in have]
    if missing:
        raise RecordInvalid([("values", f"Enter a value for {', '.join(missing)} first")])
    _set_status(
        current,
        acting_user,
        "submitted",
        "Return submitted",
        submitted_at=timezone.now(),
        submitted_by=acting_user,
    )
    return current


@transaction.atomic
def return_approve(*, acting_user, data_return: DataReturn) -> DataReturn:
    """The business unit's button: only a submitted return (as stored now) is approved."""
    current = lock(data_return)
    if current.status != "submitted":
        raise RecordInvalid([("status", "Only a submitted return can be approved")])
    _set_status(
        current,
        acting_user,
        "approved",
        "Return approved",
        approved_at=timezone.now(),
        approved_by=acting_user,
    )
    return current


@transaction.atomic
def return_send_back(*, acting_user, data_return: DataReturn, note: str) -> DataReturn:
    current = lock(data_return)
    if current.status != "submitted":
        raise RecordInvalid([("status", "Only a submitted return can be sent back")])
    if not note.strip():
        raise RecordInvalid([("note", "Say what the agency needs to change")])
    _set_status(current, acting_user, "sent_back", "Return sent back", note=note)
    return current


def late_returns(today: dt.date):
    """Open and sent-back returns overdue today on their clock (rules.DATA_RETURN)."""
    return (
        DataReturn.objects.filter(status__in=["open", "sent_back"])
        .filter(rules.return_overdue_q(today))
        .select_related("owning_agency")
    )


@transaction.atomic
def returns_chase(*, acting_user, today: dt.date) -> int:
    """Email the agency's contributors about each late return; returns the emails sent."""
    sent = 0
    events = []
    for data_return in late_returns(today):
        recipients = list(
            ModuleGrant.objects.filter(
                module="performance",
                role__in=["contributor", "officer", "manager"],
                user__agency=data_return.owning_agency,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
        if not recipients:
            continue
        send_mail(
            subject=f"Performance data return {data_return.period} is overdue",
            message=(
                f"The {data_return.period} data return for {data_return.owning_agency} "
                f"was due on {data_return.due_date:%d %B %Y}. Please sign in and "
                "submit it."
            ),
            from_email=None,
            recipient_list=recipients,
        )
        data_return.last_chased_at = timezone.now()
        data_return.save(update_fields=["last_chased_at"])
        events.append(
            build_event(
                actor=acting_user,
                action="chase",
                obj=data_return,
                summary=f"Chased by email ({len(recipients)} recipients)",
            )
        )
        sent += 1
    record_events(events)
    return sent
