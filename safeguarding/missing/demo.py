"""Demo data: 2016-17 shaped like the seed report's MET dataset (section 3.2), 2015-16 for
the previous year, interviews, screenings, a MET list and a few meetings."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from safeguarding.children import services as child_services
from safeguarding.core.demo import demo_user
from safeguarding.core.periods import FinancialYear

from . import services
from .models import Episode, MetMeetingType, ReturnInterview
from .rules import LONDON

FIRST = [
    "Aaliyah",
    "Ben",
    "Chloe",
    "Daniel",
    "Ella",
    "Femi",
    "Grace",
    "Harry",
    "Isla",
    "Jayden",
    "Kayla",
    "Leon",
    "Maya",
    "Nathan",
    "Olivia",
    "Reece",
    "Sienna",
    "Tyler",
    "Zara",
    "Malik",
]
LAST = [
    "Ahmed",
    "Brown",
    "Campbell",
    "Dawson",
    "Edwards",
    "Francis",
    "Grant",
    "Hall",
    "Idowu",
    "James",
    "King",
    "Lopez",
    "Morris",
    "Nelson",
    "Okoro",
    "Price",
    "Reid",
    "Smith",
    "Thomas",
    "Walker",
]
ETHNIC = ["WBRI", "BCRB", "BAFR", "MWBC", "WOTH", "BOTH", "AOTH", "MOTH"]
AREAS = ["Deptford", "New Cross", "Lewisham Central", "Catford", "Sydenham", "Downham"]

# Seed section 3.2, indicator 3: April-June 2016 (care missing, home missing, care absent,
# home absent). The other months follow the same shape.
SEED_MONTHS = {4: (5, 19, 36, 7), 5: (4, 13, 46, 17), 6: (5, 8, 42, 17)}
PROVIDER = "St Christopher's Runaways project (independent return interviews)"


def _monthly(rng: random.Random, month: int, scale: float) -> tuple[int, int, int, int]:
    if scale == 1.0 and month in SEED_MONTHS:
        return SEED_MONTHS[month]
    base = (5, 13, 41, 14)
    return tuple(max(0, round(rng.gauss(b * scale, b * 0.2 + 1))) for b in base)


def _episodes_for_year(rng, year: FinancialYear, scale: float, children, prefix: str):
    """Rows for the import writer; each child's episodes never overlap."""
    wanted = []
    for _key, first, last in year.months():
        counts = _monthly(rng, first.month, scale)
        for (care, kind), n in zip(
            [(True, "missing"), (False, "missing"), (True, "absent"), (False, "absent")],
            counts,
            strict=True,
        ):
            for _ in range(n):
                day = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
                start = dt.datetime.combine(
                    day, dt.time(rng.randrange(24), rng.choice([0, 15, 30, 45])), tzinfo=LONDON
                )
                wanted.append((start, care, kind))
    wanted.sort()
    last_end: dict[str, dt.datetime] = {}
    rows = []
    for number, (start, care, kind) in enumerate(wanted, start=1):
        hours = rng.choice([2, 3, 5, 8, 12, 20, 26, 40]) if kind == "absent" else rng.randint(6, 90)
        end = start + dt.timedelta(hours=hours, minutes=rng.choice([0, 10, 25, 50]))
        pool = [c for c in children[care] if last_end.get(c, start - dt.timedelta(1)) < start]
        weights = [4 if i % 7 == 0 else 1 for i, _ in enumerate(pool)]  # some repeat missing
        child = rng.choices(pool, weights=weights)[0]
        last_end[child] = end
        offered = None
        if kind == "missing":
            late = rng.random() < 0.2
            offered = end + dt.timedelta(hours=rng.randint(76, 140) if late else rng.randint(4, 70))
        rows.append(
            {
                "reference": f"{prefix}-{number:04d}",
                "child_reference": child,
                "looked_after": care,
                "episode_type": kind,
                "start": start,
                "end": end,
                "return_interview_offered": offered,
            }
        )
    return rows


def load(*, agencies, users, seed) -> list[tuple[str, str]]:
    rng = random.Random(seed + 5)
    council, police, youth = agencies[0], agencies[2], agencies[11]
    chair = demo_user(
        "met.chair@northbank.example", "Stephen Kerr", council, {"missing": "manager"}
    )
    officer = demo_user("met@northbank.example", "Nadia Osei", council, {"missing": "officer"})
    provider = demo_user(
        "runaways@northbank.example", "Rhian Moss", youth, {"missing": "contributor"}
    )
    reader = demo_user("met.board@northbank.example", "Olu Bankole", police, {"missing": "reader"})

    children: dict[bool, list[str]] = {True: [], False: []}
    child_ids = {}
    for i in range(170):
        care = i < 60
        ref = f"NB{100000 + i}"
        born = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(365 * 5))
        child = child_services.child_create(
            acting_user=officer,
            external_reference=ref,
            first_name=FIRST[i % len(FIRST)],
            last_name=LAST[(i * 7 + i // 20) % len(LAST)],
            date_of_birth=born,
            sex=rng.choice(["male", "female"]),
            ethnicity=rng.choice(ETHNIC),
            looked_after=care,
            home_area=rng.choice(AREAS),
        )
        children[care].append(ref)
        child_ids[ref] = child
    # One child recorded twice by two agencies: for the duplicates page and the merge.
    twin = child_ids["NB100003"]
    child_services.child_create(
        acting_user=provider,
        first_name=twin.first_name,
        last_name=twin.last_name.upper(),
        date_of_birth=twin.date_of_birth,
        sex=twin.sex,
    )

    for year, scale, prefix in (
        (FinancialYear(2015), 0.8, "MIS-1516"),
        (FinancialYear(2016), 1.0, "MIS-1617"),
    ):
        rows = _episodes_for_year(rng, year, scale, children, prefix)
        for i in range(0, len(rows), 1000):
            services.episodes_import(acting_user=officer, rows=rows[i : i + 1000])
    ReturnInterview.objects.update(offered_by=PROVIDER)

    # Interviews accepted and completed, with disclosures, for a sample.
    sample = list(
        Episode.objects.filter(episode_type="missing", interview__isnull=False)
        .select_related("interview")
        .order_by("start")[::9][:40]
    )
    for episode in sample:
        interview = episode.interview
        accepted = rng.random() < 0.7
        services.interview_save(
            acting_user=provider,
            episode=episode,
            expected_version=episode.version,
            offered_at=interview.offered_at,
            offered_by=PROVIDER,
            response="accepted" if accepted else "declined",
            completed_on=timezone.localdate(interview.offered_at) + dt.timedelta(days=2)
            if accepted
            else None,
            disclosed_sexual_exploitation=accepted and rng.random() < 0.2,
            disclosed_criminal_exploitation=accepted and rng.random() < 0.3,
            disclosed_harm=accepted and rng.random() < 0.1,
            disclosures="Spent the nights at an older friend's flat." if accepted else "",
            follow_up_actions="Share with the social worker; discuss at the MET meeting."
            if accepted
            else "",
        )

    # Now: two children still missing and two returned awaiting an interview offer.
    now = timezone.now()
    for n, (ref, hours_ago, back_hours_ago) in enumerate(
        [("NB100150", 30, None), ("NB100010", 9, None), ("NB100151", 50, 20), ("NB100011", 90, 60)],
        start=1,
    ):
        services.episode_create(
            acting_user=provider if n % 2 else officer,
            reference=f"MIS-NOW-{n:03d}",
            child=child_ids[ref],
            looked_after=child_ids[ref].looked_after,
            episode_type="missing",
            start=now - dt.timedelta(hours=hours_ago),
            end=now - dt.timedelta(hours=back_hours_ago) if back_hours_ago else None,
            risk_level="high" if n == 1 else "medium",
            police_reference=f"CAD{4000 + n}",
        )

    # Screenings and the MET list.
    listed = [child_ids[f"NB{100000 + i}"] for i in (0, 7, 14, 21, 28, 35, 42, 61, 68, 75, 82, 89)]
    for i, child in enumerate(listed):
        day = dt.date(2016, 9, 5) + dt.timedelta(days=12 * i)
        services.screening_add(
            acting_user=officer,
            child=child,
            date=day - dt.timedelta(days=3),
            exploitation_type="sexual" if i % 2 else "criminal",
            tool="MET screening tool (CSE / CCE)",
            score=rng.randint(8, 30),
            level=rng.choice(["medium", "high"]),
            owning_agency=[council, police, youth][i % 3],
        )
        services.met_add(
            acting_user=officer,
            child=child,
            owning_agency=[council, police, youth][i % 3],
            risk_level=rng.choice(["medium", "high"]),
            added_on=day,
            exploitation_concerns="Going missing, older associates, unexplained money.",
        )
    for child in listed[:2]:
        entry = child.met_entries.get(left_on__isnull=True)
        services.met_remove(
            acting_user=officer,
            entry=entry,
            expected_version=entry.version,
            left_on=dt.date(2017, 3, 20),
            leaving_reason="risk_reduced",
        )

    types = list(MetMeetingType.objects.order_by("order"))
    for meeting_type, day in [
        (types[0], dt.date(2017, 1, 9)),
        (types[1], dt.date(2017, 1, 24)),
        (types[0], dt.date(2017, 2, 6)),
        (types[2], dt.date(2017, 3, 14)),
    ]:
        meeting = services.meeting_create(
            acting_user=chair,
            meeting_type=meeting_type,
            date=day,
            agencies=[council, police, youth, agencies[4]],
            notes="Trends and hotspots reviewed." if meeting_type != types[0] else "",
        )
        for item in meeting.discussions.all()[:3]:
            services.discussion_update(
                acting_user=chair,
                discussion=item,
                risk_level=item.risk_level,
                decisions="Risk remains; safety plan reviewed.",
                actions="Lead agency to complete a disruption plan within two weeks.",
            )

    services.commentary_save(
        acting_user=chair,
        year=FinancialYear(2016),
        indicator="total",
        text="Number of episodes missing or absent from care or home each month. NB children in "
        "care can have multiple short periods of unauthorised absence reported in any one month.",
    )
    services.commentary_save(
        acting_user=chair,
        year=FinancialYear(2016),
        indicator="return_interviews",
        text="Independent return interviews commissioned from St Christopher's from December 2016.",
    )
    return [
        (chair.email, "MET chair (missing module manager): everything, plus merges and commentary"),
        (officer.email, "MET coordinator (missing module officer): every episode and the MET list"),
        (provider.email, "return interview provider (contributor): own agency's records only"),
        (reader.email, "board member: missing figures only, no personal data"),
    ]
