"""LADO pages of its own: a case, its edits, meetings and meeting types. The list, search,
import, report, charts and downloads are core's, built from register.py. Every view
declares its permission; records outside scope answer 404."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from safeguarding.core import permissions
from safeguarding.core.audit import history_for, record_access
from safeguarding.core.pages import (
    config_views,
    editable_or_404,
    form_page,
    initial_from,
    object_or_404,
    split_version,
    versioned,
)
from safeguarding.core.permissions import requires

from . import queries, services
from .forms import CaseForm, MeetingForm, MeetingTypeForm, OutcomeForm
from .models import Case
from .register import REGISTER


def _editable_or_404(request, pk: int) -> Case:
    return editable_or_404(queries.case_get, request, pk)


@requires("lado", "add_record", methods=("GET", "POST"))
def case_create(request):
    form = CaseForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: services.case_create(acting_user=request.user, **split_version(data)[1]),
        success=lambda case: f"{case.reference} recorded",
        redirect_to=REGISTER.detail_url,
        title="Record a contact",
        breadcrumbs=REGISTER.crumbs(),
    )


@requires("lado", "list_records", record=Case)
def case_detail(request, pk: int):
    case = object_or_404(queries.case_get, request, pk)
    record_access(user=request.user, module="lado", obj=case)
    meetings = case.meetings.select_related("meeting_type").prefetch_related("agencies")
    return render(
        request,
        "lado/case_detail.html",
        {
            "case": case,
            "meetings": meetings,
            "history": history_for(case),
            "targets": case.resolution_targets(),
            "can_change": permissions.has_change_permission(request.user, case),
        },
    )


@requires("lado", "change_record", methods=("GET", "POST"), record=Case)
def case_edit(request, pk: int):
    case = _editable_or_404(request, pk)
    initial = initial_from(case, CaseForm, threshold_met="yes" if case.threshold_met else "no")
    return form_page(
        request,
        CaseForm(request.POST or None, initial=initial),
        save=versioned(services.case_update, request, case=case),
        success=f"{case.reference} updated",
        redirect_to=REGISTER.detail_url,
        title=f"Change {case.reference}",
        breadcrumbs=REGISTER.crumbs(case),
    )


@requires("lado", "change_record", methods=("GET", "POST"), record=Case)
def outcome_edit(request, pk: int):
    case = _editable_or_404(request, pk)
    if not case.threshold_met:
        raise Http404
    initial = {"outcome": case.outcome or "pending", "outcome_date": case.outcome_date}
    form = OutcomeForm(
        request.POST or None, case=case, initial={**initial, "version": case.version}
    )

    def save(data):
        return services.outcome_record(
            acting_user=request.user,
            case=case,
            expected_version=data.get("version"),
            outcome=data["outcome"],
            outcome_date=data.get("outcome_date"),
        )

    return form_page(
        request,
        form,
        save=save,
        success=f"Outcome recorded for {case.reference}",
        redirect_to=REGISTER.detail_url,
        title=f"Outcome of {case.reference}",
        intro='The case closes when a final outcome is recorded. Choose "Pending" while the '
        "outcome is not known.",
        button="Save outcome",
        breadcrumbs=REGISTER.crumbs(case),
    )


@requires("lado", "change_record", methods=("GET", "POST"), record=Case)
def meeting_create(request, pk: int):
    case = _editable_or_404(request, pk)
    if not case.threshold_met:
        raise Http404
    return form_page(
        request,
        MeetingForm(request.POST or None),
        save=lambda data: services.meeting_add(acting_user=request.user, case=case, **data),
        success="Meeting recorded",
        redirect_to=REGISTER.detail_url(case),
        title=f"Record a meeting for {case.reference}",
        button="Save meeting",
        breadcrumbs=REGISTER.crumbs(case),
    )


# The local names of strategy / allegation-management meetings (configurable).
meeting_types, meeting_type_edit = config_views(
    module="lado",
    form_class=MeetingTypeForm,
    service=services.meeting_type_save,
    name="meeting_type",
    list_name="meeting_types",
    list_template="lado/meeting_types.html",
    new="Add a meeting type",
    success="Meeting type saved",
)
