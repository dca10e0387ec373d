"""Child death review journeys in a real browser, as the demo's people would do the work.

The coordinator notifies a death (and is refused a death at 18 or over, a death before birth
and a wrong NHS number), asks the hospital trust for its reporting form; the trust's named
nurse returns it; the police contributor cannot open it; the coordinator records the panel
review with a recommendation, and reads the 2016-17 figures.
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from safeguarding.actions.models import Action
from safeguarding.child_deaths.models import Death, FormRequest
from safeguarding.core.periods import FinancialYear

from .helpers import BROWSER, assert_accessible, fill_date, read_csv, screenshot, sign_in
from .test_accessibility_modules import images_one_at_a_time

pytestmark = BROWSER

COORDINATOR = "cdop@northbank.example"
HEALTH = "cdop.health@northbank.example"
POLICE = "cdop.police@northbank.example"
READER = "cdop.reader@northbank.example"
TRUST = "Northbank and Riverside Hospitals NHS Trust"


def click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def switch_user(page, email: str) -> None:
    page.context.clear_cookies()
    sign_in(page, email)


def recent_day(days_ago: int) -> dt.date:
    """A day in the current financial year where possible (never touches 2016-17)."""
    return max(dt.date.today() - dt.timedelta(days=days_ago), FinancialYear.current().start)


def test_coordinator_notifies_agency_returns_form_panel_reviews(page):
    images_one_at_a_time(page)
    sign_in(page, COORDINATOR)
    click_and_wait(page, page.get_by_role("link", name="Child death reviews").first)
    expect(page.locator("h1")).to_have_text("Child death register")
    click_and_wait(page, page.get_by_role("button", name="Notify a death"))
    expect(page.locator("h1")).to_have_text("Notify a child death")

    # A death before birth and a wrong NHS check digit: both refused, nothing saved.
    before = Death.objects.count()
    death_day = recent_day(3)
    page.get_by_label("Child's full name").fill("Jonah Whitfield")
    born_after = death_day + dt.timedelta(days=1)
    fill_date(page, "date_of_birth", born_after.day, born_after.month, born_after.year)
    page.get_by_role("radio", name="Male", exact=True).check()
    page.get_by_label("Ethnicity").select_option("WBRI")
    page.get_by_label("NHS number").fill("943 476 5918")
    fill_date(page, "date_of_death", death_day.day, death_day.month, death_day.year)
    fill_date(page, "notification_date", death_day.day, death_day.month, death_day.year)
    page.get_by_label("Notifying agency").select_option(label=TRUST)
    page.get_by_role("radio", name=re.compile("^Unexpected")).check()
    click_and_wait(page, page.get_by_role("button", name="Save"))
    expect(page).to_have_title(re.compile("^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("deaths before birth (stillbirths) are not reviewed")
    expect(summary).to_contain_text("Enter a valid NHS number")
    expect(page.locator("#div_id_date_of_death .govuk-error-message")).to_contain_text(
        "before the date of birth"
    )
    # The summary link takes the keyboard to the NHS number box.
    summary.get_by_role("link", name=re.compile("valid NHS number")).click()
    expect(page.locator("#id_nhs_number")).to_be_focused()

    # A young person of 18: refused with the reason.
    adult = death_day.replace(year=death_day.year - 18) - dt.timedelta(days=3)
    fill_date(page, "date_of_birth", adult.day, adult.month, adult.year)
    page.get_by_label("NHS number").fill("943 476 5919")
    click_and_wait(page, page.get_by_role("button", name="Save"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("18 or over at death")
    expect(summary).not_to_contain_text("NHS number")
    screenshot(page, "child-deaths-form-errors.png")
    assert Death.objects.count() == before

    # Corrected: a child of 2.
    born = death_day - dt.timedelta(days=2 * 365 + 40)
    fill_date(page, "date_of_birth", born.day, born.month, born.year)
    click_and_wait(page, page.get_by_role("button", name="Save"))
    death = Death.objects.get(child_name="Jonah Whitfield")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"{death.reference} notified"
    )
    expect(page.locator("h1")).to_contain_text(death.reference)
    expect(page.locator("h1 .govuk-tag")).to_have_text("Awaiting review")
    expect(page.get_by_text("no joint agency response has been recorded")).to_be_visible()
    nhs = page.locator(".govuk-summary-list__row", has_text="NHS number")
    expect(nhs.locator("dd")).to_have_text(re.compile(r"^943 ?476 ?5919$"))

    # Ask the hospital trust for its reporting form.
    click_and_wait(page, page.get_by_role("link", name="Request reporting forms"))
    expect(page.locator("h1")).to_have_text("Request agency reporting forms")
    page.get_by_label(TRUST).check()
    click_and_wait(page, page.get_by_role("button", name="Save"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 reporting form requested")
    forms_table = page.locator("table").filter(
        has=page.locator("caption", has_text="Reporting forms requested")
    )
    expect(forms_table.locator("tr", has_text=TRUST)).to_contain_text("Requested")
    form_request = FormRequest.objects.get(death=death)

    # The trust's named nurse sees only the requests addressed to the trust.
    switch_user(page, HEALTH)
    page.goto("/child-deaths/forms/?status=all")
    expect(page.locator("h1")).to_have_text("Agency reporting forms")
    own = FormRequest.objects.filter(owning_agency=form_request.owning_agency).count()
    assert own < FormRequest.objects.count(), "the demo has other agencies' forms"
    expect(page.get_by_text(f"{own} forms", exact=True)).to_be_visible()
    agencies = page.locator("tbody tr td:nth-child(3)").all_inner_texts()
    assert agencies and set(agencies) == {TRUST}, agencies
    page.goto("/child-deaths/forms/")
    click_and_wait(page, page.get_by_role("link", name=death.reference))
    expect(page.locator("h1")).to_have_text(f"Reporting form for {death.reference}")
    expect(page.locator("dl")).to_contain_text("Jonah Whitfield")
    click_and_wait(page, page.get_by_role("button", name="Return the form"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the information for the panel"
    )
    page.get_by_label("Your agency's involvement with the child and family").fill(
        "Seen in the emergency department twice in the last year."
    )
    page.get_by_label("Information for the panel").fill(
        "Attendances for minor injuries; no safeguarding concerns recorded."
    )
    click_and_wait(page, page.get_by_role("button", name="Return the form"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Reporting form for {death.reference} returned"
    )
    form_request.refresh_from_db()
    assert form_request.returned_date == dt.date.today()

    # The police contributor cannot open the trust's form, nor the death itself.
    switch_user(page, POLICE)
    response = page.goto(f"/child-deaths/forms/{form_request.pk}/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    expect(page.locator("main")).not_to_contain_text("Jonah Whitfield")
    assert page.goto(f"/child-deaths/{death.pk}/").status == 404
    expect(page.locator("h1")).to_have_text("Page not found")

    # The coordinator takes it to the panel.
    switch_user(page, COORDINATOR)
    page.goto("/child-deaths/panel/")
    expect(page.locator("h1")).to_have_text("Panel meeting")
    card = page.locator(".govuk-summary-card", has_text=death.reference)
    expect(card).to_contain_text("Attendances for minor injuries")
    click_and_wait(page, card.get_by_role("link", name=re.compile("Record the review")))
    expect(page.locator("h1")).to_have_text("Panel review")
    click_and_wait(page, page.get_by_role("button", name="Save"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the category of death")
    expect(summary).to_contain_text("Choose whether there were modifiable factors")
    today = dt.date.today()
    fill_date(page, "review_date", today.day, today.month, today.year)
    page.get_by_role("radio", name="3. Trauma and other external factors").check()
    page.get_by_role("radio", name="Yes: modifiable factors identified").check()
    page.get_by_label("Learning points").fill("Window restrictors were not fitted.")
    click_and_wait(page, page.get_by_role("button", name="Save"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Panel review recorded")
    expect(page.locator("h1 .govuk-tag")).to_have_text("Reviewed")
    category = page.locator(".govuk-summary-list__row", has_text="Category of death")
    expect(category.locator("dd")).to_have_text("3. Trauma and other external factors")
    # The change history names it too, in words: "Category of death: 3. Trauma and ...".
    expect(page.locator("#history ~ div table")).to_contain_text(
        "3. Trauma and other external factors"
    )

    click_and_wait(page, page.get_by_role("link", name="Add a recommendation"))
    page.get_by_label("Recommendation").fill(
        "Housing to check window restrictors in every family home it lets."
    )
    page.get_by_label("Agency responsible").select_option(label="Northbank Homes")
    due = today + dt.timedelta(days=60)
    fill_date(page, "due_date", due.day, due.month, due.year)
    click_and_wait(page, page.get_by_role("button", name="Save"))
    action = Action.objects.get(description__startswith="Housing to check window restrictors")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Recommendation added as action {action.reference}"
    )
    recommendations = page.locator("table").filter(
        has=page.locator("caption", has_text="Recommendations tracked as actions")
    )
    row = recommendations.locator("tr", has_text=action.reference)
    expect(row).to_contain_text("Northbank Homes")
    expect(row).to_contain_text(f"{due:%-d %b %Y}")
    death.refresh_from_db()
    assert death.category == "3" and death.modifiable_factors == "yes"
    history = page.locator("#history ~ div table")
    expect(history).to_contain_text("Pauline Cross")
    screenshot(page, "child-deaths-record.png")


def test_coordinator_reads_the_2016_17_figures(page):
    images_one_at_a_time(page)
    sign_in(page, COORDINATOR)
    page.goto("/child-deaths/")
    click_and_wait(page, page.get_by_role("button", name="Figures"))
    page.get_by_label("Financial year").select_option("2016-17")
    click_and_wait(page, page.get_by_role("button", name="Show"))
    expect(page.locator("h1")).to_have_text("Child death reviews: 2016-17")
    table = page.locator("table", has_text="Deaths notified in the year")
    expect(table.locator("tr", has_text="Deaths notified in the year")).to_contain_text("30")
    expect(table.locator("tr", has_text="Deaths reviewed in the year")).to_contain_text("28")
    expect(table.locator("tr", has_text="Notified, all years")).to_contain_text("266")
    expect(table.locator("tr", has_text="Reviewed, all years")).to_contain_text("253")
    expect(page.get_by_text("18 of the 28 (64.3%) deaths reviewed")).to_be_visible()
    age = page.locator("table", has_text="Age at death")
    expect(age.locator("tr", has_text="Under 28 days")).to_contain_text("15")
    expect(age.locator("tr", has_text="Under 28 days")).to_contain_text("53.6%")
    category = page.locator("table", has_text="Category of death (panel analysis form)")
    expect(category.locator("tr", has_text="8. Perinatal/neonatal event")).to_contain_text("11")
    charts = page.locator("img.sg-chart")
    expect(charts).to_have_count(3)
    for i in range(3):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        expect(chart).to_have_attribute("alt", re.compile("^Bar chart: "))
        assert chart.evaluate("img => img.complete && img.naturalWidth > 0"), "chart not loaded"
    screenshot(page, "child-deaths-report.png")

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("^CSV")).click()
    assert info.value.suggested_filename == "child-deaths-2016-17.csv"
    figures = {row[0]: row[1] for row in read_csv(info.value.path())[1:]}
    assert figures["notified"] == "30" and figures["reviewed"] == "28"


def test_reader_sees_figures_but_no_child(page):
    images_one_at_a_time(page)
    names = set(Death.objects.values_list("child_name", flat=True))
    sign_in(page, READER)
    page.goto("/child-deaths/report/?year=2016-17")
    expect(page.locator("h1")).to_have_text("Child death reviews: 2016-17")
    text = page.locator("body").inner_text()
    assert not [n for n in names if n and n in text]
    assert page.goto("/child-deaths/").status == 403
    expect(page.locator("h1")).to_have_text("You do not have access to this page")
    death = Death.objects.first()
    assert page.goto(f"/child-deaths/{death.pk}/").status in (403, 404)
    assert page.goto("/child-deaths/panel/").status == 403
    assert_accessible(page, "child deaths refused (reader)")
