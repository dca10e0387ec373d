"""The scale-data generator writes valid notifications, arrangements and visits on the
module's statutory clock, and the year report adds up."""

import datetime as dt

import pytest

from conftest import GENERATED_YEARS as YEARS
from safeguarding.private_fostering import generate, reports, rules
from safeguarding.private_fostering.models import Notification, Visit


@pytest.fixture
def generated(generate_years):
    return generate_years(generate, scale=0.05, seed=3)


def test_each_year_reports_progress_and_writes_notifications(generated):
    assert [m.split(":")[0] for m in generated] == ["2019-20", "2020-21"]
    assert Notification.objects.count() == 16  # 150 a year at scale 1
    assert Visit.objects.exists()


def test_stored_decisions_and_dates_follow_the_module_rules(generated):
    for n in Notification.objects.all():
        decision = n.evaluate()
        assert (n.decision, n.decision_reason) == (decision.code, decision.reason)
        assert n.late_notification == rules.notification_late(n.notification_date, n.planned_start)
        assert (
            rules.notification_problems(
                notification_date=n.notification_date,
                child_date_of_birth=n.child_date_of_birth,
                arrangement_start_date=n.arrangement_start_date,
                arrangement_end_date=n.arrangement_end_date,
                aware_date=n.aware_date,
                decision=decision,
            )
            == []
        )


def test_visits_follow_the_statutory_clock(generated):
    today = dt.date.today()
    for n in Notification.objects.filter(visits__isnull=False).distinct():
        visits = list(n.visits.order_by("sequence"))
        assert [v.sequence for v in visits] == list(range(1, len(visits) + 1))
        # Each visit is the one rules.next_visit gives after the visits made before it.
        for i, visit in enumerate(visits):
            before = [v.visit_date for v in visits[:i]]
            assert n.next_visit(before) == (visit.rule, visit.due_date)
        made = [v for v in visits if v.visit_date]
        assert all(n.aware <= v.visit_date <= today for v in made)
        if n.arrangement_end_date:
            assert all(v.visit_date <= n.arrangement_end_date for v in made)
        # Only the last visit may be open (the one scheduled next).
        assert all(v.visit_date for v in visits[:-1])


def test_year_reports_have_figures_that_add_up(generated):
    figures = [reports.year_report(year) for year in YEARS]
    assert sum(f["notifications"] for f in figures) > 0
    assert sum(f["new_arrangements"] for f in figures) > 0
    assert sum(f["visits"]["due"] for f in figures) > 0
    for f in figures:
        assert sum(f["new_arrangements_by_category"].values()) == f["new_arrangements"]
        assert f["new_arrangements"] <= f["arrangements_in_year"]
        assert f["active_at_year_end"] <= f["arrangements_in_year"]
        assert f["visits"]["on_time"] <= f["visits"]["due"]
