"""Private fostering reads, already limited to what the user may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from safeguarding.core.periods import FinancialYear
from safeguarding.core.permissions import scoped
from safeguarding.core.registers import WorkItem

from . import conf, rules
from .models import Notification, Visit

MODULE = "private_fostering"


def _overdue_visits(today: dt.date):
    return Visit.objects.filter(
        notification=OuterRef("pk"), visit_date__isnull=True, due_date__lt=today
    )


def notification_list(
    *,
    user,
    year: FinancialYear | None = None,
    status: str | None = None,
    category: str | None = None,
    overdue: bool | None = None,
    search: str | None = None,
    today: dt.date | None = None,
) -> QuerySet[Notification]:
    today = today or dt.date.today()
    notifications = scoped(user, MODULE, Notification.objects.all())
    if year:
        notifications = notifications.filter(notification_date__range=(year.start, year.end))
    if status:
        notifications = notifications.filter(status=status)
    if category:
        notifications = notifications.filter(category=category)
    if overdue:
        notifications = notifications.filter(
            Exists(_overdue_visits(today)), arrangement_end_date__isnull=True
        )
    if search:
        notifications = notifications.filter(
            Q(reference__icontains=search)
            | Q(child_first_name__icontains=search)
            | Q(child_last_name__icontains=search)
            | Q(carer_name__icontains=search)
        )
    return (
        notifications.select_related("owning_agency")
        # A correlated subquery: computed for the page's rows only, no GROUP BY join.
        .annotate(
            next_visit_due=Subquery(
                Visit.objects.filter(notification=OuterRef("pk"), visit_date__isnull=True)
                .order_by("due_date")
                .values("due_date")[:1]
            )
        )
        .order_by("-notification_date", "-id")
    )


def notification_get(*, user, pk: int) -> Notification:
    """The notification, or Notification.DoesNotExist outside the user's scope (404)."""
    return scoped(user, MODULE, Notification.objects.select_related("owning_agency")).get(pk=pk)


def visit_worklist(*, user, today: dt.date | None = None) -> QuerySet[Visit]:
    """Open visits of arrangements in place, due within the reminder window or overdue.

    Each open visit carries its statutory deadline (services._sync_schedule), from the
    clocks declared in rules.py: the Children (Private Arrangements for Fostering)
    Regulations 2005 regs 4 and 7 (a visit within 7 working days of a notification, of a
    proposed arrangement too, and of learning that it has begun) and reg 8 (then at most
    every 6 weeks in the first year from the authority becoming aware, every 12 weeks
    after). Read through the due-date index: the cost follows the open visits, not
    the years of visits made."""
    today = today or dt.date.today()
    horizon = today + dt.timedelta(days=conf.reminder_days_ahead())
    notifications = scoped(user, MODULE, Notification.objects.all())
    return (
        Visit.objects.filter(
            Q(notification__age_limit_date__isnull=True)
            | Q(notification__age_limit_date__gt=today),
            notification__in=notifications,
            notification__arrangement_end_date__isnull=True,
            visit_date__isnull=True,
            due_date__lte=horizon,
        )
        .select_related("notification", "notification__owning_agency")
        .order_by("due_date", "id")
    )


WORKLIST_LIMIT = 200


def worklist(*, user, today: dt.date) -> list[WorkItem]:
    """The home page's statutory visits due or overdue: references only, no child's name."""
    from django.urls import reverse

    visits = (
        visit_worklist(user=user, today=today)
        .select_related(None)
        .select_related("notification")
        .only("sequence", "rule", "due_date", "notification__reference")[:WORKLIST_LIMIT]
    )
    return [
        WorkItem(
            module=MODULE,
            label=rules.visit_label(v.rule, v.sequence),
            reference=v.notification.reference,
            url=reverse("private_fostering:detail", args=[v.notification_id]),
            due=v.due_date,
            overdue=rules.visit_clock(v.rule).overdue(v.due_date, today),
            rule=rules.visit_rule(v.rule),
        )
        for v in visits
    ]
