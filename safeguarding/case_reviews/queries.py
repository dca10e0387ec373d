"""Case review reads, already limited to what the user may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from safeguarding.core.periods import FinancialYear
from safeguarding.core.permissions import scoped

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


def worklist(*, user, today: dt.date | None = None) -> list[dict]:
    """Clocks not yet done that fall due this week or are already overdue (3 queries)."""
    today = today or dt.date.today()
    _monday, sunday = week_bounds(today)
    base = scoped(user, "case_reviews", Referral.objects.all()).select_related("decision")
    rows = []
    for label, due_field, done_field in (
        ("Serious incident notification", "notification_due", "notification_date"),
        ("Rapid review", "rapid_review_due", "rapid_review_date"),
        ("LCSPR publication", "publication_due", "published_date"),
    ):
        pending = base.filter(
            **{
                f"{due_field}__isnull": False,
                f"{due_field}__lte": sunday,
                f"{done_field}__isnull": True,
            }
        ).order_by(due_field)
        for referral in pending:
            due = getattr(referral, due_field)
            rows.append(
                {
                    "referral": referral,
                    "clock": label,
                    "due": due,
                    "state": "overdue" if today > due else "due this week",
                }
            )
    rows.sort(key=lambda r: r["due"])
    return rows
