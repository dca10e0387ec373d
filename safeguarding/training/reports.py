"""Training figures for a financial year, computed in the database.

year_report() is THE function behind the CLI report, the web page, the downloads and
the annual report. Keys are the issue 7 contract, with issue 15's paired comparisons
("paired", "paired_by_course") and response rates ("response_rates") added beside the
stage means. report_context() is what the report page, the HTML export and the annual
report's chapter show; confidence_chart() its chart.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
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


def _session_ids(year: FinancialYear):
    """The ids of the year's sessions, as a subquery (a range on the starts_at index)."""
    return _sessions(year).order_by().values("pk")


def _bookings(year: FinancialYear):
    """The bookings of the year's sessions. Filtered by ``session_id IN (the year's
    sessions)`` rather than by a join on ``session.starts_at``: the database then starts
    from the year's sessions (index on starts_at) and reaches their bookings through the
    index on session_id, so the cost is one year's rows. A filter on the joined column
    lets the planner start from the biggest table and read all history."""
    return Booking.objects.filter(session_id__in=_session_ids(year))


def _mean(value) -> float | None:
    return round(float(value), 1) if value is not None else None


def _of_scores(aggregate, **lookups) -> Subquery:
    """``aggregate`` (the sum or the number) of the scores of the one evaluation found by
    ``lookups`` (OuterRefs): a delegate has at most one evaluation a stage."""
    return Subquery(
        ConfidenceScore.objects.filter(**lookups)
        .values("evaluation")
        .annotate(value=aggregate)
        .values("value")
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

    One query per comparison, grouped in the database by course (and by the number of
    scores a delegate gave at each stage, so that the sums are of integers and exact); the
    whole year is the sum of its courses' rows (a handful of rows, not the evaluations). Returns
    (for the year, by course title), every title of ``titles`` present."""
    overall: dict[str, Any] = {}
    by_course: dict[str, dict[str, Any]] = {
        title: {key: _paired(0, None, None) for key, _, _ in PAIRS} for title in titles
    }
    for key, first, second in PAIRS:
        # From the year's evaluations at the first stage joined to the same booking's
        # evaluation at the second (the year's sessions -> their bookings -> the two
        # evaluations, all on indexes), one row a delegate; the scores of an evaluation are
        # read from the index on (evaluation, score). A delegate's mean is the sum of their
        # scores over their number, and delegates are grouped by those numbers (a course's
        # outcomes: one or two groups a course), so the database adds up integers and the
        # means are exact fractions: a sum of floating-point means would depend on the
        # order the rows are added in. An evaluation without scores has no number (NULL):
        # its delegate did not answer that stage.
        own = {"evaluation": OuterRef("pk")}
        other = {"evaluation": OuterRef("later__id")}
        later = FilteredRelation(
            "booking__evaluations", condition=Q(booking__evaluations__stage=second)
        )
        rows = list(
            Evaluation.objects.filter(stage=first, booking__session_id__in=_session_ids(year))
            .annotate(later=later)
            .filter(later__id__isnull=False)
            .annotate(
                n_before=_of_scores(Count("id"), **own),
                n_after=_of_scores(Count("id"), **other),
            )
            .values("n_before", "n_after", title=F("booking__session__course__title"))
            .annotate(
                delegates=Count("booking"),
                before=Sum(_of_scores(Sum("score"), **own)),
                after=Sum(_of_scores(Sum("score"), **other)),
            )
            .order_by()
        )
        sums: dict[str, list] = {}
        for row in rows:
            if row["n_before"] is None or row["n_after"] is None:
                continue
            total = sums.setdefault(row["title"], [0, Fraction(0), Fraction(0)])
            total[0] += row["delegates"]
            total[1] += Fraction(row["before"], row["n_before"])
            total[2] += Fraction(row["after"], row["n_after"])
        for title, (delegates, before, after) in sums.items():
            by_course.setdefault(title, {k: _paired(0, None, None) for k, _, _ in PAIRS})
            by_course[title][key] = _paired(delegates, before, after)
        overall[key] = _paired(
            sum(total[0] for total in sums.values()),
            sum(total[1] for total in sums.values()),
            sum(total[2] for total in sums.values()),
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


def _confidence_rows(year: FinancialYear) -> list[dict]:
    """The year's confidence scores by course and stage, in one pass over the year's
    scores: the mean, the responses (evaluations), and the sum and number of the scores,
    from which ``_by_stage`` adds up the stages across courses (the sum over all courses
    divided by the number of scores is the mean of every score of the stage)."""
    return list(
        ConfidenceScore.objects.filter(evaluation__booking__session_id__in=_session_ids(year))
        .values(
            title=F("evaluation__booking__session__course__title"), stage=F("evaluation__stage")
        )
        .annotate(
            mean=Avg("score"),
            responses=Count("evaluation", distinct=True),
            total=Sum("score"),
            scores=Count("id"),
        )
        .order_by()
    )


def _by_stage(rows: list[dict]) -> dict[int, dict[str, Any]]:
    """Mean confidence across every course at each stage, from ``_confidence_rows``. An
    evaluation is of one course and one stage, so the courses' responses add up."""
    out: dict[int, dict[str, Any]] = {}
    for stage in STAGES:
        of_stage = [row for row in rows if row["stage"] == stage]
        total, scores = sum(r["total"] for r in of_stage), sum(r["scores"] for r in of_stage)
        out[stage] = {
            "mean_confidence": _mean(total / scores) if scores else None,
            "responses": sum(r["responses"] for r in of_stage),
        }
    return out


def year_report(year: FinancialYear, *, today: dt.date | None = None) -> dict[str, Any]:
    """``today`` decides which sessions are three months old for the stage-3 response
    rate (the local date when not given)."""
    return _year_figures(year, today)[0]


def _uptake(year: FinancialYear) -> dict[str, Any]:
    """Places available and used in the year, and the requests for adjustments."""
    places_available = _sessions(year).aggregate(n=Coalesce(Sum("capacity"), 0))["n"]
    totals = _bookings(year).aggregate(
        used=Count("id", filter=Q(status="booked", attendance="attended")),
        adjustments=Count("id", filter=~Q(adjustments="")),
    )
    places_used = totals["used"]
    return {
        "places_available": places_available,
        "places_used": places_used,
        "uptake_percent": round(100 * places_used / places_available, 1)
        if places_available
        else 0.0,
        "adjustments_requested": totals["adjustments"],
    }


def _elearning(year: FinancialYear) -> dict[str, int]:
    return dict(
        ELearningCompletion.objects.filter(completed_date__range=(year.start, year.end))
        .values_list("course")
        .annotate(n=Count("id"))
        .order_by("course")
    )


def _year_figures(year: FinancialYear, today: dt.date | None = None) -> tuple[dict, list]:
    """year_report() and the confidence rows it was computed from (report_context() shows
    both, and reads the year's scores once)."""
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

    uptake = _uptake(year)
    by_agency = dict(
        _bookings(year)
        .filter(booked & Q(attendance="attended"))
        .annotate(agency_name=Coalesce("owning_agency__name", Value("Other")))
        .values_list("agency_name")
        .annotate(n=Count("id"))
        .order_by("agency_name")
    )

    confidence = _confidence_rows(year)
    evaluation = {
        title: {f"stage_{stage}": {"mean_confidence": None, "responses": 0} for stage in STAGES}
        for title in courses
    }
    for row in confidence:
        evaluation[row["title"]][f"stage_{row['stage']}"] = {
            "mean_confidence": _mean(row["mean"]),
            "responses": row["responses"],
        }
    paired, paired_by_course = paired_confidence(year, courses)

    report = {
        "courses": courses,
        "places_available": uptake["places_available"],
        "places_used": uptake["places_used"],
        "uptake_percent": uptake["uptake_percent"],
        "elearning_completions": _elearning(year),
        "by_agency": by_agency,
        "adjustments_requested": uptake["adjustments_requested"],
        "evaluation": evaluation,
        "paired": paired,
        "paired_by_course": paired_by_course,
        "response_rates": response_rates(year, today),
    }
    return report, confidence


def confidence_by_stage(year: FinancialYear) -> dict[int, dict[str, Any]]:
    """Mean confidence across every course at each stage (the chart's figures): the same
    figures as ``_by_stage(_confidence_rows(year))``, in a query that does not group by
    course."""
    out = {stage: {"mean_confidence": None, "responses": 0} for stage in STAGES}
    for row in (
        ConfidenceScore.objects.filter(evaluation__booking__session_id__in=_session_ids(year))
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
            booking__session_id__in=_session_ids(year),
        )
        .values("stage", "comment", "practice_change", course=F("booking__session__course__title"))
        .order_by("booking__session__starts_at", "id")
    )


def report_context(year: FinancialYear) -> dict[str, Any]:
    """What the report page, the HTML export and the annual report show.

    Each figure is computed once: the year's confidence by stage is added up from the
    rows of its confidence by course, and of the previous year only what the tables
    compare with is computed (``previous``: its places, uptake and e-learning, the same
    values as in its year_report(); and its confidence by stage), not its whole report."""
    report, rows = _year_figures(year)
    before = year.previous()
    previous = {**_uptake(before), "elearning_completions": _elearning(before)}
    dates = session_dates(year)
    courses = [
        (title, figures, dates.get(title, [])) for title, figures in report["courses"].items()
    ]
    confidence, confidence_before = _by_stage(rows), confidence_by_stage(before)
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
