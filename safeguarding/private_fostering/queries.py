"""Private fostering reads, already limited to what the user may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from safeguarding.core.periods import FinancialYear
from safeguarding.core.permissions import scoped

from . import conf
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
    overdue: bool = False,
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
    """Open visits of arrangements in place, due within the reminder window or overdue."""
    today = today or dt.date.today()
    horizon = today + dt.timedelta(days=conf.reminder_days_ahead())
    notifications = scoped(user, MODULE, Notification.objects.all())
    return (
        Visit.objects.filter(
            notification__in=notifications,
            notification__arrangement_end_date__isnull=True,
            visit_date__isnull=True,
            due_date__lte=horizon,
        )
        .select_related("notification", "notification__owning_agency")
        .order_by("due_date", "id")
    )
