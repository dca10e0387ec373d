"""Synthetic missing episodes for scale tests: per year (large) 3,000 children with
15,000 missing / absent / away episodes between them, return home interviews after most
missing episodes, and a few exploitation screenings and MET list entries.

Realistic shape: a few children go missing very often and most once or twice; about a
quarter of each year's children were already known in earlier years; "away from
placement" happens only to looked-after children. A child's episodes never overlap
(each ends before the next starts, and within its financial year), so the module's
rules.episode_problems() accepts every one. Episodes end unless the child is still
missing "now" (only possible in the current period). Date-times are aware: instants are
computed in UTC and stored as Europe/London, so the clock changes are right.
Synthetic personal data only ("Child 000123"); no per-record audit rows.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.utils import timezone

from safeguarding.children.models import Child
from safeguarding.core.imports import insert_rows

from . import conf
from .models import Episode, MetListEntry, ReturnInterview, Screening
from .rules import LONDON, UTC

CHILDREN_PER_YEAR = 3000
EPISODES_PER_YEAR = 15000
RETURNING_SHARE = 0.25  # of a year's children, already known from earlier years
MAX_EPISODES = 150  # a child's episodes in one year

TYPES_IN_CARE = {"missing": 45, "absent": 35, "away": 20}
TYPES_AT_HOME = {"missing": 55, "absent": 45}
WHERE_FOUND = {
    "returned_home": 45,
    "found_by_police": 14,
    "found_by_family": 14,
    "friend_address": 12,
    "associate_address": 4,
    "out_of_area": 4,
    "hospital": 1,
    "custody": 2,
    "other": 2,
    "unknown": 2,
}
RISK = {"low": 55, "medium": 35, "high": 10}
ETHNICITIES = ["WBRI", "WBRI", "WBRI", "WOTH", "BAFR", "BCRB", "AOTH", "MOTH", "OOTH", "NOBT"]
AREAS = ["North", "South", "East", "West", "Central"]


def _pick(rng, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=LONDON).astimezone(UTC)


def _next_id(model) -> int:
    return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1


def _duration(rng, kind: str) -> dt.timedelta:
    """Absences are short; most missing episodes end within a day, a few last for days."""
    if kind == "absent":
        hours = rng.uniform(0.5, 12)
    elif rng.random() < 0.85:
        hours = rng.uniform(1, 30)
    else:
        hours = rng.uniform(30, 24 * 12)
    return dt.timedelta(minutes=int(hours * 60))


def _new_children(rng, year, n: int, first: int, agencies) -> list[tuple]:
    rows = []
    for k in range(n):
        number = first + k
        looked_after = rng.random() < 0.4
        age_days = rng.randint(365 * 9, 365 * 17 + 200)
        rows.append(
            (
                f"GEN-C{number:07d}",
                "Child",
                f"{number:06d}",
                year.start - dt.timedelta(days=age_days),
                rng.choice(["male", "female"]),
                rng.choice(ETHNICITIES),
                looked_after,
                f"Generated area {rng.choice(AREAS)}",
                rng.choice(agencies).pk,
            )
        )
    return rows


def _children(rng, year, scale, agencies, known: list[tuple]) -> list[tuple]:
    """This year's children as (id, looked_after, agency id, date of birth)."""
    n = max(1, round(CHILDREN_PER_YEAR * scale))
    adult = year.start - dt.timedelta(days=365 * 18)
    still_children = [c for c in known if c[3] > adult]
    returning = rng.sample(still_children, min(len(still_children), int(n * RETURNING_SHARE)))
    first = Child.objects.filter(external_reference__startswith="GEN-C").count() + 1
    start_id = _next_id(Child)
    rows = _new_children(rng, year, n - len(returning), first, agencies)
    insert_rows(
        Child,
        [
            "external_reference",
            "first_name",
            "last_name",
            "date_of_birth",
            "sex",
            "ethnicity",
            "looked_after",
            "home_area",
            "owning_agency_id",
        ],
        rows,
    )
    new = list(
        Child.objects.filter(id__gte=start_id, external_reference__startswith="GEN-C")
        .order_by("id")
        .values_list("id", "looked_after", "owning_agency_id", "date_of_birth")
    )
    known.extend(new)
    return returning + new


def _episode_counts(rng, n_children: int, total: int) -> list[int]:
    """At least one episode each; the rest go mostly to a few children (heavy tail)."""
    counts = [1] * n_children
    if total <= n_children:
        return counts
    propensity = [min(rng.paretovariate(1.1), 60.0) for _ in range(n_children)]
    for i in rng.choices(range(n_children), weights=propensity, k=total - n_children):
        if counts[i] < MAX_EPISODES:
            counts[i] += 1
    return counts


def _child_episodes(rng, count: int, year_start: dt.datetime, year_end: dt.datetime):
    """Sorted start instants inside the year (UTC), at least an hour apart."""
    hours = int((year_end - year_start).total_seconds() // 3600) - 2
    # Start slots two hours apart: consecutive starts at least an hour apart.
    slots = sorted(rng.sample(range(0, hours, 2), count))
    return [year_start + dt.timedelta(hours=h, minutes=rng.randrange(60)) for h in slots]


def _episodes(rng, year, children, counts, now, reference_prefix, first_number):
    year_start, year_end = _midnight_utc(year.start), _midnight_utc(year.end + dt.timedelta(1))
    rows = []
    number = first_number
    for (child_id, looked_after, agency_id, _dob), count in zip(children, counts, strict=True):
        starts = _child_episodes(rng, count, year_start, year_end)
        for k, start in enumerate(starts):
            if start > now:
                break
            kind = _pick(rng, TYPES_IN_CARE if looked_after else TYPES_AT_HOME)
            limit = starts[k + 1] if k + 1 < len(starts) else year_end
            # Ends at least 30 minutes before the child's next episode starts.
            end = min(start + _duration(rng, kind), limit - dt.timedelta(minutes=30))
            if end > now:
                end = None  # still missing: only possible in the current period
            missing = kind == "missing"
            rows.append(
                (
                    f"{reference_prefix}{number:06d}",
                    child_id,
                    agency_id,
                    looked_after,
                    kind,
                    start.astimezone(LONDON),
                    end.astimezone(LONDON) if end else None,
                    _pick(rng, WHERE_FOUND) if end else "",
                    f"GEN-PN-{number:07d}" if missing else "",
                    _pick(rng, RISK) if missing else "",
                    start.astimezone(LONDON),
                    (end or start).astimezone(LONDON),
                )
            )
            number += 1
    return rows


def _interview(rng, episode_id: int, end: dt.datetime, now: dt.datetime) -> tuple | None:
    """Most missing episodes get an interview offer, nearly always within 72 hours."""
    if rng.random() < 0.06:
        return None  # never offered (moved away, in custody, ...)
    if rng.random() < 0.84:
        hours = rng.uniform(2, conf.interview_hours())
    else:
        hours = rng.uniform(conf.interview_hours() + 1, 24 * 10)  # offered late
    offered = end + dt.timedelta(minutes=int(hours * 60))
    if offered > now:
        return None  # not yet offered: on the worklist
    response = rng.choices(["accepted", "declined", ""], weights=[74, 22, 4])[0]
    completed = None
    if response == "accepted":
        day = (offered + dt.timedelta(days=rng.randint(0, 6))).astimezone(LONDON).date()
        completed = day if day <= now.date() else None
    disclosed = response == "accepted" and rng.random() < 0.12
    return (
        episode_id,
        offered.astimezone(LONDON),
        "Generated return interview service",
        response,
        completed,
        disclosed and rng.random() < 0.4,
        disclosed and rng.random() < 0.6,
        disclosed,
        "Generated disclosure" if disclosed else "",
        "Referred to the exploitation panel" if disclosed else "",
        offered.astimezone(LONDON),
    )


def generate(*, years, scale, rng, agencies, progress):
    now = timezone.now()
    known = list(
        Child.objects.filter(external_reference__startswith="GEN-C").values_list(
            "id", "looked_after", "owning_agency_id", "date_of_birth"
        )
    )
    on_met_list = set(
        MetListEntry.objects.filter(left_on__isnull=True).values_list("child_id", flat=True)
    )
    for year in years:
        if _midnight_utc(year.start) > now:
            continue
        children = _children(rng, year, scale, agencies, known)
        counts = _episode_counts(rng, len(children), max(1, round(EPISODES_PER_YEAR * scale)))
        prefix = f"GEN-ME-{year.label}-"
        first = Episode.objects.filter(reference__startswith=prefix).count() + 1
        start_id = _next_id(Episode)
        rows = _episodes(rng, year, children, counts, now, prefix, first)
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
                "where_found",
                "police_reference",
                "risk_level",
                "created_at",
                "updated_at",
            ],
            rows,
        )
        ids = list(
            Episode.objects.filter(id__gte=start_id, reference__startswith=prefix)
            .order_by("id")
            .values_list("id", flat=True)
        )
        interviews = []
        for episode_id, row in zip(ids, rows, strict=True):
            end = row[6]
            if row[4] == "missing" and end is not None:
                interview = _interview(rng, episode_id, end.astimezone(UTC), now)
                if interview:
                    interviews.append(interview)
        insert_rows(
            ReturnInterview,
            [
                "episode_id",
                "offered_at",
                "offered_by",
                "response",
                "completed_on",
                "disclosed_sexual_exploitation",
                "disclosed_criminal_exploitation",
                "disclosed_harm",
                "disclosures",
                "follow_up_actions",
                "updated_at",
            ],
            interviews,
        )
        screenings, entries = _screenings_and_met(rng, year, children, counts, now, on_met_list)
        progress(
            f"{year}: {len(children)} children, {len(rows)} episodes, "
            f"{len(interviews)} return interviews, {screenings} screenings, "
            f"{entries} MET list entries"
        )


def _screenings_and_met(rng, year, children, counts, now, on_met_list) -> tuple[int, int]:
    """Children who go missing often are screened for exploitation; some join the MET list."""
    today = timezone.localdate(now)
    screenings, entries = [], []
    for (child_id, _la, agency_id, _dob), count in zip(children, counts, strict=True):
        chance = 0.03 + min(count, 10) * 0.04
        if rng.random() >= chance:
            continue
        day = year.start + dt.timedelta(days=rng.randrange(365))
        if day > today:
            continue
        score = rng.randint(0, 30)
        level = "none" if score < 6 else "low" if score < 13 else "medium" if score < 21 else "high"
        screenings.append(
            (
                child_id,
                agency_id,
                day,
                rng.choice(["sexual", "criminal"]),
                "Generated exploitation screening tool",
                score,
                level,
            )
        )
        if level in ("medium", "high") and child_id not in on_met_list and rng.random() < 0.5:
            left = day + dt.timedelta(days=rng.randint(30, 400))
            open_entry = left > today
            entries.append(
                (
                    child_id,
                    agency_id,
                    level,
                    "Generated concerns",
                    day,
                    None if open_entry else left,
                    "" if open_entry else _pick(rng, {"risk_reduced": 70, "moved_away": 15,
                                                       "turned_18": 8, "custody": 4, "other": 3}),
                )
            )  # fmt: skip
            if open_entry:
                on_met_list.add(child_id)
    insert_rows(
        Screening,
        ["child_id", "owning_agency_id", "date", "exploitation_type", "tool", "score", "level"],
        screenings,
    )
    insert_rows(
        MetListEntry,
        [
            "child_id",
            "owning_agency_id",
            "risk_level",
            "exploitation_concerns",
            "added_on",
            "left_on",
            "leaving_reason",
        ],
        entries,
    )
    return len(screenings), len(entries)
