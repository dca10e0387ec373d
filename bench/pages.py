"""The pages `make bench` measures, per module: lists (first page and a deep filtered
page), a detail page, each report page and the dashboard. Ids are picked from the data."""

from __future__ import annotations

from django.urls import reverse


def _lado():
    from safeguarding.lado.models import Case

    count = Case.objects.filter(employer_sector="primary_school").count()
    deep = max(1, count // 50 - 1)
    case = Case.objects.filter(threshold_met=True).order_by("id").last()
    return [
        ("lado list", reverse("lado:list")),
        ("lado list deep+filter", reverse("lado:list") + f"?sector=primary_school&page={deep}"),
        ("lado detail", reverse("lado:detail", args=[case.pk])),
        ("lado report", reverse("lado:report") + "?year=2020-21"),
    ]


def _performance():
    from safeguarding.performance.models import Indicator

    indicator = Indicator.objects.order_by("id").first()
    return [
        ("performance dashboard", reverse("performance:dashboard") + "?period=2020-Q1"),
        (
            "performance indicator",
            reverse("performance:indicator", args=[indicator.pk]) + "?period=2020-Q1",
        ),
    ]


MODULE_PAGES = {"lado": _lado, "performance": _performance}


def pages() -> list[tuple[str, str]]:
    out = []
    for build in MODULE_PAGES.values():
        try:
            out += build()
        except Exception as exc:  # a module without data is reported, not fatal
            out.append((f"error: {build.__name__}", str(exc)))
    return [(name, url) for name, url in out if not name.startswith("error")]
