"""Synthetic child death records for scale tests: about 150 deaths a year (large), with
their joint agency responses, agency reporting forms and, for most older deaths, the
panel's review. Synthetic personal data only ("Child 000123"); no per-record audit rows.
"""

from __future__ import annotations

import datetime as dt

from . import conf
from .demo import factor_levels
from .models import Death, FormRequest
from .rules import age_band

# Shares seen in published CDOP data: most deaths are of babies; most expected.
BAND_WEIGHTS = {
    "under_28_days": 42,
    "28_to_364_days": 21,
    "1_to_4": 11,
    "5_to_9": 7,
    "10_to_14": 8,
    "15_to_17": 11,
}
BAND_DAYS = {  # age in days at death, roughly inside each band (checked with age_band)
    "under_28_days": (0, 27),
    "28_to_364_days": (28, 360),
    "1_to_4": (366, 4 * 365 + 300),
    "5_to_9": (5 * 366, 9 * 365 + 300),
    "10_to_14": (10 * 366, 14 * 365 + 300),
    "15_to_17": (15 * 366, 17 * 365 + 300),
}
ETHNICITY_WEIGHTS = {
    "WBRI": 30, "WOTH": 6, "WIRI": 1, "BAFR": 14, "BCRB": 8, "BOTH": 3, "MWBC": 5,
    "MOTH": 4, "ABAN": 3, "APKN": 4, "AIND": 3, "AOTH": 3, "OOTH": 3, "CHNE": 1,
    "REFU": 1, "NOBT": 3,
}  # fmt: skip
CATEGORY_WEIGHTS = {
    "1": 3, "2": 5, "3": 7, "4": 9, "5": 9, "6": 10, "7": 20, "8": 26, "9": 6, "10": 5,
}  # fmt: skip
MODIFIABLE_WEIGHTS = {"yes": 27, "no": 68, "insufficient": 5}
NCMD_BEGAN = dt.date(2019, 4, 1)  # the National Child Mortality Database's first deaths
PLACES = {"hospital": 70, "home": 18, "hospice": 5, "public_place": 4, "other": 2, "not_known": 1}


def _pick(rng, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _birth(rng, band: str, death: dt.date) -> dt.date:
    low, high = BAND_DAYS[band]
    while True:
        born = death - dt.timedelta(days=rng.randint(low, high))
        if age_band(born, death) == band:
            return born


def _form_agencies(rng, agencies, band: str) -> list:
    """The agencies asked for a reporting form: health always, then police, social care,
    and a school for a school-age child."""
    by_sector: dict[str, list] = {}
    for agency in agencies:
        by_sector.setdefault(agency.sector, []).append(agency)
    health = by_sector.get("health") or agencies
    asked = {rng.choice(health)}
    if rng.random() < 0.6:
        asked.add(rng.choice(health))
    for sector, share in (("police", 0.55), ("local_authority", 0.7)):
        if by_sector.get(sector) and rng.random() < share:
            asked.add(by_sector[sector][0])
    if band in ("5_to_9", "10_to_14", "15_to_17") and by_sector.get("education"):
        asked.add(rng.choice(by_sector["education"]))
    return sorted(asked, key=lambda a: a.pk)


def generate(*, years, scale, rng, agencies, progress):
    today = dt.date.today()
    due_days = conf.form_due_days()
    notifiers = [a for a in agencies if a.sector in ("health", "police")] or agencies
    child = Death.objects.filter(reference__startswith="GEN-CDR-").count()
    for year in years:
        n = max(1, round(150 * scale))
        deaths, plans = [], []
        for i in range(n):
            death_day = year.start + dt.timedelta(days=rng.randrange(365))
            if death_day > today:
                continue
            band = _pick(rng, BAND_WEIGHTS)
            expected = rng.random() < (0.7 if band in ("under_28_days", "28_to_364_days") else 0.5)
            notified = min(death_day + dt.timedelta(days=rng.choice([0, 0, 1, 1, 2, 3, 5])), today)
            child += 1
            death = Death(
                reference=f"GEN-CDR-{year.label}-{i:05d}",
                owning_agency=rng.choice(notifiers),
                child_name=f"Child {child:06d}",
                date_of_birth=_birth(rng, band, death_day),
                sex=rng.choices(["male", "female", "unknown"], weights=[56, 43, 1])[0],
                ethnicity=_pick(rng, ETHNICITY_WEIGHTS),
                home_area="Generated area",
                date_of_death=death_day,
                place_of_death=_pick(rng, PLACES),
                notification_date=notified,
                expected=expected,
            )
            if not expected and rng.random() < 0.93:  # a few still await their JAR
                death.jar_date = min(death_day + dt.timedelta(days=rng.randint(0, 4)), today)
                death.jar_attendees = "Paediatrician, police, social worker"
            # Most deaths reach the panel within 3-12 months; some are overdue.
            review = notified + dt.timedelta(days=rng.randint(60, 400))
            if review <= today and rng.random() < 0.94:
                death.review_date = review
                death.category = _pick(rng, CATEGORY_WEIGHTS)
                death.modifiable_factors = _pick(rng, MODIFIABLE_WEIGHTS)
                if death.modifiable_factors == "yes":
                    death.learning_points = "Generated learning point."
                # No further random draws: the same seed gives the same deaths as before.
                death.review_meeting_date = max(death_day, review - dt.timedelta(days=21))
                for domain, level in factor_levels(
                    death.category, death.modifiable_factors
                ).items():
                    setattr(death, domain, level)
            if notified >= NCMD_BEGAN:
                death.ncmd_notified_date = min(notified + dt.timedelta(days=1), today)
            death.refresh_derived()
            deaths.append(death)
            plans.append(_form_agencies(rng, agencies, band))
        Death.objects.bulk_create(deaths, batch_size=1000)
        ids = dict(
            Death.objects.filter(reference__startswith=f"GEN-CDR-{year.label}-").values_list(
                "reference", "id"
            )
        )
        forms = []
        for death, asked in zip(deaths, plans, strict=True):
            requested = min(death.notification_date + dt.timedelta(days=rng.randint(1, 10)), today)
            due = requested + dt.timedelta(days=due_days)
            for agency in asked:
                form = FormRequest(
                    death_id=ids[death.reference],
                    owning_agency=agency,
                    requested_date=requested,
                    due_date=due,
                )
                # Reviewed deaths had every form back first; others mostly, some overdue.
                back = requested + dt.timedelta(days=rng.randint(5, due_days + 25))
                if death.review_date:
                    back = min(back, death.review_date)
                if back <= today and (death.review_date or rng.random() < 0.8):
                    form.returned_date = back
                    form.involvement = "Generated: the agency's involvement."
                    form.information = "Generated: information for the panel."
                elif due < today:
                    form.last_chased = min(due + dt.timedelta(days=7), today)
                    form.chase_count = 1
                forms.append(form)
        FormRequest.objects.bulk_create(forms, batch_size=2000)
        reviewed = sum(1 for d in deaths if d.review_date)
        progress(f"{year}: {len(deaths)} deaths, {reviewed} reviewed, {len(forms)} forms")
