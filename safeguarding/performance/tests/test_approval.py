"""Only approved returns reach readers and the board.

A value entered in an agency's return counts once the business unit approves the return.
Until then readers (and the board pack, the Excel pack, the command line) see "No data";
the business unit sees the value marked "Awaiting approval", and it sets no rating.
"""

import io
import json
import re
from decimal import Decimal

from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from safeguarding.core.periods import Period
from safeguarding.performance import reports, services
from safeguarding.performance.board_pack import board_pack_html

from .conftest import enter_value


def _row(page: str, reference: str) -> str:
    """The dashboard table row of an indicator."""
    start = page.index(f">{reference}</a>")
    return page[start : page.index("</tr>", start)]


def test_a_submitted_unapproved_green_value_is_not_green_to_a_reader(
    client_for, board, lead, trust_user, cgas, trust_return
):
    """96% against a target of 95 would be green; submitted and not approved, a board
    member sees "No data" for it, everywhere."""
    enter_value(trust_user, cgas, trust_return, value=Decimal(96), commentary="Much better")
    services.return_submit(acting_user=trust_user, data_return=trust_return)
    client = client_for(board)

    page = client.get(reverse("performance:dashboard") + "?period=2016-04").content.decode()
    row = _row(page, "CAMHS-2")
    assert "No data" in row and "Green" not in row and "govuk-tag--green" not in row
    assert "96" not in row and "Much better" not in row and "Awaiting approval" not in page
    assert "0 red, 0 amber, 0 green, 1 with no data, 0 with no target." in page

    exceptions = client.get(reverse("performance:exceptions") + "?period=2016-04")
    listed = exceptions.content.decode().split("Indicators with a target and no data")[1]
    assert "CAMHS-2" in listed and "No data" in listed

    chart_page = client.get(reverse("performance:indicator", args=[cgas.pk]) + "?period=2016-04")
    trend = chart_page.content.decode().split("Figures in the chart")[1]
    april = trend[trend.index(">2016-04<") : trend.index("</tr>", trend.index(">2016-04<"))]
    assert "No data" in april and "96" not in april

    xlsx = client.get(reverse("performance:dashboard_xlsx") + "?period=2016-04")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [c.value for c in list(sheet.iter_rows())[1]]
    assert cells[0] == "CAMHS-2" and cells[5] is None and cells[7] == "no data"

    html = board_pack_html(Period.parse("2016-04"), user=board)
    pack_row = html[html.index("CAMHS-2 Paired CGAS recorded") :]
    pack_row = pack_row[: pack_row.index("</tr>")]
    assert "No data" in pack_row and "Green" not in pack_row and "96" not in pack_row

    data = reports.period_report("2016-04")["indicators"]["CAMHS-2"]
    assert data["value"] is None and data["rag"] == "none"


def test_the_performance_lead_sees_it_awaiting_approval_and_unrated(
    client_for, lead, trust_user, cgas, trust_return
):
    enter_value(trust_user, cgas, trust_return, value=Decimal(96))
    services.return_submit(acting_user=trust_user, data_return=trust_return)
    client = client_for(lead)
    page = client.get(reverse("performance:dashboard") + "?period=2016-04").content.decode()
    row = _row(page, "CAMHS-2")
    assert re.search(
        r'<strong class="govuk-tag govuk-tag--blue sg-pending[^"]*">Awaiting approval', row
    )
    assert "96%, 2016-04" in row
    # It rates nothing: the rating is the approved figure's (none yet).
    assert "No data" in row and "Green" not in row
    assert "0 green, 1 with no data" in page
    assert "1 value from submitted returns is awaiting approval" in page
    indicator = client.get(reverse("performance:indicator", args=[cgas.pk]) + "?period=2016-04")
    assert "Awaiting approval" in indicator.content.decode()
    # The board pack is the board's, whoever downloads it: approved figures only.
    html = board_pack_html(Period.parse("2016-04"), user=lead)
    assert "Awaiting approval" not in html and "96%" not in html


def test_once_approved_the_reader_sees_it_green(
    client_for, board, bu_officer, trust_user, cgas, trust_return
):
    enter_value(trust_user, cgas, trust_return, value=Decimal(96))
    services.return_submit(acting_user=trust_user, data_return=trust_return)
    services.return_approve(acting_user=bu_officer, data_return=trust_return)
    page = client_for(board).get(reverse("performance:dashboard") + "?period=2016-04")
    row = _row(page.content.decode(), "CAMHS-2")
    assert "Green" in row and "96%" in row
    officer_page = client_for(bu_officer).get(reverse("performance:dashboard") + "?period=2016-04")
    assert "Awaiting approval" not in officer_page.content.decode()


def test_open_and_sent_back_returns_do_not_count_and_values_without_a_return_do(
    bu_officer, lead, trust_user, cgas, trust_return
):
    enter_value(trust_user, cgas, trust_return, value=Decimal(96))
    assert reports.period_report("2016-04")["indicators"]["CAMHS-2"]["value"] is None  # open
    services.return_submit(acting_user=trust_user, data_return=trust_return)
    services.return_send_back(acting_user=bu_officer, data_return=trust_return, note="Check")
    assert reports.period_report("2016-04")["indicators"]["CAMHS-2"]["value"] is None
    # Entered by the business unit with no return (as the demo's history is): it counts.
    enter_value(lead, cgas, period="2016-05", value=Decimal(90))
    may = reports.period_report("2016-05")["indicators"]["CAMHS-2"]
    assert may["value"] == 90 and may["rag"] == "red"


def test_the_command_line_reports_approved_figures_with_its_keys_unchanged(
    trust_user, bu_officer, cgas, trust_return, capsys
):
    enter_value(trust_user, cgas, trust_return, value=Decimal(96))
    services.return_submit(acting_user=trust_user, data_return=trust_return)
    call_command("report", "performance", "--period", "2016-Q1", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"period", "indicators", "rag"}
    assert set(data["rag"]) == {"green", "amber", "red", "none"}
    assert set(data["indicators"]["CAMHS-2"]) == set(reports.REPORT_KEYS)
    assert data["indicators"]["CAMHS-2"]["value"] is None
    services.return_approve(acting_user=bu_officer, data_return=trust_return)
    call_command("report", "performance", "--period", "2016-Q1", "--format", "json")
    assert json.loads(capsys.readouterr().out)["indicators"]["CAMHS-2"]["rag"] == "green"
