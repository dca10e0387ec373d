"""Performance framework journeys in a real browser, as the demo's people would do the work.

The CAMHS data officer fills in the agency's open return (a percentage of 140 is refused
with the GOV.UK error summary), corrects it and submits; the performance lead approves it;
a board member reads the 2016-Q1 dashboard, its exceptions and downloads the board pack.
"""

from __future__ import annotations

import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from safeguarding.performance.models import DataReturn, IndicatorValue

from .helpers import BROWSER, screenshot, sign_in
from .test_accessibility_modules import images_one_at_a_time

pytestmark = BROWSER

MANAGER = "performance@northbank.example"
CAMHS = "data@camhs.example"
READER = "board@northbank.example"
CAMHS_NAME = "South London Mental Health NHS Trust (CAMHS)"


def click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def test_agency_submits_its_return_and_the_business_unit_approves_it(page):
    data_return = DataReturn.objects.get(owning_agency__name=CAMHS_NAME, status="open")
    period = data_return.period
    images_one_at_a_time(page)
    sign_in(page, CAMHS)
    click_and_wait(page, page.get_by_role("link", name="Performance framework").first)
    page.goto("/performance/returns/")
    expect(page.locator("h1")).to_have_text("Data returns")
    agencies = set(page.locator("tbody tr td:first-child").all_inner_texts())
    assert agencies == {CAMHS_NAME}, f"a contributor sees only their agency's returns: {agencies}"
    row = page.locator("tbody tr", has_text=period)
    expect(row.locator(".govuk-tag")).to_have_text("Open")
    click_and_wait(page, row.get_by_role("link", name=CAMHS_NAME))
    expect(page.locator("h1")).to_contain_text(f"Data return for {period}")

    page.get_by_label("Value of CAMHS-1").fill("412")
    page.get_by_label("Value of CAMHS-2").fill("140")
    page.get_by_label("Value of CAMHS-3").fill("71.5")
    page.get_by_label("Analysis of CAMHS-2").fill("Recording improved after a data cleanse.")
    click_and_wait(page, page.get_by_role("button", name="Save values"))
    expect(page).to_have_title(re.compile("^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    message = "Value of CAMHS-2: a percentage must be between 0 and 100"
    expect(summary).to_contain_text(message)
    expect(page.locator(f"#id_i{_pk('CAMHS-2')}-value-error")).to_contain_text(message)
    # What was typed is kept; the summary link takes the keyboard to the box.
    expect(page.get_by_label("Value of CAMHS-1")).to_have_value("412")
    summary.get_by_role("link", name=message).click()
    expect(page.get_by_label("Value of CAMHS-2")).to_be_focused()
    screenshot(page, "performance-return-errors.png")
    assert not IndicatorValue.objects.filter(period=period, indicator__reference="CAMHS-1").exists()

    page.get_by_label("Value of CAMHS-2").fill("96.4")
    click_and_wait(page, page.get_by_role("button", name="Save values"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Values saved")
    expect(page.get_by_label("Value of CAMHS-2")).to_have_value(re.compile(r"^96\.40*$"))
    click_and_wait(page, page.get_by_role("button", name="Submit the return"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Return for {period} submitted"
    )
    expect(page.locator("h1 .govuk-tag")).to_have_text("Submitted")
    expect(page.get_by_role("button", name="Save values")).to_have_count(0)

    # The performance lead approves it.
    page.context.clear_cookies()
    sign_in(page, MANAGER)
    page.goto("/performance/returns/")
    row = page.locator("tbody tr", has_text=CAMHS_NAME).filter(has_text=period)
    expect(row.locator(".govuk-tag")).to_have_text("Submitted")
    click_and_wait(page, row.get_by_role("link", name=CAMHS_NAME))
    expect(page.get_by_label("Value of CAMHS-2")).to_have_value(re.compile(r"^96\.40*$"))
    expect(page.get_by_label("Value of CAMHS-1")).to_have_value(re.compile(r"^412(\.0*)?$"))
    click_and_wait(page, page.get_by_role("button", name="Approve"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Return approved")
    expect(page.locator("h1 .govuk-tag")).to_have_text("Approved")
    data_return.refresh_from_db()
    assert data_return.status == "approved"
    expect(page.locator("#history ~ div table")).to_contain_text("Oliver Grant")


def _pk(reference: str) -> int:
    from safeguarding.performance.models import Indicator

    return Indicator.objects.get(reference=reference).pk


def test_board_member_reads_the_dashboard_and_downloads_the_board_pack(page, tmp_path):
    images_one_at_a_time(page)
    sign_in(page, READER)
    click_and_wait(page, page.get_by_role("link", name="Performance framework").first)
    expect(page.locator("h1")).to_contain_text("Partnership dashboard")
    page.get_by_label("Period").select_option("2016-Q1")
    click_and_wait(page, page.get_by_role("button", name="Show"))
    expect(page.locator("h1")).to_have_text("Partnership dashboard, 2016-Q1")
    expect(page.get_by_text("1 red, 2 amber, 1 green")).to_be_visible()

    stability = page.locator("tbody tr", has_text="LAC-3")
    cells = stability.locator("td")
    expect(cells.nth(0)).to_contain_text("68.2%")
    expect(cells.nth(0)).to_contain_text("75 / 110")
    expect(cells.nth(2)).to_have_text("72%")
    expect(cells.nth(3)).to_have_text("Amber")
    # A quarter of a monthly rate is its numerators over its denominators (36 / 38), not
    # its last month (June, 88.9%).
    health = page.locator("tbody tr", has_text="LAC-4")
    expect(health.locator("td").nth(0)).to_contain_text("36 / 38")
    expect(health.locator("td").nth(3)).to_have_text("Amber")
    rate = page.locator("tbody tr", has_text="LAC-2")
    expect(rate.locator("td").nth(5)).to_contain_text("65.1")
    expect(rate.locator("td").nth(6)).to_have_text("60")
    screenshot(page, "performance-dashboard.png")

    click_and_wait(page, page.get_by_role("link", name=re.compile("^Exceptions only")))
    expect(page.locator("h1")).to_have_text("Exceptions: indicators rated red, 2016-Q1")
    refs = [t.split()[0] for t in page.locator("tbody th").all_inner_texts()]
    assert sorted(refs) == ["MET-4"], refs
    expect(page.locator("tbody .govuk-tag--red")).to_have_count(1)

    # The indicator's page has its trend as a chart and as a table.
    page.goto("/performance/?period=2016-Q1")
    click_and_wait(page, page.get_by_role("link", name="LAC-4"))
    expect(page.locator("h1")).to_contain_text("LAC-4 Initial health assessments")
    figures = page.locator("table", has_text="Figures in the chart")
    expect(figures.locator("tr", has_text="2016-06")).to_contain_text("88.9%")

    page.goto("/performance/?period=2016-Q1")
    with page.expect_download() as info:
        page.get_by_role("link", name="Board pack (Excel)").click()
    download = info.value
    assert download.suggested_filename == "board-pack-2016-Q1.xlsx"
    path = tmp_path / "pack.xlsx"
    download.save_as(path)
    sheet = load_workbook(path).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][:8] == [
        "Reference",
        "Indicator",
        "Group",
        "Agency",
        "Period",
        "Value",
        "Target",
        "RAG",
    ]
    by_ref = {r[0]: r for r in rows[1:]}
    assert float(by_ref["LAC-3"][5]) == 68.2 and by_ref["LAC-3"][7] == "amber"
    assert by_ref["LAC-4"][7] == "amber"  # the quarter: 36 / 38

    # Board members see figures, never an agency's return.
    assert page.goto("/performance/returns/").status in (403, 404)
