"""LADO pages of its own: a case, its edits, meetings and meeting types. The list, search,
import, report, charts and downloads are core's, built from register.py. Every view
declares its permission; records outside scope answer 404."""

from __future__ import annotations

import datetime as dt

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
from .forms import (
    CaseForm,
    ContactForm,
    DecisionForm,
    MeetingForm,
    MeetingTypeForm,
    NoteForm,
    OutcomeForm,
    ReferralForm,
)
from .models import Case
from .register import REGISTER
from .rules import EMPLOYER_REFERRAL, decision_rule


def _editable_or_404(request, pk: int) -> Case:
    return editable_or_404(queries.case_get, request, pk)


@requires("lado", "add_record", methods=("GET", "POST"))
def case_create(request):
    """The LADO's officers record a contact with its threshold decision; a partner agency's
    contributor (a school's designated safeguarding lead) makes a referral, which waits for
    the LADO's decision."""
    if not permissions.has_change_permission(request.user, "lado"):
        return _referral_create(request)
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


def _referral_create(request):
    form = ReferralForm(request.POST or None, initial={"employer_name": _agency_name(request)})
    return form_page(
        request,
        form,
        save=lambda data: services.referral_make(acting_user=request.user, **data),
        success=lambda case: f"Referral {case.reference} sent to the LADO",
        redirect_to=REGISTER.detail_url,
        title="Refer an allegation to the LADO",
        intro="Tell the Local Authority Designated Officer (LADO) about an allegation or "
        "concern about an adult who works with children. The LADO decides whether the harm "
        "test is met and what happens next, and you are told by email when they have. You "
        "can add information to the referral at any time. If a child is in immediate "
        "danger, call the police on 999.",
        button="Send the referral",
        breadcrumbs=REGISTER.crumbs(),
    )


def _agency_name(request) -> str:
    agency = getattr(request.user, "agency", None)
    return agency.name if agency is not None else ""


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
            "notes": queries.notes_for(case),
            "history": history_for(case),
            "targets": case.resolution_targets(),
            "clock": case.clock(),
            "decision_rule": decision_rule(),
            "employer_rule": EMPLOYER_REFERRAL.rule,
            "can_change": permissions.has_change_permission(request.user, case),
            "can_add_note": permissions.has_add_permission(request.user, "lado"),
        },
    )


@requires("lado", "change_record", methods=("GET", "POST"), record=Case)
def case_edit(request, pk: int):
    case = _editable_or_404(request, pk)
    if case.awaiting_decision:  # the decision has its own page
        form_class, initial = ContactForm, initial_from(case, ContactForm)
    else:
        initial = initial_from(case, CaseForm, threshold_met="yes" if case.threshold_met else "no")
        form_class = CaseForm
    return form_page(
        request,
        form_class(request.POST or None, initial=initial),
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
    initial = {
        "outcome": case.outcome or "pending",
        "outcome_date": case.outcome_date,
        "employer_outcome": case.employer_outcome,
    }
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
            employer_outcome=data.get("employer_outcome") or "",
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
def decision_edit(request, pk: int):
    """The LADO's threshold decision: on a partner's referral awaiting it, or changed later
    (new information in a note may turn advice into a referral). The referrer is emailed."""
    case = _editable_or_404(request, pk)
    initial = {
        "version": case.version,
        "threshold_met": None
        if case.awaiting_decision
        else ("yes" if case.threshold_met else "no"),
        "harm_test": case.harm_test,
        "allegation_category": case.allegation_category,
        "decided_on": case.decided_on or dt.date.today(),
        "next_steps": case.next_steps,
    }
    first = case.awaiting_decision
    return form_page(
        request,
        DecisionForm(request.POST or None, case=case, initial=initial),
        save=versioned(services.decision_record, request, case=case),
        success=f"Decision recorded for {case.reference}"
        + (": the referrer is told by email" if first and _emailable(case.referred_by) else ""),
        redirect_to=REGISTER.detail_url,
        title=f"{'Decide on' if first else 'Change the decision on'} {case.reference}",
        caption="Threshold decision",
        intro=_decision_intro(case),
        button="Save the decision",
        breadcrumbs=REGISTER.crumbs(case),
    )


def _decision_intro(case: Case) -> str:
    received = f"Received on {case.contact_date.day} {case.contact_date:%B %Y}"
    if case.owning_agency_id:
        received += f" from {case.owning_agency}"
    if not case.awaiting_decision:
        return received + "."
    due = case.decision_due
    return f"{received}. The decision is due by {due.day} {due:%B %Y}: {decision_rule()}."


def _emailable(user) -> bool:
    return bool(user is not None and user.is_active and user.email)


@requires("lado", "add_record", methods=("GET", "POST"), record=Case)
def note_create(request, pk: int):
    """Dated information added to a case: by the referring agency at any time (after the
    decision too), or by the LADO. It adds, never changes, so it carries no version."""
    case = object_or_404(queries.case_get, request, pk)
    return form_page(
        request,
        NoteForm(request.POST or None),
        save=lambda data: services.note_add(acting_user=request.user, case=case, **data),
        success=f"Information added to {case.reference}",
        redirect_to=REGISTER.detail_url(case) + "#notes",
        title=f"Add information to {case.reference}",
        intro="Anything the LADO should know: what has happened since, what the employer "
        "has done, new concerns. The LADO and your organisation can read it on the case.",
        button="Add the information",
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
