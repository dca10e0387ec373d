"""The performance dashboard as a board member and the performance lead use it, in a real
browser: periods chosen from lists, "No data" told apart from "No target", and a return
that is submitted but not approved kept from the board.

The performance lead fills in and submits the CAMHS return of last month (the demo's open,
late one) without approving it: its CAMHS-2 of 96.4% would be green against a target of
95%. The lead sees it "Awaiting approval" and unrated; a board member sees "No data" and
no green, on the dashboard and in its exceptions; a bad period in the address is a page
saying what is wrong. axe finds no WCAG 2.2 AA violation on any of these pages.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from safeguarding.performance.models import DataReturn

from .helpers import BROWSER, assert_accessible, screenshot, sign_in
from .test_accessibility_modules import images_one_at_a_time

pytestmark = BROWSER

LEAD = "performance@northbank.example"
READER = "board@northbank.example"
CAMHS_NAME = "South London Mental Health NHS Trust (CAMHS)"


def click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def choose_period(page, period: str) -> None:
    """The dashboard's period: a select of months, quarters and years, never typed."""
    select = page.get_by_label("Period", exact=True)
    expect(select).to_have_js_property("tagName", "SELECT")
    select.select_option(period)
    click_and_wait(page, page.get_by_role("button", name="Show"))


def camhs_row(page):
    return page.locator("tbody tr", has_text="CAMHS-2")


def test_a_return_awaiting_approval_is_no_data_to_the_board_not_green(page, tmp_path):
    data_return = DataReturn.objects.get(owning_agency__name=CAMHS_NAME, status="open")
    period = data_return.period
    images_one_at_a_time(page)

    # The performance lead enters the CAMHS return and submits it, and does not approve it.
    sign_in(page, LEAD)
    page.goto("/performance/returns/")
    opener = page.get_by_label("Open returns for a period")
    expect(opener).to_have_js_property("tagName", "SELECT")
    row = page.locator("tbody tr", has_text=CAMHS_NAME).filter(has_text=period)
    click_and_wait(page, row.get_by_role("link", name=CAMHS_NAME))
    page.get_by_label("Value of CAMHS-1").fill("412")
    page.get_by_label("Value of CAMHS-2").fill("96.4")
    page.get_by_label("Value of CAMHS-3").fill("71.5")
    click_and_wait(page, page.get_by_role("button", name="Save values"))
    click_and_wait(page, page.get_by_role("button", name="Submit the return"))
    expect(page.locator("h1 .govuk-tag")).to_have_text("Submitted")
    expect(page.locator(".govuk-inset-text")).to_contain_text(
        "Awaiting approval by the business unit"
    )
    data_return.refresh_from_db()
    assert data_return.status == "submitted"

    # The lead's dashboard: the value is there, marked, and rates nothing.
    page.goto("/performance/")
    choose_period(page, period)
    expect(page.locator("h1")).to_have_text(f"Partnership dashboard, {period}")
    cells = camhs_row(page).locator("td")
    expect(cells.nth(0).locator(".govuk-tag")).to_have_text("Awaiting approval")
    expect(cells.nth(0)).to_contain_text(f"96.4%, {period}")
    expect(cells.nth(3)).to_have_text("No data")
    expect(camhs_row(page).locator(".govuk-tag--green")).to_have_count(0)
    expect(page.locator(".govuk-inset-text")).to_contain_text("awaiting approval")
    assert_accessible(page, "dashboard, performance lead, a return awaiting approval")
    screenshot(page, "performance-awaiting-approval.png")

    # A board member: "No data" for CAMHS-2, no green, no sign of the unapproved value.
    page.context.clear_cookies()
    sign_in(page, READER)
    page.goto("/performance/")
    choose_period(page, period)
    cells = camhs_row(page).locator("td")
    expect(cells.nth(3)).to_have_text("No data")
    expect(cells.nth(0)).to_have_text("–")
    expect(camhs_row(page).locator(".govuk-tag--green")).to_have_count(0)
    expect(page.get_by_text("Awaiting approval")).to_have_count(0)
    expect(page.get_by_text("96.4")).to_have_count(0)
    expect(
        page.get_by_text(re.compile(r"^\d+ red, \d+ amber, 0 green, \d+ with no data"))
    ).to_be_visible()
    # "No target" is something else: a figure with nothing to rate it against.
    lac = page.locator("tbody tr", has_text="LAC-1").locator("td")
    expect(lac.nth(3)).to_have_text("No data")
    assert_accessible(page, "dashboard, board member, a return awaiting approval")
    screenshot(page, "performance-dashboard-no-data.png")

    click_and_wait(page, page.get_by_role("link", name=re.compile("^Exceptions only")))
    missing = page.locator("ul.govuk-list li", has_text="CAMHS-2")
    expect(missing.locator(".govuk-tag")).to_have_text("No data")
    assert_accessible(page, "exceptions, board member")

    # The 2016-Q1 figures, all approved (monthly ones summed or taken as ratios over the
    # quarter): ratings, and "No target" for context indicators.
    page.goto("/performance/?period=2016-Q1")
    expect(
        page.get_by_text("1 red, 2 amber, 1 green, 0 with no data, 15 with no target.")
    ).to_be_visible()
    lac = page.locator("tbody tr", has_text="LAC-1").locator("td")
    expect(lac.nth(3)).to_have_text("No target")

    with page.expect_download() as info:
        page.get_by_role("link", name="Board pack (PDF)").click()
    assert info.value.suggested_filename == "board-pack-2016-Q1.pdf"
    path = tmp_path / "pack.pdf"
    info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")


def test_a_period_not_in_the_list_is_a_page_that_says_so(page):
    sign_in(page, READER)
    response = page.goto("/performance/?period=2016-Q5")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Period not found")
    expect(page.locator("main")).to_contain_text(
        "'2016-Q5' is not a period: use a month (2016-04), a quarter (2016-Q1) or a financial "
        "year (2016-17)."
    )
    assert_accessible(page, "period not found")
    click_and_wait(page, page.get_by_role("link", name="the dashboard"))
    expect(page.locator("h1")).to_contain_text("Partnership dashboard")
