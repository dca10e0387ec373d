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
from django.shortcuts import redirect, render

from .writes import RecordInvalid


def object_or_404(get: Callable[..., Any], request, pk, **kwargs):
    """``get(user=, pk=)`` from a module's queries, or 404 (outside scope or absent)."""
    try:
        return get(user=request.user, pk=pk, **kwargs)
    except Exception as exc:
        if type(exc).__name__ == "DoesNotExist":
            raise Http404 from None
        raise


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
