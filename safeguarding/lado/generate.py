"""Synthetic LADO records for scale tests: about 2,000 contacts a year (large)."""

from __future__ import annotations

import datetime as dt

from .codes import FINAL_OUTCOMES, SECTOR_CODES
from .models import Case, Meeting, MeetingType

OUTCOME_WEIGHTS = {
    "substantiated": 22,
    "unsubstantiated": 26,
    "unfounded": 6,
    "false": 1,
    "malicious": 1,
    "no_further_action": 42,
    "pending": 2,
}


def generate(*, years, scale, rng, agencies, progress):
    meeting_type = MeetingType.objects.first() or MeetingType.objects.create(
        name="Strategy meeting"
    )
    outcomes, weights = zip(*OUTCOME_WEIGHTS.items(), strict=True)
    today = dt.date.today()
    for year in years:
        n = int(2000 * scale)
        cases = []
        for i in range(n):
            contact = year.start + dt.timedelta(days=rng.randrange(365))
            referral = rng.random() < 0.6
            outcome = rng.choices(outcomes, weights)[0] if referral else ""
            outcome_date = None
            if outcome in FINAL_OUTCOMES:
                outcome_date = min(contact + dt.timedelta(days=rng.randint(5, 200)), today)
            case = Case(
                reference=f"GEN-{year.label}-{i:06d}",
                owning_agency=rng.choice(agencies),
                contact_date=contact,
                employer_sector=rng.choice(SECTOR_CODES),
                employer_aware_date=contact - dt.timedelta(days=rng.choice([0, 0, 1, 2, 4])),
                subject_name=f"Adult {rng.randrange(10**6):06d}",
                subject_role="Staff",
                threshold_met=referral,
                harm_test="harmed" if referral else "",
                allegation_category=rng.choice(
                    ["physical", "sexual", "emotional", "neglect", "suitability"]
                )
                if referral
                else "",
                referral_date=contact if referral else None,
                outcome=outcome,
                outcome_date=outcome_date,
            )
            case.refresh_status()
            cases.append(case)
        Case.objects.bulk_create(cases, batch_size=2000)
        ids = list(
            Case.objects.filter(
                reference__startswith=f"GEN-{year.label}-", threshold_met=True
            ).values_list("id", "referral_date")
        )
        meetings = [
            Meeting(
                case_id=pk,
                meeting_type=meeting_type,
                date=min(day + dt.timedelta(days=rng.randint(0, 5)), today),
            )
            for pk, day in ids
            if rng.random() < 0.65
        ]
        Meeting.objects.bulk_create(meetings, batch_size=2000)
        progress(f"{year}: {n} contacts, {len(ids)} referrals, {len(meetings)} meetings")
