"""Training figures for a financial year, computed in the database.

year_report() is THE function behind the CLI report, the web page, the downloads and
the annual report. Keys are the issue 7 contract. report_context() is what the report
page, the HTML export and the annual report's chapter show; confidence_chart() its chart.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from safeguarding.core.periods import FinancialYear

from .models import Booking, ConfidenceScore, ELearningCompletion, Evaluation, Session

STAGES = (1, 2, 3)


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


def year_report(year: FinancialYear) -> dict[str, Any]:
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
            for stage, label in (
                (1, "Stage 1: before the course"),
                (2, "Stage 2: immediately after"),
                (3, "Stage 3: three months later"),
            )
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
