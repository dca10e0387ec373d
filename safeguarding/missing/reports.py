"""Missing episode figures for a financial year, computed in the database.

year_report() is THE function behind the CLI report, the web page, the downloads and
the annual report. Keys are the issue 5 contract.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, ExpressionWrapper, F, Q
from django.db.models import DateTimeField as DateTimeOutput

from safeguarding.core.periods import FinancialYear

from . import conf
from .models import Episode
from .rules import LONDON


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


def year_report(year: FinancialYear) -> dict[str, Any]:
    start, end = year_bounds(year)
    aggregates = {}
    months = month_bounds(year)
    for key, first, after in months:
        for name, condition in INDICATOR_FILTERS.items():
            aggregates[f"{key}|{name}"] = Count(
                "id", filter=condition & Q(start__gte=first, start__lt=after)
            )
    in_year = Episode.objects.filter(start__gte=start, start__lt=end)
    deadline = ExpressionWrapper(
        F("end") + dt.timedelta(hours=conf.interview_hours()), output_field=DateTimeOutput()
    )
    aggregates["missing_episodes"] = Count("id", filter=Q(episode_type="missing"))
    aggregates["offered_within_72_hours"] = Count(
        "id",
        filter=Q(
            episode_type="missing",
            end__isnull=False,
            interview__offered_at__isnull=False,
            interview__offered_at__lte=deadline,
        ),
    )
    aggregates["children"] = Count("child", distinct=True)
    figures = in_year.aggregate(**aggregates)
    count, _days = conf.repeat_rule()
    repeat_children = (
        in_year.order_by().values("child").annotate(n=Count("id")).filter(n__gte=count).count()
    )
    return {
        "by_month": {
            key: {name: figures[f"{key}|{name}"] for name in INDICATOR_FILTERS}
            for key, _f, _a in months
        },
        "return_interviews": {
            "missing_episodes": figures["missing_episodes"],
            "offered_within_72_hours": figures["offered_within_72_hours"],
        },
        "children": figures["children"],
        "repeat_children": repeat_children,
    }


def month_totals(report: dict[str, Any]) -> list[int]:
    return [sum(values.values()) for values in report["by_month"].values()]
