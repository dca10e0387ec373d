"""The register's figures for a year (the CLI, the web page and downloads share them)."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguarding.core.periods import FinancialYear
from safeguarding.private_fostering import reports
from safeguarding.private_fostering.models import Notification, Visit

Y = FinancialYear(2016)


def make(ref, notified, start=None, end=None, category="language_student", decision=None):
    n = Notification(
        reference=ref,
        notification_date=notified,
        arrangement_start_date=start,
        arrangement_end_date=end,
        category=category,
        carer_relationship="host_family",
    )
    n.refresh()
    n.save()
    return n


@pytest.mark.django_db
def test_year_figures(capsys):
    make("A", dt.date(2015, 6, 1), dt.date(2015, 6, 1), None)  # carried in, active at end
    make("B", dt.date(2015, 6, 1), dt.date(2015, 6, 1), dt.date(2016, 4, 1))  # carried in, ends
    make("C", dt.date(2015, 6, 1), dt.date(2015, 6, 1), dt.date(2016, 3, 31))  # ended before
    make("D", dt.date(2016, 4, 1), dt.date(2016, 4, 10), None, "parent_ill_health")
    make("E", dt.date(2016, 5, 1), dt.date(2016, 5, 1), dt.date(2017, 3, 31))  # ends on 31 March
    make("F", dt.date(2017, 3, 31))  # notified, no arrangement
    make("G", dt.date(2017, 4, 1), dt.date(2017, 4, 1))  # next year
    d = Notification.objects.get(reference="D")
    Visit.objects.create(
        notification=d, sequence=1, due_date=dt.date(2016, 4, 20), visit_date=dt.date(2016, 4, 19)
    )
    Visit.objects.create(
        notification=d, sequence=2, due_date=dt.date(2016, 6, 1), visit_date=dt.date(2016, 6, 2)
    )
    Visit.objects.create(notification=d, sequence=3, due_date=dt.date(2017, 4, 2))
    call_command("report", "private-fostering", "--year", "2016-17", "--format", "json")
    figures = json.loads(capsys.readouterr().out)
    assert figures["notifications"] == 3
    assert figures["new_arrangements"] == 2
    assert figures["arrangements_in_year"] == 4
    assert figures["active_at_year_end"] == 2
    assert figures["new_arrangements_by_category"] == {
        "language_student": 1,
        "education_or_better_life": 0,
        "parent_ill_health": 1,
        "family_breakdown": 0,
        "other": 0,
    }
    assert figures["visits"] == {"due": 2, "on_time": 1}


arrangement = st.tuples(
    st.dates(dt.date(2014, 1, 1), dt.date(2018, 12, 31)),
    st.one_of(st.none(), st.integers(0, 900)),
)


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(arrangement, max_size=15))
def test_arrangements_in_year_are_carried_in_plus_new(rows):
    Notification.objects.all().delete()
    for i, (start, days) in enumerate(rows):
        end = start + dt.timedelta(days=days) if days is not None else None
        make(f"H{i}", start, start, end)
    for year in (FinancialYear(2015), FinancialYear(2016), FinancialYear(2017)):
        this, before = reports.year_report(year), reports.year_report(year.previous())
        assert (
            this["arrangements_in_year"] == before["active_at_year_end"] + this["new_arrangements"]
        )
        assert sum(this["new_arrangements_by_category"].values()) == this["new_arrangements"]


@pytest.mark.django_db
def test_csv_and_html_formats(capsys):
    make("A", dt.date(2016, 6, 1), dt.date(2016, 6, 1))
    call_command("report", "private-fostering", "--year", "2016-17", "--format", "csv")
    assert "new_arrangements_by_category.language_student,1" in capsys.readouterr().out
    call_command("report", "private-fostering", "--year", "2016-17", "--format", "html")
    html = capsys.readouterr().out
    assert "Private fostering: 2016-17" in html and "100.0%" in html


@pytest.mark.django_db
def test_the_annual_report_chapter():
    from safeguarding.core import registers

    make("A", dt.date(2016, 6, 1), dt.date(2016, 6, 1))
    [(reg, chapter)] = [(r, c) for r, c in registers.chapters() if r.slug == "private-fostering"]
    assert (chapter.title, chapter.order) == ("Private fostering", 40)
    context = chapter.context(Y)
    assert context["report"]["new_arrangements"] == 1
    assert context["categories"][0][1:] == ("Language student with a host family", 1, 0)
