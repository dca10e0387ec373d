"""Private fostering journeys in a real browser, as the demo's people would do the work.

The manager records a notification, sees the definition decided with its reason (and a
close-relative carer decided as not private fostering), records the arrangement and the
first statutory visit from the worklist, and reads the 2016-17 figures; a school notifies
and sees only its own records; a board member sees the figures and no record.
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from safeguarding.core.periods import FinancialYear
from safeguarding.private_fostering.models import Notification

from .helpers import BROWSER, assert_accessible, fill_date, read_csv, screenshot, sign_in
from .test_accessibility_modules import images_one_at_a_time

pytestmark = BROWSER

MANAGER = "private.fostering@northbank.example"
CONTRIBUTOR = "pf.hillside@northbank.example"
READER = "pf.board@northbank.example"


def click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def recent_day(days_ago: int) -> dt.date:
    return max(dt.date.today() - dt.timedelta(days=days_ago), FinancialYear.current().start)


def notify(page, *, first, last, relationship, category, start, born, duration="120"):
    """Fill in the notification form (already open) and save it."""
    notified = min(start, dt.date.today())
    fill_date(page, "notification_date", notified.day, notified.month, notified.year)
    page.get_by_label("Child's first name").fill(first)
    page.get_by_label("Child's last name").fill(last)
    fill_date(page, "child_date_of_birth", born.day, born.month, born.year)
    page.locator("#div_id_child_disabled").get_by_role("radio", name="No").check()
    page.get_by_label("Carer's name").fill("Morag Ellison")
    page.get_by_role("radio", name=relationship, exact=True).check()
    fill_date(page, "intended_start_date", start.day, start.month, start.year)
    page.get_by_label("Intended length of the stay, in days").fill(duration)
    page.get_by_role("radio", name=category, exact=True).check()
    click_and_wait(page, page.get_by_role("button", name="Save"))


def test_officer_notifies_decides_and_records_a_visit_from_the_worklist(page):
    images_one_at_a_time(page)
    sign_in(page, MANAGER)
    click_and_wait(page, page.get_by_role("link", name="Private fostering").first)
    expect(page.locator("h1")).to_have_text("Private fostering register")
    click_and_wait(page, page.get_by_role("button", name="Record a notification"))
    expect(page.locator("h1")).to_have_text("Record a private fostering notification")

    # Nothing filled in: the error summary names what is missing.
    click_and_wait(page, page.get_by_role("button", name="Save"))
    expect(page).to_have_title(re.compile("^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter date of the notification")
    expect(summary).to_contain_text("Select the carer's relationship to the child")
    expect(summary).to_contain_text("Select the kind of arrangement")

    start = recent_day(4)
    born = start.replace(year=start.year - 13) - dt.timedelta(days=20)
    notify(
        page,
        first="Ifeoma",
        last="Brightwater",
        relationship="Family friend",
        category="Parent's physical or mental ill health",
        start=start,
        born=born,
    )
    notification = Notification.objects.get(child_last_name="Brightwater")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"{notification.reference} recorded"
    )
    expect(page.locator("h1")).to_contain_text(notification.reference)
    decision = page.locator(".govuk-inset-text")
    expect(decision).to_contain_text("Private fostering.")
    expect(decision).to_contain_text("the child was under 16 at the start")
    expect(decision).to_contain_text("the carer (family friend) is not a parent")
    expect(decision).to_contain_text("the stay was intended to last 28 days or more")
    expect(page.get_by_text("Late notification")).to_be_visible()

    # The arrangement began: the statutory visits are scheduled.
    click_and_wait(page, page.get_by_role("link", name="Arrangement dates"))
    fill_date(page, "arrangement_start_date", start.day, start.month, start.year)
    click_and_wait(page, page.get_by_role("button", name="Save dates"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Arrangement dates saved")
    expect(page.locator("h1 .govuk-tag")).to_have_text("Arrangement in place")
    visits = page.locator("table", has_text="Due by")
    expect(visits.locator("tbody tr").first).to_contain_text("Due")

    # The worklist shows the first visit; record it from there.
    page.goto("/private-fostering/")
    click_and_wait(page, page.get_by_role("button", name="Visits due"))
    expect(page.locator("h1")).to_have_text("Statutory visits due and overdue")
    row = page.locator("tbody tr", has_text=notification.reference)
    expect(row).to_contain_text("First visit")
    expect(row).to_contain_text("Ifeoma Brightwater")
    assert page.locator("tbody .govuk-tag--red").count() > 0, "the demo has overdue visits"
    click_and_wait(page, row.get_by_role("link", name=notification.reference))
    click_and_wait(page, page.get_by_role("link", name="Record a visit"))
    expect(page.locator("h1")).to_have_text(f"Record a visit: {notification.reference}")
    expect(page.get_by_text("Visit 1 is due by")).to_be_visible()
    click_and_wait(page, page.get_by_role("button", name="Save visit"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter date of the visit")
    today = dt.date.today()
    fill_date(page, "visit_date", today.day, today.month, today.year)
    page.locator("#div_id_seen_alone").get_by_role("radio", name="Yes").check()
    page.locator("#div_id_report_written").get_by_role("radio", name="Yes").check()
    click_and_wait(page, page.get_by_role("button", name="Save visit"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Visit 1 recorded")
    first = page.locator("table", has_text="Due by").locator("tbody tr").first
    expect(first).to_contain_text(f"{today:%-d %b %Y}")
    expect(first.locator(".govuk-tag")).to_have_text("On time")
    screenshot(page, "private-fostering-record.png")

    page.goto("/private-fostering/visits/")
    expect(page.locator("tbody tr", has_text=notification.reference)).to_have_count(0)

    # An aunt looking after her niece is not private fostering, and says why.
    page.goto("/private-fostering/new/")
    notify(
        page,
        first="Chiara",
        last="Dunmore",
        relationship="Aunt or uncle",
        category="Family breakdown",
        start=start,
        born=born,
    )
    expect(page.locator("h1 .govuk-tag")).to_have_text("Not private fostering")
    decision = page.locator(".govuk-inset-text")
    expect(decision).to_contain_text("Not private fostering.")
    expect(decision).to_contain_text("the carer is a close relative (aunt or uncle)")
    expect(page.get_by_role("link", name="Record a visit")).to_have_count(0)
    expect(page.get_by_role("link", name="Arrangement dates")).to_have_count(0)


def test_officer_reads_the_2016_17_figures(page):
    images_one_at_a_time(page)
    sign_in(page, MANAGER)
    page.goto("/private-fostering/")
    click_and_wait(page, page.get_by_role("button", name="Figures"))
    page.get_by_label("Financial year").select_option("2016-17")
    click_and_wait(page, page.get_by_role("button", name="Show"))
    expect(page.locator("h1")).to_have_text("Private fostering: 2016-17")
    table1 = page.locator("#table-1 + .sg-table-scroll > table")
    expect(table1.locator("tr", has_text="Notifications received")).to_contain_text("37")
    expect(table1.locator("tr", has_text="Arrangements in place during the year")).to_contain_text(
        "48"
    )
    expect(
        table1.locator("tr", has_text="Privately fostered children on 31 March")
    ).to_contain_text("23")
    expect(table1.locator("tr", has_text="New arrangements")).to_contain_text("27")
    table2 = page.locator("#table-2 + .sg-table-scroll > table")
    students = table2.locator("tr", has_text="Language student with a host family")
    expect(students).to_contain_text("11")
    expect(students).to_contain_text("40.7%")
    chart = page.locator("img.sg-chart")
    chart.scroll_into_view_if_needed()
    expect(chart).to_have_attribute("alt", re.compile("chart", re.I))
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0"), "chart did not load"
    screenshot(page, "private-fostering-report.png")

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("^CSV")).click()
    assert info.value.suggested_filename == "private-fostering-2016-17.csv"
    figures = {row[0]: row[1] for row in read_csv(info.value.path())[1:]}
    assert figures["notifications"] == "37"
    assert figures["arrangements_in_year"] == "48"
    assert figures["new_arrangements_by_category.language_student"] == "11"


def test_school_notifies_and_sees_only_its_own_records(page):
    images_one_at_a_time(page)
    other = Notification.objects.exclude(owning_agency__name__startswith="Hillside").first()
    own = Notification.objects.filter(owning_agency__name__startswith="Hillside").count()
    sign_in(page, CONTRIBUTOR)
    page.goto("/private-fostering/")
    expect(page.locator("h1")).to_have_text("Private fostering register")
    expect(page.get_by_text(f"{own} records", exact=True)).to_be_visible()
    click_and_wait(page, page.get_by_role("button", name="Record a notification"))
    expect(page.get_by_label("Notifying agency")).to_have_count(0)
    start = recent_day(2)
    notify(
        page,
        first="Haruto",
        last="Sakamoto-Lee",
        relationship="Host family",
        category="Language student with a host family",
        start=start,
        born=start.replace(year=start.year - 15) - dt.timedelta(days=40),
        duration="90",
    )
    notification = Notification.objects.get(child_last_name="Sakamoto-Lee")
    assert notification.owning_agency.name.startswith("Hillside")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Private fostering.")
    # A contributor records the notification; the officers manage the arrangement.
    expect(page.get_by_role("link", name="Record a visit")).to_have_count(0)
    response = page.goto(f"/private-fostering/{other.pk}/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")


def test_reader_sees_figures_and_cannot_open_records(page):
    images_one_at_a_time(page)
    notification = Notification.objects.first()
    sign_in(page, READER)
    click_and_wait(page, page.get_by_role("link", name="Private fostering").first)
    expect(page.locator("h1")).to_contain_text("Private fostering: ")
    expect(page.get_by_text("Record a notification")).to_have_count(0)
    assert page.goto("/private-fostering/").status == 403
    expect(page.locator("h1")).to_have_text("You do not have access to this page")
    assert page.goto(f"/private-fostering/{notification.pk}/").status in (403, 404)
    expect(page.locator("main")).not_to_contain_text(notification.child_last_name)
    assert page.goto("/private-fostering/visits/").status == 403
    assert page.goto("/private-fostering/new/").status == 403
    assert_accessible(page, "private fostering refused (reader)")
