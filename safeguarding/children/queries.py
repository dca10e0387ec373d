"""Reads of the shared child record, limited to what the user may see."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower

from safeguarding.core.permissions import scoped

from .models import Child


def child_list(*, user, search: str | None = None) -> QuerySet[Child]:
    children = scoped(user, Child.MODULE, Child.objects.filter(merged_into__isnull=True))
    if search:
        for word in search.split()[:4]:
            children = children.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(external_reference__iexact=word)
            )
    return (
        children.select_related("owning_agency")
        .annotate(episodes=Count("missing_episodes", distinct=True))
        .order_by("last_name", "first_name", "id")
    )


def child_get(*, user, pk: int) -> Child:
    """The child, or Child.DoesNotExist when outside the user's scope (404)."""
    return scoped(user, Child.MODULE, Child.objects.select_related("owning_agency")).get(pk=pk)


def duplicate_groups() -> list[list[Child]]:
    """Children sharing a name (any case) and date of birth, grouped (for managers)."""
    live = Child.objects.filter(merged_into__isnull=True, date_of_birth__isnull=False).exclude(
        Q(first_name="") | Q(last_name="")
    )
    keys = (
        live.annotate(f=Lower("first_name"), l=Lower("last_name"))
        .values("f", "l", "date_of_birth")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("l", "f", "date_of_birth")
    )
    keys = list(keys[:200])
    if not keys:
        return []
    query = Q(pk__in=[])
    for key in keys:
        query |= Q(f=key["f"], l=key["l"], date_of_birth=key["date_of_birth"])
    members = (
        live.annotate(f=Lower("first_name"), l=Lower("last_name"))
        .filter(query)
        .select_related("owning_agency")
        .annotate(episodes=Count("missing_episodes", distinct=True))
        .order_by("id")
    )
    groups: dict[tuple, list[Child]] = {}
    for child in members:
        groups.setdefault((child.l, child.f, child.date_of_birth), []).append(child)
    return [groups[k] for k in sorted(groups, key=lambda k: (k[0], k[1], k[2]))]
