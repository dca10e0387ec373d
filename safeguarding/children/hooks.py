"""What other modules add to the shared child record.

A module that links its records to a child registers here once, at start-up (from its
``register.py``), so that ``children`` never imports it:

- ``merge_checks``: ``check(child) -> [(field, message)]``, run inside a merge after every
  record of the duplicate has moved to the child kept and before the merge commits. Any
  problem refuses the merge, and nothing changes.
- ``timelines``: ``events(child, user) -> [Event]``, the module's part of the child's
  chronology: only what the user may see of the module's records.
- ``summaries``: ``summary(child, user) -> Summary``, tags beside the child's name,
  warnings, buttons and detail rows on the child's page (the module decides what the user
  may do and see).
- ``counts``: ``(label, related name)``, a column of the children list and the possible
  duplicates page (``Count`` of the module's records of each child, e.g. its episodes),
  counting only the records the user may see.
- ``links``: ``Link(module, model, child_field, visible)``, the module's records that name
  a child. A child's visibility follows them (children.queries.visible_children): a user
  sees a child when they may see at least one record naming it, or when it names no record
  yet and the children module's scope lets them see it (their own agency's, or an
  officer's). ``visible(user)`` is the module's queryset of ``model`` the user may see
  (``core.permissions.scoped``); ``child_field`` its lookup to the child.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Event:
    """One line of a child's chronology. ``details`` is HTML already escaped (format_html)."""

    at: dt.date | dt.datetime
    kind: str
    details: str = ""
    show_time: bool = False

    @property
    def sort_key(self) -> dt.datetime:
        if isinstance(self.at, dt.datetime):
            return timezone.localtime(self.at).replace(tzinfo=None)
        return dt.datetime.combine(self.at, dt.time.min)


@dataclass(frozen=True)
class Summary:
    """A module's part of the child's page."""

    tags: tuple[tuple[str, str], ...] = ()  # (text, GOV.UK tag colour)
    warnings: tuple[str, ...] = ()
    actions: tuple[tuple[str, str], ...] = ()  # (button label, URL)
    rows: tuple[tuple[str, str], ...] = ()  # (key, value) in the details list


@dataclass(frozen=True)
class Link:
    """A module's records naming a child (registered with add_link)."""

    module: str
    model: type
    child_field: str
    visible: Callable  # visible(user) -> QuerySet of ``model`` the user may see


links: list[Link] = []
merge_checks: list[Callable] = []
timelines: list[Callable] = []
summaries: list[Callable] = []
counts: list[tuple[str, str]] = []


def _add(registry: list, item) -> None:
    if item not in registry:  # a module's register.py may be imported more than once
        registry.append(item)


def add_link(*, module: str, model: type, visible: Callable, child_field: str = "child") -> None:
    """``model``'s rows name a child through ``child_field``; ``visible(user)`` gives those
    the user may see (e.g. ``lambda user: scoped(user, module, model.objects.all())``)."""
    link = Link(module=module, model=model, child_field=child_field, visible=visible)
    links[:] = [x for x in links if (x.model, x.child_field) != (model, child_field)] + [link]


def add_merge_check(check: Callable) -> None:
    _add(merge_checks, check)


def add_timeline(events: Callable) -> None:
    _add(timelines, events)


def add_summary(summary: Callable) -> None:
    _add(summaries, summary)


def add_count(label: str, related_name: str) -> None:
    _add(counts, (label, related_name))


def count_columns() -> list[tuple[str, str]]:
    """(label, annotation name) of every registered count."""
    return [(label, f"{name}_count") for label, name in counts]


def merge_problems(child) -> list[tuple[str, str]]:
    return [problem for check in merge_checks for problem in check(child)]


def chronology(child, user) -> list[Event]:
    """Every module's events of the child that the user may see, newest first (each
    timeline, ``events(child, user)``, keeps to its module's scope)."""
    events = [event for timeline in timelines for event in timeline(child, user)]
    return sorted(events, key=lambda e: e.sort_key, reverse=True)


def summary(child, user) -> Summary:
    """The modules' summaries, together."""
    parts = [part(child, user) for part in summaries]
    return Summary(
        tags=tuple(t for p in parts for t in p.tags),
        warnings=tuple(w for p in parts for w in p.warnings),
        actions=tuple(a for p in parts for a in p.actions),
        rows=tuple(r for p in parts for r in p.rows),
    )
