"""The missing episodes import (issue 5 contract; docs/imports/missing-episodes.md)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from safeguarding.children.queries import children_by_reference
from safeguarding.core.imports import (
    CellError,
    Column,
    ImportSchema,
    code,
    datetime_value,
    text,
    yes_no,
)

from .codes import IMPORT_EPISODE_TYPES
from .models import Episode
from .rules import LONDON, episode_problems
from .services import episodes_import

_PLAIN_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}")


def local_datetime(value: str):
    """YYYY-MM-DDTHH:MM, a wall-clock time in England (Europe/London)."""
    if _PLAIN_DATETIME.fullmatch(value):
        # The usual form, read directly: this runs for most cells of big files, twice.
        try:
            moment = dt.datetime.fromisoformat(value).replace(tzinfo=LONDON)
        except ValueError:
            moment = None  # not a real date: datetime_value() words the message
    else:
        moment = None
    if moment is None:
        moment = datetime_value(value).replace(tzinfo=LONDON)  # naive: no offset is accepted
    if moment > dt.datetime.now(dt.UTC):  # timezone.now() costs more, a million times over
        raise CellError(f"{value} is in the future")
    return moment


class MissingEpisodesImport(ImportSchema):
    register = "missing-episodes"
    elsewhere = {
        "child_reference": "the shared child record, by its external reference",
        "return_interview_offered": "when the episode's return home interview was offered",
    }
    key = "reference"
    columns = [
        Column("reference", text(40), required=True, help="Unique reference of the episode"),
        Column(
            "child_reference",
            text(40),
            required=True,
            help="The child's reference (e.g. the council's child id): links to the child, "
            "or creates one",
        ),
        Column(
            "looked_after", yes_no, help="yes (missing from care) or no (from home); blank means no"
        ),
        Column("episode_type", code(IMPORT_EPISODE_TYPES), help="missing or absent (needed)"),
        Column("start", local_datetime, required=True, help="YYYY-MM-DDTHH:MM, UK local time"),
        Column(
            "end",
            local_datetime,
            help="YYYY-MM-DDTHH:MM; blank while the child is still missing; not before the start",
        ),
        Column(
            "return_interview_offered",
            local_datetime,
            help="YYYY-MM-DDTHH:MM, optional; not before the end",
        ),
    ]

    batch_size = 5000

    def __init__(self):
        # Episodes seen so far in this file, per child: {child_reference: {reference: (s, e)}}.
        self._in_file: dict[str, dict[str, tuple]] = {}
        # Stored episodes of the children of the chunk being checked (prepare_check).
        self._stored: dict[str, list[tuple]] = {}
        self._now = timezone.now()

    def prepare_check(self, rows):
        """Stored episodes of this chunk's children, by child reference: two or three
        queries a chunk instead of loading every stored episode (or one query a row).
        A reference of a merged child stands for the child it was merged into."""
        self._stored = {}
        self._now = timezone.now()
        references = {row["child_reference"] for row in rows}
        if not references:
            return
        refs: dict[int, list[str]] = {}  # child id -> the file's references that mean it
        for ref, ids in children_by_reference(references).items():
            for pk in ids:
                refs.setdefault(pk, []).append(ref)
        for reference, child_id, start, end in Episode.objects.filter(
            child_id__in=list(refs)
        ).values_list("reference", "child_id", "start", "end"):
            for ref in refs[child_id]:
                self._stored.setdefault(ref, []).append((reference, start, end))

    def check_row(self, row):
        problems = []
        if row.get("episode_type") is None:
            problems.append(("episode_type", "is required: missing or absent"))
        child_ref, reference = row["child_reference"], row["reference"]
        others = [
            (ref, s, e)
            for ref, (s, e) in self._in_file.get(child_ref, {}).items()
            if ref != reference
        ]
        in_file = {ref for ref, _s, _e in others}
        others += [
            (ref, s, e)
            for ref, s, e in self._stored.get(child_ref, [])
            if ref != reference and ref not in in_file
        ]
        problems += episode_problems(
            start=row["start"],
            end=row["end"],
            interview_offered=row["return_interview_offered"],
            others=others,
            now=self._now,
        )
        if not problems:
            self._in_file.setdefault(child_ref, {})[reference] = (row["start"], row["end"])
        return problems

    def existing_keys(self, keys):
        return set(Episode.objects.filter(reference__in=keys).values_list("reference", flat=True))

    def save_batch(self, rows, *, acting_user):
        return episodes_import(acting_user=acting_user, rows=rows)
