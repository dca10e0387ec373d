"""Action tracker pages. Contributors see and update only their own agency's actions
(others answer 404); the business unit (officer) sees all and closes with evidence."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import Truncator

from safeguarding.core import permissions
from safeguarding.core.audit import history_for, record_access
from safeguarding.core.exports import csv_response
from safeguarding.core.pages import form_page, object_or_404, versioned
from safeguarding.core.pagination import HistoryPaginator
from safeguarding.core.permissions import requires

from . import queries, reports, services
from .forms import ActionEditForm, CloseForm, FilterForm, ProgressForm
from .models import STATUSES, Action

PAGE_SIZE = 50


def _action_or_404(request, pk: int) -> Action:
    return object_or_404(queries.action_get, request, pk)


def _open_or_404(request, pk: int) -> Action:
    """An action that can still be changed: a closed action's forms do not exist."""
    action = _action_or_404(request, pk)
    if action.is_closed:
        raise Http404
    return action


def _to_action(action: Action) -> str:
    return reverse("actions:detail", args=[action.pk])


def _edit_page(request, action: Action, form, *, service, success: str, heading: str):
    """A form that changes the action (made with its version as initial data): saved by
    ``service`` only from the version the form was made from."""

    return form_page(
        request,
        form,
        save=versioned(service, request, action=action),
        success=success,
        redirect_to=_to_action(action),
        title=f"{heading}: {action.reference}",
        heading=heading,
        caption=f"{action.reference}: {action.source_label}",
        intro=Truncator(action.description).words(40),
        breadcrumbs=[(action.reference, _to_action(action))],
    )


def _list(request, *, mine: bool):
    filters = FilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    agency = values.get("agency")
    actions = queries.action_list(
        user=request.user,
        source_module=values.get("source_module") or None,
        agency_id=request.user.agency_id if mine else (agency.pk if agency else None),
        status=values.get("status") or None,
        due=values.get("due") or None,
    )
    page = HistoryPaginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    record_access(user=request.user, module="actions", kind="list", detail=f"page {page.number}")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "actions/action_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "mine": mine,
            "querystring": query.urlencode() + "&" if query else "",
            "today": dt.date.today(),
            "is_officer": permissions.has_permission(request.user, "change_record", "actions"),
        },
    )


@requires("actions", "list_records")
def action_list(request):
    return _list(request, mine=False)


@requires("actions", "list_records")
def my_actions(request):
    return _list(request, mine=True)


@requires("actions", "list_records", record=Action)
def action_detail(request, pk: int):
    action = _action_or_404(request, pk)
    record_access(user=request.user, module="actions", obj=action)
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action,
            "updates": action.updates.select_related("author"),
            "history": history_for(action),
            "today": dt.date.today(),
            "can_update": not action.is_closed,
            "can_close": not action.is_closed
            and permissions.has_permission(request.user, "change_record", "actions"),
        },
    )


@requires("actions", "add_record", methods=("GET", "POST"), record=Action)
def action_progress(request, pk: int):
    """The owning agency (or the business unit) records progress."""
    action = _open_or_404(request, pk)
    initial = {"status": action.status, "version": action.version, "date": dt.date.today()}
    return _edit_page(
        request,
        action,
        ProgressForm(request.POST or None, initial=initial),
        service=services.action_update_progress,
        success=f"Progress recorded for {action.reference}",
        heading="Record progress",
    )


@requires("actions", "change_record", methods=("GET", "POST"), record=Action)
def action_close(request, pk: int):
    """The business unit closes an action after checking the evidence of impact."""
    action = _open_or_404(request, pk)
    initial = {"evidence": action.evidence, "version": action.version, "date": dt.date.today()}
    return _edit_page(
        request,
        action,
        CloseForm(request.POST or None, initial=initial),
        service=services.action_close,
        success=f"{action.reference} closed",
        heading="Close with evidence of impact",
    )


@requires("actions", "change_record", methods=("GET", "POST"), record=Action)
def action_edit(request, pk: int):
    action = _open_or_404(request, pk)
    initial = {
        "description": action.description,
        "measure": action.measure,
        "owning_agency": action.owning_agency_id,
        "owner_person": action.owner_person,
        "due_date": action.due_date,
        "version": action.version,
    }
    return _edit_page(
        request,
        action,
        ActionEditForm(request.POST or None, initial=initial),
        service=services.action_edit,
        success=f"{action.reference} changed",
        heading="Change the action",
    )


def _plan(request, type_id: int, source_id: str):
    actions = queries.action_list(user=request.user, source_type_id=type_id, source_id=source_id)
    first = actions.first()
    if first is None:
        raise Http404
    return first, actions


@requires("actions", "list_records")
def action_plan(request, type_id: int, source_id: str):
    """One source's action plan: % complete, RAG, every action (in the user's scope)."""
    first, actions = _plan(request, type_id, source_id)
    summary = queries.plan_summary(actions)
    record_access(user=request.user, module="actions", kind="list", detail="action plan")
    printable = request.GET.get("print") == "1"
    return render(
        request,
        "actions/plan_print.html" if printable else "actions/plan.html",
        {
            "source_label": first.source_label,
            "source_module": first.source_module,
            "type_id": type_id,
            "source_id": source_id,
            "actions": actions,
            "summary": summary,
            "rag": queries.RAG_LABELS[summary["rag"]],
            "today": dt.date.today(),
        },
    )


EXPORT_HEADER = [
    "reference",
    "source",
    "description",
    "measure",
    "owner_agency",
    "owner_person",
    "agreed_date",
    "due_date",
    "status",
    "overdue",
    "completed_date",
    "evidence",
]


@requires("actions", "list_records")
def action_plan_csv(request, type_id: int, source_id: str):
    first, actions = _plan(request, type_id, source_id)
    record_access(user=request.user, module="actions", kind="export", detail="action plan CSV")
    labels = dict(STATUSES)
    rows = [
        (
            a.reference,
            a.source_label,
            a.description,
            a.measure,
            a.owning_agency.name,
            a.owner_person,
            a.agreed_date,
            a.due_date,
            labels[a.status],
            "yes" if a.overdue else "no",
            a.completed_date,
            a.evidence,
        )
        for a in actions
    ]
    return csv_response(f"action-plan-{type_id}-{source_id}.csv", EXPORT_HEADER, rows)


@requires("actions", "view_figures")
def figures(request):
    """Counts only: no descriptions, names or owners."""
    summary = reports.current_summary()
    return render(
        request,
        "actions/figures.html",
        {"summary": summary, "statuses": STATUSES, "modules": permissions.MODULES},
    )
