"""Reads of the shared child record, limited to what the user may see.

A child's visibility follows the records that name it (children.hooks.links): a user sees
a child when they may see at least one record of a module naming it (each module says
which of its records a user may see), or when the child names no record yet and the
children module's own scope lets them see it (an officer; a contributor of the agency
that recorded it). Each test is an EXISTS subquery, so a page stays one query whatever
the children's history.
"""

from __future__ import annotations

from functools import reduce
from operator import and_, or_

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Lower

from safeguarding.core.permissions import scoped

from . import hooks
from .models import Child

MAX_MERGE_HOPS = 10


def _naming(link: hooks.Link, records: QuerySet) -> Exists:
    """Some of ``records`` (the link's model) name the outer child."""
    return Exists(records.filter(**{link.child_field: OuterRef("pk")}))


NOTHING = Q(pk__in=[])


def visibility(user) -> Q | Exists | None:
    """The condition on Child of the children the user may see: None when they may see
    every child, NOTHING when none."""
    seen, whole = [], []  # whole: the links whose every record the user may see
    for link in hooks.links:
        records = link.visible(user)
        if records.query.is_empty():
            continue
        if not records.query.has_filters():
            whole.append(link)
        seen.append(_naming(link, records))
    own = scoped(user, Child.MODULE, Child.objects.all())
    if not own.query.is_empty():  # the children naming no record, in the module's scope
        # (A or (not A and B)) is (A or B): a link seen whole needs no NOT EXISTS here.
        unnamed = [
            ~_naming(link, link.model._default_manager.all())
            for link in hooks.links
            if link not in whole
        ]
        if own.query.has_filters():  # a contributor: their agency's
            unnamed.append(Exists(own.filter(pk=OuterRef("pk"))))
        if not unnamed:  # every record naming a child, and every child naming none
            return None
        seen.append(reduce(and_, unnamed))
    return reduce(or_, seen) if seen else NOTHING


def visible_children(user, children: QuerySet[Child] | None = None) -> QuerySet[Child]:
    """``children`` (default: all) limited to those the user may see."""
    children = Child.objects.all() if children is None else children
    condition = visibility(user)
    if condition is None:
        return children
    if condition is NOTHING:
        return children.none()
    return children.filter(condition)


def can_see(user, child: Child) -> bool:
    return visible_children(user, Child.objects.filter(pk=child.pk)).exists()


def with_counts(children: QuerySet[Child], user=None) -> QuerySet[Child]:
    """Each child's records in the modules that count them (hooks.counts), as
    ``<related name>_count``: only the records the user may see (the module's link), when
    a user is given. Correlated subqueries: the database counts for the rows of the page
    only, and the paginator's count query drops them."""
    annotations = {}
    for _label, name in hooks.counts:
        relation = Child._meta.get_field(name)
        model, field = relation.related_model, relation.field.name
        records = model._default_manager.all()
        if user is not None:
            link = next((x for x in hooks.links if x.model is model), None)
            records = link.visible(user) if link is not None else records.none()
        if records.query.is_empty():
            annotations[f"{name}_count"] = Value(0, output_field=IntegerField())
            continue
        per_child = (
            records.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")
        )
        annotations[f"{name}_count"] = Coalesce(
            Subquery(per_child, output_field=IntegerField()), Value(0)
        )
    return children.annotate(**annotations)


def child_list(*, user, search: str | None = None) -> QuerySet[Child]:
    children = visible_children(user, Child.objects.filter(merged_into__isnull=True))
    if search:
        for word in search.split()[:4]:
            children = children.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(external_reference__iexact=word)
            )
    return with_counts(children.select_related("owning_agency"), user).order_by(
        "last_name", "first_name", "id"
    )


def child_get(*, user, pk: int) -> Child:
    """The child, or Child.DoesNotExist when outside the user's scope (404)."""
    return visible_children(user, Child.objects.select_related("owning_agency")).get(pk=pk)


def child_by_reference(*, user, reference: str) -> Child | None:
    """The child with this external reference that the user may see (merges followed: a
    merged record's reference gives the record kept), the first recorded when several;
    None when there is none the user may see, so an unknown reference and another
    agency's child look the same."""
    rows = dict(
        Child.objects.filter(external_reference=reference.strip()).values_list("pk", "merged_into")
    )
    if not rows:
        return None
    kept = set(_kept(rows).values())
    return (
        visible_children(user, Child.objects.filter(pk__in=kept, merged_into__isnull=True))
        .order_by("id")
        .first()
    )


def sees_every_record(user, child: Child) -> bool:
    """Whether the user may see every record naming the child (then the child's history,
    which records what the modules wrote about the child, is theirs to see too)."""
    for link in hooks.links:
        naming = link.model._default_manager.filter(**{link.child_field: child.pk})
        seen = link.visible(user).filter(**{link.child_field: child.pk})
        if naming.exclude(pk__in=seen.values("pk")).exists():
            return False
    return True


def modules_naming(children: QuerySet[Child]) -> set[str]:
    """The modules with records naming any of these children, whoever may see them."""
    ids = children.values("pk")
    return {
        link.module
        for link in hooks.links
        if link.model._default_manager.filter(**{f"{link.child_field}__in": ids}).exists()
    }


def duplicate_groups(*, user) -> list[list[Child]]:
    """Children the user may see sharing a name (any case) and date of birth, grouped (for
    managers): a child outside their scope is neither shown nor counted.

    Each child carries ``counts``: [(label, number)] of the modules' records that the user
    may see (hooks.counts)."""
    live = visible_children(
        user, Child.objects.filter(merged_into__isnull=True, date_of_birth__isnull=False)
    ).exclude(Q(first_name="") | Q(last_name=""))
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
        .select_related("owning_agency"),
        user,
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
