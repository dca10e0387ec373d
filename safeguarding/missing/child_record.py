"""What the missing module shows on the shared child record (registered in register.py
through children.hooks): its events in the child's chronology, and its tags, warnings,
buttons and details on the child's page. Only the records the user may see: an officer
all of them, a contributor their agency's (permissions.scoped)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from safeguarding.children.hooks import Event, Summary
from safeguarding.core import permissions

from . import conf
from .models import Episode, MetDiscussion, MetListEntry, ReturnInterview, Screening
from .rules import is_repeat

LATE = mark_safe(' <strong class="govuk-tag govuk-tag--red">Later than 72 hours</strong>')


def _episode(e: Episode) -> str:
    returned = (
        format_html(", returned {}", date_format(timezone.localtime(e.end), "j M Y H:i"))
        if e.end
        else mark_safe(", <strong>still missing</strong>")
    )
    return format_html(
        '<a class="govuk-link" href="{}">{}</a>: {} from {}{}',
        reverse("missing:detail", args=[e.pk]),
        e.reference,
        e.get_episode_type_display(),
        "care" if e.looked_after else "home",
        returned,
    )


def _offer(i: ReturnInterview) -> str:
    return format_html(
        "{}{}{}",
        i.episode.reference,
        format_html(" by {}", i.offered_by) if i.offered_by else "",
        LATE if i.offered_in_time is False else "",
    )


def _screening(s: Screening) -> str:
    score = format_html("score {}", s.score) if s.score is not None else ""
    level = format_html(" {}", s.get_level_display().lower()) if s.level else ""
    return format_html(
        "{}, {}: {}{} ({})",
        s.get_exploitation_type_display(),
        s.tool,
        score,
        level,
        s.owning_agency,
    )


def _scoped(user, records, agency_field: str = "owning_agency"):
    return permissions.scoped(user, "missing", records, agency_field=agency_field)


def events(child, user) -> list[Event]:
    """Episodes, interviews, screenings and the MET history of the child that the user
    may see."""
    found = []
    for e in _scoped(user, Episode.objects.filter(child=child)):
        found.append(Event(e.start, "Episode", _episode(e), show_time=True))
    interviews = _scoped(
        user, ReturnInterview.objects.filter(episode__child=child), "episode__owning_agency"
    )
    for i in interviews.select_related("episode"):
        if i.offered_at:
            found.append(Event(i.offered_at, "Interview offered", _offer(i), show_time=True))
        if i.completed_on:
            found.append(Event(i.completed_on, "Interview completed", i.episode.reference))
    for s in _scoped(user, Screening.objects.filter(child=child)).select_related("owning_agency"):
        found.append(Event(s.date, "Screening", _screening(s)))
    entries = _scoped(user, MetListEntry.objects.filter(child=child))
    for m in entries.select_related("owning_agency"):
        found.append(
            Event(
                m.added_on,
                "Added to the MET list",
                format_html("{} risk, lead agency {}", m.get_risk_level_display(), m.owning_agency),
            )
        )
        if m.left_on:
            found.append(Event(m.left_on, "Left the MET list", m.get_leaving_reason_display()))
    discussions = _scoped(
        user, MetDiscussion.objects.filter(entry__child=child), "entry__owning_agency"
    )
    for d in discussions.select_related("meeting__meeting_type"):
        decisions = d.decisions.split()
        text = " ".join(decisions[:30]) + (" …" if len(decisions) > 30 else "")
        found.append(
            Event(
                d.meeting.date,
                "Discussed at a MET meeting",
                format_html("{}{}", d.meeting.meeting_type, f": {text}" if text else ""),
            )
        )
    return found


def summary(child, user) -> Summary:
    """Repeat missing and the MET list at a glance, from the records the user may see;
    the module's buttons for this user."""
    starts = list(
        _scoped(user, Episode.objects.filter(child=child)).values_list("start", flat=True)
    )
    entry = (
        _scoped(user, MetListEntry.objects.filter(child=child, left_on__isnull=True))
        .select_related("owning_agency")
        .first()
    )
    tags, warnings, actions, rows = [], [], [], []
    if is_repeat(starts):
        count, days = conf.repeat_rule()
        tags.append(("Repeat missing", "red"))
        warnings.append(
            f"Repeat missing: {count} or more episodes within {days} days "
            f"({len(starts)} episode{'s' if len(starts) != 1 else ''} recorded in all)."
        )
    if entry is not None:
        tags.append(("On the MET list", "orange"))
        rows.append(
            (
                "MET list",
                f"Since {date_format(entry.added_on, 'j F Y')}, "
                f"{entry.get_risk_level_display().lower()} "
                f"risk, lead agency {entry.owning_agency}",
            )
        )
    if permissions.has_add_permission(user, "missing"):
        actions.append(("Record a screening", reverse("missing:screening_create", args=[child.pk])))
    if permissions.has_change_permission(user, "missing"):
        if entry is not None:
            actions.append(
                ("Remove from the MET list", reverse("missing:met_remove", args=[entry.pk]))
            )
        else:
            actions.append(("Add to the MET list", reverse("missing:met_add", args=[child.pk])))
    return Summary(
        tags=tuple(tags), warnings=tuple(warnings), actions=tuple(actions), rows=tuple(rows)
    )
