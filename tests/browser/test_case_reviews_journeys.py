"""Case review and action tracker journeys in a real browser, as the demo's people would work.

A police reviews lead refers a case; the partnership business unit runs the statutory clocks,
decides (rapid review, then a local child safeguarding practice review), records the
recommendation and an action owned by the police; the police complete it with evidence; the
business unit closes it. A health contributor cannot open the police action. Each step asserts
what the person sees; screenshots go to docs/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import expect

from safeguarding.actions.models import Action
from safeguarding.case_reviews.models import Referral
from safeguarding.core.workdays import add_working_days

from .helpers import BROWSER, assert_accessible, fill_date, screenshot, sign_in, watch

pytestmark = BROWSER

# The demo users (safeguarding/case_reviews/demo.py).
UNIT = "reviews@northbank.example"  # business unit: case reviews manager, actions officer
POLICE = "reviews.police@northbank.example"  # contributor, Metropolitan Police
HEALTH = "reviews.health@northbank.example"  # contributor, the hospital trust
BOARD = "reviews.board@northbank.example"  # reader: figures only
POLICE_AGENCY = "Metropolitan Police, Central South BCU"


def is_abandoned_icon(problem: str) -> bool:
    """The browser drops the favicon request when the page navigates away before the icon
    arrives (a quick click, a download): not a fault of the page."""
    return "favicon" in problem and "ERR_ABORTED" in problem


def click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def clock(page, name: str):
    """A row of the referral's statutory clocks table."""
    table = page.get_by_role("table", name=re.compile("^Statutory clocks"))
    return table.get_by_role("row", name=re.compile(f"^{name}"))


def summary_value(page, key: str):
    """The value beside a key of a summary list (not the history's mention of it)."""
    row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator("dt", has_text=re.compile(f"^{re.escape(key)}$"))
    )
    return row.locator("dd")


def short(day: dt.date) -> str:
    """A date as the clock tables show it: 7 Oct 2026."""
    return f"{day.day} {day:%b %Y}"


@pytest.fixture
def person(browser, demo):
    """person(email) -> a page in its own browser context, signed in as that demo user."""
    opened = []

    def open_as(email: str):
        context = browser.new_context(base_url=demo, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        tab = context.new_page()
        opened.append((context, watch(tab)))
        sign_in(tab, email)
        return tab

    yield open_as
    problems = [p for _c, found in opened for p in found if not is_abandoned_icon(p)]
    for context, _found in opened:
        context.close()
    assert not problems, "the pages had errors:\n" + "\n".join(problems)


def test_referral_to_closed_action(page, person):
    """Refer, decide, run the clocks, recommend, act, evidence, close."""
    today = dt.date.today()
    aware = today - dt.timedelta(days=45)
    notified = add_working_days(aware, 7)  # two working days late
    rapid = add_working_days(notified, 10)  # within the 15 working days
    notification_due = add_working_days(aware, 5)
    rapid_due = add_working_days(notified, 15)

    # 1. The police reviews lead refers a case to the panel.
    sign_in(page, POLICE)
    click_and_wait(page, page.get_by_role("link", name="Case reviews").first)
    expect(page.locator("h1")).to_have_text("Case reviews")
    # core's list draws its buttons as links with role="button"
    click_and_wait(page, page.get_by_role("button", name="Refer a case"))
    expect(page.locator("h1")).to_have_text("Refer a case to the panel")
    page.get_by_label("Case name (optional)").fill("Case Z")
    fill_date(page, "referral_date", aware.day, aware.month, aware.year)
    fill_date(page, "la_aware_date", aware.day, aware.month, aware.year)
    page.get_by_label("What happened").fill(
        "A 4-month-old taken to hospital with a fractured skull; police and social care "
        "knew the family."
    )
    for question, answer in (
        ("Is abuse or neglect known or suspected?", "Yes"),
        ("Did the child die?", "No"),
        ("Was the child seriously harmed?", "Yes"),
        ("Was the child looked after?", "No"),
    ):
        page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    page.get_by_label(POLICE_AGENCY).check()
    page.get_by_label("Children's Social Care, London Borough of Northbank").check()
    page.get_by_label("Child's first name").fill("Demo")
    page.get_by_label("Child's last name").fill("Zephyr")
    fill_date(page, "date_of_birth", 2, 6, today.year - 1)
    click_and_wait(page, page.get_by_role("button", name="Save"))

    referral = Referral.objects.get(title="Case Z")
    assert referral.owning_agency.name == POLICE_AGENCY
    assert referral.notification_due == notification_due
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"{referral.reference} recorded"
    )
    expect(page.locator("h1")).to_have_text(f"{referral.reference} Case Z")
    children = page.locator(".govuk-summary-list__row").first
    expect(children).to_contain_text(f"Demo Zephyr (born 2 June {today.year - 1})")
    # A contributor refers; the clocks and the decision are the business unit's.
    expect(page.get_by_role("link", name="Clocks and decision")).to_have_count(0)

    # 2. The business unit sees the notification overdue on its worklist.
    unit = person(UNIT)
    unit.goto("/case-reviews/")
    click_and_wait(unit, unit.get_by_role("button", name="Due this week"))
    expect(unit.locator("h1")).to_have_text("Due this week")
    row = unit.locator("tbody tr", has_text="Case Z")
    expect(row).to_contain_text("Serious incident notification")
    expect(row).to_contain_text("Overdue")

    # 3. It records the notification and the decision to hold a rapid review...
    click_and_wait(unit, row.get_by_role("link", name=re.compile("Case Z")))
    click_and_wait(unit, unit.get_by_role("link", name="Clocks and decision"))
    expect(unit.locator("h1")).to_have_text("Clocks and the panel's decision")
    fill_date(unit, "notification_date", notified.day, notified.month, notified.year)
    unit.get_by_role("radio", name="Rapid review", exact=True).check()
    unit.get_by_label("Reasons for the decision").fill("Serious harm; abuse suspected.")
    fill_date(unit, "decision_date", notified.day, notified.month, notified.year)
    click_and_wait(unit, unit.get_by_role("button", name="Save"))
    expect(unit.locator(".govuk-notification-banner")).to_contain_text(
        f"{referral.reference}: clocks and decision recorded"
    )
    notification = clock(unit, "Serious incident notification")
    expect(notification).to_contain_text(short(notification_due))
    expect(notification).to_contain_text(short(notified))
    expect(notification).to_contain_text("Done late")
    expect(clock(unit, "Rapid review")).to_contain_text(short(rapid_due))
    expect(clock(unit, "Rapid review")).to_contain_text("Overdue")  # due in the past

    # ...then the rapid review recommends a local child safeguarding practice review.
    click_and_wait(unit, unit.get_by_role("link", name="Clocks and decision"))
    fill_date(unit, "rapid_review_date", rapid.day, rapid.month, rapid.year)
    unit.get_by_role("radio", name="Local child safeguarding practice review").check()
    unit.get_by_label("Reasons for the decision").fill(
        "Rapid review: learning about information sharing between police and health."
    )
    fill_date(unit, "decision_date", rapid.day, rapid.month, rapid.year)
    click_and_wait(unit, unit.get_by_role("button", name="Save"))
    expect(summary_value(unit, "Decision")).to_have_text(
        f"Local child safeguarding practice review on {rapid:%-d %B %Y}"
    )
    rapid_row = clock(unit, "Rapid review")
    expect(rapid_row).to_contain_text(short(rapid))
    expect(rapid_row).to_contain_text("Done on time")

    # The review starts; its recommendation is recorded in the findings.
    click_and_wait(unit, unit.get_by_role("link", name="Review and publication"))
    unit.get_by_label("Lead reviewer").fill("Independent reviewer")
    fill_date(unit, "review_start_date", today.day, today.month, today.year)
    unit.get_by_label("Findings").fill(
        "Recommendation 1: police share referrals about babies with health visiting "
        "within one working day."
    )
    unit.get_by_label("Information sharing").check()
    click_and_wait(unit, unit.get_by_role("button", name="Save"))
    expect(summary_value(unit, "Findings")).to_contain_text("Recommendation 1: police share")
    expect(summary_value(unit, "Learning themes")).to_contain_text("Information sharing")
    publication = clock(unit, "LCSPR publication")
    expect(publication).to_contain_text("Running")

    # 4. The action for the recommendation, owned by the police.
    click_and_wait(unit, unit.get_by_role("link", name="Add an action"))
    expect(unit.locator("h1")).to_have_text("Add an action")
    unit.get_by_label("What will be done").fill(
        "Share every referral about a child under one with health visiting within one day"
    )
    unit.get_by_label("Measure of success").fill("Dip sample shows 95% shared within a day")
    unit.get_by_label("Owner agency").select_option(label=POLICE_AGENCY)
    unit.get_by_label("Owner (name or role)").fill("DS Mark Ellis")
    due = today + dt.timedelta(days=60)
    fill_date(unit, "due_date", due.day, due.month, due.year)
    click_and_wait(unit, unit.get_by_role("button", name="Save"))
    action = Action.objects.get(source_id=str(referral.pk))
    expect(unit.locator(".govuk-notification-banner")).to_contain_text(
        f"{action.reference} added to the action plan"
    )
    expect(unit.get_by_text("0% complete (0 of 1)")).to_be_visible()

    # Closing needs evidence of impact: none yet, so the form refuses.
    unit.goto(f"/actions/{action.pk}/close/")
    expect(unit.locator("h1")).to_have_text("Close with evidence of impact")
    click_and_wait(unit, unit.get_by_role("button", name="Save"))
    expect(unit).to_have_title(re.compile("^Error: "))
    summary = unit.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("an action cannot be closed without it")
    action.refresh_from_db()
    assert action.status == "not_started"

    # 5. The police update their action: complete, with evidence.
    page.goto("/actions/mine/")
    expect(page.locator("h1")).to_have_text("My agency's actions")
    click_and_wait(page, page.get_by_role("link", name=action.reference))
    expect(page.locator("h1")).to_contain_text(action.reference)
    expect(page.locator("h1 .govuk-tag")).to_have_text("Not started")
    click_and_wait(page, page.get_by_role("link", name="Record progress"))
    page.get_by_role("radio", name="Complete", exact=True).check()
    page.get_by_label("Progress made").fill("Protocol agreed with health visiting; in use.")
    page.get_by_label("Evidence of impact (optional)").fill(
        "Dip sample of 40 referrals: 39 shared within a working day."
    )
    click_and_wait(page, page.get_by_role("button", name="Save"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Progress recorded for {action.reference}"
    )
    expect(page.locator("h1 .govuk-tag")).to_have_text("Complete: awaiting closure")
    expect(page.get_by_role("table", name=re.compile("^Progress updates"))).to_contain_text(
        "Protocol agreed with health visiting"
    )
    # Closing is the business unit's.
    expect(page.get_by_role("link", name="Close with evidence")).to_have_count(0)
    assert page.goto(f"/actions/{action.pk}/close/").status == 403

    # 6. Another agency's contributor: the same answer as an action that does not exist.
    health = person(HEALTH)
    response = health.goto(f"/actions/{action.pk}/")
    assert response.status == 404
    expect(health.locator("h1")).to_have_text(re.compile("^Page not found"))
    expect(health.locator("main")).not_to_contain_text("health visiting")
    assert health.goto(f"/actions/{action.pk}/progress/").status == 404
    assert health.goto(f"/case-reviews/{referral.pk}/").status == 404

    # 7. The business unit checks the evidence and closes the action.
    unit.goto(f"/actions/{action.pk}/")
    click_and_wait(unit, unit.get_by_role("link", name="Close with evidence"))
    expect(unit.get_by_label("Evidence of impact")).to_have_value(
        "Dip sample of 40 referrals: 39 shared within a working day."
    )
    before = dt.date.today()
    click_and_wait(unit, unit.get_by_role("button", name="Save"))
    after = dt.date.today()  # the journey may cross midnight: the day it was closed
    expect(unit.locator(".govuk-notification-banner")).to_contain_text(f"{action.reference} closed")
    expect(unit.locator("h1 .govuk-tag")).to_have_text("Closed")
    expect(summary_value(unit, "Closed")).to_contain_text(
        re.compile(f"({before:%-d %B %Y}|{after:%-d %B %Y}) by Nicky Pearce")
    )

    click_and_wait(unit, unit.get_by_role("link", name=re.compile("^Action plan: .*Case Z")))
    expect(unit.locator("h1")).to_have_text(f"{referral.reference} Case Z")
    progress = unit.locator(".govuk-summary-list")
    expect(progress).to_contain_text("100% complete (1 of 1 actions complete or closed)")
    expect(progress.locator(".govuk-tag")).to_have_text("Complete")
    expect(unit.locator("tbody tr")).to_contain_text("Closed")
    assert_accessible(unit, "action plan, all closed")


def test_action_plan_and_the_year_report(page):
    """A partly complete plan (the seed's Case RSW) and the 2016-17 figures."""
    rsw = Referral.objects.get(title="Case RSW")
    kind = ContentType.objects.get_for_model(Referral)
    sign_in(page, UNIT)
    page.goto(f"/actions/plan/{kind.pk}/{rsw.pk}/")
    expect(page.locator("h1")).to_have_text(f"{rsw.reference} Case RSW")
    summary = page.locator(".govuk-summary-list")
    expect(summary).to_contain_text("80% complete (4 of 5 actions complete or closed)")
    # The one action still open is past its due date (31 March 2017): red.
    expect(summary.locator(".govuk-tag")).to_have_text("Red: actions overdue")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.filter(has_text="Closed")).to_have_count(3)
    expect(rows.filter(has_text="Complete: awaiting closure")).to_have_count(1)
    screenshot(page, "action-plan.png")

    page.goto("/case-reviews/report/?year=2016-17")
    expect(page.locator("h1")).to_have_text("Case reviews: 2016-17")
    expect(page.get_by_text("3 cases referred to the panel")).to_be_visible()
    expect(page.get_by_text("1 review published")).to_be_visible()
    decisions = page.locator("table", has_text="Table 1")
    expect(decisions.locator("tr", has_text="Serious case review")).to_contain_text("2")
    expect(decisions.locator("tr", has_text="No review")).to_contain_text("1")
    clocks = page.locator("table", has_text="Table 2")
    notifications = clocks.locator("tr", has_text="Serious incident notification")
    # 2016-17 predates the statutory clocks (29 June 2018): no case is counted against them.
    expect(notifications.locator("td").nth(0)).to_have_text("0")
    expect(notifications.locator("td").nth(1)).to_have_text("0")
    rapid = clocks.locator("tr", has_text="Rapid review")
    expect(rapid.locator("td").nth(0)).to_have_text("0")
    expect(rapid.locator("td").nth(1)).to_have_text("0")
    actions = page.locator("table", has_text="Table 3")
    expect(actions.locator("tr", has_text="Open at the year end").locator("td").first).to_have_text(
        "3"
    )
    expect(actions.locator("tr", has_text="Of which overdue").locator("td").first).to_have_text("2")
    expect(
        actions.locator("tr", has_text="Completed in the year").locator("td").first
    ).to_have_text("4")
    expect(page.locator("table", has_text="Table 4")).to_contain_text("Information sharing")
    chart = page.locator("img.sg-chart")
    expect(chart).to_have_attribute("alt", re.compile("Bar chart: the case review panel"))
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0"), "chart did not load"
    screenshot(page, "case-reviews-report.png")


def test_reader_sees_the_figures_but_no_case(page):
    """A board member reads the case review figures; the referrals are refused."""
    rsw = Referral.objects.get(title="Case RSW")
    sign_in(page, BOARD)
    page.goto("/case-reviews/report/?year=2016-17")
    expect(page.locator("h1")).to_have_text("Case reviews: 2016-17")
    expect(page.get_by_text("3 cases referred to the panel")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Demo-R")
    assert page.goto("/case-reviews/").status == 403
    assert page.goto(f"/case-reviews/{rsw.pk}/").status in (403, 404)
    expect(page.locator("main")).not_to_contain_text("Rosie")
    assert page.goto("/actions/").status == 403
