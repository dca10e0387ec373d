"""The outcomes chart: an SVG of figures only, for anyone who may see the figures."""

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.lado import services

NAME = "Zebedee Quartermaine"


def url(year: str = "2016-17") -> str:
    return reverse("lado:report_chart", args=[year, "outcomes"])


@pytest.mark.parametrize("who", ["reader", "owner", "officer"])
def test_the_chart_is_svg(client_for, lado_case, who, request):
    response = client_for(request.getfixturevalue(who)).get(url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert "<svg" in svg and svg.rstrip().endswith("</svg>")
    assert "Outcomes of LADO referrals 2016-17" in svg
    assert "2015-16" in svg  # the previous year beside it
    assert NAME not in svg
    assert "private" in response["Cache-Control"]


def test_the_chart_follows_the_figures(client_for, reader, officer, lado_case):
    client = client_for(reader)
    before = client.get(url()).content
    services.outcome_record(
        acting_user=officer,
        case=lado_case,
        expected_version=1,
        outcome="substantiated",
        outcome_date=dt.date(2016, 7, 1),
    )
    assert client.get(url()).content != before


def test_a_year_that_is_not_a_year_is_404(client_for, reader):
    assert client_for(reader).get(url("soon")).status_code == 404


def test_administrator_without_a_grant_gets_403(client_for, admin):
    assert client_for(admin).get(url()).status_code == 403


def test_anonymous_is_sent_to_sign_in(client_for, db):
    response = client_for(None).get(url())
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={url()}"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_wrong_method_gets_405(client_for, reader, method):
    assert getattr(client_for(reader), method)(url()).status_code == 405
