"""The LADO figures page: Tables 1-3 and per-sector outcomes, with the previous year."""

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.lado import services
from safeguarding.lado.models import MeetingType

URL = reverse("lado:report")
NAMES = ["Zebedee Quartermaine", "Ophelia Brandreth", "Percival Ambrose", "Winifred Ashgrove"]


@pytest.fixture
def two_years(db, officer, school, other_school, lado_case):
    """2016-17: 4 contacts, 3 referrals (Q1 pending, Q2 unfounded, Q3 substantiated with a
    meeting); 2015-16: 1 contact, a substantiated referral."""

    def make(**values):
        return services.case_create(acting_user=officer, owning_agency=school, **values)

    substantiated = make(
        contact_date=dt.date(2016, 11, 10),
        employer_sector="secondary_school",
        subject_name="Ophelia Brandreth",
        threshold_met=True,
        harm_test="possible_offence",
        outcome="substantiated",
        outcome_date=dt.date(2017, 1, 20),
    )
    services.meeting_add(
        acting_user=officer,
        case=substantiated,
        meeting_type=MeetingType.objects.create(name="Strategy meeting"),
        date=dt.date(2016, 11, 15),
    )
    make(
        contact_date=dt.date(2016, 6, 1),
        employer_sector="early_years",
        subject_name="Percival Ambrose",
        threshold_met=False,
    )
    make(
        contact_date=dt.date(2016, 7, 15),
        employer_sector="primary_school",
        subject_name="Winifred Ashgrove",
        threshold_met=True,
        harm_test="unsuitable",
        outcome="unfounded",
        outcome_date=dt.date(2016, 9, 1),
    )
    make(
        contact_date=dt.date(2015, 12, 1),
        employer_sector="primary_school",
        subject_name="Winifred Ashgrove",
        threshold_met=True,
        harm_test="harmed",
        outcome="substantiated",
        outcome_date=dt.date(2016, 2, 1),
    )


def test_reader_sees_tables_1_to_3_with_percentages_and_the_previous_year(
    client_for, reader, two_years
):
    response = client_for(reader).get(URL + "?year=2016-17")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Table 1: contacts 2016-17" in html
    assert "Table 2: referrals, strategy meetings and substantiated allegations 2016-17" in html
    assert "Table 3: outcomes of LADO referrals 2016-17" in html
    assert "3 of 4 contacts (75.0%) met the threshold" in html
    assert "(2015-16: 1 of 1, 100.0%)" in html
    assert "33.3%" in html  # each of three outcomes is a third of the referrals
    report, previous = response.context["report"], response.context["previous"]
    assert report["contacts"] == {"Q1": 2, "Q2": 1, "Q3": 1, "Q4": 0, "total": 4}
    assert report["referrals"] == {"Q1": 1, "Q2": 1, "Q3": 1, "Q4": 0, "total": 3}
    assert report["strategy_meetings"]["total"] == 1
    assert report["substantiated"] == {"Q1": 0, "Q2": 0, "Q3": 1, "Q4": 0, "total": 1}
    assert previous["outcomes"]["substantiated"] == 1
    assert response.context["previous_year"].label == "2015-16"


def test_one_outcome_table_per_sector_with_the_previous_year(client_for, reader, two_years):
    response = client_for(reader).get(URL + "?year=2016-17")
    html = response.content.decode()
    assert "Primary school: 2 referrals (2015-16: 1)" in html
    assert "Secondary school: 1 referral (2015-16: 0)" in html
    assert "Early years:" not in html  # advice only: no referral in either year
    assert [code for code, *_ in response.context["sectors"]] == [
        "primary_school",
        "secondary_school",
    ]


def test_the_chart_is_shown_with_alt_text_and_downloads_offered(client_for, reader, two_years):
    html = client_for(reader).get(URL + "?year=2016-17").content.decode()
    assert f'src="{reverse("lado:report_chart", args=["2016-17", "outcomes"])}"' in html
    assert 'alt="Bar chart: outcomes of LADO referrals, 2016-17 beside 2015-16.' in html
    assert reverse("lado:report_download", args=["2016-17", "csv"]) in html
    assert reverse("lado:report_download", args=["2016-17", "xlsx"]) in html


def test_the_default_year_is_the_last_ended_year_with_records(client_for, reader, two_years):
    response = client_for(reader).get(URL)
    assert response.context["year"].label == "2016-17"


def test_another_year_is_chosen_by_the_year_parameter(client_for, reader, two_years):
    response = client_for(reader).get(URL + "?year=2015-16")
    assert response.context["report"]["referrals"]["total"] == 1
    assert response.context["previous"]["referrals"]["total"] == 0


def test_a_year_that_is_not_a_year_is_explained_not_404(client_for, reader, two_years):
    response = client_for(reader).get(URL + "?year=next-year")
    assert response.status_code == 400
    assert "That is not a financial year: choose a year from" in response.content.decode()


@pytest.mark.parametrize("who", ["reader", "outsider", "owner", "officer"])
def test_the_figures_page_shows_no_names_to_anyone(client_for, two_years, who, request):
    response = client_for(request.getfixturevalue(who)).get(URL + "?year=2016-17")
    assert response.status_code == 200
    for name in NAMES:
        assert name not in response.content.decode()


def test_administrator_without_a_grant_gets_403(client_for, admin, two_years):
    assert client_for(admin).get(URL).status_code == 403


def test_anonymous_is_sent_to_sign_in(client_for, db):
    response = client_for(None).get(URL + "?year=2016-17")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/lado/report/%3Fyear%3D2016-17"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_wrong_method_gets_405(client_for, reader, method):
    assert getattr(client_for(reader), method)(URL).status_code == 405
