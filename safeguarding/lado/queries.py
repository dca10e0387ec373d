"""LADO reads, already limited to what the user may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Q, QuerySet, Subquery

from safeguarding.core.periods import FinancialYear
from safeguarding.core.permissions import scoped
from safeguarding.core.registers import WorkItem

from .models import Case, Meeting

# Financial-year quarters: Q1 is April-June.
QUARTER_MONTHS = {"Q1": (4, 5, 6), "Q2": (7, 8, 9), "Q3": (10, 11, 12), "Q4": (1, 2, 3)}


def case_list(
    *,
    user,
    year: FinancialYear | None = None,
    quarter: str | None = None,
    sector: str | None = None,
    outcome: str | None = None,
    status: str | None = None,
    search: str | None = None,
) -> QuerySet[Case]:
    cases = scoped(user, "lado", Case.objects.all())
    if year:
        start, end = year.start, year.end
        if quarter:
            for q, first, last in year.quarters():
                if q == quarter:
                    start, end = first, last
        cases = cases.filter(contact_date__range=(start, end))
    elif quarter in QUARTER_MONTHS:
        # A quarter without a year: that quarter of every year (never silently ignored).
        cases = cases.filter(contact_date__month__in=QUARTER_MONTHS[quarter])
    if sector:
        cases = cases.filter(employer_sector=sector)
    if outcome:
        cases = cases.filter(outcome=outcome)
    if status == "open":
        cases = cases.filter(is_open=True)
    elif status == "closed":
        cases = cases.filter(is_open=False, threshold_met=True)
    elif status == "advice":
        cases = cases.filter(threshold_met=False)
    if search:
        cases = cases.filter(Q(reference__icontains=search) | Q(subject_name__icontains=search))
    return (
        cases.select_related("owning_agency")
        # A correlated subquery, not a GROUP BY: the database computes it for the rows
        # of the page only, and the count query can drop it.
        .annotate(
            first_meeting=Subquery(
                Meeting.objects.filter(case=OuterRef("pk")).order_by("date").values("date")[:1]
            )
        )
        .order_by("-contact_date", "-id")
    )


def case_get(*, user, pk: int) -> Case:
    """The case, or Case.DoesNotExist if it is outside the user's scope (404)."""
    return scoped(user, "lado", Case.objects.select_related("owning_agency")).get(pk=pk)


def _targets() -> str:
    from django.conf import settings

    return ", ".join(
        f"{share}% within {label}" for label, _months, share in settings.LADO_RESOLUTION_TARGETS
    )


def resolution_worklist(*, user, today: dt.date, days_ahead: int = 14) -> list[WorkItem]:
    """Open referrals whose next resolution target falls due within ``days_ahead`` days or
    has passed (settings.LADO_RESOLUTION_TARGETS), oldest first. Read through the
    ``is_open`` index: the cost follows the open cases, not the years of closed ones."""
    from django.urls import reverse

    cases = scoped(user, "lado", Case.objects.filter(is_open=True, threshold_met=True))
    items = []
    for case in cases.order_by("referral_date", "id")[:200]:
        running = [t for t in case.resolution_targets(today) if t["state"] != "met"]
        missed = [t for t in running if t["state"] == "missed"]
        target = (missed or running or [None])[-1 if missed else 0]
        if target is None or (target["deadline"] - today).days > days_ahead:
            continue
        items.append(
            WorkItem(
                module="lado",
                label=f"Resolve within {target['label']} of the referral",
                reference=case.reference,
                url=reverse("lado:detail", args=[case.pk]),
                due=target["deadline"],
                overdue=target["deadline"] < today,
                rule=f"Resolution targets: {_targets()}",
            )
        )
    return items
