"""Pages of the shared child record: list, add (with duplicate check), chronology, merge."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from safeguarding.core import permissions
from safeguarding.core.audit import history_for, record_access
from safeguarding.core.permissions import requires

from . import queries, services
from .forms import ChildForm, MergeForm, SearchForm
from .models import Child

PAGE_SIZE = 50
SEARCH_KEY = "children_search"  # in the session, never in the URL


def _child_or_404(request, pk: int) -> Child:
    try:
        return queries.child_get(user=request.user, pk=pk)
    except Child.DoesNotExist:
        raise Http404 from None


@requires("missing", "list_records", methods=("GET", "POST"))
def child_list(request):
    if request.method == "POST":
        search = SearchForm(request.POST)
        request.session[SEARCH_KEY] = (
            search.data.get("q", "").strip()[:100] if search.is_valid() else ""
        )
        return redirect("children:list")
    search = request.session.get(SEARCH_KEY, "")
    page = Paginator(
        queries.child_list(user=request.user, search=search or None), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    record_access(
        user=request.user,
        module="missing",
        kind="list",
        detail=f"children page {page.number}" + (" (search)" if search else ""),
    )
    return render(
        request,
        "children/child_list.html",
        {
            "page_obj": page,
            "search": SearchForm(initial={"q": search}),
            "searching": bool(search),
            "querystring": "",
            "can_add": permissions.has_add_permission(request.user, "missing"),
            "can_merge": permissions.has_permission(request.user, "configure", "missing"),
        },
    )


@requires("missing", "list_records", methods=("POST",))
def search_clear(request):
    request.session.pop(SEARCH_KEY, None)
    return redirect("children:list")


def _duplicates(form, exclude_pk=None):
    data = form.cleaned_data
    return list(
        services.duplicates_of(
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data.get("date_of_birth"),
            exclude_pk=exclude_pk,
        )[:10]
    )


@requires("missing", "add_record", methods=("GET", "POST"))
def child_create(request):
    form = ChildForm(request.POST or None, initial={"sex": "unknown", "looked_after": "no"})
    duplicates = []
    if request.method == "POST" and form.is_valid():
        duplicates = _duplicates(form)
        if duplicates and not form.cleaned_data["not_duplicate"]:
            form.add_error(
                "not_duplicate",
                "A child with this name and date of birth is already recorded: use that record, "
                "or confirm this is a different child",
            )
        else:
            child = services.child_create(acting_user=request.user, **form.values())
            messages.success(request, f"{child.display_name} recorded")
            return redirect("children:detail", pk=child.pk)
    return render(
        request, "children/child_form.html", {"form": form, "child": None, "duplicates": duplicates}
    )


@requires("missing", "change_record", methods=("GET", "POST"))
def child_edit(request, pk: int):
    child = _child_or_404(request, pk)
    initial = {
        name: getattr(child, name)
        for name in ChildForm.base_fields
        if hasattr(child, name) and name != "looked_after"
    }
    initial.update(version=child.version, looked_after="yes" if child.looked_after else "no")
    form = ChildForm(request.POST or None, initial=initial)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        duplicates = _duplicates(form, exclude_pk=child.pk)
        if duplicates and not form.cleaned_data["not_duplicate"]:
            form.add_error(
                "not_duplicate",
                "Another child has this name and date of birth: ask a manager to merge the "
                "records, or confirm this is a different child",
            )
        else:
            try:
                services.child_update(
                    acting_user=request.user,
                    child=child,
                    expected_version=form.cleaned_data.get("version"),
                    **form.values(),
                )
            except services.StaleRecord as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Child's details updated")
                return redirect("children:detail", pk=child.pk)
    return render(
        request,
        "children/child_form.html",
        {"form": form, "child": child, "duplicates": duplicates},
    )


def chronology(child: Child) -> list[dict]:
    """Episodes, interviews, screenings and MET history as one list, newest first."""
    from safeguarding.missing.models import Episode, MetDiscussion, ReturnInterview, Screening

    events = []
    for e in Episode.objects.filter(child=child).select_related("owning_agency"):
        events.append({"at": e.start, "kind": "Episode", "episode": e})
    for i in ReturnInterview.objects.filter(episode__child=child).select_related("episode"):
        if i.offered_at:
            events.append({"at": i.offered_at, "kind": "Interview offered", "interview": i})
        if i.completed_on:
            events.append({"at": i.completed_on, "kind": "Interview completed", "interview": i})
    for s in Screening.objects.filter(child=child).select_related("owning_agency"):
        events.append({"at": s.date, "kind": "Screening", "screening": s})
    for m in child.met_entries.select_related("owning_agency"):
        events.append({"at": m.added_on, "kind": "Added to the MET list", "entry": m})
        if m.left_on:
            events.append({"at": m.left_on, "kind": "Left the MET list", "entry": m})
    for d in MetDiscussion.objects.filter(entry__child=child).select_related(
        "meeting__meeting_type"
    ):
        events.append({"at": d.meeting.date, "kind": "Discussed at a MET meeting", "item": d})

    def key(event):
        at = event["at"]
        if hasattr(at, "hour"):
            return timezone.localtime(at).replace(tzinfo=None)
        return dt.datetime.combine(at, dt.time.min)

    return sorted(events, key=key, reverse=True)


@requires("missing", "list_records")
def child_detail(request, pk: int):
    child = _child_or_404(request, pk)
    if child.merged_into_id:
        messages.info(request, "This record was merged: you are now seeing the record kept")
        return redirect("children:detail", pk=child.merged_into_id)
    record_access(user=request.user, module="missing", obj=child)
    from safeguarding.missing.rules import is_repeat

    events = chronology(child)
    starts = [e["at"] for e in events if e["kind"] == "Episode"]
    entry = child.met_entries.filter(left_on__isnull=True).select_related("owning_agency").first()
    return render(
        request,
        "children/child_detail.html",
        {
            "child": child,
            "events": events,
            "repeat": is_repeat(starts),
            "episode_count": len(starts),
            "met_entry": entry,
            "history": history_for(child),
            "can_change": permissions.has_change_permission(request.user, child),
            "can_add": permissions.has_add_permission(request.user, "missing"),
        },
    )


@requires("missing", "configure")
def duplicates(request):
    groups = queries.duplicate_groups()
    record_access(user=request.user, module="missing", kind="list", detail="possible duplicates")
    return render(request, "children/duplicates.html", {"groups": groups})


@requires("missing", "configure", methods=("GET", "POST"))
def merge(request, pk: int):
    child = _child_or_404(request, pk)
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
    group.sort(key=lambda c: c.pk)
    form = MergeForm(request.POST or None, children=group[:2], initial={"keep": group[0].pk})
    if request.method == "POST" and form.is_valid():
        keep = next(c for c in group[:2] if c.pk == form.cleaned_data["keep"])
        other = next(c for c in group[:2] if c.pk != keep.pk)
        try:
            services.child_merge(acting_user=request.user, keep=keep, duplicate=other)
        except services.RecordInvalid as exc:
            for _field, message in exc.problems:
                form.add_error(None, message)
        else:
            messages.success(request, "Records merged")
            return redirect("children:detail", pk=keep.pk)
    return render(request, "children/merge.html", {"form": form, "group": group[:2]})
