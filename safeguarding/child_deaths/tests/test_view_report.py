"""The report page (seed section 3.6 with the previous year), its charts and downloads."""

import datetime as dt

import pytest
from django.urls import reverse

from .conftest import CHILD, notify

URL = reverse("child_deaths:report")
CHART = reverse("child_deaths:report_chart", kwargs={"year": "2016-17", "chart": "age"})
CSV = reverse("child_deaths:report_download", kwargs={"year": "2016-17", "fmt": "csv"})


@pytest.fixture
def reviewed(coordinator):
    notify(coordinator, review_date=dt.date(2016, 9, 1), category="8", modifiable_factors="no")
    notify(
        coordinator, date_of_death=dt.date(2015, 6, 1), notification_date=dt.date(2015, 6, 2),
        date_of_birth=dt.date(2015, 5, 20), review_date=dt.date(2015, 12, 1), category="7",
        modifiable_factors="no", expected=True, sex="male",
    )  # fmt: skip


def test_reader_sees_figures_with_previous_year_and_no_names(client_for, cdop_reader, reviewed):
    response = client_for(cdop_reader).get(URL + "?year=2016-17")
    html = response.content.decode()
    assert response.status_code == 200 and CHILD not in html
    assert "2015-16" in html and "There were 1 deaths reviewed" in html
    assert "0 of the 1 (0.0%) deaths reviewed by the panel in 2016-17 were expected" in html
    assert html.count('<img class="sg-chart"') == 3 and 'alt="Bar chart: age at death' in html


def test_chart_is_svg_and_downloads_carry_both_years(client_for, cdop_reader, reviewed):
    client = client_for(cdop_reader)
    chart = client.get(CHART)
    assert chart["Content-Type"] == "image/svg+xml" and b"<svg" in chart.content
    rows = client.get(CSV).content.decode().splitlines()
    assert rows[0] == "figure,2016-17,2015-16"
    assert "reviewed,1,1" in rows and "category.8,1,0" in rows
    assert client.get(reverse("child_deaths:report_chart", kwargs={"year": "2016-17",
                      "chart": "nope"})).status_code == 404  # fmt: skip


@pytest.mark.parametrize("url", [URL, CHART, CSV])
def test_no_grant_anonymous_and_wrong_method(client_for, admin, coordinator, url):
    assert client_for(admin).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
    assert client_for(coordinator).get(url).status_code == 200
    assert client_for(coordinator).post(url).status_code == 405
