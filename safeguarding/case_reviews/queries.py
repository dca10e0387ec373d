"""Case review reads, already limited to what the user may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from safeguarding.core.periods import FinancialYear
from safeguarding.core.permissions import has_permission, scoped
from safeguarding.core.registers import WorkItem

from .models import STATUTORY_CLOCKS_FROM, Chronology, Referral


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


# (label, due field, done field, the rule, when it started to apply: the field and date)
CLOCKS = [
    (
        "Serious incident notification",
        "notification_due",
        "notification_date",
        "5 working days from the local authority becoming aware (from 29 June 2018)",
        ("la_aware_date", STATUTORY_CLOCKS_FROM),
    ),
    (
        "Rapid review",
        "rapid_review_due",
        "rapid_review_date",
        "15 working days from the notification (from 29 June 2018)",
        ("notification_date", STATUTORY_CLOCKS_FROM),
    ),
    (
        "LCSPR publication",
        "publication_due",
        "published_date",
        "Published within the months set from the start of the review",
        None,
    ),
]


def worklist(*, user, today: dt.date | None = None, limit: int = 200) -> list[dict]:
    """Clocks not yet done that fall due this week or are already overdue, most urgent
    first (one query per clock). A clock applies only to cases that began after its rule
    did: a 2016 referral is never overdue for a rapid review that did not exist then.
    Read through the partial indexes of clocks not yet done, at most ``limit`` a clock:
    the cost does not grow with years of finished reviews."""
    today = today or dt.date.today()
    _monday, sunday = week_bounds(today)
    base = scoped(user, "case_reviews", Referral.objects.all())
    rows = []
    for label, due_field, done_field, rule, since in CLOCKS:
        pending = base.filter(**{f"{due_field}__lte": sunday, f"{done_field}__isnull": True})
        if since is not None:
            start_field, start = since
            # The due date follows the start: the lower bound lets the index skip older cases.
            pending = pending.filter(**{f"{due_field}__gte": start, f"{start_field}__gte": start})
        for referral in pending.order_by(due_field, "id")[:limit]:
            due = getattr(referral, due_field)
            rows.append(
                {
                    "referral": referral,
                    "clock": label,
                    "rule": rule,
                    "due": due,
                    "state": "overdue" if today > due else "due this week",
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
