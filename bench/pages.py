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


def _deep(count: int, page_size: int = 50) -> int:
    """A page near the end of a filtered list (page 1 when the list is short)."""
    return max(1, -(-count // page_size) - 1)


def _child_deaths():
    from safeguarding.child_deaths.models import Death

    deep = _deep(Death.objects.filter(expected=True, review_date__isnull=False).count())
    death = Death.objects.filter(review_date__isnull=False).order_by("id").last()
    return [
        ("child deaths list", reverse("child_deaths:list")),
        (
            "child deaths list deep+filter",
            reverse("child_deaths:list") + f"?expected=expected&reviewed=yes&page={deep}",
        ),
        ("child deaths detail", reverse("child_deaths:detail", args=[death.pk])),
        ("child deaths report", reverse("child_deaths:report") + "?year=2020-21"),
    ]


def _private_fostering():
    from safeguarding.private_fostering.models import Notification

    deep = _deep(Notification.objects.filter(status="ended").count())
    notification = (
        Notification.objects.filter(arrangement_start_date__isnull=False).order_by("id").last()
    )
    return [
        ("private fostering list", reverse("private_fostering:list")),
        (
            "private fostering list deep+filter",
            reverse("private_fostering:list") + f"?status=ended&page={deep}",
        ),
        (
            "private fostering detail",
            reverse("private_fostering:detail", args=[notification.pk]),
        ),
        ("private fostering visits", reverse("private_fostering:worklist")),
        ("private fostering report", reverse("private_fostering:report") + "?year=2020-21"),
    ]


def _case_reviews():
    from safeguarding.actions.models import Action
    from safeguarding.case_reviews.models import Referral

    deep = _deep(Referral.objects.filter(decision__code="rapid_review").count())
    referral = Referral.objects.filter(final_report_date__isnull=False).order_by("id").last()
    actions_deep = _deep(
        Action.objects.filter(source_module="case_reviews", status="closed").count()
    )
    action = Action.objects.filter(source_module="case_reviews").order_by("id").last()
    return [
        ("case reviews list", reverse("case_reviews:list")),
        (
            "case reviews list deep+filter",
            reverse("case_reviews:list") + f"?decision=rapid_review&page={deep}",
        ),
        ("case reviews detail", reverse("case_reviews:detail", args=[referral.pk])),
        ("case reviews report", reverse("case_reviews:report") + "?year=2020-21"),
        ("actions list", reverse("actions:list")),
        (
            "actions list deep+filter",
            reverse("actions:list")
            + f"?source_module=case_reviews&status=closed&page={actions_deep}",
        ),
        ("actions detail", reverse("actions:detail", args=[action.pk])),
        ("actions figures", reverse("actions:figures")),
    ]


def _missing():
    from safeguarding.missing.models import Episode

    deep = _deep(Episode.objects.filter(episode_type="missing").count())
    episode = Episode.objects.order_by("id").last()
    return [
        ("missing list", reverse("missing:list")),
        (
            "missing list deep+filter",
            reverse("missing:list") + f"?episode_type=missing&page={deep}",
        ),
        ("missing detail", reverse("missing:detail", args=[episode.pk])),
        ("missing worklist", reverse("missing:worklist")),
        ("missing report", reverse("missing:report") + "?year=2020-21"),
    ]


def _training():
    from safeguarding.training.models import Booking, Session

    deep = _deep(Session.objects.count())
    session = Session.objects.order_by("id").last()
    booking = Booking.objects.order_by("id").last()
    return [
        ("training sessions", reverse("training:sessions")),
        ("training sessions deep", reverse("training:sessions") + f"?page={deep}"),
        ("training session", reverse("training:session", args=[session.pk])),
        ("training booking", reverse("training:booking", args=[booking.pk])),
        ("training report", reverse("training:report") + "?year=2020-21"),
    ]


MODULE_PAGES = {
    "missing": _missing,
    "training": _training,
    "lado": _lado,
    "performance": _performance,
    "child_deaths": _child_deaths,
    "private_fostering": _private_fostering,
    "case_reviews": _case_reviews,
}


def _home():
    """Each person's first page: their due and overdue work across every register."""
    return [("home worklist", reverse("home"))]


def pages() -> list[tuple[str, str]]:
    out = _home()
    for build in MODULE_PAGES.values():
        try:
            out += build()
        except Exception as exc:  # a module without data is reported, not fatal
            out.append((f"error: {build.__name__}", str(exc)))
    return [(name, url) for name, url in out if not name.startswith("error")]
