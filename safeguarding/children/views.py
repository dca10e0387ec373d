"""Pages of the shared child record of its own: add (with the duplicate check), change, the
chronology, possible duplicates and the merge. The list and its search are core's, built
from register.py; what other modules show of a child comes through hooks.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from safeguarding.core import permissions
from safeguarding.core.audit import history_for, record_access
from safeguarding.core.pages import form_page, object_or_404, split_version
from safeguarding.core.permissions import requires
from safeguarding.core.writes import RecordInvalid

from . import hooks, queries, services
from .forms import ChildForm, MergeForm
from .models import Child


def _crumbs(child: Child | None = None) -> list[tuple[str, str]]:
    crumbs = [("Children", reverse("children:list"))]
    if child is not None:
        crumbs.append((child.display_name, reverse("children:detail", args=[child.pk])))
    return crumbs


def _to_child(child: Child) -> str:
    return reverse("children:detail", args=[child.pk])


def _duplicates(data: dict, exclude_pk: int | None = None) -> list[Child]:
    """The children already recorded with this name and date of birth (to show them)."""
    return list(
        services.duplicates_of(
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data.get("date_of_birth"),
            exclude_pk=exclude_pk,
        )[:10]
    )


@requires("children", "add_record", methods=("GET", "POST"))
def child_create(request):
    form = ChildForm(request.POST or None, initial={"sex": "unknown", "looked_after": "no"})
    duplicates: list[Child] = []

    def save(data):
        duplicates[:] = _duplicates(data)
        if duplicates and not data["not_duplicate"]:
            raise RecordInvalid(
                [
                    (
                        "not_duplicate",
                        "A child with this name and date of birth is already recorded: use "
                        "that record, or confirm this is a different child",
                    )
                ]
            )
        return services.child_create(acting_user=request.user, **form.values())

    return form_page(
        request,
        form,
        save=save,
        success=lambda child: f"{child.display_name} recorded",
        redirect_to=_to_child,
        template="children/child_form.html",
        title="Add a child",
        breadcrumbs=_crumbs(),
        duplicates=duplicates,
    )


@requires("children", "change_record", methods=("GET", "POST"), record=Child)
def child_edit(request, pk: int):
    child = object_or_404(queries.child_get, request, pk)
    initial = {
        name: getattr(child, name)
        for name in ChildForm.base_fields
        if hasattr(child, name) and name != "looked_after"
    }
    initial.update(version=child.version, looked_after="yes" if child.looked_after else "no")
    form = ChildForm(request.POST or None, initial=initial)
    duplicates: list[Child] = []

    def save(data):
        try:
            return services.child_update(
                acting_user=request.user,
                child=child,
                expected_version=split_version(data)[0],
                confirmed_different=data["not_duplicate"],
                **form.values(),
            )
        except RecordInvalid as exc:
            if any(name == "not_duplicate" for name, _ in exc.problems):
                duplicates[:] = _duplicates(data, exclude_pk=child.pk)
            raise

    return form_page(
        request,
        form,
        save=save,
        success="Child's details updated",
        redirect_to=_to_child,
        template="children/child_form.html",
        title="Change the child's details",
        breadcrumbs=_crumbs(child),
        duplicates=duplicates,
    )


@requires("children", "list_records", record=Child)
def child_detail(request, pk: int):
    child = object_or_404(queries.child_get, request, pk)
    if child.merged_into_id:
        messages.info(request, "This record was merged: you are now seeing the record kept")
        return redirect("children:detail", pk=services.resolve_child(child).pk)
    record_access(user=request.user, module=Child.MODULE, obj=child)
    return render(
        request,
        "children/child_detail.html",
        {
            "child": child,
            "events": hooks.chronology(child),
            "summary": hooks.summary(child, request.user),
            "history": history_for(child),
            "can_change": permissions.has_change_permission(request.user, child),
            "breadcrumbs": _crumbs(),
        },
    )


@requires("children", "configure")
def duplicates(request):
    groups = queries.duplicate_groups()
    record_access(user=request.user, module=Child.MODULE, kind="list", detail="possible duplicates")
    return render(
        request,
        "children/duplicates.html",
        {"groups": groups, "count_labels": [label for label, _ in hooks.counts]},
    )


@requires("children", "configure", methods=("GET", "POST"), record=Child)
def merge(request, pk: int):
    child = object_or_404(queries.child_get, request, pk)
    if child.merged_into_id:
        raise Http404
    group = [child] + list(
        services.duplicates_of(
            first_name=child.first_name,
            last_name=child.last_name,
            date_of_birth=child.date_of_birth,
            exclude_pk=child.pk,
        )
    )
    if len(group) < 2:
        raise Http404
    pair = sorted(group, key=lambda c: c.pk)[:2]
    form = MergeForm(request.POST or None, children=pair, initial={"keep": pair[0].pk})

    def save(data):
        keep = next(c for c in pair if c.pk == data["keep"])
        other = next(c for c in pair if c.pk != keep.pk)
        return services.child_merge(acting_user=request.user, keep=keep, duplicate=other)

    return form_page(
        request,
        form,
        save=save,
        success="Records merged",
        redirect_to=_to_child,
        title="Merge two child records",
        intro="Every record linked to the other child, in every module (episodes, screenings, "
        "list entries, case reviews), moves to the record you keep. The other record is kept "
        "only as a pointer. The merge is recorded in both records' history.",
        button="Merge the records",
        button_class="govuk-button--warning",
        breadcrumbs=_crumbs(),
    )
