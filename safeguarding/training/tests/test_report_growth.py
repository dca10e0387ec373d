"""Issue 16: the report page of a year costs what that year's rows cost, not history.

The same year's report is asked for with two years of training recorded and with ten: the
page sends the same number of SQL queries, and its figures (and the page) are the same."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.periods import FinancialYear
from safeguarding.training import reports
from safeguarding.training.models import Booking, ConfidenceScore, Course, Evaluation, Session

pytestmark = pytest.mark.django_db

YEAR = FinancialYear.parse("2019-20")
# This many queries at most: one per figure (places, bookings, agencies, confidence, the
# three paired comparisons, response rates...), the previous year's few, and the request.
MAX_QUERIES = 30


def record_year(courses, start_year: int) -> None:
    """A year of training: each course twice, delegates who attended (or not), each
    answering some of the three stages with confidence scores."""
    n = Booking.objects.count()
    for c, course in enumerate(courses):
        for month in (5, 11):
            starts = timezone.make_aware(dt.datetime(start_year, month, 3 + c, 9, 30))
            session = Session.objects.create(
                course=course, starts_at=starts, ends_at=starts + dt.timedelta(hours=6), capacity=4
            )
            for k, attendance in enumerate(("attended", "attended", "attended", "absent")):
                n += 1
                booking = Booking.objects.create(
                    reference=f"TRN-GROWTH-{n:05d}",
                    session=session,
                    full_name=f"Delegate {n}",
                    email=f"d{n}@example.org",
                    job_role="Nurse",
                    agency_other="Independent",
                    status="booked",
                    attendance=attendance,
                    adjustments="Step-free access" if k == 0 else "",
                )
                for stage in range(1, 4 - k % 3):
                    evaluation = Evaluation.objects.create(
                        booking=booking,
                        stage=stage,
                        quote_selected=stage == 2 and k == 0,
                        comment="Useful" if stage == 2 else "",
                    )
                    ConfidenceScore.objects.bulk_create(
                        ConfidenceScore(
                            evaluation=evaluation,
                            outcome_number=i,
                            outcome=f"O{i}",
                            score=min(10, 2 + 2 * stage + (i + k + c) % 3),
                        )
                        for i in (1, 2)
                    )


@pytest.fixture
def courses(db):
    return [
        Course.objects.create(title=title, learning_outcomes="A\nB", stage3_follow_up=True)
        for title in ("Neglect: an analytical approach", "Safeguarding & Gangs")
    ]


def report_page(client):
    url = reverse("training:report") + f"?year={YEAR.label}"
    client.get(url)  # warm: the session, templates
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response


def test_report_queries_do_not_grow_with_the_years_of_data(
    client_for, figures_reader, courses, django_assert_max_num_queries
):
    for start_year in (2018, 2019):  # the year and the one before
        record_year(courses, start_year)
    client = client_for(figures_reader)
    two_years, page = report_page(client)
    figures = reports.year_report(YEAR)

    for start_year in (*range(2011, 2018), 2020):  # eight more: ten years around it
        record_year(courses, start_year)
    ten_years, page_at_ten = report_page(client)

    assert ten_years == two_years
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(reverse("training:report") + f"?year={YEAR.label}")
    assert reports.year_report(YEAR) == figures
    assert figures["places_used"] == 12 and figures["paired"]["stage_1_to_2"]["delegates"]
    # The same page, but for the years the picker offers (one more each year recorded).
    assert page_at_ten.context["report"] == page.context["report"]
    assert page_at_ten.context["previous"] == page.context["previous"]
