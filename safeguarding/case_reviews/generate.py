"""Synthetic case reviews for scale tests: about 20 referrals to the case review panel a
year (large), with their statutory clocks, decisions, reviews, chronologies and learning
themes, and about 1,000 tracked actions a year (with progress updates) whose source is
one of the year's reviews. The clocks' due dates are stored by Referral.refresh_clocks(),
as the services do. Synthetic data only; no per-record audit rows.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from safeguarding.actions.models import Action, ActionUpdate
from safeguarding.core.workdays import add_working_days

from .codes import THEMES
from .models import Chronology, Referral, ReviewType, Theme
from .rules import NOTIFICATION, RAPID_REVIEW

DECISION_WEIGHTS = {
    "rapid_review": 38,
    "lcspr": 18,
    "malr": 12,
    "single_agency": 10,
    "no_review": 22,
}
REVIEWS = {"scr", "lcspr", "malr", "single_agency"}
# Actions per referral, relative: a full review makes many recommendations.
ACTION_WEIGHTS = {"scr": 6, "lcspr": 6, "malr": 4, "single_agency": 2, "rapid_review": 2}
SCR_ENDED = dt.date(2019, 4, 1)  # serious case reviews before, LCSPRs after


def _pick(rng, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _after(day: dt.date, low: int, high: int, rng, today: dt.date) -> dt.date | None:
    """A date low..high days after ``day``, or None if that is still in the future."""
    out = day + dt.timedelta(days=rng.randint(low, high))
    return out if out <= today else None


def _working_after(day: dt.date, limit: int, rng, today: dt.date) -> dt.date | None:
    """Mostly within the statutory working days; about one in six late."""
    days = rng.randint(1, limit) if rng.random() < 0.83 else rng.randint(limit + 1, limit + 10)
    out = add_working_days(day, days)
    return out if out <= today else None


def _referral(rng, reference, types, agencies, referred, today, *, first=False) -> Referral:
    """One referral and how far it got by today; the year's first goes to a full review
    (so that even a small scale has a review with actions)."""
    incident = referred - dt.timedelta(days=rng.randint(3, 40))
    aware = min(incident + dt.timedelta(days=rng.choice([0, 0, 0, 1, 2, 5])), referred)
    died = rng.random() < 0.3
    r = Referral(
        reference=reference,
        title=f"Case {reference[-4:]}",
        owning_agency=rng.choice(agencies),
        referral_date=referred,
        incident_date=incident,
        la_aware_date=aware,
        summary="Generated summary of what happened.",
        abuse_or_neglect=rng.random() < 0.85,
        child_died=died,
        seriously_harmed=not died or rng.random() < 0.2,
        looked_after=rng.random() < 0.1,
    )
    if r.notification_required and rng.random() < 0.97:
        r.notification_date = _working_after(aware, NOTIFICATION.amount, rng, today)
        if r.notification_date:
            r.rapid_review_date = _working_after(
                r.notification_date, RAPID_REVIEW.amount, rng, today
            )
    decided = _after(max(referred, r.rapid_review_date or referred), 5, 45, rng, today)
    if decided:
        code = "lcspr" if first else _pick(rng, DECISION_WEIGHTS)
        if code == "lcspr" and referred < SCR_ENDED:
            code = "scr"
        r.decision, r.decision_date = types[code], decided
        r.decision_reasons = "Generated: the panel's reasons."
    if r.decision_id and r.decision.code in REVIEWS:
        r.reviewer = f"Independent reviewer {rng.randint(1, 12)}"
        r.terms_of_reference = "Generated terms of reference."
        r.review_start_date = _after(r.decision_date, 7, 40, rng, today)
    if r.review_start_date:
        r.draft_report_date = _after(r.review_start_date, 90, 200, rng, today)
    if r.draft_report_date:
        r.final_report_date = _after(r.draft_report_date, 20, 90, rng, today)
        r.findings = "Generated findings."
    if r.final_report_date and r.decision.code in ("scr", "lcspr"):
        r.publication_decision = "publish" if rng.random() < 0.85 else "not_publish"
        if r.publication_decision == "publish":
            r.published_date = _after(r.final_report_date, 7, 80, rng, today)
            if r.published_date:
                r.published_url = f"https://example.org/reviews/{reference.lower()}"
    r.refresh_clocks()
    return r


def _agreed(r: Referral) -> dt.date | None:
    """When the source's actions were agreed: the final report, else the rapid review or
    the decision."""
    return r.final_report_date or r.rapid_review_date or r.decision_date


def _progress(rng, action: Action, today: dt.date) -> list[ActionUpdate]:
    """Dated updates from agreement to today, ending in the action's current status."""
    agreed, due = action.agreed_date, action.due_date
    # Where the action is now.
    if due < today - dt.timedelta(days=60):
        final = rng.choices(["closed", "complete", "at_risk", "on_track"], weights=[78, 8, 8, 6])[0]
    elif due < today:
        final = rng.choices(["closed", "complete", "at_risk", "on_track"], weights=[30, 25, 25, 20])[0]  # fmt: skip
    else:
        final = rng.choices(["not_started", "on_track", "at_risk", "complete"], weights=[20, 55, 15, 10])[0]  # fmt: skip
    updates = []
    if final == "not_started":
        return updates
    if final in ("complete", "closed"):
        span = (due - agreed).days
        if rng.random() < 0.8:  # most on time, some after their due date
            done = agreed + dt.timedelta(days=rng.randint(span // 3, span))
        else:
            done = due + dt.timedelta(days=rng.randint(1, 90))
        done = min(done, today)
        action.completed_date = done
        action.evidence = "Generated evidence of impact."
    else:
        done = today
    steps = rng.randint(1, 3)
    span = max(1, (done - agreed).days)
    dates = sorted(agreed + dt.timedelta(days=rng.randint(0, span)) for _ in range(steps))
    for day in dates:
        status = "at_risk" if final == "at_risk" and day == dates[-1] else "on_track"
        updates.append(ActionUpdate(date=min(day, done), status=status, note="Generated update."))
    if final in ("complete", "closed"):
        updates.append(ActionUpdate(date=done, status="complete", note="Generated: complete."))
    if final == "closed":
        closed = min(done + dt.timedelta(days=rng.randint(3, 40)), today)
        action.closed_at = timezone.make_aware(dt.datetime.combine(closed, dt.time(12)))
        updates.append(ActionUpdate(date=closed, status="closed", note="Closed: evidence checked"))
    action.status = final
    action.version = 1 + len(updates)
    return updates


def generate(*, years, scale, rng, agencies, progress):
    today = dt.date.today()
    types = {t.code: t for t in ReviewType.objects.all()}
    themes = [Theme.objects.get_or_create(name=name)[0] for name in THEMES]
    referral_type = ContentType.objects.get_for_model(Referral)
    agencies_through = Referral.agencies_involved.through
    themes_through = Referral.themes.through
    for year in years:
        n = max(1, round(20 * scale))
        prefix = f"GEN-CR-{year.label}-"
        referrals = []
        for i in range(n):
            referred = year.start + dt.timedelta(days=rng.randrange(365))
            if referred <= today:
                referrals.append(
                    _referral(
                        rng, f"{prefix}{i:04d}", types, agencies, referred, today, first=i == 0
                    )
                )
        Referral.objects.bulk_create(referrals, batch_size=500)
        ids = dict(
            Referral.objects.filter(reference__startswith=prefix).values_list("reference", "id")
        )
        links, tags, chronologies = [], [], []
        for r in referrals:
            r.pk = r.id = ids[r.reference]
            involved = rng.sample(agencies, min(len(agencies), rng.randint(3, 7)))
            links += [agencies_through(referral_id=r.pk, agency_id=a.pk) for a in involved]
            if r.review_start_date:
                tags += [
                    themes_through(referral_id=r.pk, theme_id=t.pk)
                    for t in rng.sample(themes, rng.randint(1, 3))
                ]
                for agency in involved:
                    requested = r.review_start_date
                    chronology = Chronology(
                        referral_id=r.pk,
                        agency=agency,
                        requested_date=requested,
                        due_date=requested + dt.timedelta(days=28),
                    )
                    chronology.returned_date = _after(requested, 10, 45, rng, today)
                    chronologies.append(chronology)
        agencies_through.objects.bulk_create(links, batch_size=2000)
        themes_through.objects.bulk_create(tags, batch_size=2000)
        Chronology.objects.bulk_create(chronologies, batch_size=2000)

        # About 1,000 actions a year, shared among the year's reviews by their weight.
        sources = [r for r in referrals if r.decision_id and r.decision.code in ACTION_WEIGHTS]
        sources = [r for r in sources if _agreed(r)]
        actions, updates = [], []
        if sources:
            weights = [ACTION_WEIGHTS[r.decision.code] for r in sources]
            for i in range(max(1, round(1000 * scale))):
                r = rng.choices(sources, weights)[0]
                agreed = _agreed(r)
                action = Action(
                    reference=f"GEN-ACT-{year.label}-{i:05d}",
                    source_type=referral_type,
                    source_id=str(r.pk),
                    source_module="case_reviews",
                    source_label=r.label,
                    description=f"Generated recommendation {i + 1} of {r.label}.",
                    measure="Generated measure of success.",
                    owning_agency=rng.choice(agencies),
                    owner_person=f"Lead officer {rng.randint(1, 200):03d}",
                    due_date=agreed + dt.timedelta(days=rng.choice([60, 90, 120, 180, 270, 365])),
                    agreed_date=agreed,
                    created_at=timezone.make_aware(dt.datetime.combine(agreed, dt.time(9))),
                )
                updates.append(_progress(rng, action, today))
                actions.append(action)
        Action.objects.bulk_create(actions, batch_size=1000)
        action_ids = dict(
            Action.objects.filter(reference__startswith=f"GEN-ACT-{year.label}-").values_list(
                "reference", "id"
            )
        )
        rows = []
        for action, made in zip(actions, updates, strict=True):
            for update in made:
                update.action_id = action_ids[action.reference]
                update.created_at = timezone.make_aware(
                    dt.datetime.combine(update.date, dt.time(10))
                )
                rows.append(update)
        ActionUpdate.objects.bulk_create(rows, batch_size=2000)
        progress(
            f"{year}: {len(referrals)} referrals, {len(chronologies)} chronologies, "
            f"{len(actions)} actions, {len(rows)} progress updates"
        )
