"""The shape of a module's own pages: a form that saves through a service.

``form_page()`` is every create, edit and workflow-step page: GET shows the form; a valid
POST calls ``save`` (a service call); a RecordInvalid (or StaleRecord: someone else saved
first, or the form did not say which version it was made from) is shown on the form, next
to its field; success is a message and a redirect. ``object_or_404()`` answers 404 for a
record outside the user's scope, so an id tells nobody whether it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from . import permissions
from .writes import RecordInvalid


def object_or_404(get: Callable[..., Any], request, pk, **kwargs):
    """``get(user=, pk=)`` from a module's queries, or 404 (outside scope or absent)."""
    try:
        return get(user=request.user, pk=pk, **kwargs)
    except Exception as exc:
        if type(exc).__name__ == "DoesNotExist":
            raise Http404 from None
        raise


def editable_or_404(get: Callable[..., Any], request, pk, **kwargs):
    """The record, if the user may change it; 404 otherwise (as for one outside scope)."""
    record = object_or_404(get, request, pk, **kwargs)
    if not permissions.has_change_permission(request.user, record):
        raise Http404
    return record


def initial_from(record, form_class, **extra) -> dict:
    """A form's initial values: the record's values of the form's fields, and its version."""
    initial = {
        name: getattr(record, name) for name in form_class.base_fields if hasattr(record, name)
    }
    return {**initial, **extra}


def versioned(
    service: Callable[..., Any],
    request,
    *,
    values_of: Callable[[dict], dict] | None = None,
    **fixed,
) -> Callable[[dict], Any]:
    """``save`` for form_page's edits: the service is called with the acting user, what it
    changes (``fixed``), the version the form was made from as ``expected_version`` (a
    missing one is refused by core.writes like a stale one) and the form's other values
    (``values_of(cleaned_data)`` when the form's fields are not the service's arguments)."""

    def save(data: dict):
        version, values = split_version(data)
        if values_of is not None:
            values = values_of(data)
        return service(acting_user=request.user, expected_version=version, **fixed, **values)

    return save


def config_page(request, form_class, pk, *, service, name: str, new: str, **page):
    """Add (``pk`` None) or change a configuration row — a meeting type, a review type, a
    theme: the ModelForm ``form_class`` shows it with its version, and
    ``service(acting_user=, <name>=row, expected_version=, **values)`` saves it (through
    core.writes.config_save, which compares with the stored row). ``new`` is the title of
    an addition; a change is titled with the row's name."""
    row = get_object_or_404(form_class._meta.model, pk=pk) if pk else None
    form = form_class(
        request.POST or None, instance=row, initial={"version": row.version} if row else None
    )
    page.setdefault("title", f"Change {row}" if row else new)
    return form_page(request, form, save=versioned(service, request, **{name: row}), **page)


def config_views(
    *,
    module: str,
    form_class,
    service: Callable[..., Any],
    name: str,
    list_name: str,
    list_template: str,
    new: str,
    success: str,
    crumbs: Callable[[], list] | None = None,
):
    """The two pages of a module's configuration list (meeting types, say), declared once:
    the list (``list_template`` gets the rows as ``types``) and the page that adds or
    changes a row (config_page), both for the module's managers."""
    from .permissions import requires

    model = form_class._meta.model

    @requires(module, "configure")
    def config_list(request):
        return render(request, list_template, {"types": model._default_manager.all()})

    @requires(module, "configure", methods=("GET", "POST"), record=model)
    def config_edit(request, pk: int | None = None):
        return config_page(
            request,
            form_class,
            pk,
            service=service,
            name=name,
            new=new,
            success=success,
            redirect_to=f"{module}:{list_name}",
            breadcrumbs=crumbs() if crumbs else None,
        )

    return config_list, config_edit


def add_problems(form, problems, aliases: dict[str, str] | None = None) -> None:
    """A service's [(field, message)] on the form: beside the field, or at the top."""
    for name, message in problems:
        name = (aliases or {}).get(name, name)
        form.add_error(name if name in form.fields else None, message)


def split_version(values: dict) -> tuple[int | None, dict]:
    """(the version the form was made from, the other values)."""
    values = dict(values)
    return values.pop("version", None), values


def form_page(
    request,
    form,
    *,
    save: Callable[[dict], Any],
    success: str | Callable[[Any], str],
    redirect_to: str | Callable[[Any], str],
    template: str = "core/form_page.html",
    aliases: dict[str, str] | None = None,
    **context,
):
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except RecordInvalid as exc:
            add_problems(form, exc.problems, aliases)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)
    context["show_history"] = context.get("history") is not None
    return render(request, template, {"form": form, **context})
