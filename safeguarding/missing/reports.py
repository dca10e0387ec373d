"""Missing episode figures for a financial year, computed in the database.

year_report() is THE function behind the CLI report, the web page, the downloads and
the annual report. Keys are the issue 5 contract.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, CharField, Count, ExpressionWrapper, F, Q, Value, When
from django.db.models import DateTimeField as DateTimeOutput
from django.db.models.functions import TruncDate

from safeguarding.core.periods import MONTH_NAMES, FinancialYear

from . import conf
from .codes import INDICATORS
from .models import Commentary, Episode
from .rules import LONDON, RETURN_INTERVIEW, repeat_window_ends


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=LONDON)


def month_bounds(year: FinancialYear) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """("2016-04", first instant, first instant of the next month) in England's time."""
    return [
        (key, _midnight(first), _midnight(last + dt.timedelta(days=1)))
        for key, first, last in year.months()
    ]


def year_bounds(year: FinancialYear) -> tuple[dt.datetime, dt.datetime]:
    return _midnight(year.start), _midnight(year.end + dt.timedelta(days=1))


# Which episodes each indicator counts. "Away from placement without authorisation"
# is counted with absent (the SSDA903 "A" code), so the four columns add up to all episodes.
INDICATOR_FILTERS = {
    "care_missing": Q(looked_after=True, episode_type="missing"),
    "home_missing": Q(looked_after=False, episode_type="missing"),
    "care_absent": Q(looked_after=True, episode_type__in=["absent", "away"]),
    "home_absent": Q(looked_after=False, episode_type__in=["absent", "away"]),
}


def _indicator(looked_after: bool, episode_type: str) -> str:
    """The INDICATOR_FILTERS column an episode counts in."""
    place = "care" if looked_after else "home"
    return f"{place}_{'missing' if episode_type == 'missing' else 'absent'}"


def by_month(year: FinancialYear) -> dict[str, dict[str, int]]:
    """Episodes by month of start and indicator, in one grouped pass over the year's rows:
    the month is a CASE on the start's instants (England's months, in the database's own
    comparisons), not 48 filtered counts evaluated on every row."""
    months = month_bounds(year)
    start, end = year_bounds(year)
    month = Case(
        *[When(start__lt=after, then=Value(key)) for key, _first, after in months],
        output_field=CharField(),
    )
    out = {key: dict.fromkeys(INDICATOR_FILTERS, 0) for key, _f, _a in months}
    rows = (
        Episode.objects.filter(start__gte=start, start__lt=end)
        .values("looked_after", "episode_type", month=month)
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        out[row["month"]][_indicator(row["looked_after"], row["episode_type"])] += row["n"]
    return out


def year_report(year: FinancialYear) -> dict[str, Any]:
    start, end = year_bounds(year)
    aggregates = {}
    in_year = Episode.objects.filter(start__gte=start, start__lt=end)
    deadline = ExpressionWrapper(
        F("end") + dt.timedelta(hours=RETURN_INTERVIEW.amount), output_field=DateTimeOutput()
    )
    aggregates["missing_episodes"] = Count("id", filter=Q(episode_type="missing"))
    # Offered by the deadline of the interview clock (rules.RETURN_INTERVIEW): on time up
    # to and including its last moment, for the returns the clock applies to.
    aggregates["offered_within_72_hours"] = Count(
        "id",
        filter=Q(
            RETURN_INTERVIEW.applies_q("end"),
            episode_type="missing",
            interview__offered_at__isnull=False,
            interview__offered_at__lte=deadline,
        ),
    )
    # Completed by the same deadline. The interview's completion is recorded as a date
    # (ReturnInterview.completed_on, no time of day), so a completion counts when it is on
    # or before the day, in England, on which the 72 hours end: the one moment a date can
    # place against the clock. Only accepted interviews have a completion date (services).
    aggregates["completed_within_72_hours"] = Count(
        "id",
        filter=Q(
            RETURN_INTERVIEW.applies_q("end"),
            episode_type="missing",
            interview__completed_on__isnull=False,
            interview__completed_on__lte=TruncDate(deadline, tzinfo=LONDON),
        ),
    )
    aggregates["children"] = Count("child", distinct=True)
    figures = in_year.aggregate(**aggregates)
    return {
        "by_month": by_month(year),
        "return_interviews": {
            "missing_episodes": figures["missing_episodes"],
            "offered_within_72_hours": figures["offered_within_72_hours"],
            "completed_within_72_hours": figures["completed_within_72_hours"],
        },
        "children": figures["children"],
        "repeat_children": repeat_children(year),
    }


def repeat_children(year: FinancialYear) -> int:
    """Children missing repeatedly in the year: those with MISSING_REPEAT_EPISODES (3)
    episodes of any type whose starts lie within MISSING_REPEAT_DAYS (90) days of each other
    (the last start at most 90 x 24 hours after the first, rules.is_repeat), where the
    last of them starts in the year. The earlier ones may start in the 90 days before it.

    One bounded pass, in start order, over the starts of the year's episodes and of the
    90 days before it (only the child and the start of each row are read)."""
    _count, days = conf.repeat_rule()
    start, end = year_bounds(year)
    rows = (
        Episode.objects.filter(start__gte=start - dt.timedelta(days=days), start__lt=end)
        .order_by("child_id", "start")
        .values_list("child_id", "start")
    )
    repeat, current, starts = 0, None, []
    for child_id, began in rows.iterator(chunk_size=2000):
        if child_id != current:
            repeat += _repeats_in_year(starts, start)
            current, starts = child_id, []
        starts.append(began)
    return repeat + _repeats_in_year(starts, start)


def _repeats_in_year(starts: list[dt.datetime], year_start: dt.datetime) -> int:
    return int(any(end >= year_start for end in repeat_window_ends(starts)))


def month_totals(report: dict[str, Any]) -> list[int]:
    return [sum(values.values()) for values in report["by_month"].values()]


def align_previous(earlier: dict[str, Any]) -> dict[str, Any]:
    """The previous year's figures keyed like this year's: its months move on a year, so
    that the download puts April 2015 beside April 2016."""
    aligned = dict(earlier)
    aligned["by_month"] = {
        f"{int(key[:4]) + 1}{key[4:]}": value for key, value in earlier["by_month"].items()
    }
    return aligned


def _rows(report: dict) -> list[dict]:
    rows = []
    for code, label in INDICATORS:
        values = [report["by_month"][m][code] for m in report["by_month"]]
        rows.append({"code": code, "label": label, "values": values, "total": sum(values)})
    totals = month_totals(report)
    rows.append({"code": "total", "label": "All episodes", "values": totals, "total": sum(totals)})
    return rows


def report_context(year: FinancialYear) -> dict[str, Any]:
    """What the report page, the HTML export and the annual report show: the seed's
    dataset table with the MET chair's commentary, and the interview figures."""
    report = year_report(year)
    previous = year_report(year.previous())
    notes = dict(
        Commentary.objects.filter(start_year=year.start_year).values_list("indicator", "text")
    )
    rows = _rows(report)
    before = {row["code"]: row for row in _rows(previous)}
    for row in rows:
        row["previous"] = before[row["code"]]["total"]
        row["commentary"] = notes.get(row["code"], "")
    month_labels = [
        f"{name} {str(year.start_year + (1 if i >= 9 else 0))[2:]}"
        for i, name in enumerate(MONTH_NAMES)
    ]
    return {
        "year": year,
        "previous_year": year.previous(),
        "report": report,
        "previous": previous,
        "rows": rows,
        "months": month_labels,
        "month_rows": list(
            zip(month_labels, rows[-1]["values"], before["total"]["values"], strict=True)
        ),
        "repeat_episodes": conf.repeat_rule()[0],
        "repeat_days": conf.repeat_rule()[1],
        "interview_note": notes.get("return_interviews", ""),
        "children_note": notes.get("children", ""),
    }


def episodes_chart(year: FinancialYear) -> str:
    """All episodes by month, this year beside the previous one (SVG)."""
    from safeguarding.core.charts import bar_chart_svg

    return bar_chart_svg(
        title=f"Missing and absent episodes by month, {year.label} and {year.previous().label}",
        categories=MONTH_NAMES,
        series={
            year.label: month_totals(year_report(year)),
            year.previous().label: month_totals(year_report(year.previous())),
        },
        ylabel="Episodes",
    )
