"""A partner's referral to the LADO and the LADO's day, in a real browser, as the demo's
people would do them.

(a) A school's designated safeguarding lead refers an allegation (no threshold, no harm test:
    those are the LADO's); the LADO decides on it, and the school is told by email with no
    personal data; the school adds information and reads the decision on the referral.
(b) A LADO officer's home page lists an overdue case first, oldest first; the register sorts
    by age and flags what is overdue.

Each page passed is checked with axe (WCAG 2.2 AA); screenshots go to docs/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from playwright.sync_api import expect

from safeguarding.lado.models import Case, Note

from .helpers import (
    BROWSER,
    CONTRIBUTOR,
    OFFICER,
    assert_accessible,
    screenshot,
    sign_in,
    watch,
)

pytestmark = BROWSER

ADULT = "Ottoline Fairweather"
CHILDREN = "JK, aged 6"
WHAT = "Held a child's wrist hard enough to leave a mark during a wet play."


def click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def other_person(browser, demo):
    """A second person at another computer: their own browser context, watched as `page` is."""
    context = browser.new_context(base_url=demo, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    return context, tab, watch(tab)


def test_a_school_refers_the_lado_decides_and_the_school_adds_information(page, browser, demo):
    mail.outbox.clear()
    today = dt.date.today()

    # ---- the school's designated safeguarding lead refers ----------------------------------
    sign_in(page, CONTRIBUTOR)
    click_and_wait(page, page.get_by_role("link", name="LADO allegations").first)
    expect(page.locator("h1")).to_have_text("LADO register")
    expect(page.get_by_role("button", name="Record a contact")).to_have_count(0)
    click_and_wait(page, page.get_by_role("button", name="Refer an allegation to the LADO"))
    expect(page.locator("h1")).to_have_text("Refer an allegation to the LADO")
    # The decision is the LADO's: the form does not ask for it.
    expect(page.get_by_text("Threshold decision")).to_have_count(0)
    expect(page.get_by_role("radio")).to_have_count(0)
    expect(page.get_by_label("Employer or organisation")).to_have_value(
        "Brockley Rise Primary School"
    )

    click_and_wait(page, page.get_by_role("button", name="Send the referral"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Say what happened")
    expect(summary).to_contain_text("Enter the adult's name")
    assert_accessible(page, "referral with errors")
    screenshot(page, "lado-referral-errors.png")

    page.get_by_label("Employer's sector").select_option(label="Primary school")
    page.locator("#id_employer_aware_date_0").fill(str(today.day))
    page.locator("#id_employer_aware_date_1").fill(str(today.month))
    page.locator("#id_employer_aware_date_2").fill(str(today.year))
    page.get_by_label("Name of the adult concerned").fill(ADULT)
    page.get_by_label("Their role").fill("Midday supervisor")
    page.get_by_label("Children involved (optional)").fill(CHILDREN)
    page.get_by_label("What happened").fill(WHAT)
    assert_accessible(page, "referral form")
    click_and_wait(page, page.get_by_role("button", name="Send the referral"))

    case = Case.objects.get(subject_name=ADULT)
    assert case.awaiting_decision and not case.threshold_met and case.harm_test == ""
    assert case.owning_agency.name == "Brockley Rise Primary School"
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Referral {case.reference} sent to the LADO"
    )
    expect(page.locator("h1")).to_contain_text(case.reference)
    expect(page.locator("h1 .govuk-tag")).to_have_text("Awaiting LADO decision")
    expect(page.locator(".govuk-caption-l")).to_have_text("Referral awaiting the LADO's decision")
    expect(page.get_by_text(f"{ADULT}, Midday supervisor")).to_be_visible()
    expect(page.get_by_role("button", name="Record the decision")).to_have_count(0)
    expect(page.get_by_role("button", name="Change details")).to_have_count(0)
    assert_accessible(page, "referral awaiting the LADO's decision (school)")
    screenshot(page, "lado-referral-awaiting.png")
    # The decision form is the LADO's.
    assert page.goto(f"/lado/{case.pk}/decision/").status == 403
    page.go_back()

    # ---- the LADO decides ------------------------------------------------------------------
    context, lado, problems = other_person(browser, demo)
    sign_in(lado, OFFICER)
    lado.goto("/lado/?status=awaiting")
    row = lado.locator("tbody tr", has_text=case.reference)
    expect(row).to_contain_text("Awaiting LADO decision")
    expect(row).to_contain_text("0 days")
    assert_accessible(lado, "register: referrals awaiting a decision")
    click_and_wait(lado, row.get_by_role("link", name=case.reference))
    click_and_wait(lado, lado.get_by_role("button", name="Record the decision"))
    expect(lado.locator("h1")).to_have_text(f"Decide on {case.reference}")
    expect(lado.locator("main")).to_contain_text("The decision is due by")

    click_and_wait(lado, lado.get_by_role("button", name="Save the decision"))
    expect(lado.locator(".govuk-error-summary")).to_contain_text(
        "Choose advice only or LADO referral"
    )
    assert_accessible(lado, "decision with errors")

    lado.get_by_role("radio", name="LADO referral: the harm test is met").check()
    lado.get_by_role("radio", name="Harmed, or may have harmed, a child").check()
    lado.get_by_label("Category of allegation").select_option(label="Physical")
    lado.get_by_label("Next steps").fill(
        "Strategy meeting on Thursday. The school to keep the supervisor away from children "
        "until then."
    )
    assert_accessible(lado, "decision form")
    screenshot(lado, "lado-decision.png")
    click_and_wait(lado, lado.get_by_role("button", name="Save the decision"))
    expect(lado.locator(".govuk-notification-banner")).to_contain_text(
        f"Decision recorded for {case.reference}: the referrer is told by email"
    )
    expect(lado.locator("h1 .govuk-tag")).to_have_text("Open")
    case.refresh_from_db()
    assert case.threshold_met and case.harm_test == "harmed" and not case.awaiting_decision
    assert case.decided_on == today and case.referral_date == case.contact_date
    context.close()
    assert not problems, "the LADO's pages had errors:\n" + "\n".join(problems)

    # The school is told, with a link and the reference, and nothing personal.
    (email,) = [m for m in mail.outbox if case.reference in m.subject]
    assert email.to == [CONTRIBUTOR]
    assert f"/lado/{case.pk}/" in email.body
    for personal in (ADULT, "Midday supervisor", CHILDREN, WHAT, "Strategy meeting", "harm"):
        assert personal not in email.subject + email.body, personal

    # ---- the school reads the decision and adds information ----------------------------------
    page.goto(f"/lado/{case.pk}/")
    expect(page.locator("h1 .govuk-tag")).to_have_text("Open")
    decision = page.locator("h2", has_text="Threshold decision").locator(
        "xpath=following-sibling::dl[1]"
    )
    expect(decision).to_contain_text("LADO referral: the harm test is met")
    expect(decision).to_contain_text("Harmed, or may have harmed, a child")
    expect(decision).to_contain_text("Strategy meeting on Thursday")
    expect(decision).to_contain_text("Pending")
    click_and_wait(page, page.get_by_role("button", name="Add information"))
    expect(page.locator("h1")).to_have_text(f"Add information to {case.reference}")
    assert_accessible(page, "add information")
    page.get_by_label("Information to add").fill(
        "The supervisor has been moved to the office. A second child has told us the same."
    )
    click_and_wait(page, page.get_by_role("button", name="Add the information"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Information added to {case.reference}"
    )
    notes = page.locator("#notes ~ .govuk-summary-card")
    expect(notes.first).to_contain_text("A second child has told us the same.")
    expect(notes.first).to_contain_text("Priya Shah, Brockley Rise Primary School")
    history = page.locator("#history ~ *").filter(has=page.locator("table")).first
    expect(history).to_contain_text("Note added")
    expect(history).to_contain_text("Threshold decision recorded")
    note = Note.objects.get(case=case)
    assert note.written_by.email == CONTRIBUTOR
    assert_accessible(page, "decided referral with information added (school)")
    screenshot(page, "lado-referral-decided.png")


def test_a_lado_officers_home_page_lists_an_overdue_case_first(page):
    oldest = (
        Case.objects.filter(is_open=True, awaiting_decision=False)
        .order_by("open_since", "reference")
        .first()
    )
    assert oldest is not None and oldest.open_since.year <= 2017  # open since the seed year
    sign_in(page, OFFICER)
    expect(page.locator("h1")).to_have_text("Your work")
    first = page.locator("table tbody tr").first
    expect(first.get_by_role("link")).to_have_text(oldest.reference)
    expect(first).to_contain_text("Overdue")
    expect(first).to_contain_text(
        re.compile(r"Overdue for resolution: open \d+ years( \d+ months?)?, past twelve months")
    )
    expect(first).to_contain_text("past twelve months")
    expect(first).to_contain_text("80% within one month")
    # The referral a school made a week ago is overdue for its decision; today's is due.
    waiting = page.locator("table tbody tr", has_text="Decide on the referral")
    expect(waiting).to_have_count(2)
    expect(waiting.locator(".govuk-tag--red")).to_have_count(1)
    expect(page.locator(".sg-counts")).to_contain_text("overdue")
    assert_accessible(page, "LADO officer's home page")
    screenshot(page, "lado-home-overdue.png")

    click_and_wait(page, first.get_by_role("link", name=oldest.reference))
    expect(page.locator("h1")).to_contain_text(oldest.reference)
    expect(page.locator("main")).to_contain_text("not resolved within twelve months")

    page.goto("/lado/")
    page.get_by_label("Order").select_option(label="Open longest first")
    click_and_wait(page, page.get_by_role("button", name="Apply filters"))
    assert "sort=age" in page.url
    top = page.locator("tbody tr").first
    expect(top).to_contain_text(oldest.reference)
    expect(top).to_contain_text("Overdue: past twelve months")
    assert_accessible(page, "register, open longest first")
    screenshot(page, "lado-list-by-age.png")
