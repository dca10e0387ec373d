"""Reads of the shared child record, limited to what the user may see."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Lower

from safeguarding.core.permissions import scoped

from . import hooks
from .models import Child

MAX_MERGE_HOPS = 10


def with_counts(children: QuerySet[Child]) -> QuerySet[Child]:
    """Each child's records in the modules that count them (hooks.counts), as
    ``<related name>_count``. Correlated subqueries: the database counts for the rows of
    the page only, and the paginator's count query drops them."""
    annotations = {}
    for _label, name in hooks.counts:
        relation = Child._meta.get_field(name)
        model, link = relation.related_model, relation.field.name
        per_child = (
            model._default_manager.filter(**{link: OuterRef("pk")})
            .order_by()
            .values(link)
            .annotate(n=Count("pk"))
            .values("n")
        )
        annotations[f"{name}_count"] = Coalesce(
            Subquery(per_child, output_field=IntegerField()), Value(0)
        )
    children = children.annotate(**annotations)
    return children


def child_list(*, user, search: str | None = None) -> QuerySet[Child]:
    children = scoped(user, Child.MODULE, Child.objects.filter(merged_into__isnull=True))
    if search:
        for word in search.split()[:4]:
            children = children.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(external_reference__iexact=word)
            )
    return with_counts(children.select_related("owning_agency")).order_by(
        "last_name", "first_name", "id"
    )


def child_get(*, user, pk: int) -> Child:
    """The child, or Child.DoesNotExist when outside the user's scope (404)."""
    return scoped(user, Child.MODULE, Child.objects.select_related("owning_agency")).get(pk=pk)


def duplicate_groups() -> list[list[Child]]:
    """Children sharing a name (any case) and date of birth, grouped (for managers).

    Each child carries ``counts``: [(label, number)] of the modules' records (hooks.counts)."""
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
    members = with_counts(
        live.annotate(f=Lower("first_name"), l=Lower("last_name"))
        .filter(query)
        .select_related("owning_agency")
    ).order_by("id")
    columns = hooks.count_columns()
    groups: dict[tuple, list[Child]] = {}
    for child in members:
        child.counts = [(label, getattr(child, name)) for label, name in columns]
        groups.setdefault((child.l, child.f, child.date_of_birth), []).append(child)
    return [groups[k] for k in sorted(groups, key=lambda k: (k[0], k[1], k[2]))]


def _kept(merged_into: dict[int, int | None]) -> dict[int, int]:
    """{id: the id of the record kept}, given {id: merged_into} of some children: merges
    are followed (one query a step of the longest chain, none when nothing was merged)."""
    targets = dict(merged_into)
    for _hop in range(MAX_MERGE_HOPS):
        unknown = {t for t in targets.values() if t is not None and t not in targets}
        if not unknown:
            break
        targets.update(Child.objects.filter(pk__in=unknown).values_list("pk", "merged_into"))
    kept = {}
    for pk in merged_into:
        target, hops = pk, 0
        while targets.get(target) is not None and hops < MAX_MERGE_HOPS:
            target, hops = targets[target], hops + 1
        kept[pk] = target
    return kept


def kept_id(child: Child) -> int:
    """The id of the record kept for this child (itself unless it was merged)."""
    return _kept({child.pk: child.merged_into_id})[child.pk]


def children_by_reference(references) -> dict[str, list[int]]:
    """{external reference: the ids of the records kept of every child with it}."""
    rows = list(
        Child.objects.filter(external_reference__in=set(references)).values_list(
            "pk", "external_reference", "merged_into"
        )
    )
    kept = _kept({pk: merged for pk, _ref, merged in rows})
    found: dict[str, list[int]] = {}
    for pk, ref, _merged in rows:
        if kept[pk] not in found.setdefault(ref, []):
            found[ref].append(kept[pk])
    return found


def child_for_references(references) -> dict[str, int]:
    """{external reference: the id of the record kept} for the references already known:
    a reference shared by several records means the first recorded (the lowest id)."""
    first: dict[str, tuple[int, int | None]] = {}
    for pk, ref, merged in (
        Child.objects.filter(external_reference__in=set(references))
        .order_by("id")
        .values_list("pk", "external_reference", "merged_into")
    ):
        first.setdefault(ref, (pk, merged))
    kept = _kept(dict(first.values()))
    return {ref: kept[pk] for ref, (pk, _merged) in first.items()}
