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
        reverse("training:report_chart", kwargs={"year": "2016-17"})
    )
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content
    assert (
        client_for(None)
        .get(reverse("training:report_chart", kwargs={"year": "2016-17"}))
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
