"""Missing / exploited reads, already limited to what the user may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from safeguarding.core.periods import FinancialYear
from safeguarding.core.permissions import scoped

from .models import Episode, MetListEntry, MetMeeting
from .reports import year_bounds


def episode_list(
    *,
    user,
    year: FinancialYear | None = None,
    episode_type: str | None = None,
    status: str | None = None,
    search: str | None = None,
) -> QuerySet[Episode]:
    episodes = scoped(user, "missing", Episode.objects.all())
    if year:
        start, end = year_bounds(year)
        episodes = episodes.filter(start__gte=start, start__lt=end)
    if episode_type:
        episodes = episodes.filter(episode_type=episode_type)
    if status == "open":
        episodes = episodes.filter(end__isnull=True)
    elif status == "closed":
        episodes = episodes.filter(end__isnull=False)
    if search:
        query = Q(reference__iexact=search) | Q(child__external_reference__iexact=search)
        for word in search.split()[:4]:
            query |= Q(child__first_name__icontains=word) | Q(child__last_name__icontains=word)
        episodes = episodes.filter(query)
    return episodes.select_related("child", "owning_agency", "interview").order_by("-start", "-id")


def episode_get(*, user, pk: int) -> Episode:
    """The episode, or Episode.DoesNotExist outside the user's scope (404)."""
    return scoped(user, "missing", Episode.objects.select_related("child", "owning_agency")).get(
        pk=pk
    )


def awaiting_offer(*, user) -> QuerySet[Episode]:
    """Returned children not yet offered a return home interview, most urgent first."""
    return (
        scoped(user, "missing", Episode.objects.all())
        .filter(end__isnull=False, end__lte=timezone.now())
        .filter(Q(interview__isnull=True) | Q(interview__offered_at__isnull=True))
        .select_related("child", "owning_agency")
        .order_by("end", "id")
    )


def still_missing(*, user) -> QuerySet[Episode]:
    return (
        scoped(user, "missing", Episode.objects.filter(end__isnull=True))
        .select_related("child", "owning_agency")
        .order_by("start")
    )


def met_list(*, user, current: bool = True) -> QuerySet[MetListEntry]:
    entries = scoped(user, "missing", MetListEntry.objects.all())
    entries = (
        entries.filter(left_on__isnull=True) if current else entries.filter(left_on__isnull=False)
    )
    return entries.select_related("child", "owning_agency").order_by("-added_on", "-id")


def meeting_list() -> QuerySet[MetMeeting]:
    return MetMeeting.objects.select_related("meeting_type").prefetch_related("agencies")
