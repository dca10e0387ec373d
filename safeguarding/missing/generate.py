"""Synthetic missing episodes for scale tests: per year (large) 3,000 children with
15,000 episodes between them, most missing episodes followed by a return interview."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguarding.children.models import Child
from safeguarding.core.imports import insert_rows

from .models import Episode, ReturnInterview
from .rules import LONDON

TYPES = ["missing"] * 45 + ["absent"] * 45 + ["away"] * 10


def generate(*, years, scale, rng, agencies, progress):
    now = timezone.now()
    for year in years:
        n_children = max(1, int(3000 * scale))
        tag = f"GEN-{year.label}"
        insert_rows(
            Child,
            [
                "external_reference",
                "first_name",
                "last_name",
                "date_of_birth",
                "sex",
                "looked_after",
                "owning_agency_id",
            ],
            [
                (
                    f"{tag}-C{i:05d}",
                    "Child",
                    f"{i:06d}",
                    year.start - dt.timedelta(days=rng.randint(365 * 8, 365 * 17)),
                    rng.choice(["male", "female"]),
                    rng.random() < 0.35,
                    rng.choice(agencies).pk,
                )
                for i in range(n_children)
            ],
        )
        children = list(
            Child.objects.filter(external_reference__startswith=f"{tag}-C").values_list(
                "id", "looked_after", "owning_agency_id"
            )
        )
        episodes = []
        for child_id, looked_after, agency_id in children:
            days = sorted(rng.sample(range(0, 360, 3), 5))  # 3 days apart: no overlaps
            for k, day in enumerate(days):
                start = dt.datetime.combine(
                    year.start + dt.timedelta(days=day),
                    dt.time(rng.randint(0, 23), rng.randint(0, 59)),
                    tzinfo=LONDON,
                )
                end = start + dt.timedelta(hours=rng.randint(2, 60))
                if start > now:
                    continue
                end = None if end > now else end
                episodes.append(
                    (
                        f"{tag}-E{child_id}-{k}",
                        child_id,
                        agency_id,
                        looked_after,
                        rng.choice(TYPES),
                        start,
                        end,
                    )
                )
        episodes = episodes[: int(15000 * scale) or len(episodes)]
        insert_rows(
            Episode,
            [
                "reference",
                "child_id",
                "owning_agency_id",
                "looked_after",
                "episode_type",
                "start",
                "end",
            ],
            episodes,
        )
        ids = dict(
            Episode.objects.filter(reference__startswith=f"{tag}-E").values_list("reference", "id")
        )
        interviews = []
        for reference, _c, _a, _l, kind, _start, end in episodes:
            if kind != "missing" or end is None or rng.random() < 0.1:
                continue
            offered = end + dt.timedelta(hours=rng.choice([4, 20, 40, 60, 70, 90, 120]))
            response = rng.choice(["accepted"] * 4 + ["declined"])
            completed = (offered + dt.timedelta(days=rng.randint(1, 6))).date()
            interviews.append(
                (
                    ids[reference],
                    min(offered, now),
                    "Independent provider",
                    response,
                    completed if response == "accepted" and completed <= now.date() else None,
                )
            )
        insert_rows(
            ReturnInterview,
            ["episode_id", "offered_at", "offered_by", "response", "completed_on"],
            interviews,
        )
        progress(
            f"{year}: {len(children)} children, {len(episodes)} episodes, "
            f"{len(interviews)} return interviews"
        )
