"""Every case review page: business unit, owner agency, another agency, reader, anonymous,
wrong method."""

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.case_reviews import services

CHILD = "Quillfeather"


@pytest.fixture
def chronology(unit, referral, hospital):
    return services.chronology_request(
        acting_user=unit, referral=referral, agency=hospital, requested_date=dt.date(2016, 7, 1)
    )


RECORD_PAGES = ["detail"]
OFFICER_RECORD_PAGES = ["edit", "panel", "review", "child_add", "chronology_request", "action_add"]


def test_business_unit_sees_every_page(client_for, unit, referral, chronology):
    c = client_for(unit)
    for name in ["list", "create", "worklist", "chronologies", "report"]:
        assert c.get(reverse(f"case_reviews:{name}")).status_code == 200, name
    for name in RECORD_PAGES + OFFICER_RECORD_PAGES:
        response = c.get(reverse(f"case_reviews:{name}", args=[referral.pk]))
        assert response.status_code == 200, name
    assert CHILD in c.get(reverse("case_reviews:detail", args=[referral.pk])).content.decode()
    assert c.get(reverse("case_reviews:chronology_return", args=[chronology.pk])).status_code == 200


def test_referring_agency_sees_its_referral_but_cannot_change_it(client_for, police_user, referral):
    c = client_for(police_user)
    assert CHILD in c.get(reverse("case_reviews:detail", args=[referral.pk])).content.decode()
    assert "Case Q" in c.get(reverse("case_reviews:list")).content.decode()
    for name in OFFICER_RECORD_PAGES:
        assert c.get(reverse(f"case_reviews:{name}", args=[referral.pk])).status_code == 403, name
    assert c.get(reverse("case_reviews:worklist")).status_code == 403


def test_other_agency_gets_404_and_an_empty_list(client_for, health_user, referral):
    c = client_for(health_user)
    assert c.get(reverse("case_reviews:detail", args=[referral.pk])).status_code == 404
    listing = c.get(reverse("case_reviews:list")).content.decode()
    assert "Case Q" not in listing and CHILD not in listing


def test_chronology_requests_only_for_the_agency_asked(
    client_for, police_user, health_user, chronology
):
    asked = client_for(health_user)
    assert "Case Q" not in asked.get(reverse("case_reviews:list")).content.decode()
    assert (
        chronology.referral.reference
        in asked.get(reverse("case_reviews:chronologies")).content.decode()
    )
    url = reverse("case_reviews:chronology_return", args=[chronology.pk])
    response = asked.post(
        url,
        {
            "returned_date_0": "20",
            "returned_date_1": "7",
            "returned_date_2": "2016",
            "version": chronology.version,
        },
    )
    assert response.status_code == 302
    chronology.refresh_from_db()
    assert chronology.returned_date == dt.date(2016, 7, 20)
    other = client_for(police_user)
    assert other.get(url).status_code == 404
    assert (
        chronology.referral.reference
        not in other.get(reverse("case_reviews:chronologies")).content.decode()
    )


def test_reader_sees_figures_without_names_and_no_records(client_for, cr_reader, referral):
    c = client_for(cr_reader)
    for url in [
        reverse("case_reviews:list"),
        reverse("case_reviews:detail", args=[referral.pk]),
        reverse("case_reviews:chronologies"),
        reverse("case_reviews:create"),
    ]:
        assert c.get(url).status_code == 403, url
    page = c.get(reverse("case_reviews:report") + "?year=2016-17")
    assert page.status_code == 200
    text = page.content.decode()
    assert CHILD not in text and "Xanthe" not in text
    assert "<caption" in text and 'scope="col"' in text
    assert 'alt="Bar chart' in text


def test_report_chart_and_csv(client_for, cr_reader, referral):
    c = client_for(cr_reader)
    chart_url = reverse(
        "case_reviews:report_chart", kwargs={"year": "2016-17", "chart": "decisions"}
    )
    assert chart_url == "/case-reviews/report/2016-17/decisions.svg"  # the path is unchanged
    chart = c.get(chart_url)
    assert chart["Content-Type"] == "image/svg+xml"
    assert b"<svg" in chart.content
    csv_url = reverse("case_reviews:report_download", kwargs={"year": "2016-17", "fmt": "csv"})
    assert csv_url == "/case-reviews/report/2016-17.csv"
    response = c.get(csv_url)
    assert 'filename="case-reviews-2016-17.csv"' in response["Content-Disposition"]
    csv = response.content.decode()
    assert csv.splitlines()[0] == "figure,2016-17,2015-16"
    assert "referrals,1,0" in csv


def test_report_downloads_as_excel(client_for, cr_reader, referral):
    """New with the core register: the same figures as an Excel workbook."""
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_for(cr_reader).get(
        reverse("case_reviews:report_download", kwargs={"year": "2016-17", "fmt": "xlsx"})
    )
    assert response.status_code == 200
    assert 'filename="case-reviews-2016-17.xlsx"' in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames[-1] == "Case reviews 2016-17"  # every figure, as before
    rows = list(book["Case reviews 2016-17"].iter_rows(values_only=True))
    assert rows[0] == ("figure", "2016-17", "2015-16")
    assert ("referrals", 1, 0) in rows


def test_anonymous_goes_to_sign_in(client, referral):
    for url in [
        reverse("case_reviews:list"),
        reverse("case_reviews:detail", args=[referral.pk]),
        reverse("case_reviews:report"),
        reverse("case_reviews:panel", args=[referral.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/sign-in/")


def test_wrong_method_is_405(client_for, unit, referral):
    c = client_for(unit)
    assert c.delete(reverse("case_reviews:detail", args=[referral.pk])).status_code == 405
    assert c.post(reverse("case_reviews:report")).status_code == 405
    assert c.get(reverse("case_reviews:search_clear")).status_code == 405
    assert c.put(reverse("case_reviews:panel", args=[referral.pk])).status_code == 405


def test_settings_need_a_manager(client_for, unit, cr_manager):
    assert client_for(unit).get(reverse("case_reviews:settings")).status_code == 403
    c = client_for(cr_manager)
    page = c.get(reverse("case_reviews:settings")).content.decode()
    assert "Local child safeguarding practice review" in page
    response = c.post(reverse("case_reviews:theme_create"), {"name": "Neglect", "is_active": "on"})
    assert response.status_code == 302
    assert "Neglect" in c.get(reverse("case_reviews:settings")).content.decode()


def test_search_text_stays_out_of_the_url(client_for, unit, referral):
    c = client_for(unit)
    response = c.post(reverse("case_reviews:list"), {"q": CHILD})
    assert CHILD not in response.url
    page = c.get(response.url).content.decode()
    assert "Case Q" in page
