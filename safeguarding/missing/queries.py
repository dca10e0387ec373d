"""Missing / exploited reads, already limited to what the user may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.periods import FinancialYear
from safeguarding.core.permissions import scoped
from safeguarding.core.registers import WorkItem

from .models import Episode, MetListEntry, MetMeeting
from .reports import year_bounds
from .rules import RETURN_INTERVIEW, interview_deadline

# The home worklist shows returns whose interview offer is due, or overdue by up to this
# many days; the module's own worklist page lists every return still awaiting an offer.
WORKLIST_OVERDUE_DAYS = 28
WORKLIST_LIMIT = 200


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


def interviews_waiting(*, user, now: dt.datetime | None = None) -> QuerySet[Episode]:
    """Missing episodes (not absences) whose child returned within the interview's hours
    and the WORKLIST_OVERDUE_DAYS after them, still not offered an interview: the worklist
    page and the home page's items, only the returns the interview clock applies to
    (rules.RETURN_INTERVIEW, from 2014). Bounded by the return's date through the
    (episode_type, end) index, so the cost follows the recent returns, not the years of
    history (older returns never offered one are counted in the year's figures)."""
    now = now or timezone.now()
    since = now - dt.timedelta(hours=RETURN_INTERVIEW.amount, days=WORKLIST_OVERDUE_DAYS)
    if RETURN_INTERVIEW.effective is not None:
        # One lower bound on the return, not two: SQLite ranges its index scan on one of
        # them only, and with the clock's 2014 start it read every return since then.
        since = max(since, RETURN_INTERVIEW.bound(RETURN_INTERVIEW.effective))
    return (
        scoped(user, "missing", Episode.objects.all())
        .filter(episode_type="missing", end__gte=since, end__lte=now)
        .filter(Q(interview__isnull=True) | Q(interview__offered_at__isnull=True))
        .select_related("child", "owning_agency")
        .order_by("end", "id")
    )


def interview_worklist(
    *, user, today: dt.date | None = None, now: dt.datetime | None = None
) -> list[WorkItem]:
    """Return home interviews awaiting an offer (missing episodes, not absences): due
    within the 72 hours of the return, or overdue (flagged) for up to
    WORKLIST_OVERDUE_DAYS. The clock is rules.RETURN_INTERVIEW (the statutory guidance
    "Children who run away or go missing from home or care", DfE 2014; the hours are
    conf.interview_hours): elapsed hours, so the moment it is overdue is exact, whatever
    the day (``now``, by default the present). Read through the (episode_type, end)
    index, at most WORKLIST_LIMIT: the cost follows the recent returns, not the years of
    history. Episode references only: no names."""
    now = now or timezone.now()
    episodes = interviews_waiting(user=user, now=now)
    rule = f"Offer within {RETURN_INTERVIEW.length_text} of the return ({RETURN_INTERVIEW.source})"
    items = []
    for pk, reference, end in episodes.values_list("pk", "reference", "end")[:WORKLIST_LIMIT]:
        deadline = interview_deadline(end)
        items.append(
            WorkItem(
                module="missing",
                label="Offer a return home interview",
                reference=reference,
                url=reverse("missing:detail", args=[pk]),
                due=timezone.localdate(deadline),
                overdue=RETURN_INTERVIEW.overdue(deadline, now),
                rule=rule,
            )
        )
    return items


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
