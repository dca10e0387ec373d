"""Performance reads, limited to what the user may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.periods import Period
from safeguarding.core.permissions import RANK, rank, scoped
from safeguarding.core.registers import WorkItem

from .choices import KIND_GROUPS, period_name
from .models import DataReturn, Indicator
from .rules import DATA_RETURN, return_overdue_q

WORKLIST_LIMIT = 50


def return_list(*, user, period: str | None = None, status: str | None = None):
    returns = scoped(user, "performance", DataReturn.objects.select_related("owning_agency"))
    if period:
        returns = returns.filter(period=period)
    if status:
        returns = returns.filter(status=status)
    return returns.annotate(entered=Count("values", filter=Q(values__isnull=False))).order_by(
        "-period", "owning_agency__name"
    )


def return_periods(*, user, selected: str | None = None) -> list[tuple[str, list]]:
    """The periods of the returns the user may see, for the returns list's filter: one
    group per kind (quarters, months, years), newest first. Distinct periods: a few a year."""
    labels = set(
        scoped(user, "performance", DataReturn.objects.all())
        .order_by()
        .values_list("period", flat=True)
        .distinct()
    )
    if selected:
        labels.add(selected)
    periods = []
    for label in labels:
        try:
            periods.append(Period.parse(label))
        except ValueError:
            continue
    groups = []
    for kind, group in KIND_GROUPS.items():
        mine = sorted((p for p in periods if p.kind == kind), key=lambda p: p.start, reverse=True)
        if mine:
            groups.append((group, [(p.label, period_name(p)) for p in mine]))
    return groups


def return_get(*, user, pk: int) -> DataReturn:
    return scoped(user, "performance", DataReturn.objects.select_related("owning_agency")).get(
        pk=pk
    )


def indicator_get(*, user, pk: int) -> Indicator:
    """An indicator: aggregate figures, which every role of the module may see."""
    return Indicator.objects.select_related("group", "owning_agency").get(pk=pk)


def _item(data_return: DataReturn, label: str, due: dt.date, overdue: bool, rule: str):
    return WorkItem(
        module="performance",
        label=label,
        reference=f"{data_return.period} {data_return.owning_agency.name}",
        url=reverse("performance:return", args=[data_return.pk]),
        due=due,
        overdue=overdue,
        rule=rule,
    )


def return_worklist(*, user, today: dt.date) -> list[WorkItem]:
    """The data returns waiting on this user, read through the (status, due date) index
    and LIMITed: the cost follows the returns still open, not the years of approved ones.

    A contributor: their agency's returns to fill in (open or sent back), due or late.
    An officer: returns submitted and awaiting approval, and every late return to chase.
    Labels name a period and an agency, never a person."""
    waiting = DataReturn.objects.select_related("owning_agency").filter(
        status__in=["open", "sent_back"]
    )
    items, rule = [], DATA_RETURN.rule
    if rank(user, "performance") >= RANK["officer"]:
        submitted = DataReturn.objects.select_related("owning_agency").filter(status="submitted")
        for r in submitted.order_by("due_date", "id")[:WORKLIST_LIMIT]:
            day = timezone.localdate(r.submitted_at) if r.submitted_at else r.due_date
            items.append(_item(r, "Approve or send back the data return", day, False, ""))
        late = waiting.filter(return_overdue_q(today)).order_by("due_date", "id")
        for r in late[:WORKLIST_LIMIT]:
            overdue = DATA_RETURN.overdue(r.due_date, today)
            items.append(_item(r, "Chase the late data return", r.due_date, overdue, rule))
        return items
    own = scoped(user, "performance", waiting).order_by("due_date", "id")[:WORKLIST_LIMIT]
    for r in own:
        label = "Data return sent back: correct and resubmit" if r.status == "sent_back" else ""
        items.append(
            _item(
                r,
                label or "Enter and submit the data return",
                r.due_date,
                DATA_RETURN.overdue(r.due_date, today),
                rule,
            )
        )
    return items
