"""Periods are chosen from lists, never typed: months, quarters and financial years from
the earliest value or return held to the current period; a bad period in a URL is a page
that says what is wrong (404), never a server error."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from safeguarding.core.periods import Period
from safeguarding.performance import choices, services
from safeguarding.performance.models import Benchmark

from .conftest import enter_value


def _select(page: str, select_id: str) -> str:
    """The GOV.UK select of that id (its options)."""
    found = re.search(rf'<select[^>]*\bid="{select_id}"[^>]*>', page)
    assert found and "govuk-select" in found.group(0), f"no GOV.UK select {select_id}"
    return page[found.start() : page.index("</select>", found.start())]


def _options(select: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)"', select)


def test_the_period_in_words():
    assert choices.period_name(Period.parse("2016-04")) == "April 2016"
    assert choices.period_name(Period.parse("2016-Q4")) == "Q4 2016-17 (January to March 2017)"
    assert choices.period_name(Period.parse("2016-17")) == "2016-17"


def test_periods_run_from_the_earliest_value_to_the_current_period(lead, cgas):
    enter_value(lead, cgas, period="2015-11")
    today = dt.date(2017, 5, 10)
    groups = dict(choices.grouped({"month", "quarter", "year"}, today=today))
    months = [value for value, _ in groups["Months"]]
    assert months[0] == "2017-05" and months[-1] == "2015-11"  # newest first
    assert len(months) == 19
    assert [value for value, _ in groups["Quarters"]] == [
        f"{y}-Q{q}" for y, q in [(2017, 1), (2016, 4), (2016, 3), (2016, 2), (2016, 1)]
    ] + ["2015-Q4", "2015-Q3"]
    assert [value for value, _ in groups["Financial years"]] == ["2017-18", "2016-17", "2015-16"]


def test_without_data_the_lists_start_a_year_back(db):
    groups = dict(choices.grouped({"year"}, today=dt.date(2017, 5, 10)))
    assert [value for value, _ in groups["Financial years"]] == ["2017-18", "2016-17"]


def test_the_dashboard_period_is_a_select_of_months_quarters_and_years(client_for, board, cgas):
    page = client_for(board).get(reverse("performance:dashboard") + "?period=2016-Q2")
    page = page.content.decode()
    select = _select(page, "id_period")
    for group in ("Quarters", "Months", "Financial years"):
        assert f'<optgroup label="{group}">' in select
    assert '<option value="2016-Q2" selected>Q2 2016-17 (July to September 2016)</option>' in (
        select
    )
    assert choices.current("month").label in _options(select)
    assert not re.search(r'<input[^>]+name="period"', page), "the period is not typed"


def test_an_indicators_page_offers_its_own_periods(client_for, board, lead, cgas):
    enter_value(lead, cgas, period="2016-04", value=Decimal(96))
    page = client_for(board).get(
        reverse("performance:indicator", args=[cgas.pk]) + "?period=2016-Q1"
    )
    select = _select(page.content.decode(), "id_period")
    assert '<optgroup label="Months">' in select and "Quarters" not in select
    # The trend of a monthly indicator to 2016-Q1 ends in its last month.
    assert '<option value="2016-06" selected>June 2016</option>' in select


def test_the_returns_list_filters_by_the_periods_of_the_users_returns(
    client_for, trust_user, police_user, lead, cgas, trust_return
):
    services.returns_open(acting_user=lead, period=Period.parse("2016-05"))
    client = client_for(trust_user)
    page = client.get(reverse("performance:returns")).content.decode()
    assert _options(_select(page, "id_period")) == ["", "2016-05", "2016-04"]
    assert "Open returns for a period" not in page  # the business unit's
    filtered = client.get(reverse("performance:returns") + "?period=2016-04").content.decode()
    assert '<option value="2016-04" selected>April 2016</option>' in filtered
    table = filtered[filtered.index("<tbody") :]
    assert "2016-04" in table and "2016-05" not in table
    # Another agency has no returns: nothing to choose.
    other = client_for(police_user).get(reverse("performance:returns")).content.decode()
    assert _options(_select(other, "id_period")) == [""]


@pytest.mark.parametrize(
    "name",
    [
        "performance:dashboard",
        "performance:exceptions",
        "performance:dashboard_xlsx",
        "performance:dashboard_pdf",
        "performance:returns",
    ],
)
def test_a_bad_period_in_a_url_says_what_is_wrong(client_for, bu_officer, cgas, name):
    client = client_for(bu_officer)
    for period, message in [
        ("2016-Q5", "&#x27;2016-Q5&#x27; is not a period: use a month (2016-04), a quarter"),
        ("1900-Q1", "&#x27;1900-Q1&#x27; is not in a financial year the system reports on"),
        ("<b>x</b>", "&#x27;&lt;b&gt;x&lt;/b&gt;&#x27; is not a period"),
    ]:
        response = client.get(reverse(name), {"period": period})
        page = response.content.decode()
        assert response.status_code == 404, (name, period)
        assert "Period not found" in page and message in page, (name, period)
        assert "Choose a period from the list on" in page


def test_a_benchmark_year_is_chosen_from_the_list(client_for, bu_officer, lead, cgas):
    enter_value(lead, cgas, period="2016-04")
    client = client_for(bu_officer)
    url = reverse("performance:benchmark_edit", args=[cgas.pk])
    select = _select(client.get(url).content.decode(), "id_year")
    years = _options(select)
    assert years[0] == "" and years[1] == choices.current("year").label
    assert years[-1] == "2016-17"  # the year of the earliest value
    typed = client.post(url, {"year": "2016", "kind": "england", "value": "90"})
    assert "Choose the financial year" in typed.content.decode()
    assert not Benchmark.objects.exists()
    chosen = client.post(url, {"year": "2016-17", "kind": "england", "value": "90"})
    assert chosen.status_code == 302
    assert Benchmark.objects.get().year == "2016-17"
