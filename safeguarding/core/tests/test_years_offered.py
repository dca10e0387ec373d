"""The years a register's report offers (core/register_views.py: year_range, resolve_year).

Every financial year from the year of the register's earliest record to the current one can
be chosen on the report page; the earliest is an indexed MIN of the year field, asked once
per request. A year outside that range, or text that is not a year, gets the page with a
message saying which years there are (400), never a 404 or a server error; its chart and
downloads answer 404 with the same message as plain text.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.db.models import Index
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguarding.core import registers
from safeguarding.core.periods import FinancialYear
from safeguarding.core.register_views import year_range, years_offered

from . import test_example_register as example

# The example register's module, people and reader (test_example_register.py).
example_module, people, reader = example.example_module, example.people, example.reader
joined = example.joined

pytestmark = pytest.mark.urls("safeguarding.core.tests.example.urls")

CURRENT = FinancialYear.current()


def options(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]+)"', html)


def every_year(first: FinancialYear, last: FinancialYear) -> list[str]:
    return [FinancialYear(y).label for y in range(last.start_year, first.start_year - 1, -1)]


def test_every_year_from_the_first_record_to_this_year_is_offered(client_for, reader, people):
    # The earliest record: the reader, joined 3 January 2014 (2013-14).
    html = client_for(reader).get(reverse("example:report")).content.decode()
    assert options(html) == every_year(FinancialYear(2013), CURRENT)
    assert options(html)[0] == CURRENT.label  # reached from the default year's page
    assert re.search(r'<option value="2016-17" selected>', html)  # the last ended year
    for year in (FinancialYear(2013), CURRENT):
        response = client_for(reader).get(reverse("example:report") + f"?year={year}")
        assert response.status_code == 200
        assert f"People joining the partnership: {year}</h1>" in response.content.decode()


def test_a_year_in_the_address_shows_its_report(client_for, reader, people):
    url = reverse("example:report_year", args=["2015-16"])
    assert url == "/example/report/2015-16/"
    response = client_for(reader).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "People joining the partnership: 2015-16</h1>" in html
    assert '<option value="2015-16" selected>' in html
    assert reverse("example:report_download", args=["2015-16", "xlsx"]) in html


def test_a_year_after_this_one_is_offered_once_it_has_records(client_for, reader, people):
    """Training sessions are planned for next year: their year can be chosen too."""
    later = CURRENT.start_year + 1
    joined(reader, dt.date(later, 6, 1))
    html = client_for(reader).get(reverse("example:report")).content.decode()
    assert options(html)[0] == FinancialYear(later).label
    assert options(html)[-1] == "2015-16"  # the reader was the earliest; now Cy is


ERROR = "There are no records for {}: choose a year from 2013-14 to " + CURRENT.label
NOT_A_YEAR = "That is not a financial year: choose a year from 2013-14 to " + CURRENT.label


@pytest.mark.parametrize(
    "url, message",
    [
        ("/example/report/1900-01/", ERROR.format("1900-01")),
        ("/example/report/2012-13/", ERROR.format("2012-13")),
        (
            f"/example/report/{CURRENT.start_year + 1}/",
            ERROR.format(FinancialYear(CURRENT.start_year + 1)),
        ),
        ("/example/report/?year=1900-01", ERROR.format("1900-01")),
        ("/example/report/abcd/", NOT_A_YEAR),
        ("/example/report/2016-18/", NOT_A_YEAR),
        ("/example/report/?year=%3Cscript%3E", NOT_A_YEAR),
    ],
)
def test_an_unknown_year_gets_the_page_with_a_message_not_a_404(
    client_for, reader, people, url, message
):
    response = client_for(reader).get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: People" in html
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert f'<a href="#id_year">{message}</a>' in html  # the summary links to the picker
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}</p>' in html
    assert 'aria-describedby="id_year-error"' in html
    assert options(html) == every_year(FinancialYear(2013), CURRENT)  # choose one here
    assert "<script>" not in html and "abcd" not in html  # the text asked for is not shown
    assert "Download these figures" not in html and "<table" not in html


@pytest.mark.parametrize(
    "year, message",
    [
        ("1900-01", ERROR.format("1900-01")),
        ("abcd", NOT_A_YEAR),
    ],
)
def test_the_chart_and_downloads_of_an_unknown_year_are_404_with_the_message(
    client_for, reader, people, year, message
):
    client = client_for(reader)
    for url in (
        reverse("example:report_chart", args=[year, "joined"]),
        reverse("example:report_download", args=[year, "csv"]),
        reverse("example:report_download", args=[year, "xlsx"]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response.content.decode() == message + ".\n"
    for url in (  # the first year with records has its files, and so has a year before it
        reverse("example:report_chart", args=["2013-14", "joined"]),
        reverse("example:report_download", args=["2012-13", "csv"]),
        reverse("example:report_download", args=["2013-14", "csv"]),
    ):
        assert client.get(url).status_code == 200, url


def test_an_empty_register_offers_this_year_only(client_for, council):
    """No records yet: the report of the current year (all noughts) is there to be seen."""
    from conftest import make_user
    from safeguarding.core.models import User

    User.objects.update(date_joined=dt.datetime(CURRENT.start_year, 6, 1, tzinfo=dt.UTC))
    user = make_user("new.reader@example.org", council, {"example": "reader"})
    client = client_for(user)
    html = client.get(reverse("example:report")).content.decode()
    assert options(html) == [CURRENT.label]
    response = client.get(reverse("example:report_year", args=["2016-17"]))
    assert response.status_code == 400
    assert f"There are no records for 2016-17: choose {CURRENT}" in response.content.decode()


def test_the_first_and_last_years_are_two_lookups_made_once_a_request(client_for, reader, people):
    """MIN and MAX of the year field, each on its own (a lone MIN or MAX is read from an
    index's ends on both databases), shared by the picker and the check of the year."""
    with CaptureQueriesContext(connection) as queries:
        response = client_for(reader).get(reverse("example:report_year", args=["2015-16"]))
    assert response.status_code == 200
    bounds = [q["sql"] for q in queries if re.search(r"\b(MIN|MAX)\(", q["sql"])]
    assert len(bounds) == 2, bounds
    for sql in bounds:
        assert "WHERE" not in sql and "GROUP BY" not in sql and "ORDER BY" not in sql


def test_year_range_is_cached_on_the_request(rf, reader, people):
    from safeguarding.core.tests.example.register import REGISTER

    request = rf.get("/")
    with CaptureQueriesContext(connection) as queries:
        first = year_range(REGISTER, request)
        again = years_offered(REGISTER, request)
    assert len(queries) == 2 and first == (FinancialYear(2013), CURRENT)
    assert again[0] == CURRENT and again[-1] == FinancialYear(2013)


def _leads_an_index(model, name: str) -> bool:
    field = model._meta.get_field(name)
    if field.db_index or field.unique:
        return True
    indexes = [i for i in model._meta.indexes if isinstance(i, Index) and not i.condition]
    return any(i.fields and i.fields[0] == name for i in indexes)


FIGURES = [r for r in registers.REGISTERS.values() if r.figures is not None and r.model]


@pytest.mark.parametrize("reg", FIGURES, ids=[r.slug for r in FIGURES])
def test_every_registers_year_field_leads_an_index(reg):
    """So that its first and last years are read from the index, not a scan of history."""
    assert _leads_an_index(reg.model, reg.figures.year_field), (
        f"{reg.slug}: index {reg.model.__name__}.{reg.figures.year_field}"
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan wording")
@pytest.mark.parametrize("reg", FIGURES, ids=[r.slug for r in FIGURES])
def test_the_first_year_is_read_from_the_index(reg, db):
    from django.db.models import Min

    with CaptureQueriesContext(connection) as queries:
        reg.model._default_manager.aggregate(found=Min(reg.figures.year_field))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + queries[-1]["sql"])
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "USING" in plan and "INDEX" in plan, plan  # not "SCAN <table>"
