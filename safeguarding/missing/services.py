"""Writes of the missing / exploited module. Keyword-only, atomic, audited."""

from __future__ import annotations

import datetime as dt
from functools import wraps
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguarding.children.models import Child
from safeguarding.children.notify import link, tell_officers
from safeguarding.children.queries import child_by_reference, child_get, kept_id
from safeguarding.children.services import children_for_references
from safeguarding.core.audit import changes_between, insert_events, record_event, snapshot
from safeguarding.core.imports import insert_rows
from safeguarding.core.periods import FinancialYear
from safeguarding.core.permissions import scoped
from safeguarding.core.writes import (
    RecordInvalid,
    config_service,
    create_record,
    lock,
    lock_for_edit,
    update_record,
)

from .models import (
    Commentary,
    Episode,
    MetDiscussion,
    MetListEntry,
    MetMeeting,
    MetMeetingType,
    ReturnInterview,
    Screening,
)
from .rules import OVERLAP_OUT_OF_SIGHT, episode_problems, overlaps

# The same answer for a reference nobody has and for another agency's child: nothing is
# created, nothing attached, nothing named.
NO_CHILD_YOU_CAN_SEE = (
    "No child you can see has this reference. Choose a child you can see, or add the child first."
)

EPISODE_FIELDS = [
    "reference",
    "child",
    "owning_agency",
    "looked_after",
    "episode_type",
    "start",
    "end",
    "where_found",
    "police_reference",
    "risk_level",
]
INTERVIEW_FIELDS = [
    "offered_at",
    "offered_by",
    "response",
    "completed_on",
    "disclosed_sexual_exploitation",
    "disclosed_criminal_exploitation",
    "disclosed_harm",
    "disclosures",
    "follow_up_actions",
]


# ---- the child record (children.hooks) ---------------------------------------------------


def overlapping_episodes(child: Child) -> list[tuple[str, str]]:
    """Overlapping episodes of one child: refuses a merge that would make them (the
    check children.services.child_merge runs before it commits)."""
    episodes = list(
        Episode.objects.filter(child=child)
        .order_by("start")
        .values_list("reference", "start", "end")
    )
    for i, (ref, start, end) in enumerate(episodes):
        for other_ref, other_start, other_end in episodes[i + 1 :]:
            if overlaps(start, end, other_start, other_end):
                return [
                    (
                        "duplicate",
                        f"Episodes {ref} and {other_ref} would overlap: correct them first",
                    )
                ]
    return []


# ---- episodes -------------------------------------------------------------------------


def _others(child: Child, exclude_pk: int | None, acting_user):
    """The child's other episodes as (reference, start, end), those the acting user may
    see first; the reference is None for the others (rules.episode_problems names nothing
    of them)."""
    episodes = Episode.objects.filter(child=child)
    if exclude_pk:
        episodes = episodes.exclude(pk=exclude_pk)
    seen = set(scoped(acting_user, "missing", episodes).values_list("pk", flat=True))
    rows = sorted(
        episodes.values_list("pk", "reference", "start", "end"), key=lambda r: r[0] not in seen
    )
    return [(ref if pk in seen else None, start, end) for pk, ref, start, end in rows]


class OverlapOutOfSight(RecordInvalid):
    """The episode overlaps one the acting user may not see (of this child)."""

    def __init__(self, problems, child_id: int):
        super().__init__(problems)
        self.child_id = child_id


def _validate_episode(episode: Episode, acting_user) -> None:
    Child.objects.select_for_update().filter(pk=episode.child_id).first()  # serialise per child
    offered = None
    if episode.pk:
        offered = (
            ReturnInterview.objects.filter(episode_id=episode.pk)
            .values_list("offered_at", flat=True)
            .first()
        )
    problems = episode_problems(
        start=episode.start,
        end=episode.end,
        interview_offered=offered,
        others=_others(episode.child, episode.pk, acting_user),
    )
    problems = [
        ("end", "The end cannot be after the interview was offered")
        if f == "return_interview_offered"
        else (f, m)
        for f, m in problems
    ]
    if any(m == OVERLAP_OUT_OF_SIGHT for _f, m in problems):
        raise OverlapOutOfSight(problems, child_id=episode.child_id)
    if problems:
        raise RecordInvalid(problems)


def _telling_officers(service):
    """Run ``service`` (atomic); when it is refused for overlapping an episode the user
    may not see, the missing register's officers are emailed once the transaction is rolled
    back: which child record to look at (a link), no names or references."""

    @wraps(service)
    def run(*, acting_user, **kwargs):
        try:
            return service(acting_user=acting_user, **kwargs)
        except OverlapOutOfSight as exc:
            agency = getattr(acting_user, "agency", None)
            tell_officers(
                modules=["missing"],
                subject="Missing episodes: an overlapping episode was refused",
                message=(
                    f"A user of {agency or 'an agency'} tried to record a missing episode "
                    "for a child who already has an episode at that time, recorded by "
                    "another agency. Their episode was not saved, and they were not shown "
                    "the other episode. Please check the child's record and contact the "
                    "agencies.\n\n"
                    f"The child's record: {link('children:detail', exc.child_id)}\n\n"
                    "This email carries no personal details: sign in to see the record."
                ),
            )
            raise RecordInvalid(exc.problems) from None

    return run


@_telling_officers
@transaction.atomic
def episode_create(*, acting_user, **values: Any) -> Episode:
    episode = Episode(**values)
    _validate_episode(episode, acting_user)
    return create_record(
        acting_user=acting_user,
        instance=episode,
        fields=EPISODE_FIELDS,
        summary="Episode recorded",
        series=("MIS", "start", 5),
        given_reference=values.get("reference"),
    )


def episode_child(*, acting_user, child_reference: str = "", child_id: int | None = None):
    """The child an episode form names, among the children the user may see: the child
    chosen (``child_id``), else the one with this reference. Refused (RecordInvalid, the
    same message whichever it is) when there is none the user may see. Never creates one:
    a child is added on its own page first."""
    child = None
    if child_id is not None:
        try:
            child = child_get(user=acting_user, pk=child_id)
            if child.merged_into_id:  # the record kept, if the user may see it
                child = child_get(user=acting_user, pk=kept_id(child))
        except Child.DoesNotExist:
            child = None
    elif child_reference.strip():
        child = child_by_reference(user=acting_user, reference=child_reference)
    if child is None:
        raise RecordInvalid([("child_reference", NO_CHILD_YOU_CAN_SEE)])
    return child


def episode_report(
    *, acting_user, child_reference: str = "", child_id: int | None = None, **values: Any
) -> Episode:
    """An episode of a child the user may see, chosen (``child_id``) or named by its
    reference: refused, with nothing created or attached, when the user may see no such
    child (services.NO_CHILD_YOU_CAN_SEE)."""
    child = episode_child(
        acting_user=acting_user, child_reference=child_reference, child_id=child_id
    )
    return episode_create(acting_user=acting_user, child=child, **values)


@_telling_officers
@transaction.atomic
def episode_update(
    *, acting_user, episode: Episode, expected_version: int | None, **values: Any
) -> Episode:
    return update_record(
        acting_user=acting_user,
        instance=episode,
        expected_version=expected_version,
        fields=EPISODE_FIELDS,
        values=values,
        summary="Episode changed",
        prepare=lambda current: _validate_episode(current, acting_user),
        queryset=Episode.objects.select_related("child"),
    )


@transaction.atomic
def interview_save(
    *, acting_user, episode: Episode, expected_version: int | None, **values: Any
) -> ReturnInterview:
    """Offer (and later complete) the return home interview: an edit of the episode,
    saved only from the version the form was made from."""
    current = lock_for_edit(episode, expected_version)
    problems = []
    offered = values.get("offered_at")
    if current.end is None:
        problems.append(("offered_at", "Record the end of the episode before the interview"))
    elif offered and offered < current.end:
        problems.append(("offered_at", "The interview cannot be offered before the child returned"))
    if offered and offered > timezone.now():
        problems.append(("offered_at", "The offer cannot be in the future"))
    if (values.get("response") or values.get("completed_on")) and not offered:
        problems.append(("offered_at", "Enter when the interview was offered"))
    completed = values.get("completed_on")
    if completed and values.get("response") != "accepted":
        problems.append(("completed_on", "Only an accepted interview can be completed"))
    if completed and offered and completed < timezone.localdate(offered):
        problems.append(("completed_on", "The interview cannot be completed before it was offered"))
    if problems:
        raise RecordInvalid(problems)
    interview, created = ReturnInterview.objects.get_or_create(episode=current)
    before = {} if created else snapshot(interview, INTERVIEW_FIELDS)
    for name, value in values.items():
        setattr(interview, name, value)
    interview.updated_at = timezone.now()
    interview.save()
    changes = changes_between(before, snapshot(interview, INTERVIEW_FIELDS))
    current.version += 1
    current.updated_at = timezone.now()
    current.save(update_fields=["version", "updated_at"])
    record_event(
        actor=acting_user,
        action="update",
        obj=current,
        changes={f"interview {k}": v for k, v in changes.items()},
        summary="Return home interview recorded",
    )
    return interview


# ---- screening and the MET list -------------------------------------------------------


@transaction.atomic
def screening_add(*, acting_user, child: Child, **values: Any) -> Screening:
    if values.get("date") and values["date"] > timezone.localdate():
        raise RecordInvalid([("date", "The screening date cannot be in the future")])
    if values.get("score") is None and not values.get("level"):
        raise RecordInvalid([("level", "Enter a score or choose a level")])
    screening = Screening(child=child, **values)
    if screening.owning_agency_id is None:
        screening.owning_agency_id = acting_user.agency_id
    screening.save()
    fields = ["date", "exploitation_type", "tool", "score", "level", "owning_agency"]
    record_event(
        actor=acting_user,
        action="create",
        obj=child,
        changes={
            f"screening {k}": v for k, v in changes_between({}, snapshot(screening, fields)).items()
        },
        summary=f"{screening.get_exploitation_type_display()} screening recorded",
    )
    return screening


@transaction.atomic
def met_add(
    *,
    acting_user,
    child: Child,
    owning_agency,
    risk_level: str,
    added_on: dt.date,
    exploitation_concerns: str = "",
) -> MetListEntry:
    Child.objects.select_for_update().filter(pk=child.pk).first()
    if MetListEntry.objects.filter(child=child, left_on__isnull=True).exists():
        raise RecordInvalid([("risk_level", "This child is already on the MET list")])
    if added_on > timezone.localdate():
        raise RecordInvalid([("added_on", "The date cannot be in the future")])
    entry = MetListEntry.objects.create(
        child=child,
        owning_agency=owning_agency,
        risk_level=risk_level,
        added_on=added_on,
        exploitation_concerns=exploitation_concerns,
    )
    record_event(
        actor=acting_user,
        action="create",
        obj=child,
        changes={
            "MET list": [None, f"added on {added_on:%d/%m/%Y}"],
            "MET risk level": [None, risk_level],
            "MET lead agency": [None, str(owning_agency)],
        },
        summary="Added to the MET list",
    )
    return entry


@transaction.atomic
def met_remove(
    *,
    acting_user,
    entry: MetListEntry,
    left_on: dt.date,
    leaving_reason: str,
    expected_version: int | None,
) -> MetListEntry:
    """The child leaves the list: saved only from the version the form was made from."""
    current = lock_for_edit(entry, expected_version)
    if current.left_on:
        raise RecordInvalid([("left_on", "This child has already left the MET list")])
    if left_on < current.added_on:
        raise RecordInvalid([("left_on", "The child cannot leave the list before being added")])
    if left_on > timezone.localdate():
        raise RecordInvalid([("left_on", "The date cannot be in the future")])
    current.left_on, current.leaving_reason = left_on, leaving_reason
    current.version += 1
    current.save()
    record_event(
        actor=acting_user,
        action="update",
        obj=current.child,
        changes={
            "MET list": ["on the list", f"left on {left_on:%d/%m/%Y}"],
            "MET leaving reason": [None, current.get_leaving_reason_display()],
        },
        summary="Left the MET list",
    )
    return current


@transaction.atomic
def meeting_create(
    *, acting_user, meeting_type: MetMeetingType, date: dt.date, agencies=(), notes: str = ""
) -> MetMeeting:
    """A MET meeting whose agenda is every child on the list on that date."""
    meeting = MetMeeting.objects.create(meeting_type=meeting_type, date=date, notes=notes)
    meeting.agencies.set(agencies)
    entries = MetListEntry.objects.filter(added_on__lte=date).exclude(left_on__lt=date)
    MetDiscussion.objects.bulk_create(
        [MetDiscussion(meeting=meeting, entry=e, risk_level=e.risk_level) for e in entries]
    )
    record_event(
        actor=acting_user,
        action="create",
        obj=meeting,
        changes={
            "meeting": [None, str(meeting)],
            "agencies attending": [None, [str(a) for a in agencies]],
            "children on the agenda": [None, len(entries)],
        },
        summary=f"{meeting_type.name} recorded",
    )
    return meeting


@transaction.atomic
def discussion_update(
    *, acting_user, discussion: MetDiscussion, risk_level: str, decisions: str, actions: str
) -> MetDiscussion:
    current = lock(discussion, queryset=MetDiscussion.objects.select_related("entry"))
    fields = ["risk_level", "decisions", "actions"]
    before = snapshot(current, fields)
    current.risk_level, current.decisions, current.actions = risk_level, decisions, actions
    current.save()
    entry = current.entry
    if risk_level and entry.left_on is None and entry.risk_level != risk_level:
        entry.risk_level = risk_level
        entry.version += 1
        entry.save(update_fields=["risk_level", "version"])
    record_event(
        actor=acting_user,
        action="update",
        obj=entry.child,
        changes={
            f"MET meeting {k}": v
            for k, v in changes_between(before, snapshot(current, fields)).items()
        },
        summary=f"Discussed at the MET meeting of {current.meeting.date:%d/%m/%Y}",
    )
    return current


meeting_type_save = config_service(MetMeetingType, "meeting_type", summary="MET meeting type saved")


@transaction.atomic
def commentary_save(*, acting_user, year: FinancialYear, indicator: str, text: str) -> Commentary:
    item, _ = Commentary.objects.select_for_update().get_or_create(
        start_year=year.start_year, indicator=indicator
    )
    before = item.text
    item.text, item.updated_at = text, timezone.now()
    item.save()
    record_event(
        actor=acting_user,
        action="update",
        obj=item,
        changes={"text": [before, text]} if before != text else {},
        summary=f"Commentary on {indicator} {year.label} saved",
    )
    return item


# ---- import ---------------------------------------------------------------------------

IMPORT_COLUMNS = ["child_id", "looked_after", "episode_type", "start", "end"]


def episodes_import(*, acting_user, rows: list[dict[str, Any]]) -> tuple[int, int, int]:
    """Upsert one batch of validated rows (inside the import's transaction).

    New episodes, interviews and audit rows go in with one executemany each (insert_rows):
    bulk_create's per-instance work made a 100,000-row import 20 times slower than the
    inserts themselves. Existing episodes are read as plain values, one query a batch."""
    existing = {
        values[0]: values[1:]
        for values in Episode.objects.filter(
            reference__in=[r["reference"] for r in rows]
        ).values_list(
            "reference",
            "pk",
            "child_id",
            "looked_after",
            "episode_type",
            "start",
            "end",
            "version",
        )
    }
    interviews = {}
    if existing:
        interviews = {
            episode_id: (pk, offered_at)
            for episode_id, pk, offered_at in ReturnInterview.objects.filter(
                episode_id__in=[e[0] for e in existing.values()]
            ).values_list("episode_id", "pk", "offered_at")
        }
    looked_after: dict[str, bool] = {}
    for row in rows:
        looked_after.setdefault(row["child_reference"], bool(row["looked_after"]))
    children = children_for_references(
        acting_user=acting_user,
        references=looked_after,
        summary="Created by the missing episodes import",
    )
    now = timezone.now()
    agency_id = getattr(acting_user, "agency_id", None)
    created = updated = unchanged = 0
    new_rows, changed, changed_interviews, new_interviews, events = [], [], [], [], []
    for row in rows:
        values = (
            children[row["child_reference"]],
            bool(row["looked_after"]),
            row["episode_type"],
            row["start"],
            row["end"],
        )
        offered = row["return_interview_offered"]
        stored = existing.get(row["reference"])
        if stored is None:
            new_rows.append((row["reference"], values, offered))
            created += 1
            continue
        pk, version = stored[0], stored[6]
        changes = changes_between(_import_snapshot(*stored[1:6]), _import_snapshot(*values))
        interview_pk, old_offer = interviews.get(pk, (None, None))
        # Compared in UTC: Python never finds a time in the autumn's repeated hour equal
        # to one in another zone (PEP 495), so re-imports saw a change that was not there.
        if offered is not None and offered.astimezone(dt.UTC) != old_offer:
            changes["interview offered_at"] = [
                old_offer.isoformat() if old_offer else None,
                offered.isoformat(),
            ]
            if interview_pk is None:
                new_interviews.append((pk, offered, now))
            else:
                changed_interviews.append(
                    ReturnInterview(pk=interview_pk, offered_at=offered, updated_at=now)
                )
        if changes:
            changed.append(
                Episode(
                    pk=pk,
                    version=version + 1,
                    updated_at=now,
                    **dict(zip(IMPORT_COLUMNS, values, strict=True)),
                )
            )
            events.append((pk, changes, "Updated by import"))
            updated += 1
        else:
            unchanged += 1
    if new_rows:
        insert_rows(
            Episode,
            ["reference", "owning_agency_id", "created_at", "updated_at", *IMPORT_COLUMNS],
            [(ref, agency_id, now, now, *values) for ref, values, _offered in new_rows],
        )
        ids = dict(
            Episode.objects.filter(reference__in=[r[0] for r in new_rows]).values_list(
                "reference", "pk"
            )
        )
        for ref, values, offered in new_rows:
            changes = {k: [None, v] for k, v in _import_snapshot(*values).items() if v is not None}
            if offered is not None:
                new_interviews.append((ids[ref], offered, now))
                changes["interview offered_at"] = [None, offered.isoformat()]
            events.append((ids[ref], changes, "Created by import"))
    if changed:
        Episode.objects.bulk_update(
            changed, [*IMPORT_COLUMNS, "version", "updated_at"], batch_size=1000
        )
    insert_rows(ReturnInterview, ["episode_id", "offered_at", "updated_at"], new_interviews)
    if changed_interviews:
        ReturnInterview.objects.bulk_update(
            changed_interviews, ["offered_at", "updated_at"], batch_size=1000
        )
    insert_events(
        actor=acting_user,
        action="import",
        module=Episode.MODULE,
        object_type=Episode._meta.label_lower,
        rows=events,
    )
    return created, updated, unchanged


def _import_snapshot(child_id, looked_after, episode_type, start, end) -> dict:
    return {
        "child": child_id,
        "looked_after": looked_after,
        "episode_type": episode_type,
        "start": start.astimezone(dt.UTC).isoformat() if start else None,
        "end": end.astimezone(dt.UTC).isoformat() if end else None,
    }
