"""Case review reads, already limited to what the user may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from safeguarding.core.periods import FinancialYear
from safeguarding.core.permissions import has_permission, scoped
from safeguarding.core.registers import WorkItem

from . import rules
from .models import Chronology, Referral


def referral_list(
    *,
    user,
    year: FinancialYear | None = None,
    decision: str | None = None,
    stage: str | None = None,
    search: str | None = None,
) -> QuerySet[Referral]:
    referrals = scoped(user, "case_reviews", Referral.objects.all())
    if year:
        referrals = referrals.filter(referral_date__range=(year.start, year.end))
    if decision == "undecided":
        referrals = referrals.filter(decision__isnull=True)
    elif decision:
        referrals = referrals.filter(decision__code=decision)
    if stage == "published":
        referrals = referrals.filter(published_date__isnull=False)
    elif stage == "in_review":
        referrals = referrals.filter(review_start_date__isnull=False, published_date__isnull=True)
    if search:
        referrals = referrals.filter(
            Q(reference__icontains=search)
            | Q(title__icontains=search)
            | Q(children__last_name__icontains=search)
        ).distinct()
    return referrals.select_related("owning_agency", "decision").order_by("-referral_date", "-id")


def referral_get(*, user, pk: int) -> Referral:
    """The referral, or Referral.DoesNotExist outside the user's scope (404)."""
    return scoped(
        user, "case_reviews", Referral.objects.select_related("owning_agency", "decision")
    ).get(pk=pk)


def chronology_list(*, user) -> QuerySet[Chronology]:
    """Chronology requests: a contributor sees only those addressed to their agency."""
    return (
        scoped(user, "case_reviews", Chronology.objects.all(), agency_field="agency")
        .select_related("referral", "agency")
        .order_by("returned_date", "due_date", "id")
    )


def chronology_get(*, user, pk: int) -> Chronology:
    return (
        scoped(user, "case_reviews", Chronology.objects.all(), agency_field="agency")
        .select_related("referral", "agency")
        .get(pk=pk)
    )


def week_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    monday = today - dt.timedelta(days=today.weekday())
    return monday, monday + dt.timedelta(days=6)


def worklist(*, user, today: dt.date | None = None, limit: int = 200) -> list[dict]:
    """Clocks not yet done that fall due this week or are already overdue, most urgent
    first (one query per clock). A clock applies only to cases that began on or after its
    rule did (core.clocks): a 2016 referral is never overdue for a rapid review that did not
    exist then. Read through the partial indexes of clocks not yet done, at most ``limit`` a
    clock: the cost does not grow with years of finished reviews."""
    today = today or dt.date.today()
    _monday, sunday = week_bounds(today)
    base = scoped(user, "case_reviews", Referral.objects.all())
    rows = []
    for clock, due_field, done_field, start_field in rules.clocks():
        pending = base.filter(**{f"{due_field}__lte": sunday, f"{done_field}__isnull": True})
        pending = pending.filter(clock.applies_q(start_field))
        if clock.effective is not None:
            # The due date follows the start: the lower bound lets the index skip older cases.
            pending = pending.filter(**{f"{due_field}__gte": clock.effective})
        for referral in pending.order_by(due_field, "id")[:limit]:
            due = getattr(referral, due_field)
            rows.append(
                {
                    "referral": referral,
                    "clock": clock.name,
                    "rule": clock.rule,
                    "due": due,
                    "state": "overdue" if clock.overdue(due, today) else "due this week",
                }
            )
    rows.sort(key=lambda r: (r["due"], r["referral"].reference))
    return rows


def clock_worklist(*, user, today: dt.date) -> list[WorkItem]:
    """The worklist for the home page: references only (a case name stays on the case).
    For the business unit, who runs the clocks (officers and managers)."""
    from django.urls import reverse

    if not has_permission(user, "change_record", "case_reviews"):
        return []
    return [
        WorkItem(
            module="case_reviews",
            label=row["clock"],
            reference=row["referral"].reference,
            url=reverse("case_reviews:detail", args=[row["referral"].pk]),
            due=row["due"],
            overdue=row["state"] == "overdue",
            rule=row["rule"],
        )
        for row in worklist(user=user, today=today)
    ]
