"""Action reads, already limited to what the user may see (contributors: own agency)."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When

from safeguarding.core.permissions import scoped
from safeguarding.core.registers import WorkItem

from .models import ACTIVE_STATUSES, DONE_STATUSES, Action
from .rules import ACTION_DUE

DUE_FILTERS = [
    ("overdue", "Overdue"),
    ("next_30", "Due in the next 30 days"),
    ("next_90", "Due in the next 90 days"),
    ("later", "Due later than 90 days"),
]


def overdue_q(today: dt.date) -> Q:
    """Red from the day after the due date (the model's is_overdue and rules.ACTION_DUE's
    edge, in SQL)."""
    return Q(status__in=ACTIVE_STATUSES, due_date__lt=today)


def action_list(
    *,
    user,
    source_module: str | None = None,
    agency_id: int | None = None,
    status: str | None = None,
    due: str | None = None,
    source_type_id: int | None = None,
    source_id: str | None = None,
    today: dt.date | None = None,
) -> QuerySet[Action]:
    today = today or dt.date.today()
    actions = scoped(user, "actions", Action.objects.all())
    if source_module:
        actions = actions.filter(source_module=source_module)
    if source_type_id is not None:
        actions = actions.filter(source_type_id=source_type_id, source_id=str(source_id))
    if agency_id:
        actions = actions.filter(owning_agency_id=agency_id)
    if status:
        actions = actions.filter(status=status)
    if due == "overdue":
        actions = actions.filter(overdue_q(today))
    elif due == "next_30":
        actions = actions.filter(due_date__range=(today, today + dt.timedelta(days=30)))
    elif due == "next_90":
        actions = actions.filter(due_date__range=(today, today + dt.timedelta(days=90)))
    elif due == "later":
        actions = actions.filter(due_date__gt=today + dt.timedelta(days=90))
    return (
        actions.select_related("owning_agency", "source_type")
        .annotate(
            overdue=Case(
                When(overdue_q(today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("due_date", "id")
    )


def action_get(*, user, pk: int) -> Action:
    """The action, or Action.DoesNotExist outside the user's scope (404)."""
    return scoped(user, "actions", Action.objects.select_related("owning_agency")).get(pk=pk)


def action_worklist(
    *, user, today: dt.date, days_ahead: int = 14, limit: int = 200
) -> list[WorkItem]:
    """Actions with work still to do that are overdue or fall due within ``days_ahead``
    days: a contributor's agency's, or every agency's for the business unit. References
    and the source's label only (a description may name people). Read through the
    (status, due_date) index: the cost follows the open actions, not years of closed ones."""
    from django.urls import reverse

    actions = scoped(
        user,
        "actions",
        Action.objects.filter(
            status__in=ACTIVE_STATUSES, due_date__lte=today + dt.timedelta(days=days_ahead)
        ),
    )
    rows = actions.order_by("due_date", "id").values_list(
        "pk", "reference", "source_label", "due_date"
    )
    return [
        WorkItem(
            module="actions",
            label=f"Action from {source_label}",
            reference=reference,
            url=reverse("actions:detail", args=[pk]),
            due=due,
            overdue=ACTION_DUE.overdue(due, today),
            rule=f"Actions not yet complete, overdue or due within {days_ahead} days",
        )
        for pk, reference, source_label, due in rows[:limit]
    ]


def plan_summary(actions: QuerySet[Action], today: dt.date | None = None) -> dict:
    """Progress of an action plan: counts, % complete and a RAG rating, in one query.

    RAG: red when any action is overdue; amber when any is at risk; green otherwise;
    "complete" when every action is complete or closed.
    """
    today = today or dt.date.today()
    figures = actions.order_by().aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status__in=DONE_STATUSES)),
        closed=Count("id", filter=Q(status="closed")),
        overdue=Count("id", filter=overdue_q(today)),
        at_risk=Count("id", filter=Q(status="at_risk")),
    )
    total = figures["total"]
    figures["percent_complete"] = round(100 * figures["done"] / total) if total else 0
    if not total:
        figures["rag"] = "none"
    elif figures["done"] == total:
        figures["rag"] = "complete"
    elif figures["overdue"]:
        figures["rag"] = "red"
    elif figures["at_risk"]:
        figures["rag"] = "amber"
    else:
        figures["rag"] = "green"
    return figures


RAG_LABELS = {
    "none": ("No actions yet", "grey"),
    "complete": ("Complete", "blue"),
    "red": ("Red: actions overdue", "red"),
    "amber": ("Amber: actions at risk", "yellow"),
    "green": ("Green: on track", "green"),
}


def source_content_type(type_id: int) -> ContentType:
    return ContentType.objects.get_for_id(type_id)
