"""Case review pages of its own: a referral, its edits, children, chronologies, actions, the
clocks due this week and the configuration. The list, search, import, report, chart and
downloads are core's, built from register.py. Every view declares its permission; records
outside scope answer 404."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.urls import reverse, reverse_lazy

from safeguarding.actions.forms import ActionForm
from safeguarding.actions.queries import RAG_LABELS, plan_summary
from safeguarding.actions.services import actions_for
from safeguarding.core import permissions
from safeguarding.core.audit import history_for_many, record_access
from safeguarding.core.pages import (
    config_page,
    editable_or_404,
    form_page,
    initial_from,
    object_or_404,
    versioned,
)
from safeguarding.core.pagination import HistoryPaginator
from safeguarding.core.permissions import requires

from . import queries, services
from .forms import (
    ChildForm,
    ChronologyRequestForm,
    ChronologyReturnForm,
    NewReferralForm,
    PanelForm,
    ReferralForm,
    ReviewForm,
    ReviewTypeForm,
    ThemeForm,
)
from .models import Chronology, Referral, ReviewType, Theme
from .register import REGISTER

PAGE_SIZE = 50


def _editable_or_404(request, pk: int) -> Referral:
    return editable_or_404(queries.referral_get, request, pk)


def _under(referral: Referral) -> dict:
    """The page context of a form about one referral."""
    return {"caption": referral.label, "breadcrumbs": REGISTER.crumbs(referral)}


@requires("case_reviews", "add_record", methods=("GET", "POST"))
def referral_create(request):
    form = NewReferralForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda _data: services.referral_create(acting_user=request.user, **form.values()),
        success=lambda referral: f"{referral.reference} recorded",
        redirect_to=REGISTER.detail_url,
        title="Refer a case to the panel",
        breadcrumbs=REGISTER.crumbs(),
    )


@requires("case_reviews", "list_records", record=Referral)
def referral_detail(request, pk: int):
    referral = object_or_404(queries.referral_get, request, pk)
    record_access(user=request.user, module="case_reviews", obj=referral)
    actions = actions_for(referral)
    summary = plan_summary(actions)
    chronologies = list(referral.chronologies.select_related("agency"))
    return render(
        request,
        "case_reviews/referral_detail.html",
        {
            "referral": referral,
            "children": referral.children.all(),
            "agencies": referral.agencies_involved.all(),
            "themes": referral.themes.all(),
            "chronologies": chronologies,
            "clocks": referral.clocks(),
            "actions": actions,
            "summary": summary,
            "rag": RAG_LABELS[summary["rag"]],
            "today": dt.date.today(),
            # The review's story: the referral and its chronologies' returns.
            "history": history_for_many([referral, *chronologies]),
            "can_change": permissions.has_change_permission(request.user, referral),
            "notification_required": referral.notification_required,
        },
    )


def _initial(referral: Referral, form_class) -> dict:
    fields = form_class.base_fields
    initial = initial_from(referral, form_class)
    for name in (
        "abuse_or_neglect",
        "child_died",
        "seriously_harmed",
        "looked_after",
        "outside_england",
    ):
        if name in fields:
            initial[name] = "yes" if getattr(referral, name) else "no"
    if "agencies_involved" in fields:
        initial["agencies_involved"] = list(referral.agencies_involved.values_list("pk", flat=True))
    if "themes" in fields:
        initial["themes"] = list(referral.themes.values_list("pk", flat=True))
    if "decision" in fields:
        initial["decision"] = referral.decision_id
    return initial


def _edit(request, referral: Referral, form_class, *, title: str, summary: str):
    """An edit of the referral, saved only from the version the form was made from."""
    kwargs = {"referral": referral} if form_class in (PanelForm, ReviewForm) else {}
    form = form_class(request.POST or None, initial=_initial(referral, form_class), **kwargs)
    return form_page(
        request,
        form,
        save=versioned(
            services.referral_update, request, referral=referral, change_summary=summary
        ),
        success=f"{referral.reference}: {summary.lower()}",
        redirect_to=REGISTER.detail_url,
        title=title,
        **_under(referral),
    )


@requires("case_reviews", "change_record", methods=("GET", "POST"), record=Referral)
def referral_edit(request, pk: int):
    referral = _editable_or_404(request, pk)
    return _edit(
        request,
        referral,
        ReferralForm,
        title=f"Change {referral.reference}",
        summary="Details changed",
    )


@requires("case_reviews", "change_record", methods=("GET", "POST"), record=Referral)
def panel_edit(request, pk: int):
    return _edit(
        request,
        _editable_or_404(request, pk),
        PanelForm,
        title="Clocks and the panel's decision",
        summary="Clocks and decision recorded",
    )


@requires("case_reviews", "change_record", methods=("GET", "POST"), record=Referral)
def review_edit(request, pk: int):
    return _edit(
        request,
        _editable_or_404(request, pk),
        ReviewForm,
        title="The review and its publication",
        summary="Review recorded",
    )


# Children, chronology requests and actions are added under a referral: nothing recorded
# is overwritten, so these forms carry no version (the URL's pk is the referral).


def _add(request, pk: int, form_class, *, service, success, title: str, **form_kwargs):
    referral = _editable_or_404(request, pk)
    return form_page(
        request,
        form_class(request.POST or None, **form_kwargs),
        save=lambda data: service(acting_user=request.user, referral=referral, **data),
        success=success,
        redirect_to=REGISTER.detail_url(referral),
        title=title,
        **_under(referral),
    )


@requires("case_reviews", "change_record", methods=("GET", "POST"), record=Referral)
def child_add(request, pk: int):
    return _add(
        request,
        pk,
        ChildForm,
        service=services.child_add,
        success="Child added",
        title="Add a child",
    )


@requires("case_reviews", "change_record", methods=("GET", "POST"), record=Referral)
def chronology_request(request, pk: int):
    return _add(
        request,
        pk,
        ChronologyRequestForm,
        service=services.chronology_request,
        success="Chronology requested",
        title="Request an agency's chronology",
        initial={"requested_date": dt.date.today()},
    )


@requires("case_reviews", "change_record", methods=("GET", "POST"), record=Referral)
def action_add(request, pk: int):
    """A recommendation's action, added to the review's action plan."""
    return _add(
        request,
        pk,
        ActionForm,
        service=services.referral_action_add,
        success=lambda action: f"{action.reference} added to the action plan",
        title="Add an action",
    )


@requires("case_reviews", "list_records")
def chronology_list(request):
    """The chronologies asked of the user's agency (officers: all)."""
    page = HistoryPaginator(queries.chronology_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "case_reviews/chronology_list.html",
        {"page_obj": page, "querystring": "", "today": dt.date.today()},
    )


@requires("case_reviews", "add_record", methods=("GET", "POST"), record=Chronology)
def chronology_return(request, pk: int):
    """The agency asked (or the business unit) records that the chronology came back.
    Either may do it, so the form carries the chronology's version."""
    chronology = object_or_404(queries.chronology_get, request, pk)
    initial = {
        "returned_date": chronology.returned_date or dt.date.today(),
        "note": chronology.note,
        "version": chronology.version,
    }
    return form_page(
        request,
        ChronologyReturnForm(request.POST or None, initial=initial),
        save=versioned(services.chronology_return, request, chronology=chronology),
        success="Chronology marked as returned",
        redirect_to="case_reviews:chronologies",
        title=f"Chronology returned: {chronology.referral.reference}",
        breadcrumbs=[
            ("Case reviews", reverse("case_reviews:list")),
            ("Chronology requests", reverse("case_reviews:chronologies")),
        ],
    )


@requires("case_reviews", "change_record")
def worklist(request):
    """Statutory clocks due this week or overdue."""
    today = dt.date.today()
    monday, sunday = queries.week_bounds(today)
    rows = queries.worklist(user=request.user, today=today)
    record_access(user=request.user, module="case_reviews", kind="list", detail="worklist")
    return render(
        request,
        "case_reviews/worklist.html",
        {"rows": rows, "monday": monday, "sunday": sunday, "today": today},
    )


@requires("case_reviews", "configure")
def review_types(request):
    return render(
        request,
        "case_reviews/settings_list.html",
        {"review_types": ReviewType.objects.all(), "themes": Theme.objects.all()},
    )


SETTINGS = {
    "redirect_to": "case_reviews:settings",
    "caption": "Review types and learning themes",
    "breadcrumbs": [
        ("Case reviews", reverse_lazy("case_reviews:list")),
        ("Review types and learning themes", reverse_lazy("case_reviews:settings")),
    ],
}


@requires("case_reviews", "configure", methods=("GET", "POST"), record=ReviewType)
def review_type_edit(request, pk: int | None = None):
    return config_page(
        request,
        ReviewTypeForm,
        pk,
        service=services.review_type_save,
        name="review_type",
        new="Add a review type",
        title="Review type",
        success="Review type saved",
        **SETTINGS,
    )


@requires("case_reviews", "configure", methods=("GET", "POST"), record=Theme)
def theme_edit(request, pk: int | None = None):
    return config_page(
        request,
        ThemeForm,
        pk,
        service=services.theme_save,
        name="theme",
        new="Add a learning theme",
        title="Learning theme",
        success="Learning theme saved",
        **SETTINGS,
    )
