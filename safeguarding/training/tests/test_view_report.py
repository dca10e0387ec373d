"""The figures page (seed 3.3.3), its chart and downloads."""

import pytest
from django.urls import reverse

from .test_report import year_of_training  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_reader_sees_figures_without_names(client_for, figures_reader, year_of_training):  # noqa: F811
    page = client_for(figures_reader).get(reverse("training:report") + "?year=2016-17")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Female Genital Mutilation" in text
    assert "25 delegate places were available" in text
    assert "4 places were used (16.0%)" in text
    assert "confidence.svg" in text and "<caption" in text
    assert "P 0" not in text and "@example.org" not in text


def test_report_denied(client_for, year_of_training):  # noqa: F811
    url = reverse("training:report")
    assert client_for(None).get(url).status_code == 302
    assert client_for(None).post(url).status_code == 405


def test_user_without_grant_is_refused(client_for, admin):
    assert client_for(admin).get(reverse("training:report")).status_code == 403


def test_chart_is_svg(client_for, figures_reader, year_of_training):  # noqa: F811
    response = client_for(figures_reader).get(
        reverse("training:report_chart", kwargs={"year": "2016-17", "chart": "confidence"})
    )
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content
    assert (
        client_for(None)
        .get(reverse("training:report_chart", kwargs={"year": "2016-17", "chart": "confidence"}))
        .status_code
        == 302
    )


def test_download_csv(client_for, figures_reader, year_of_training):  # noqa: F811
    response = client_for(figures_reader).get(
        reverse("training:report_download", kwargs={"year": "2016-17", "fmt": "csv"})
    )
    text = response.content.decode()
    assert "places_used,4,0" in text
    assert (
        client_for(figures_reader)
        .post(reverse("training:report_download", kwargs={"year": "2016-17", "fmt": "csv"}))
        .status_code
        == 405
    )


def test_chart_keeps_its_address(client_for, figures_reader, year_of_training):  # noqa: F811
    url = reverse("training:report_chart", kwargs={"year": "2016-17", "chart": "confidence"})
    assert url == "/training/report/2016-17/confidence.svg"
    page = client_for(figures_reader).get(reverse("training:report") + "?year=2016-17")
    assert url in page.content.decode()
    other = url.replace("confidence", "outcomes")
    assert client_for(figures_reader).get(other).status_code == 404


def test_download_xlsx_is_named_and_sheeted_as_before(
    client_for,
    figures_reader,
    year_of_training,  # noqa: F811
):
    import io

    from openpyxl import load_workbook

    response = client_for(figures_reader).get(
        reverse("training:report_download", kwargs={"year": "2016-17", "fmt": "xlsx"})
    )
    assert 'filename="training-2016-17.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[-1] == "Training 2016-17"  # every figure, as before


def test_report_page_headings(client_for, figures_reader, year_of_training):  # noqa: F811
    text = client_for(figures_reader).get(reverse("training:report") + "?year=2016-17")
    text = text.content.decode()
    assert "<title>Training figures 2016-17" in text
    assert "Training programme: 2016-17</h1>" in text
    assert "Multi-agency training</span>" in text


def test_the_annual_report_chapter():
    from safeguarding.core.registers import chapters

    found = {reg.slug: chapter for reg, chapter in chapters()}
    assert found["training"].title == "Multi-agency training"
    assert found["training"].order == 80
    assert found["training"].template == "training/report_tables.html"
    assert "elearning" not in found
