"""Private fostering figures for a financial year, computed in the database.

year_report() is THE function behind the CLI report, the web page, the downloads and
the annual report. Keys are the issue 4 contract.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q

from safeguarding.core.periods import FinancialYear

from .codes import CATEGORIES, CATEGORY_CODES
from .models import Notification, Visit


def in_place_on(day) -> Q:
    """An arrangement is in place on a day from its start until the day before its end, and
    never on or after the child's 16th birthday (18th if disabled; Children Act 1989 s66),
    whether or not that end has been recorded yet."""
    return (
        Q(arrangement_start_date__lte=day)
        & (Q(arrangement_end_date__isnull=True) | Q(arrangement_end_date__gt=day))
        & (Q(age_limit_date__isnull=True) | Q(age_limit_date__gt=day))
    )


def year_report(year: FinancialYear) -> dict[str, Any]:
    start, end = year.start, year.end
    arrangements = Notification.objects.filter(arrangement_start_date__isnull=False)
    figures = Notification.objects.aggregate(
        notifications=Count("id", filter=Q(notification_date__range=(start, end))),
        new_arrangements=Count(
            "id",
            filter=Q(arrangement_start_date__range=(start, end)),
        ),
        arrangements_in_year=Count(
            "id",
            filter=Q(arrangement_start_date__lte=end)
            & (Q(arrangement_end_date__isnull=True) | Q(arrangement_end_date__gte=start)),
        ),
        active_at_year_end=Count("id", filter=in_place_on(end)),
    )
    by_category = {code: 0 for code in CATEGORY_CODES}
    by_category["not_recorded"] = 0
    rows = (
        arrangements.filter(arrangement_start_date__range=(start, end))
        .values("category")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        by_category[row["category"] or "not_recorded"] += row["n"]
    if not by_category["not_recorded"]:
        del by_category["not_recorded"]
    figures["new_arrangements_by_category"] = by_category
    figures["visits"] = Visit.objects.filter(due_date__range=(start, end)).aggregate(
        due=Count("id"),
        on_time=Count("id", filter=Q(visit_date__isnull=False, visit_date__lte=F("due_date"))),
    )
    return figures


def year_details(year: FinancialYear) -> dict[str, Any]:
    """Extra figures for the web page (not part of the register's contract)."""
    start, end = year.start, year.end
    in_year = Notification.objects.filter(notification_date__range=(start, end))
    details = in_year.aggregate(
        private_fostering=Count("id", filter=Q(decision="private_fostering")),
        not_private_fostering=Count("id", filter=Q(decision="not_private_fostering")),
        to_confirm=Count("id", filter=Q(decision="to_confirm")),
        late=Count("id", filter=Q(late_notification=True)),
    )
    details.update(
        Visit.objects.filter(due_date__range=(start, end), visit_date__isnull=False).aggregate(
            made=Count("id"),
            seen_alone=Count("id", filter=Q(seen_alone=True)),
            report_written=Count("id", filter=Q(report_written=True)),
        )
    )
    details["carried_in"] = Notification.objects.filter(in_place_on(year.previous().end)).count()
    return details


def report_context(year: FinancialYear) -> dict[str, Any]:
    """What the report page, the HTML export and the annual report show."""
    report = year_report(year)
    previous = year_report(year.previous())
    categories = [
        (
            code,
            label,
            report["new_arrangements_by_category"].get(code, 0),
            previous["new_arrangements_by_category"].get(code, 0),
        )
        for code, label in CATEGORIES + [("not_recorded", "Not recorded")]
        if code in report["new_arrangements_by_category"]
        or code in previous["new_arrangements_by_category"]
    ]
    return {
        "year": year,
        "previous_year": year.previous(),
        "report": report,
        "previous": previous,
        "details": year_details(year),
        "previous_details": year_details(year.previous()),
        "categories": categories,
    }


def kinds_chart(year: FinancialYear) -> str:
    """New arrangements by kind, this year beside the previous one (SVG)."""
    from safeguarding.core.charts import bar_chart_svg

    this = year_report(year)["new_arrangements_by_category"]
    before = year_report(year.previous())["new_arrangements_by_category"]
    return bar_chart_svg(
        title=f"New private fostering arrangements by kind, {year.label}",
        categories=[label.split(" (")[0] for _, label in CATEGORIES],
        series={
            year.label: [this.get(c, 0) for c, _ in CATEGORIES],
            year.previous().label: [before.get(c, 0) for c, _ in CATEGORIES],
        },
        ylabel="Arrangements",
        horizontal=True,
    )
