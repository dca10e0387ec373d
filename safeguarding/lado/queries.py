"""LADO reads, already limited to what the user may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from safeguarding.core.periods import FinancialYear
from safeguarding.core.permissions import scoped
from safeguarding.core.registers import WorkItem

from .models import Case, Meeting, Note
from .rules import decision_due, decision_rule, resolution_clock, resolution_rule

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
    sort: str | None = None,
    search: str | None = None,
) -> QuerySet[Case]:
    """The cases the user may see, filtered; newest contact first, or (``sort="age"``)
    the open ones first, longest open first (read through the ``open_since`` index)."""
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
        cases = cases.filter(threshold_met=False, awaiting_decision=False)
    elif status == "awaiting":
        cases = cases.filter(awaiting_decision=True)
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
        .order_by(*_ORDER.get(sort or "", _ORDER[""]))
    )


_ORDER = {
    "": ("-contact_date", "-id"),
    "age": (F("open_since").asc(nulls_last=True), "-contact_date", "-id"),
}


def case_get(*, user, pk: int) -> Case:
    """The case, or Case.DoesNotExist if it is outside the user's scope (404)."""
    return scoped(user, "lado", Case.objects.select_related("owning_agency", "referred_by")).get(
        pk=pk
    )


def notes_for(case: Case) -> QuerySet[Note]:
    """The case's notes, oldest first, with who wrote them (one query)."""
    return case.notes.select_related("written_by", "agency")


# ---- the worklist ----------------------------------------------------------------------

# How many open cases the worklist reads at most (oldest first). The home page shows the
# first few; the list sorted by age shows them all.
WORKLIST_LIMIT = 500


def decision_worklist(*, user, today: dt.date) -> list[WorkItem]:
    """Partners' referrals awaiting the LADO's threshold decision, due
    settings.LADO_REFERRAL_WORKING_DAYS working days after they came in (rules.decision_due),
    oldest first. Read through the (awaiting_decision, contact_date) index."""
    cases = (
        scoped(user, "lado", Case.objects.filter(awaiting_decision=True))
        .order_by("contact_date", "id")
        .only("id", "reference", "contact_date")[:WORKLIST_LIMIT]
    )
    rule = decision_rule()
    items = []
    for case in cases:
        due = decision_due(case.contact_date)
        items.append(
            WorkItem(
                module="lado",
                label="Decide on the referral: the threshold, the harm test and the next steps",
                reference=case.reference,
                url=reverse("lado:detail", args=[case.pk]),
                due=due,
                overdue=today > due,
                rule=rule,
            )
        )
    return items


def resolution_worklist(*, user, today: dt.date, days_ahead: int = 14) -> list[WorkItem]:
    """Open referrals by age against the resolution targets (settings.LADO_RESOLUTION_TARGETS):
    each one past its first target, or reaching it within ``days_ahead`` days, oldest first.

    An item is due on the first target's deadline (one month after the referral), so that
    overdue cases sort oldest first; its label says how long the case has been open and the
    longest target it has missed. Read through the ``open_since`` index: the cost follows the
    open cases old enough to list, never the years of closed ones."""
    from safeguarding.core.periods import add_months

    horizon = today + dt.timedelta(days=days_ahead)
    first_months = min(months for _label, months, _share in _settings().LADO_RESOLUTION_TARGETS)
    # A month back from the horizon, and a few days more: 29-31 January all reach their
    # month on 28 February. The exact test is the clock's, below, on these few rows.
    latest_start = add_months(horizon, -first_months) + dt.timedelta(days=3)
    cases = (
        scoped(
            user,
            "lado",
            Case.objects.filter(
                open_since__lte=latest_start, awaiting_decision=False, is_open=True
            ),
        )
        .order_by("open_since", "id")
        .only("id", "reference", "open_since")[:WORKLIST_LIMIT]
    )
    rule = resolution_rule()
    items = []
    for case in cases:
        clock = resolution_clock(case.open_since, today)
        if not clock.overdue and clock.first.deadline > horizon:
            continue
        if clock.overdue:  # say the longest target it has missed, not the first
            label = f"Overdue for resolution: open {clock.age}, past {(clock.worst or clock.first).label}"
        else:
            label = f"Resolve within {clock.first.label} of the referral: open {clock.age}"
        items.append(
            WorkItem(
                module="lado",
                label=label,
                reference=case.reference,
                url=reverse("lado:detail", args=[case.pk]),
                due=clock.first.deadline,
                overdue=clock.overdue,
                rule=rule,
            )
        )
    return items


def worklist(user, today: dt.date) -> list[WorkItem]:
    """The register's worklist (core/registers.py: Register.worklist): referrals awaiting
    the LADO's decision, then open referrals by age. Two queries, whatever the history."""
    return decision_worklist(user=user, today=today) + resolution_worklist(user=user, today=today)


def _settings():
    from django.conf import settings

    return settings
