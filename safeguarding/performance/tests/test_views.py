"""Every performance view: allowed role, other agency (404), reader, anonymous, method."""

from decimal import Decimal

import pytest
from django.urls import reverse

from safeguarding.performance import services
from safeguarding.performance.models import DataReturn, IndicatorValue

from .conftest import enter_value


@pytest.fixture
def police_return(lead, group, police):
    from safeguarding.core.periods import Period

    services.indicator_save(
        acting_user=lead,
        indicator=None,
        reference="CR-1",
        name="Serious youth violence",
        group=group,
        owning_agency=police,
        frequency="monthly",
        polarity="lower",
    )
    return next(
        r
        for r in services.returns_open(acting_user=lead, period=Period.parse("2016-05"))
        if r.owning_agency == police
    )


FIGURE_PAGES = [
    "performance:dashboard",
    "performance:exceptions",
    "performance:indicators",
    "performance:dashboard_xlsx",
]


@pytest.mark.parametrize("name", FIGURE_PAGES)
def test_readers_see_the_dashboard_pages(client_for, board, cgas, name):
    response = client_for(board).get(reverse(name) + "?period=2016-Q1")
    assert response.status_code == 200


@pytest.mark.parametrize("name", FIGURE_PAGES + ["performance:returns"])
def test_anonymous_goes_to_sign_in(client_for, name):
    response = client_for(None).get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_dashboard_shows_value_rag_and_benchmark(client_for, board, lead, cgas, trust):
    enter_value(lead, cgas, value=Decimal("92.5"), commentary="Staff shortages")
    services.benchmark_save(
        acting_user=lead,
        indicator=cgas,
        year="2016-17",
        kind="statistical_neighbours",
        value=Decimal(96),
    )
    page = client_for(board).get(reverse("performance:dashboard") + "?period=2016-04").content
    page = page.decode()
    assert "92.5%" in page and "Red" in page and "96%" in page and "Staff shortages" in page
    red = client_for(board).get(reverse("performance:exceptions") + "?period=2016-04")
    assert "CAMHS-2" in red.content.decode()


def test_board_pack_pdf_is_a_pdf(client_for, board, cgas):
    response = client_for(board).get(reverse("performance:dashboard_pdf") + "?period=2016-Q1")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_indicator_page_has_chart_and_table(client_for, board, lead, cgas, trust):
    enter_value(lead, cgas, value=Decimal(98))
    client = client_for(board)
    page = client.get(reverse("performance:indicator", args=[cgas.pk]) + "?period=2016-04")
    assert "Figures in the chart" in page.content.decode()
    chart = client.get(reverse("performance:indicator_chart", args=[cgas.pk]))
    assert chart["Content-Type"] == "image/svg+xml"


def test_reader_cannot_reach_returns(client_for, board, trust_return):
    assert client_for(board).get(reverse("performance:returns")).status_code == 403


def test_agency_enters_its_own_return_but_not_anothers(
    client_for, trust_user, trust_return, police_return, cgas
):
    client = client_for(trust_user)
    listing = client.get(reverse("performance:returns")).content.decode()
    assert "CAMHS Trust" in listing and "Police" not in listing
    url = reverse("performance:return", args=[trust_return.pk])
    prefix = f"i{cgas.pk}"
    response = client.post(url, {f"{prefix}-value": "96.5", f"{prefix}-commentary": "Fine"})
    assert response.status_code == 302
    assert IndicatorValue.objects.get(indicator=cgas).value == Decimal("96.5")
    other = reverse("performance:return", args=[police_return.pk])
    assert client.get(other).status_code == 404
    assert client.post(other, {}).status_code == 404
    submit = client.post(reverse("performance:return_submit", args=[trust_return.pk]))
    assert submit.status_code == 302
    assert DataReturn.objects.get(pk=trust_return.pk).status == "submitted"
    # Once submitted, the agency can no longer change it.
    assert client.post(url, {f"{prefix}-value": "10"}).status_code == 404


def test_bad_value_shows_an_error_summary_and_saves_nothing(
    client_for, trust_user, trust_return, cgas
):
    url = reverse("performance:return", args=[trust_return.pk])
    response = client_for(trust_user).post(url, {f"i{cgas.pk}-value": "140"})
    assert "There is a problem" in response.content.decode()
    assert "between 0 and 100" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_officer_approves_and_sends_back(client_for, bu_officer, trust_user, submitted_return):
    trust_return = submitted_return
    client = client_for(bu_officer)
    back = client.post(
        reverse("performance:return_send_back", args=[trust_return.pk]), {"note": "Check April"}
    )
    assert back.status_code == 302
    assert DataReturn.objects.get(pk=trust_return.pk).status == "sent_back"
    assert (
        client_for(trust_user)
        .post(reverse("performance:return_approve", args=[trust_return.pk]))
        .status_code
        == 403
    )


def test_wrong_methods_are_refused(client_for, bu_officer, trust_return):
    client = client_for(bu_officer)
    assert (
        client.get(reverse("performance:return_submit", args=[trust_return.pk])).status_code == 405
    )
    assert client.get(reverse("performance:returns_chase")).status_code == 405
    assert client.post(reverse("performance:dashboard")).status_code == 405


def test_only_a_manager_defines_indicators(client_for, lead, bu_officer, group, trust):
    data = {
        "reference": "NEW-1",
        "name": "New",
        "group": group.pk,
        "owning_agency": trust.pk,
        "frequency": "quarterly",
        "unit": "count",
        "polarity": "higher",
        "tolerance": "0",
        "source": "submitted",
        "order": "0",
        "is_active": "on",
    }
    assert (
        client_for(bu_officer).post(reverse("performance:indicator_create"), data).status_code
        == 403
    )
    response = client_for(lead).post(reverse("performance:indicator_create"), data)
    assert response.status_code == 302


def test_template_download_and_upload(client_for, trust_user, trust_return, cgas, tmp_path):
    client = client_for(trust_user)
    download = client.get(reverse("performance:return_template", args=[trust_return.pk]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    csv = tmp_path / "r.csv"
    csv.write_text("indicator,period,agency,value\nCAMHS-2,2016-04,CAMHS Trust,97.1\n")
    with open(csv, "rb") as handle:
        response = client.post(
            reverse("performance:return_upload", args=[trust_return.pk]), {"file": handle}
        )
    assert response.status_code == 302
    assert IndicatorValue.objects.get(indicator=cgas).value == Decimal("97.1")


def test_a_value_changed_meanwhile_is_not_overwritten(
    client_for, trust_user, trust, trust_return, cgas
):
    """Each stored value goes out with its version; a correction made on a stale page is
    refused, naming the indicator, and the colleague's value stays."""
    enter_value(trust_user, cgas, trust_return)
    client = client_for(trust_user)
    url = reverse("performance:return", args=[trust_return.pk])
    page = client.get(url).content.decode()
    assert f'name="i{cgas.pk}-version" value="1"' in page
    enter_value(
        trust_user, cgas, trust_return, value=Decimal(97), expected_version=1
    )  # a colleague
    response = client.post(url, {f"i{cgas.pk}-value": "90", f"i{cgas.pk}-version": "1"})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "CAMHS-2: Someone else changed this record after you opened it" in page
    assert IndicatorValue.objects.get(indicator=cgas).value == Decimal(97)
    saved = client.post(url, {f"i{cgas.pk}-value": "90", f"i{cgas.pk}-version": "2"})
    assert saved.status_code == 302
    assert IndicatorValue.objects.get(indicator=cgas).value == Decimal(90)


def test_send_back_needs_a_note_and_approve_is_a_button(client_for, bu_officer, submitted_return):
    trust_return = submitted_return
    client = client_for(bu_officer)
    url = reverse("performance:return_send_back", args=[trust_return.pk])
    page = client.get(url).content.decode()
    assert "Send back CAMHS Trust&#x27;s return for 2016-04" in page
    empty = client.post(url, {"note": ""}).content.decode()
    assert "There is a problem" in empty and "Say what the agency needs to change" in empty
    approved = client.post(
        reverse("performance:return_approve", args=[trust_return.pk]), follow=True
    )
    assert "Return approved" in approved.content.decode()
    # The send-back page was opened before the approval: its note is refused now.
    late = client.post(url, {"note": "Check April"}).content.decode()
    assert "Only a submitted return can be sent back" in late
    assert DataReturn.objects.get(pk=trust_return.pk).status == "approved"


@pytest.fixture
def yearly(lead, group, trust):
    """A yearly indicator: its figures are looked up by the requested period's year."""
    return services.indicator_save(
        acting_user=lead,
        indicator=None,
        reference="EH-1",
        name="Early help assessments",
        group=group,
        owning_agency=trust,
        frequency="yearly",
        polarity="higher",
    )


def test_a_period_outside_the_known_years_is_not_found_not_an_error(
    client_for, board, cgas, yearly
):
    """A bad period in a URL: a page that says what is wrong (404), never a server error."""
    client = client_for(board)
    response = client.get("/performance/board-pack.pdf?period=1900-Q1")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Period not found" in page
    assert "&#x27;1900-Q1&#x27; is not in a financial year the system reports on." in page
    assert 'href="/performance/">the dashboard</a>' in page
    typo = client.get(reverse("performance:dashboard") + "?period=2016-Q5").content.decode()
    assert "&#x27;2016-Q5&#x27; is not a period: use a month (2016-04), a quarter (2016-Q1)" in (
        typo
    )
    for url in (
        reverse("performance:dashboard"),
        reverse("performance:exceptions"),
        reverse("performance:dashboard_xlsx"),
        reverse("performance:indicator", args=[yearly.pk]),
        reverse("performance:indicator_chart", args=[yearly.pk]),
    ):
        for period in ("1900-Q1", "1900-04", "2101-Q1", "0000-Q1", "2016-Q5", "x"):
            assert client.get(f"{url}?period={period}").status_code == 404, (url, period)


def test_the_first_year_known_has_no_earlier_year_to_compare(client_for, board, cgas, yearly):
    """1990-91 is the first financial year: its figures show, with no year before them."""
    client = client_for(board)
    for url in (
        reverse("performance:dashboard"),
        reverse("performance:dashboard_xlsx"),
        reverse("performance:indicator", args=[yearly.pk]),
        reverse("performance:indicator_chart", args=[yearly.pk]),
    ):
        for period in ("1990-Q1", "1990-04", "1990-91"):
            assert client.get(f"{url}?period={period}").status_code == 200, (url, period)


def test_returns_are_opened_for_a_period_chosen_from_the_list(client_for, bu_officer, cgas):
    """The period is a select of the periods of the active indicators' frequencies (here
    months only: CAMHS-2 is monthly) from the earliest value held; anything else posted is
    refused, nothing opened."""
    enter_value(bu_officer, cgas, period="2016-03")
    client = client_for(bu_officer)
    page = client.get(reverse("performance:returns")).content.decode()
    opener = page[page.index('id="id_open_period"') :]
    opener = opener[: opener.index("</select>")]
    assert '<optgroup label="Months">' in opener and "Quarters" not in opener
    assert '<option value="2016-04">April 2016</option>' in opener
    for period in ("1900-Q1", "2016-Q1", "April 2016", ""):
        refused = client.post(reverse("performance:returns_open"), {"period": period}, follow=True)
        assert "No returns opened: Choose a period from the list" in refused.content.decode()
    assert not DataReturn.objects.exists()
    opened = client.post(reverse("performance:returns_open"), {"period": "2016-04"}, follow=True)
    assert "1 return(s) opened for 2016-04" in opened.content.decode()
    assert DataReturn.objects.get().period == "2016-04"


def test_too_long_an_analysis_is_refused_next_to_its_field(
    client_for, trust_user, trust_return, cgas
):
    url = reverse("performance:return", args=[trust_return.pk])
    prefix = f"i{cgas.pk}"
    page = client_for(trust_user).post(
        url, {f"{prefix}-value": "96", f"{prefix}-commentary": "x" * 10_001}
    )
    text = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in text
    assert f'id="id_{prefix}-commentary-error"' in text
    assert "Ensure this value has at most 10000 characters (it has 10001)." in text
    assert not IndicatorValue.objects.exists()


def test_no_data_and_no_target_are_told_apart(client_for, board, lead, cgas, yearly):
    """CAMHS-2 has a target and nothing for April: "No data". EH-1 has a figure and no
    target: "No target". Neither is shown as the other, on any page."""
    enter_value(lead, yearly, period="2016-17", value=Decimal(30))
    client = client_for(board)
    page = client.get(reverse("performance:dashboard") + "?period=2016-04").content.decode()
    camhs = page[page.index(">CAMHS-2</a>") :]
    camhs = camhs[: camhs.index("</tr>")]
    early_help = page[page.index(">EH-1</a>") :]
    early_help = early_help[: early_help.index("</tr>")]
    assert '<strong class="govuk-tag govuk-tag--yellow">No data</strong>' in camhs
    assert "No target" not in camhs
    assert '<strong class="govuk-tag govuk-tag--grey">No target</strong>' in early_help
    assert "No data" not in early_help
    assert "0 red, 0 amber, 0 green, 1 with no data, 1 with no target." in page
    cgas_page = client.get(reverse("performance:indicator", args=[cgas.pk]) + "?period=2016-04")
    assert "No data" in cgas_page.content.decode().split("Figures in the chart")[1]
    eh_page = client.get(reverse("performance:indicator", args=[yearly.pk]) + "?period=2016-17")
    eh_page = eh_page.content.decode()
    assert "No target: its figures are shown, not rated" in eh_page
    assert "No target" in eh_page.split("Figures in the chart")[1]
