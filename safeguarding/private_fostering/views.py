"""Private fostering pages of its own: a notification, its edits, the arrangement, the
assessment, visits and the visits worklist. The list, search, import, report, chart and
downloads are core's, built from register.py. Every view declares its permission;
records outside scope answer 404."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.shortcuts import render

from safeguarding.core import permissions
from safeguarding.core.audit import history_for, record_access
from safeguarding.core.pages import (
    editable_or_404,
    form_page,
    initial_from,
    object_or_404,
    versioned,
)
from safeguarding.core.pagination import HistoryPaginator
from safeguarding.core.permissions import requires

from . import conf, queries, rules, services
from .codes import ASSESSMENT_CHECKS
from .forms import ArrangementForm, AssessmentForm, NotificationForm, VisitForm
from .models import Notification
from .register import REGISTER

MODULE = "private_fostering"
PAGE_SIZE = 50


def _editable_or_404(request, pk: int) -> Notification:
    return editable_or_404(queries.notification_get, request, pk)


def _edit_page(request, notification: Notification, form, service, values, **page):
    """A versioned edit of the notification: ``service(acting_user=, notification=,
    expected_version=, **values(cleaned_data))``; a missing or stale version is refused
    on the form, saying why."""
    return form_page(
        request,
        form,
        save=versioned(service, request, values_of=values, notification=notification),
        redirect_to=REGISTER.detail_url,
        breadcrumbs=REGISTER.crumbs(notification),
        **page,
    )


def _can_choose_agency(user) -> bool:
    return permissions.rank(user, MODULE) >= permissions.RANK["officer"]


NOTIFICATION_INTRO = (
    "The system decides from what you record whether this is private fostering, and shows why."
)


@requires(MODULE, "add_record", methods=("GET", "POST"))
def notification_create(request):
    form = NotificationForm(
        request.POST or None, can_choose_agency=_can_choose_agency(request.user)
    )
    return form_page(
        request,
        form,
        save=lambda data: services.notification_create(acting_user=request.user, **form.values()),
        success=lambda notification: f"{notification.reference} recorded",
        redirect_to=REGISTER.detail_url,
        title="Record a private fostering notification",
        intro=NOTIFICATION_INTRO,
        breadcrumbs=REGISTER.crumbs(),
    )


@requires(MODULE, "list_records", record=Notification)
def notification_detail(request, pk: int):
    notification = object_or_404(queries.notification_get, request, pk)
    record_access(user=request.user, module=MODULE, obj=notification)
    today = dt.date.today()
    visits = list(notification.visits.all())
    last_done = next((v for v in reversed(visits) if v.visit_date), None)
    planned = []
    open_visit = next((v for v in visits if not v.visit_date), None)
    if open_visit and not notification.arrangement_end_date:
        # The deadlines after the open visit, if each visit is made on its last allowed day.
        made = [v.visit_date for v in visits if v.visit_date] + [open_visit.due_date]
        planned = [
            due
            for _rule, due in rules.visit_schedule(
                aware=notification.aware,
                arrangement_start=notification.arrangement_start_date,
                made=sorted(made),
                count=4,
                decision=notification.decision,
            )
        ]
    checks = dict(ASSESSMENT_CHECKS)
    return render(
        request,
        "private_fostering/notification_detail.html",
        {
            "notification": notification,
            "visits": [(v, v.state(today)) for v in visits],
            "last_done": last_done,
            "planned": planned,
            "checks": [checks.get(c, c) for c in notification.assessment_checks],
            "history": history_for(notification),
            "can_change": permissions.has_change_permission(request.user, notification),
        },
    )


@requires(MODULE, "change_record", methods=("GET", "POST"), record=Notification)
def notification_edit(request, pk: int):
    notification = _editable_or_404(request, pk)
    initial = initial_from(notification, NotificationForm)
    if notification.child_disabled is not None:
        initial["child_disabled"] = "yes" if notification.child_disabled else "no"
    form = NotificationForm(request.POST or None, initial=initial)
    return _edit_page(
        request,
        notification,
        form,
        services.notification_update,
        lambda data: form.values(),
        success=f"{notification.reference} updated",
        title=f"Change {notification.reference}",
        intro=NOTIFICATION_INTRO,
    )


@requires(MODULE, "change_record", methods=("GET", "POST"), record=Notification)
def arrangement_edit(request, pk: int):
    notification = _editable_or_404(request, pk)
    form = ArrangementForm(
        request.POST or None, initial=initial_from(notification, ArrangementForm)
    )
    return _edit_page(
        request,
        notification,
        form,
        services.arrangement_update,
        lambda data: {
            "arrangement_start_date": data["arrangement_start_date"],
            "arrangement_end_date": data.get("arrangement_end_date"),
            "end_reason": data.get("end_reason") or "",
        },
        success=f"Arrangement dates saved for {notification.reference}",
        title=f"Arrangement dates for {notification.reference}",
        intro="Visits are scheduled from the start. When it ends, visits after the end "
        "are cancelled.",
        button="Save dates",
    )


@requires(MODULE, "change_record", methods=("GET", "POST"), record=Notification)
def assessment_edit(request, pk: int):
    notification = _editable_or_404(request, pk)
    form = AssessmentForm(request.POST or None, initial=initial_from(notification, AssessmentForm))
    return _edit_page(
        request,
        notification,
        form,
        services.assessment_record,
        lambda data: {
            "assessment_date": data["assessment_date"],
            "assessment_checks": data.get("assessment_checks") or [],
            "assessment_decision": data["assessment_decision"],
            "assessment_notes": data.get("assessment_notes") or "",
        },
        success=f"Assessment recorded for {notification.reference}",
        title=f"Suitability of the carer: {notification.reference}",
        intro="Record the checks done on the carer and household, and the decision.",
        button="Save assessment",
    )


@requires(MODULE, "change_record", methods=("GET", "POST"), record=Notification)
def visit_create(request, pk: int):
    notification = _editable_or_404(request, pk)
    if not notification.visitable:
        raise Http404
    next_visit = notification.visits.filter(visit_date__isnull=True).order_by("sequence").first()
    intro = "The child must be seen, alone where appropriate, and a written report made."
    if next_visit:
        intro = f"Visit {next_visit.sequence} is due by {next_visit.due_date:%-d %B %Y}. " + intro
    return form_page(
        request,
        VisitForm(request.POST or None),
        save=lambda data: services.visit_record(
            acting_user=request.user, notification=notification, **data
        ),
        success=lambda visit: f"Visit {visit.sequence} recorded",
        redirect_to=REGISTER.detail_url(notification),
        title=f"Record a visit: {notification.reference}",
        intro=intro,
        button="Save visit",
        breadcrumbs=REGISTER.crumbs(notification),
    )


@requires(MODULE, "list_records")
def worklist(request):
    today = dt.date.today()
    visits = queries.visit_worklist(user=request.user, today=today)
    page = HistoryPaginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    record_access(user=request.user, module=MODULE, kind="list", detail="visit worklist")
    return render(
        request,
        "private_fostering/worklist.html",
        {
            "page_obj": page,
            "rows": [(v, v.state(today), (today - v.due_date).days) for v in page.object_list],
            "days_ahead": conf.reminder_days_ahead(),
            "querystring": "",
        },
    )
