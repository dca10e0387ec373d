"""LADO pages of its own: a case, its edits, meetings and meeting types. The list, search,
import, report, charts and downloads are core's, built from register.py. Every view
declares its permission; records outside scope answer 404."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from safeguarding.core import permissions
from safeguarding.core.audit import history_for, record_access
from safeguarding.core.pages import form_page, object_or_404, split_version
from safeguarding.core.permissions import requires

from . import queries, services
from .forms import CaseForm, MeetingForm, MeetingTypeForm, OutcomeForm
from .models import Case, MeetingType


def _crumbs(case: Case | None = None) -> list[tuple[str, str]]:
    crumbs = [("LADO register", reverse("lado:list"))]
    if case is not None:
        crumbs.append((case.reference, reverse("lado:detail", args=[case.pk])))
    return crumbs


def _editable_or_404(request, pk: int) -> Case:
    case = object_or_404(queries.case_get, request, pk)
    if not permissions.has_change_permission(request.user, case):
        raise Http404
    return case


def _to_case(case: Case) -> str:
    return reverse("lado:detail", args=[case.pk])


@requires("lado", "add_record", methods=("GET", "POST"))
def case_create(request):
    form = CaseForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: services.case_create(acting_user=request.user, **split_version(data)[1]),
        success=lambda case: f"{case.reference} recorded",
        redirect_to=_to_case,
        title="Record a contact",
        breadcrumbs=_crumbs(),
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


def _initial(case: Case) -> dict:
    initial = {f: getattr(case, f) for f in CaseForm.base_fields if hasattr(case, f)}
    initial["threshold_met"] = "yes" if case.threshold_met else "no"
    return initial


@requires("lado", "change_record", methods=("GET", "POST"), record=Case)
def case_edit(request, pk: int):
    case = _editable_or_404(request, pk)
    form = CaseForm(request.POST or None, initial=_initial(case))

    def save(data):
        version, values = split_version(data)
        return services.case_update(
            acting_user=request.user, case=case, expected_version=version, **values
        )

    return form_page(
        request,
        form,
        save=save,
        success=f"{case.reference} updated",
        redirect_to=_to_case,
        title=f"Change {case.reference}",
        breadcrumbs=_crumbs(case),
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
        redirect_to=_to_case,
        title=f"Outcome of {case.reference}",
        intro='The case closes when a final outcome is recorded. Choose "Pending" while the '
        "outcome is not known.",
        button="Save outcome",
        breadcrumbs=_crumbs(case),
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
        redirect_to=_to_case(case),
        title=f"Record a meeting for {case.reference}",
        button="Save meeting",
        breadcrumbs=_crumbs(case),
    )


@requires("lado", "configure")
def meeting_types(request):
    return render(request, "lado/meeting_types.html", {"types": MeetingType.objects.all()})


@requires("lado", "configure", methods=("GET", "POST"), record=MeetingType)
def meeting_type_edit(request, pk: int | None = None):
    meeting_type = get_object_or_404(MeetingType, pk=pk) if pk else None
    form = MeetingTypeForm(
        request.POST or None,
        instance=meeting_type,
        initial={"version": meeting_type.version} if meeting_type else None,
    )

    def save(data):
        version, values = split_version(data)
        return services.meeting_type_save(
            acting_user=request.user, meeting_type=meeting_type, expected_version=version, **values
        )

    return form_page(
        request,
        form,
        save=save,
        success="Meeting type saved",
        redirect_to="lado:meeting_types",
        title=f"Change {meeting_type.name}" if meeting_type else "Add a meeting type",
    )
