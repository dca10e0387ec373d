"""Every performance view: allowed role, other agency (404), reader, anonymous, method."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.performance import services
from safeguarding.performance.models import DataReturn, IndicatorValue


def signed_in(user):
    client = Client()
    if user:
        client.force_login(user)
    return client


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
def test_readers_see_the_dashboard_pages(board, cgas, name):
    response = signed_in(board).get(reverse(name) + "?period=2016-Q1")
    assert response.status_code == 200


@pytest.mark.parametrize("name", FIGURE_PAGES + ["performance:returns"])
def test_anonymous_goes_to_sign_in(name):
    response = Client().get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_dashboard_shows_value_rag_and_benchmark(board, lead, cgas, trust):
    services.value_save(
        acting_user=lead,
        indicator=cgas,
        period="2016-04",
        agency=trust,
        value=Decimal("92.5"),
        numerator=None,
        denominator=None,
        commentary="Staff shortages",
    )
    services.benchmark_save(
        acting_user=lead,
        indicator=cgas,
        year="2016-17",
        kind="statistical_neighbours",
        value=Decimal(96),
    )
    page = signed_in(board).get(reverse("performance:dashboard") + "?period=2016-04").content
    page = page.decode()
    assert "92.5%" in page and "Red" in page and "96%" in page and "Staff shortages" in page
    red = signed_in(board).get(reverse("performance:exceptions") + "?period=2016-04")
    assert "CAMHS-2" in red.content.decode()


def test_board_pack_pdf_is_a_pdf(board, cgas):
    response = signed_in(board).get(reverse("performance:dashboard_pdf") + "?period=2016-Q1")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_indicator_page_has_chart_and_table(board, lead, cgas, trust):
    services.value_save(
        acting_user=lead,
        indicator=cgas,
        period="2016-04",
        agency=trust,
        value=Decimal(98),
        numerator=None,
        denominator=None,
        commentary="",
    )
    client = signed_in(board)
    page = client.get(reverse("performance:indicator", args=[cgas.pk]) + "?period=2016-04")
    assert "Figures in the chart" in page.content.decode()
    chart = client.get(reverse("performance:indicator_chart", args=[cgas.pk]))
    assert chart["Content-Type"] == "image/svg+xml"


def test_reader_cannot_reach_returns(board, trust_return):
    assert signed_in(board).get(reverse("performance:returns")).status_code == 403


def test_agency_enters_its_own_return_but_not_anothers(
    trust_user, trust_return, police_return, cgas
):
    client = signed_in(trust_user)
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


def test_bad_value_shows_an_error_summary_and_saves_nothing(trust_user, trust_return, cgas):
    url = reverse("performance:return", args=[trust_return.pk])
    response = signed_in(trust_user).post(url, {f"i{cgas.pk}-value": "140"})
    assert "There is a problem" in response.content.decode()
    assert "between 0 and 100" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_officer_approves_and_sends_back(bu_officer, trust_user, trust_return, cgas, trust):
    services.value_save(
        acting_user=trust_user,
        indicator=cgas,
        period="2016-04",
        agency=trust,
        data_return=trust_return,
        value=Decimal(96),
        numerator=None,
        denominator=None,
        commentary="",
    )
    services.return_submit(acting_user=trust_user, data_return=trust_return)
    client = signed_in(bu_officer)
    back = client.post(
        reverse("performance:return_send_back", args=[trust_return.pk]), {"note": "Check April"}
    )
    assert back.status_code == 302
    assert DataReturn.objects.get(pk=trust_return.pk).status == "sent_back"
    assert (
        signed_in(trust_user)
        .post(reverse("performance:return_approve", args=[trust_return.pk]))
        .status_code
        == 403
    )


def test_wrong_methods_are_refused(bu_officer, trust_return):
    client = signed_in(bu_officer)
    assert (
        client.get(reverse("performance:return_submit", args=[trust_return.pk])).status_code == 405
    )
    assert client.get(reverse("performance:returns_chase")).status_code == 405
    assert client.post(reverse("performance:dashboard")).status_code == 405


def test_only_a_manager_defines_indicators(lead, bu_officer, group, trust):
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
        signed_in(bu_officer).post(reverse("performance:indicator_create"), data).status_code == 403
    )
    response = signed_in(lead).post(reverse("performance:indicator_create"), data)
    assert response.status_code == 302


def test_template_download_and_upload(trust_user, trust_return, cgas, tmp_path):
    client = signed_in(trust_user)
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
