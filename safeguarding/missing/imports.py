"""The missing episodes import (issue 5 contract; docs/imports/missing-episodes.md)."""

from __future__ import annotations

from django.utils import timezone

from safeguarding.children.models import Child
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
from .rules import episode_problems, local
from .services import episodes_import


def local_datetime(value: str):
    """YYYY-MM-DDTHH:MM, a wall-clock time in England (Europe/London)."""
    moment = local(datetime_value(value))
    if moment > timezone.now():
        raise CellError(f"{value} is in the future")
    return moment


class MissingEpisodesImport(ImportSchema):
    register = "missing-episodes"
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

    def __init__(self):
        # Episodes seen so far in this file, per child: {child_reference: {reference: (s, e)}}.
        self._in_file: dict[str, dict[str, tuple]] = {}
        self._stored: dict[str, list[tuple]] | None = None

    def _stored_episodes(self) -> dict[str, list[tuple]]:
        """Every stored episode by child reference, loaded once (one query) per import."""
        if self._stored is None:
            self._stored = {}
            merged = dict(
                Child.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into")
            )
            refs: dict[int, list[str]] = {}
            for pk, ref in Child.objects.exclude(external_reference="").values_list(
                "pk", "external_reference"
            ):
                refs.setdefault(pk, []).append(ref)
            # a reference of a merged child stands for the child it was merged into
            for pk, target in merged.items():
                hops = 0
                while target in merged and hops < 10:
                    target, hops = merged[target], hops + 1
                refs.setdefault(target, []).extend(refs.get(pk, []))
            for reference, child_id, start, end in Episode.objects.values_list(
                "reference", "child_id", "start", "end"
            ).iterator(chunk_size=5000):
                for ref in refs.get(child_id, []):
                    self._stored.setdefault(ref, []).append((reference, start, end))
        return self._stored

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
            for ref, s, e in self._stored_episodes().get(child_ref, [])
            if ref != reference and ref not in in_file
        ]
        problems += episode_problems(
            start=row["start"],
            end=row["end"],
            interview_offered=row["return_interview_offered"],
            others=others,
        )
        if not problems:
            self._in_file.setdefault(child_ref, {})[reference] = (row["start"], row["end"])
        return problems

    def existing_keys(self, keys):
        return set(Episode.objects.filter(reference__in=keys).values_list("reference", flat=True))

    def save_batch(self, rows, *, acting_user):
        return episodes_import(acting_user=acting_user, rows=rows)
