"""Action figures, computed in the database. Other modules' reports call these."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, DateField, Q
from django.db.models.functions import Coalesce, TruncDate

from safeguarding.core.periods import FinancialYear

from .models import ACTIVE_STATUSES, STATUSES, Action


def _agreed():
    return Coalesce("agreed_date", TruncDate("created_at"), output_field=DateField())


def year_figures(year: FinancialYear, *, source_module: str | None = None) -> dict[str, int]:
    """{"open", "overdue", "completed_in_year"} as at the end of the year.

    open: agreed by the year end and not completed by then; overdue: of those, due
    before the year end; completed_in_year: completed (or closed) during the year.
    """
    actions = Action.objects.all()
    if source_module:
        actions = actions.filter(source_module=source_module)
    open_q = Q(agreed_on__lte=year.end) & (
        Q(completed_date__isnull=True) | Q(completed_date__gt=year.end)
    )
    return actions.annotate(agreed_on=_agreed()).aggregate(
        open=Count("id", filter=open_q),
        overdue=Count("id", filter=open_q & Q(due_date__lt=year.end)),
        completed_in_year=Count("id", filter=Q(completed_date__range=(year.start, year.end))),
    )


def current_summary(*, today: dt.date | None = None) -> dict:
    """Today's picture: by status, overdue, and by owning agency (for the figures page)."""
    today = today or dt.date.today()
    overdue = Q(status__in=ACTIVE_STATUSES, due_date__lt=today)
    by_status = dict(
        Action.objects.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    statuses = {code: by_status.get(code, 0) for code, _ in STATUSES}
    agencies = list(
        Action.objects.order_by()
        .values("owning_agency__name")
        .annotate(
            total=Count("id"),
            overdue=Count("id", filter=overdue),
            done=Count("id", filter=Q(status__in=["complete", "closed"])),
        )
        .order_by("owning_agency__name")
    )
    by_module = list(
        Action.objects.order_by()
        .values("source_module")
        .annotate(total=Count("id"), overdue=Count("id", filter=overdue))
        .order_by("source_module")
    )
    return {
        "statuses": statuses,
        "total": sum(statuses.values()),
        "overdue": Action.objects.filter(overdue).count(),
        "agencies": agencies,
        "modules": by_module,
    }
