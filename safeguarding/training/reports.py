"""Training figures for a financial year, computed in the database.

year_report() is THE function behind the CLI report, the web page, the downloads and
the annual report. Keys are the issue 7 contract, with issue 15's paired comparisons
("paired", "paired_by_course") and response rates ("response_rates") added beside the
stage means. report_context() is what the report page, the HTML export and the annual
report's chapter show; confidence_chart() its chart.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from safeguarding.core.periods import FinancialYear

from .models import (
    Booking,
    ConfidenceScore,
    ELearningCompletion,
    Evaluation,
    Session,
    stage3_due_before,
)

STAGES = (1, 2, 3)
# The paired comparisons ("distance travelled"): (key, stage before, stage after).
PAIRS = (("stage_1_to_2", 1, 2), ("stage_1_to_3", 1, 3), ("stage_2_to_3", 2, 3))
STAGE_LABELS = (
    (1, "Stage 1: before the course"),
    (2, "Stage 2: immediately after"),
    (3, "Stage 3: three months later"),
)
PAIR_LABELS = {
    "stage_1_to_2": "Before the course to immediately after",
    "stage_1_to_3": "Before the course to three months later",
    "stage_2_to_3": "Immediately after to three months later",
}


def year_span(year: FinancialYear) -> tuple[dt.datetime, dt.datetime]:
    """The year as aware instants, so the database can use the index on starts_at (a
    __date lookup wraps the column in a function and scans every row)."""
    first = timezone.make_aware(dt.datetime.combine(year.start, dt.time.min))
    last = timezone.make_aware(dt.datetime.combine(year.end, dt.time.max))
    return (first, last)


def _sessions(year: FinancialYear):
    return Session.objects.filter(starts_at__range=year_span(year))


def _bookings(year: FinancialYear):
    return Booking.objects.filter(session__starts_at__range=year_span(year))


def _mean(value) -> float | None:
    return round(float(value), 1) if value is not None else None


def _delegate_mean(stage: int) -> Subquery:
    """One delegate's (booking's) mean confidence at a stage: the mean of the scores of
    their evaluation at that stage, NULL when they did not answer it."""
    return Subquery(
        ConfidenceScore.objects.filter(evaluation__booking=OuterRef("pk"), evaluation__stage=stage)
        .values("evaluation__booking")
        .annotate(mean=Avg("score"))
        .values("mean")
    )


def _paired(delegates: int, before, after) -> dict[str, Any]:
    """The shown figures of one comparison from the sums of the delegates' means. The
    change is the difference of the two shown means, so the table adds up."""
    if not delegates:
        return {"delegates": 0, "mean_before": None, "mean_after": None, "mean_change": None}
    mean_before, mean_after = _mean(before / delegates), _mean(after / delegates)
    return {
        "delegates": delegates,
        "mean_before": mean_before,
        "mean_after": mean_after,
        "mean_change": round(mean_after - mean_before, 1),
    }


def paired_confidence(year: FinancialYear, titles) -> tuple[dict, dict]:
    """Distance travelled, the same delegates before and after: for each pair of stages,
    only the bookings (of sessions in the year) that answered BOTH stages, each delegate
    counted once with their mean score at each stage. The stage averages of
    ``evaluation`` mix different people (fewer answer stage 3, and not at random); these
    do not.

    One query per comparison, grouped by course in the database; the whole year is the
    sum of its courses' rows (a handful of rows, not the evaluations). Returns
    (for the year, by course title), every title of ``titles`` present."""
    overall: dict[str, Any] = {}
    by_course: dict[str, dict[str, Any]] = {
        title: {key: _paired(0, None, None) for key, _, _ in PAIRS} for title in titles
    }
    for key, first, second in PAIRS:
        rows = list(
            _bookings(year)
            .alias(before=_delegate_mean(first), after=_delegate_mean(second))
            .filter(before__isnull=False, after__isnull=False)
            .values(title=F("session__course__title"))
            .annotate(delegates=Count("id"), before=Sum("before"), after=Sum("after"))
            .order_by()
        )
        for row in rows:
            by_course.setdefault(row["title"], {k: _paired(0, None, None) for k, _, _ in PAIRS})
            by_course[row["title"]][key] = _paired(row["delegates"], row["before"], row["after"])
        overall[key] = _paired(
            sum(row["delegates"] for row in rows),
            sum(row["before"] for row in rows),
            sum(row["after"] for row in rows),
        )
    return overall, by_course


def response_rates(year: FinancialYear, today: dt.date | None = None) -> dict[str, Any]:
    """How many of the delegates asked answered each stage, in one query.

    Eligible, at every stage, are the delegates who attended a session of the year (a
    confirmed place marked "attended" on the register: the report's places used), so the
    three rates share one denominator and show who drops out along the way; stage 1 is
    answered when applying, so nearly all of them answer it. Stage 3 is asked only on
    courses with the three-month follow-up, and only once three months have passed since
    the session (the cut of the survey schedule, ``stage3_due_before``): a session of last
    month does not lower the rate. A response is an evaluation at that stage by an
    eligible delegate, so a rate is never above 100%; it is None when nobody is eligible."""
    today = today or timezone.localdate()
    attended = Q(status="booked", attendance="attended")
    due3 = attended & Q(
        session__course__stage3_follow_up=True, session__starts_at__lt=stage3_due_before(today)
    )

    def answered(stage: int) -> Exists:
        return Exists(Evaluation.objects.filter(booking=OuterRef("pk"), stage=stage))

    counts = _bookings(year).aggregate(
        eligible_1=Count("id", filter=attended),
        responses_1=Count("id", filter=attended & Q(answered(1))),
        eligible_2=Count("id", filter=attended),
        responses_2=Count("id", filter=attended & Q(answered(2))),
        eligible_3=Count("id", filter=due3),
        responses_3=Count("id", filter=due3 & Q(answered(3))),
    )
    out = {}
    for stage in STAGES:
        eligible, responses = counts[f"eligible_{stage}"], counts[f"responses_{stage}"]
        out[f"stage_{stage}"] = {
            "eligible": eligible,
            "responses": responses,
            "rate": round(100 * responses / eligible, 1) if eligible else None,
        }
    return out


def year_report(year: FinancialYear, *, today: dt.date | None = None) -> dict[str, Any]:
    """``today`` decides which sessions are three months old for the stage-3 response
    rate (the local date when not given)."""
    courses: dict[str, dict[str, int]] = {}
    for row in (
        _sessions(year)
        .values(title=F("course__title"))
        .annotate(sessions=Count("id"), places=Sum("capacity"))
        .order_by("title")
    ):
        courses[row["title"]] = {
            "sessions": row["sessions"],
            "places": row["places"] or 0,
            "booked": 0,
            "attended": 0,
            "no_shows": 0,
        }
    booked = Q(status="booked")
    for row in (
        _bookings(year)
        .values(title=F("session__course__title"))
        .annotate(
            booked=Count("id", filter=booked),
            attended=Count("id", filter=booked & Q(attendance="attended")),
            no_shows=Count("id", filter=booked & Q(attendance="absent")),
        )
        .order_by()
    ):
        courses[row["title"]].update(
            booked=row["booked"], attended=row["attended"], no_shows=row["no_shows"]
        )

    places_available = _sessions(year).aggregate(n=Coalesce(Sum("capacity"), 0))["n"]
    totals = _bookings(year).aggregate(
        used=Count("id", filter=booked & Q(attendance="attended")),
        adjustments=Count("id", filter=~Q(adjustments="")),
    )
    places_used = totals["used"]

    elearning = dict(
        ELearningCompletion.objects.filter(completed_date__range=(year.start, year.end))
        .values_list("course")
        .annotate(n=Count("id"))
        .order_by("course")
    )
    by_agency = dict(
        _bookings(year)
        .filter(booked & Q(attendance="attended"))
        .annotate(agency_name=Coalesce("owning_agency__name", Value("Other")))
        .values_list("agency_name")
        .annotate(n=Count("id"))
        .order_by("agency_name")
    )

    evaluation = {
        title: {f"stage_{stage}": {"mean_confidence": None, "responses": 0} for stage in STAGES}
        for title in courses
    }
    for row in (
        ConfidenceScore.objects.filter(
            evaluation__booking__session__starts_at__range=year_span(year)
        )
        .values(
            title=F("evaluation__booking__session__course__title"), stage=F("evaluation__stage")
        )
        .annotate(mean=Avg("score"), responses=Count("evaluation", distinct=True))
        .order_by()
    ):
        evaluation[row["title"]][f"stage_{row['stage']}"] = {
            "mean_confidence": _mean(row["mean"]),
            "responses": row["responses"],
        }
    paired, paired_by_course = paired_confidence(year, courses)

    return {
        "courses": courses,
        "places_available": places_available,
        "places_used": places_used,
        "uptake_percent": round(100 * places_used / places_available, 1)
        if places_available
        else 0.0,
        "elearning_completions": elearning,
        "by_agency": by_agency,
        "adjustments_requested": totals["adjustments"],
        "evaluation": evaluation,
        "paired": paired,
        "paired_by_course": paired_by_course,
        "response_rates": response_rates(year, today),
    }


def confidence_by_stage(year: FinancialYear) -> dict[int, dict[str, Any]]:
    """Mean confidence across every course at each stage (the chart's figures)."""
    out = {stage: {"mean_confidence": None, "responses": 0} for stage in STAGES}
    for row in (
        ConfidenceScore.objects.filter(
            evaluation__booking__session__starts_at__range=year_span(year)
        )
        .values(stage=F("evaluation__stage"))
        .annotate(mean=Avg("score"), responses=Count("evaluation", distinct=True))
        .order_by()
    ):
        out[row["stage"]] = {"mean_confidence": _mean(row["mean"]), "responses": row["responses"]}
    return out


def session_dates(year: FinancialYear) -> dict[str, list[dict]]:
    """Each course's sessions in the year with their attended delegates (seed 3.3.3 list)."""
    out: dict[str, list[dict]] = {}
    rows = (
        _sessions(year)
        .values("id", "starts_at", "capacity", title=F("course__title"))
        .annotate(
            delegates=Count(
                "bookings",
                filter=Q(bookings__status="booked", bookings__attendance="attended"),
            )
        )
        .order_by("title", "starts_at")
    )
    for row in rows:
        out.setdefault(row["title"], []).append(row)
    return out


def selected_quotes(year: FinancialYear) -> list[dict]:
    """Comments chosen for the annual report: anonymous (course and stage only)."""
    return list(
        Evaluation.objects.filter(
            quote_selected=True,
            booking__session__starts_at__range=year_span(year),
        )
        .values("stage", "comment", "practice_change", course=F("booking__session__course__title"))
        .order_by("booking__session__starts_at", "id")
    )


def report_context(year: FinancialYear) -> dict[str, Any]:
    """What the report page, the HTML export and the annual report show."""
    report = year_report(year)
    previous = year_report(year.previous())
    dates = session_dates(year)
    courses = [
        (title, figures, dates.get(title, [])) for title, figures in report["courses"].items()
    ]
    confidence = confidence_by_stage(year)
    confidence_before = confidence_by_stage(year.previous())
    return {
        "year": year,
        "previous_year": year.previous(),
        "report": report,
        "previous": previous,
        "courses": courses,
        "course_count": len(courses),
        "session_count": sum(f["sessions"] for f in report["courses"].values()),
        "attended_total": report["places_used"],
        "elearning_total": sum(report["elearning_completions"].values()),
        "previous_elearning_total": sum(previous["elearning_completions"].values()),
        "confidence": [
            (stage, label, confidence[stage], confidence_before[stage])
            for stage, label in STAGE_LABELS
        ],
        "paired_rows": [(PAIR_LABELS[key], report["paired"][key]) for key, _, _ in PAIRS],
        "response_rows": [
            (label, report["response_rates"][f"stage_{stage}"]) for stage, label in STAGE_LABELS
        ],
        "quotes": selected_quotes(year),
    }


def confidence_chart(year: FinancialYear) -> str:
    """Mean confidence at each stage, this year beside the previous one (SVG)."""
    from safeguarding.core.charts import bar_chart_svg

    this, before = confidence_by_stage(year), confidence_by_stage(year.previous())
    return bar_chart_svg(
        title=f"Mean self-rated confidence (1-10) at each stage, {year.label}",
        categories=["Before the course", "Immediately after", "Three months later"],
        series={
            year.label: [this[s]["mean_confidence"] or 0 for s in STAGES],
            year.previous().label: [before[s]["mean_confidence"] or 0 for s in STAGES],
        },
        ylabel="Mean confidence (1-10)",
    )
