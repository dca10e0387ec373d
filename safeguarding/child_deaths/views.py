"""Child death review pages of its own: a death, its notification, joint agency response,
panel review and recommendations; agency reporting forms; the panel meeting. The list,
search, import, report, charts and downloads are core's, built from register.py. Every
view declares its permission; records outside scope answer 404."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from safeguarding.actions.services import actions_for
from safeguarding.core import permissions
from safeguarding.core.audit import history_for, record_access
from safeguarding.core.pages import (
    editable_or_404,
    form_page,
    initial_from,
    object_or_404,
    split_version,
    versioned,
)
from safeguarding.core.pagination import HistoryPaginator
from safeguarding.core.permissions import requires

from . import conf, queries, services
from .forms import (
    DeathForm,
    FormRequestForm,
    FormReturnForm,
    JarForm,
    RecommendationForm,
    ReviewForm,
    ReviewMeetingForm,
    yes_no_unknown_initial,
)
from .models import Death, FormRequest
from .register import REGISTER

MODULE = "child_deaths"
PAGE_SIZE = 50
NOTIFY_INTRO = (
    "The panel reviews the death of every child who normally lived in the area, before their "
    "18th birthday. Stillbirths and lawful terminations are not notified."
)


def _editable_or_404(request, pk: int) -> Death:
    return editable_or_404(queries.death_get, request, pk)


def _is_officer(user) -> bool:
    return permissions.rank(user, MODULE) >= permissions.RANK["officer"]


@requires(MODULE, "add_record", methods=("GET", "POST"))
def death_create(request):
    agency = None if _is_officer(request.user) else request.user.agency
    return form_page(
        request,
        DeathForm(request.POST or None, agency=agency),
        save=lambda data: services.death_create(acting_user=request.user, **split_version(data)[1]),
        success=lambda death: f"{death.reference} notified",
        redirect_to=REGISTER.detail_url,
        title="Notify a child death",
        intro=NOTIFY_INTRO,
        breadcrumbs=REGISTER.crumbs(),
    )


@requires(MODULE, "list_records", record=Death)
def death_detail(request, pk: int):
    death = object_or_404(queries.death_get, request, pk)
    record_access(user=request.user, module=MODULE, obj=death)
    officer = permissions.has_change_permission(request.user, death)
    context = {
        "death": death,
        "history": history_for(death),
        "can_change": officer,
        "today": dt.date.today(),
        "review_months": conf.review_months(),
    }
    if officer:  # the panel's work and other agencies' forms are for the panel only
        context["form_requests"] = death.form_requests.select_related(
            "owning_agency", "returned_by"
        )
        context["actions"] = actions_for(death)
    return render(request, "child_deaths/death_detail.html", context)


def _edit(request, death: Death, form, service, *, title: str, success: str, **context):
    """A versioned edit of the death: the form carries the version it was made from, and
    the service refuses it when that is missing or stale."""
    return form_page(
        request,
        form,
        save=versioned(service, request, death=death),
        success=success,
        redirect_to=REGISTER.detail_url,
        breadcrumbs=REGISTER.crumbs(death),
        title=title,
        **context,
    )


@requires(MODULE, "change_record", methods=("GET", "POST"), record=Death)
def death_edit(request, pk: int):
    death = _editable_or_404(request, pk)
    return _edit(
        request,
        death,
        DeathForm(
            request.POST or None,
            initial=initial_from(
                death,
                DeathForm,
                owning_agency=death.owning_agency_id,
                expected="yes" if death.expected else "no",
                child_protection_plan_at_death=yes_no_unknown_initial(
                    death.child_protection_plan_at_death
                ),
                looked_after_at_death=yes_no_unknown_initial(death.looked_after_at_death),
            ),
        ),
        services.death_update,
        title=f"Change {death.reference}",
        intro=NOTIFY_INTRO,
        success=f"{death.reference} updated",
    )


def _step(request, death: Death, form, service, title: str, success: str):
    """A step of the review on its own page: captioned with the death's reference."""
    return _edit(
        request,
        death,
        form,
        service,
        title=f"{title}: {death.reference}",
        heading=title,
        caption=death.reference,
        success=success,
    )


@requires(MODULE, "change_record", methods=("GET", "POST"), record=Death)
def jar_edit(request, pk: int):
    death = _editable_or_404(request, pk)
    form = JarForm(request.POST or None, initial=initial_from(death, JarForm))
    return _step(
        request,
        death,
        form,
        services.jar_record,
        "Joint agency response",
        "Joint agency response recorded",
    )


@requires(MODULE, "change_record", methods=("GET", "POST"), record=Death)
def review_meeting_edit(request, pk: int):
    death = _editable_or_404(request, pk)
    form = ReviewMeetingForm(request.POST or None, initial=initial_from(death, ReviewMeetingForm))
    return _step(
        request,
        death,
        form,
        services.review_meeting_record,
        "Child death review meeting",
        "Child death review meeting recorded",
    )


@requires(MODULE, "change_record", methods=("GET", "POST"), record=Death)
def review_edit(request, pk: int):
    death = _editable_or_404(request, pk)
    form = ReviewForm(request.POST or None, initial=initial_from(death, ReviewForm))
    return _step(
        request, death, form, services.review_record, "Panel review", "Panel review recorded"
    )


def _add(request, death: Death, form, *, save, success, title: str):
    """A record added under the death (not an edit of it, so no version)."""
    return form_page(
        request,
        form,
        save=save,
        success=success,
        redirect_to=REGISTER.detail_url(death),
        title=f"{title}: {death.reference}",
        heading=title,
        caption=death.reference,
        breadcrumbs=REGISTER.crumbs(death),
    )


@requires(MODULE, "change_record", methods=("GET", "POST"), record=Death)
def recommendation_create(request, pk: int):
    death = _editable_or_404(request, pk)
    if not death.is_reviewed:
        messages.info(request, "Record the panel review before adding recommendations")
        return redirect(REGISTER.detail_url(death))
    return _add(
        request,
        death,
        RecommendationForm(request.POST or None),
        save=lambda data: services.recommendation_add(
            acting_user=request.user, death=death, **data
        ),
        success=lambda action: f"Recommendation added as action {action.reference}",
        title="Add a recommendation",
    )


def _requested(made: list) -> str:
    return f"{len(made)} reporting form{'s' if len(made) != 1 else ''} requested" + (
        "" if made else " (those agencies had already been asked)"
    )


@requires(MODULE, "change_record", methods=("GET", "POST"), record=Death)
def form_request_create(request, pk: int):
    death = _editable_or_404(request, pk)
    form = FormRequestForm(
        request.POST or None,
        initial={"due_date": dt.date.today() + dt.timedelta(days=conf.form_due_days())},
    )
    return _add(
        request,
        death,
        form,
        save=lambda data: services.form_requests_create(
            acting_user=request.user,
            death=death,
            agencies=data["agencies"],
            due_date=data["due_date"],
        ),
        success=_requested,
        title="Request agency reporting forms",
    )


@requires(MODULE, "list_records")
def form_list(request):
    status = request.GET.get("status") or "outstanding"
    if status not in ("outstanding", "overdue", "returned", "all"):
        status = "outstanding"
    forms = queries.form_request_list(user=request.user, status=status)
    page = HistoryPaginator(forms, PAGE_SIZE).get_page(request.GET.get("page"))
    record_access(user=request.user, module=MODULE, kind="list", detail=f"forms {status}")
    return render(
        request,
        "child_deaths/form_list.html",
        {
            "page_obj": page,
            "status": status,
            "querystring": f"status={status}&",
            "today": dt.date.today(),
            "can_chase": permissions.has_permission(request.user, "change_record", MODULE),
            "overdue_count": queries.form_request_list(user=request.user, status="overdue").count()
            if status != "overdue"
            else page.paginator.count,
        },
    )


@requires(MODULE, "list_records", methods=("GET", "POST"), record=FormRequest)
def form_detail(request, pk: int):
    """The asked agency's reporting form: the child's minimum details, and the form to
    return (or correct) from the version it was made from."""
    form_request = object_or_404(queries.form_request_get, request, pk)
    form = FormReturnForm(
        request.POST or None,
        initial={
            "involvement": form_request.involvement,
            "information": form_request.information,
            "version": form_request.version,
        },
    )

    def save(data):
        version, values = split_version(data)
        return services.form_return(
            acting_user=request.user,
            form_request=form_request,
            expected_version=version,
            **values,
        )

    record_access(user=request.user, module=MODULE, obj=form_request)
    return form_page(
        request,
        form,
        save=save,
        success=f"Reporting form for {form_request.death.reference} returned",
        redirect_to="child_deaths:forms",
        template="child_deaths/form_detail.html",
        form_request=form_request,
        death=form_request.death,
    )


@requires(MODULE, "change_record", methods=("POST",))
def forms_chase(request):
    overdue = queries.form_request_list(user=request.user, status="overdue")
    chased, nobody = services.forms_chase(acting_user=request.user, form_requests=list(overdue))
    text = f"{chased} overdue form{'s' if chased != 1 else ''} chased by email"
    if nobody:
        text += f"; {nobody} could not be chased: no one in that agency has access"
    messages.success(request, text)
    return redirect(reverse("child_deaths:forms") + "?status=overdue")


@requires(MODULE, "change_record")
def panel(request):
    ready = list(queries.panel_cases(user=request.user))
    returned = (
        FormRequest.objects.filter(death__in=ready)
        .select_related("owning_agency")
        .order_by("death_id", "owning_agency__name")
    )
    by_death: dict[int, list] = {}
    for form in returned:
        by_death.setdefault(form.death_id, []).append(form)
    record_access(user=request.user, module=MODULE, kind="list", detail="panel cases")
    return render(
        request,
        "child_deaths/panel.html",
        {
            "ready": [(d, by_death.get(d.pk, [])) for d in ready],
            "waiting": queries.awaiting_forms(user=request.user)[:100],
            "today": dt.date.today(),
        },
    )
