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


def test_every_chart_keeps_its_address(client_for, cdop_reader, reviewed):
    client = client_for(cdop_reader)
    html = client.get(URL + "?year=2016-17").content.decode()
    for name in ("age", "ethnicity", "category"):
        url = f"/child-deaths/report/2016-17/{name}.svg"
        assert f'src="{url}"' in html
        chart = client.get(url)
        assert chart.status_code == 200 and b"<svg" in chart.content


def test_the_excel_download_keeps_its_file_and_sheet_names(client_for, cdop_reader, reviewed):
    import io

    from openpyxl import load_workbook

    response = client_for(cdop_reader).get(
        reverse("child_deaths:report_download", kwargs={"year": "2016-17", "fmt": "xlsx"})
    )
    assert 'filename="child-deaths-2016-17.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[-1] == "Child deaths 2016-17"  # every figure, as before
    rows = {r[0]: r[1:] for r in book["Child deaths 2016-17"].iter_rows(values_only=True)}
    assert rows["reviewed"] == (1, 1)


def test_the_page_is_titled_as_before(client_for, cdop_reader, reviewed):
    html = client_for(cdop_reader).get(URL + "?year=2016-17").content.decode()
    assert "<title>Child death figures 2016-17" in html
    assert "Child death reviews: 2016-17</h1>" in html and "Child Death Overview Panel" in html


def test_the_command_line_html_report_and_the_annual_report_chapter(reviewed):
    import io

    from django.core.management import call_command

    from safeguarding.core import registers

    out = io.StringIO()
    call_command("report", "child-deaths", "--year", "2016-17", "--format", "html", stdout=out)
    html = out.getvalue()
    assert "<h1>Child death reviews: 2016-17</h1>" in html and "There were 1 deaths" in html
    assert CHILD not in html and "<img" not in html
    (chapter,) = [ch for reg, ch in registers.chapters() if reg.slug == "child-deaths"]
    assert (chapter.title, chapter.order) == ("Child deaths (Child Death Overview Panel)", 50)


def test_the_domains_and_ncmd_tables_are_on_the_page_and_in_the_download(
    client_for, cdop_reader, coordinator
):
    notify(
        coordinator, review_date=dt.date(2016, 9, 1), category="10", modifiable_factors="yes",
        factors_physical_environment="significant", child_protection_plan_at_death=True,
        ncmd_notified_date=dt.date(2016, 6, 3),
    )  # fmt: skip
    client = client_for(cdop_reader)
    html = client.get(URL + "?year=2016-17").content.decode()
    assert "Factors in the physical environment, deaths reviewed, 2016-17 and 2015-16" in html
    assert "deaths notified, 2016-17 and 2015-16</caption>" in html
    assert "Subject to a child protection plan at death" in html
    rows = client.get(CSV).content.decode().splitlines()
    assert "modifiable_factor_domains.factors_physical_environment.significant,1,0" in rows
    assert "modifiable_factor_domains.factors_child.not_recorded,1,0" in rows
    assert "ncmd.child_protection_plan,1,0" in rows and "ncmd.notified,1,0" in rows
