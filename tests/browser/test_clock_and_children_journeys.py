"""Statutory clocks that apply only from when their rule began, and a child reference that
resolves only among the children a user may see, in a real browser on the demo partnership.

(a) The business unit's case review worklist ("Due this week") and its home page list no
serious case review of 2015-17 as "Rapid review: overdue": rapid reviews (and serious
incident notifications to the national Panel) began on 29 June 2018. The 2015 serious case
review's page explains why it has no clock; the 2016-17 figures count none due.

(b) A mistyped child reference on the new missing episode page creates nothing: the page
says so in the error summary, and the children list is unchanged.

axe (WCAG 2.2 AA) runs on every page shown; screenshots go to docs/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from safeguarding.case_reviews.models import Referral
from safeguarding.case_reviews.rules import PANEL_BEGAN
from safeguarding.children.models import Child
from safeguarding.missing.models import Episode

from .helpers import BROWSER, assert_accessible, screenshot, sign_in

pytestmark = BROWSER

REVIEWS_UNIT = "reviews@northbank.example"  # case reviews manager: runs the clocks
MET_OFFICER = "met@northbank.example"  # missing, exploited and trafficked coordinator
CHILD_REF = "NB100120"  # a demo child the MET officer may see
MISTYPED = "NB1OO120"  # the same with two letter Os for zeros: no such child
NO_CHILD = (
    "No child you can see has this reference. Choose a child you can see, or add the child first."
)


def click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def _older_and_newer():
    """The demo's referrals that began before the Panel did, and those since."""
    older, newer = [], []
    for r in Referral.objects.all():
        began = r.la_aware_date or r.notification_date or r.referral_date
        (older if began < PANEL_BEGAN else newer).append(r)
    return older, newer


def _rows(page, table):
    """The cells' text of each body row of a table."""
    return [
        [cell.inner_text().strip() for cell in row.locator("td").all()]
        for row in table.locator("tbody tr").all()
    ]


def test_no_pre_2018_rapid_review_on_the_case_review_worklist_or_home_page(page):
    older, newer = _older_and_newer()
    assert {r.title for r in older} >= {"Case RSW", "Case T", "Case V"}  # the seed's SCRs
    # The demo records their notifications: the old code gave each a rapid review clock.
    assert all(r.notification_date for r in older if r.title in ("Case RSW", "Case T"))
    running = Referral.objects.get(title="Case P")  # notified not yet: its clock runs
    assert running in newer

    sign_in(page, REVIEWS_UNIT)

    # The business unit's "Due this week": the 2018+ clock is there, no older case is.
    page.goto("/case-reviews/worklist/")
    expect(page.locator("h1")).to_have_text("Due this week")
    table = page.get_by_role("table", name="Statutory clocks due this week or overdue")
    expect(table).to_be_visible()
    rows = _rows(page, table)
    assert rows, "the demo's running notification clock should be listed"
    listed = " | ".join(" ".join(cells) for cells in rows)
    for referral in older:
        assert referral.reference not in listed, f"{referral.label} listed: {rows}"
    case_p = [cells for cells in rows if running.reference in cells[0]]
    assert case_p and case_p[0][1] == "Serious incident notification"
    assert case_p[0][3] == "Overdue"  # aware 10 days ago: 5 working days have passed
    assert not any(cells[1] == "Rapid review" and cells[3] == "Overdue" for cells in rows)
    assert_accessible(page, "case review worklist (due this week)")
    screenshot(page, "case-reviews-due-this-week.png")

    # The home page's "Due and overdue": no clock of an older case (an older case may still
    # have an overdue action: that is the action's own date, not a statutory clock).
    page.goto("/")
    work = page.locator("main table").filter(has=page.locator("caption", has_text="due"))
    expect(work).to_have_count(1)
    home_rows = _rows(page, work)
    clocks = ("Serious incident notification", "Rapid review", "LCSPR publication")
    for reference, what, *_rest in home_rows:
        if what.startswith(clocks):
            assert all(r.reference != reference for r in older), (reference, what)
    rapid_or_notification = [(reference, what.splitlines()[0]) for reference, what, *_ in home_rows]
    assert (running.reference, "Serious incident notification") in rapid_or_notification
    notification_row = next(r for r in home_rows if r[0] == running.reference)
    assert "from 29 June 2018" in notification_row[1]  # the rule, with its start
    assert_accessible(page, "home page (case reviews manager)")

    # The 2015 serious case review: its page says why it has no clock, and tags none.
    rsw = Referral.objects.get(title="Case RSW")
    page.goto(f"/case-reviews/{rsw.pk}/")
    expect(page.locator("h1")).to_have_text(f"{rsw.reference} Case RSW")
    expect(page.get_by_role("table", name=re.compile("^Statutory clocks"))).to_have_count(0)
    # What follows the "Statutory clocks" heading: the reason, no clock and no tag. (Its
    # action plan may still show an overdue action: the plan's own date.)
    section = page.locator("h2:text-is('Statutory clocks') + *")
    expect(section).to_contain_text("No statutory clock: this case began before 29 June 2018")
    expect(section.locator(".govuk-tag")).to_have_count(0)
    assert_accessible(page, "2015 serious case review")

    # The 2016-17 figures: no notification or rapid review clock was due that year.
    page.goto("/case-reviews/report/?year=2016-17")
    clocks_table = page.locator("table", has_text="Table 2")
    for name in ("Serious incident notification", "Rapid review"):
        row = clocks_table.locator("tr", has_text=name)
        expect(row.locator("td").nth(0)).to_have_text("0")
        expect(row.locator("td").nth(1)).to_have_text("0")
    expect(page.locator("main")).to_contain_text(
        "apply to cases from 29 June 2018; earlier referrals followed the serious case "
        "review rules of their time"
    )
    assert_accessible(page, "case review figures 2016-17")


def test_a_mistyped_child_reference_creates_nothing(page):
    assert Child.objects.filter(external_reference=CHILD_REF).exists()
    assert not Child.objects.filter(external_reference__iexact=MISTYPED).exists()
    children_before = Child.objects.count()
    episodes_before = Episode.objects.count()
    sign_in(page, MET_OFFICER)

    page.goto("/children/")
    expect(page.locator("h1")).to_have_text("Children")
    list_before = page.locator("main table").inner_text()

    page.goto("/missing/new/")
    expect(page.locator("h1")).to_have_text("Record a missing episode")
    page.get_by_label("Child's reference").fill(MISTYPED)
    page.get_by_role("radio", name="No", exact=True).check()
    page.get_by_role("radio", name="Missing", exact=True).check()
    started = dt.date.today() - dt.timedelta(days=3)
    page.locator("#id_start_date_0").fill(str(started.day))
    page.locator("#id_start_date_1").fill(str(started.month))
    page.locator("#id_start_date_2").fill(str(started.year))
    page.locator("#id_start_time").fill("21:30")
    click_and_wait(page, page.get_by_role("button", name="Save episode", exact=True))

    expect(page).to_have_title(re.compile("^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text(NO_CHILD)
    expect(summary).to_be_focused()
    # The field keeps what was typed, so the person can see the mistake and correct it.
    expect(page.get_by_label("Child's reference")).to_have_value(MISTYPED)
    # Nothing was created: no child, no episode.
    assert Child.objects.count() == children_before
    assert Episode.objects.count() == episodes_before
    assert not Child.objects.filter(external_reference__iexact=MISTYPED).exists()
    assert_accessible(page, "new missing episode, mistyped child reference")
    screenshot(page, "missing-episode-unknown-child.png")

    page.goto("/children/")
    expect(page.locator("main")).not_to_contain_text(MISTYPED)
    assert page.locator("main table").inner_text() == list_before
    assert_accessible(page, "children list after the refused episode")
