"""LADO reads, already limited to what the user may see."""

from __future__ import annotations

from django.db.models import Min, Q, QuerySet

from safeguarding.core.periods import FinancialYear
from safeguarding.core.permissions import scoped

from .models import Case


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
        .annotate(first_meeting=Min("meetings__date"))
        .order_by("-contact_date", "-id")
    )


def case_get(*, user, pk: int) -> Case:
    """The case, or Case.DoesNotExist if it is outside the user's scope (404)."""
    return scoped(user, "lado", Case.objects.select_related("owning_agency")).get(pk=pk)
