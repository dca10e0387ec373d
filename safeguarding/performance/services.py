"""Performance writes: indicators, returns and values. Atomic, audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
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
from safeguarding.core.workdays import add_working_days

from . import rules
from .computed import validate_path
from .models import PERIOD_KIND, Benchmark, DataReturn, Indicator, IndicatorGroup, IndicatorValue

INDICATOR_FIELDS = [
    "reference",
    "name",
    "definition",
    "group",
    "owning_agency",
    "frequency",
    "unit",
    "polarity",
    "target",
    "tolerance",
    "disaggregation",
    "source",
    "computed_value",
    "computed_numerator",
    "computed_denominator",
    "is_active",
]
VALUE_FIELDS = ["value", "numerator", "denominator", "commentary"]
FREQUENCY_OF_KIND = {v: k for k, v in PERIOD_KIND.items()}


class RecordInvalid(Exception):
    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))


class StaleRecord(Exception):
    pass


def return_due_date(period: Period) -> dt.date:
    days = getattr(settings, "PERFORMANCE_RETURN_WORKING_DAYS", 15)
    return add_working_days(period.end, days)


@transaction.atomic
def group_save(*, acting_user, group: IndicatorGroup | None, name: str, order: int = 0):
    before = snapshot(group, ["name", "order"]) if group else {}
    group = group or IndicatorGroup()
    group.name, group.order = name, order
    group.save()
    record_event(
        actor=acting_user,
        action="update" if before else "create",
        obj=group,
        changes=changes_between(before, snapshot(group, ["name", "order"])),
        summary="Indicator group saved",
    )
    return group


def _indicator_problems(ind: Indicator) -> list[tuple[str, str]]:
    problems = []
    if ind.source == "computed":
        if not (ind.computed_value or ind.computed_numerator):
            problems.append(("computed_value", "A computed indicator needs a figure path"))
        for field in ("computed_value", "computed_numerator", "computed_denominator"):
            if message := validate_path(getattr(ind, field)):
                problems.append((field, message))
    if ind.tolerance is not None and ind.tolerance < 0:
        problems.append(("tolerance", "The tolerance must not be negative"))
    if ind.unit == "percent" and ind.target is not None and not 0 <= ind.target <= 100:
        problems.append(("target", "A percentage target must be between 0 and 100"))
    return problems


@transaction.atomic
def indicator_save(
    *, acting_user, indicator: Indicator | None, expected_version: int | None = None, **values: Any
) -> Indicator:
    if indicator is not None:
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        if expected_version is not None and indicator.version != expected_version:
            raise StaleRecord(
                "Someone else changed this indicator after you opened it. "
                "Reload the page and make your change again."
            )
    before = snapshot(indicator, INDICATOR_FIELDS) if indicator else {}
    indicator = indicator or Indicator()
    for name, value in values.items():
        setattr(indicator, name, value)
    if problems := _indicator_problems(indicator):
        raise RecordInvalid(problems)
    changes = changes_between(before, snapshot(indicator, INDICATOR_FIELDS))
    if before and changes:
        indicator.version += 1
    indicator.save()
    if changes:
        record_event(
            actor=acting_user,
            action="update" if before else "create",
            obj=indicator,
            changes=changes,
            summary="Indicator saved",
        )
    return indicator


@transaction.atomic
def benchmark_save(
    *, acting_user, indicator: Indicator, year: str, kind: str, value: Decimal | None
) -> None:
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
    """Enter or correct a value. A correction keeps the old value in the history."""
    _check_value(indicator, values)
    current = (
        IndicatorValue.objects.select_for_update()
        .filter(indicator=indicator, period=period, owning_agency=agency)
        .first()
    )
    if current and expected_version is not None and current.version != expected_version:
        raise StaleRecord(
            f"{indicator.reference}: someone else changed this value after you "
            "opened the page. Reload and enter it again."
        )
    before = snapshot(current, VALUE_FIELDS) if current else {}
    current = current or IndicatorValue(indicator=indicator, period=period, owning_agency=agency)
    places = {
        "value": Decimal("0.0001"),
        "numerator": Decimal("0.01"),
        "denominator": Decimal("0.01"),
    }
    for name in VALUE_FIELDS:
        new = values.get(name)
        if name == "commentary":
            new = new or ""
        elif new is not None:
            new = Decimal(new).quantize(places[name])
        setattr(current, name, new)
    if data_return is not None:
        current.data_return = data_return
    changes = changes_between(before, snapshot(current, VALUE_FIELDS))
    if not changes:
        return current
    if before:
        current.version += 1
    current.updated_at = timezone.now()
    current.save()
    approved = data_return is not None and data_return.status == "approved"
    record_event(
        actor=acting_user,
        action="update" if before else "create",
        obj=current,
        changes=changes,
        summary="Corrected after approval" if approved else "Value entered",
    )
    return current


def _locked_return(data_return: DataReturn, expected_version: int | None) -> DataReturn:
    current = DataReturn.objects.select_for_update().get(pk=data_return.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleRecord("Someone else changed this return after you opened it. Reload it.")
    return current


def _set_status(current: DataReturn, acting_user, status: str, summary: str, **extra) -> None:
    before = {"status": current.status, "note": current.note}
    current.status = status
    for name, value in extra.items():
        setattr(current, name, value)
    current.version += 1
    current.save()
    record_event(
        actor=acting_user,
        action="update",
        obj=current,
        changes=changes_between(before, {"status": current.status, "note": current.note}),
        summary=summary,
    )


@transaction.atomic
def return_submit(*, acting_user, data_return: DataReturn, expected_version: int | None = None):
    current = _locked_return(data_return, expected_version)
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
def return_approve(*, acting_user, data_return: DataReturn, expected_version: int | None = None):
    current = _locked_return(data_return, expected_version)
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
def return_send_back(
    *, acting_user, data_return: DataReturn, note: str, expected_version: int | None = None
):
    current = _locked_return(data_return, expected_version)
    if current.status != "submitted":
        raise RecordInvalid([("status", "Only a submitted return can be sent back")])
    if not note.strip():
        raise RecordInvalid([("note", "Say what the agency needs to change")])
    _set_status(current, acting_user, "sent_back", "Return sent back", note=note)
    return current


def late_returns(today: dt.date):
    return DataReturn.objects.filter(
        status__in=["open", "sent_back"], due_date__lt=today
    ).select_related("owning_agency")


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
