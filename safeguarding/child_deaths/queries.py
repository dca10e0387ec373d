"""Child death reads, already limited to what the user may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from safeguarding.core.periods import FinancialYear, add_months
from safeguarding.core.permissions import RANK, rank, scoped
from safeguarding.core.registers import WorkItem

from . import conf
from .models import Death, FormRequest
from .rules import AGENCY_FORM, PANEL_REVIEW

MODULE = "child_deaths"


def death_list(
    *,
    user,
    year: FinancialYear | None = None,
    expected: str | None = None,
    reviewed: str | None = None,
    category: str | None = None,
    search: str | None = None,
) -> QuerySet[Death]:
    """Deaths the user may see; ``year`` is the year of notification."""
    deaths = scoped(user, MODULE, Death.objects.all())
    if year:
        deaths = deaths.filter(notification_date__range=(year.start, year.end))
    if expected == "expected":
        deaths = deaths.filter(expected=True)
    elif expected == "unexpected":
        deaths = deaths.filter(expected=False)
    if reviewed == "yes":
        deaths = deaths.filter(review_date__isnull=False)
    elif reviewed == "no":
        deaths = deaths.filter(review_date__isnull=True)
    if category:
        deaths = deaths.filter(category=category)
    if search:
        deaths = deaths.filter(
            Q(reference__icontains=search)
            | Q(child_name__icontains=search)
            | Q(nhs_number=search.replace(" ", ""))
        )
    # Correlated subqueries, not a GROUP BY over every death: the database counts forms
    # for the rows of the page only, and the page count needs no join.
    forms = FormRequest.objects.filter(death=OuterRef("pk")).order_by().values("death")
    return (
        deaths.select_related("owning_agency")
        .annotate(
            forms_asked=Coalesce(Subquery(forms.annotate(n=Count("id")).values("n")), 0),
            forms_returned=Coalesce(
                Subquery(
                    forms.filter(returned_date__isnull=False).annotate(n=Count("id")).values("n")
                ),
                0,
            ),
        )
        .order_by("-notification_date", "-id")
    )


def death_get(*, user, pk: int) -> Death:
    """The death, or Death.DoesNotExist if it is outside the user's scope (404)."""
    return scoped(user, MODULE, Death.objects.select_related("owning_agency")).get(pk=pk)


def form_request_list(
    *, user, status: str | None = None, today: dt.date | None = None
) -> QuerySet[FormRequest]:
    """Requests the user may see: a contributor only those addressed to their agency."""
    today = today or dt.date.today()
    forms = scoped(user, MODULE, FormRequest.objects.all())
    if status == "outstanding":
        forms = forms.filter(returned_date__isnull=True)
    elif status == "overdue":
        forms = forms.filter(returned_date__isnull=True, due_date__lt=today)
    elif status == "returned":
        forms = forms.filter(returned_date__isnull=False)
    return forms.select_related("death", "owning_agency").order_by(
        "returned_date", "due_date", "id"
    )


def form_request_get(*, user, pk: int) -> FormRequest:
    return scoped(user, MODULE, FormRequest.objects.select_related("death", "owning_agency")).get(
        pk=pk
    )


def panel_cases(*, user) -> QuerySet[Death]:
    """Cases ready for the panel: not yet reviewed, with every requested form returned."""
    return (
        scoped(user, MODULE, Death.objects.filter(review_date__isnull=True))
        .annotate(
            forms_asked=Count("form_requests"),
            forms_outstanding=Count(
                "form_requests", filter=Q(form_requests__returned_date__isnull=True)
            ),
        )
        .filter(forms_asked__gt=0, forms_outstanding=0)
        .select_related("owning_agency")
        .order_by("date_of_death", "id")
    )


def awaiting_forms(*, user) -> QuerySet[Death]:
    """Unreviewed deaths still waiting for forms (shown below the ready cases)."""
    return (
        scoped(user, MODULE, Death.objects.filter(review_date__isnull=True))
        .annotate(
            forms_asked=Count("form_requests"),
            forms_outstanding=Count(
                "form_requests", filter=Q(form_requests__returned_date__isnull=True)
            ),
        )
        .filter(Q(forms_asked=0) | Q(forms_outstanding__gt=0))
        .select_related("owning_agency")
        .order_by("date_of_death", "id")
    )


def worklist(*, user, today: dt.date, days_ahead: int = 14, limit: int = 200) -> list[WorkItem]:
    """What is due for this user: agency reporting forms overdue or due within
    ``days_ahead`` days (a contributor: those asked of their agency; an officer: all), and,
    for officers, deaths whose panel review is overdue. Labels and references name no
    child. Each read goes through a partial index of what is still open (forms not
    returned, deaths not reviewed) and stops at ``limit``: its cost follows the open work,
    not the years of history."""
    from django.urls import reverse

    items = []
    forms = scoped(
        user,
        MODULE,
        FormRequest.objects.filter(
            returned_date__isnull=True, due_date__lte=today + dt.timedelta(days=days_ahead)
        ),
    )
    for form in forms.select_related("death", "owning_agency").order_by("due_date", "id")[:limit]:
        items.append(
            WorkItem(
                module=MODULE,
                label=f"Agency reporting form from {form.owning_agency}",
                reference=form.death.reference,
                url=reverse("child_deaths:form_detail", args=[form.pk]),
                due=form.due_date,
                overdue=AGENCY_FORM.overdue(form.due_date, today),
                rule=AGENCY_FORM.rule,
            )
        )
    if rank(user, MODULE) >= RANK["officer"]:
        months = conf.review_months()
        unreviewed = (
            Death.objects.filter(
                review_date__isnull=True, date_of_death__lte=add_months(today, -months)
            )
            .filter(PANEL_REVIEW.applies_q("date_of_death"))
            .order_by("date_of_death", "id")[:limit]
        )
        for death in unreviewed:
            if death.review_overdue(today):
                items.append(
                    WorkItem(
                        module=MODULE,
                        label="Panel review overdue",
                        reference=death.reference,
                        url=reverse("child_deaths:detail", args=[death.pk]),
                        due=death.review_due,
                        overdue=True,
                        # Local target (settings.CHILD_DEATHS_REVIEW_MONTHS).
                        rule=PANEL_REVIEW.rule,
                    )
                )
    return items
