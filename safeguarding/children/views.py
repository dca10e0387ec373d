"""Pages of the shared child record of its own: add (with the duplicate check), change, the
chronology, possible duplicates and the merge. The list and its search are core's, built
from register.py; what other modules show of a child comes through hooks.py.

Every page shows only the children the user may see (queries.visible_children): a possible
duplicate outside their scope is never shown, only said to exist, and the officers told."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse

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


def _duplicates(user, data: dict, exclude_pk: int | None = None) -> list[Child]:
    """The children the user may see already recorded with this name and date of birth."""
    return list(
        queries.visible_children(
            user,
            services.duplicates_of(
                first_name=data["first_name"],
                last_name=data["last_name"],
                date_of_birth=data.get("date_of_birth"),
                exclude_pk=exclude_pk,
            ),
        ).order_by("id")[:10]
    )


def _told_of_hidden(request, child: Child) -> Child:
    if getattr(child, "hidden_duplicate", False):
        messages.warning(request, services.DUPLICATE_HIDDEN)
    return child


def _return_to(request) -> str | None:
    """Where "Add a child" was opened from, to go back to with the child chosen
    (``?next=/missing/new/``): a page of this site that takes a child, nothing else."""
    path = request.GET.get("next", "")
    if not path.startswith("/") or path.startswith("//") or "?" in path or "\\" in path:
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return path if match.view_name in CHOOSES_A_CHILD else None


# The pages that "Add a child" may return to, with ``?child=<id>`` (an id, never a name).
CHOOSES_A_CHILD = {"missing:create"}


@requires("children", "add_record", methods=("GET", "POST"))
def child_create(request):
    form = ChildForm(request.POST or None, initial={"sex": "unknown", "looked_after": "no"})
    duplicates: list[Child] = []
    back = _return_to(request)

    def save(data):
        try:
            child = services.child_add(
                acting_user=request.user,
                confirmed_different=data["not_duplicate"],
                **form.values(),
            )
        except RecordInvalid as exc:
            if any(name == "not_duplicate" for name, _ in exc.problems):
                duplicates[:] = _duplicates(request.user, data)
            raise
        return _told_of_hidden(request, child)

    def to(child: Child) -> str:
        if back:
            return f"{back}?{urlencode({'child': child.pk})}"
        return _to_child(child)

    return form_page(
        request,
        form,
        save=save,
        success=lambda child: f"{child.display_name} recorded",
        redirect_to=to,
        template="children/child_form.html",
        title="Add a child",
        breadcrumbs=_crumbs(),
        duplicates=duplicates,
        back=back,
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
            changed = services.child_update(
                acting_user=request.user,
                child=child,
                expected_version=split_version(data)[0],
                confirmed_different=data["not_duplicate"],
                **form.values(),
            )
        except RecordInvalid as exc:
            if any(name == "not_duplicate" for name, _ in exc.problems):
                duplicates[:] = _duplicates(request.user, data, exclude_pk=child.pk)
            raise
        return _told_of_hidden(request, changed)

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


def _sees_history(user, child: Child) -> bool:
    """The child's history holds what every module wrote about the child (a MET list entry,
    a screening, its lead agency): only for an officer who may see every record naming
    the child."""
    return permissions.has_change_permission(user, "children") and queries.sees_every_record(
        user, child
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
            "events": hooks.chronology(child, request.user),
            "summary": hooks.summary(child, request.user),
            "history": history_for(child) if _sees_history(request.user, child) else None,
            "can_change": permissions.has_change_permission(request.user, child),
            "breadcrumbs": _crumbs(),
        },
    )


@requires("children", "configure")
def duplicates(request):
    groups = queries.duplicate_groups(user=request.user)
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
        queries.visible_children(
            request.user,
            services.duplicates_of(
                first_name=child.first_name,
                last_name=child.last_name,
                date_of_birth=child.date_of_birth,
                exclude_pk=child.pk,
            ),
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
