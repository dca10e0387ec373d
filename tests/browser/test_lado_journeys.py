"""LADO and platform journeys in a real browser, as the demo's people would do their work.

Each journey asserts what the person sees (headings, banners, figures, error summaries),
saves full-page screenshots under docs/screenshots/, and checks the pages it passes with axe.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from playwright.sync_api import expect

from safeguarding.core.periods import FinancialYear
from safeguarding.lado.models import Case

from .helpers import (
    BROWSER,
    CONTRIBUTOR,
    OFFICER,
    READER,
    assert_accessible,
    fill_date,
    read_csv,
    screenshot,
    sign_in,
)

pytestmark = BROWSER


def recent_day(days_ago: int) -> dt.date:
    """A weekday `days_ago` back, kept inside the current financial year when possible, so
    new records never touch the 2016-17 figures the demo reproduces."""
    day = dt.date.today() - dt.timedelta(days=days_ago)
    return max(day, FinancialYear.current().start)


def heading(page) -> str:
    return page.locator("h1").first.inner_text()


def click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def test_school_refers_an_allegation_and_cannot_open_another_schools_case(page):
    """Journey 1: a school's designated safeguarding lead refers an allegation to the LADO."""
    other_school_case = Case.objects.filter(owning_agency__name__startswith="Hillside").first()
    assert other_school_case is not None
    sign_in(page, CONTRIBUTOR)
    expect(page.locator("h1")).to_have_text("Your work")
    expect(page.locator(".sg-header__user")).to_contain_text("Priya Shah")

    click_and_wait(page, page.get_by_role("link", name="LADO allegations").first)
    expect(page.locator("h1")).to_have_text("LADO register")
    # A contributor sees only their own school's records.
    agencies = {c.owning_agency.name for c in Case.objects.select_related("owning_agency")}
    assert len(agencies) > 1
    own_count = Case.objects.filter(owning_agency__name__startswith="Brockley").count()
    expect(page.get_by_text(f"{own_count} records", exact=True)).to_be_visible()

    click_and_wait(page, page.get_by_role("button", name="Refer an allegation to the LADO"))
    expect(page.locator("h1")).to_have_text("Refer an allegation to the LADO")
    day = recent_day(2)
    page.get_by_label("Employer's sector").select_option(label="Primary school")
    fill_date(page, "employer_aware_date", day.day, day.month, day.year)
    page.get_by_label("Name of the adult concerned").fill("Quentin Blackwood")
    page.get_by_label("Their role").fill("Teaching assistant")
    page.get_by_label("Children involved (optional)").fill("AB, aged 7")
    page.get_by_label("What happened").fill("Grabbed a child by the arm in the playground.")
    click_and_wait(page, page.get_by_role("button", name="Send the referral"))

    case = Case.objects.get(subject_name="Quentin Blackwood")
    assert case.owning_agency.name == "Brockley Rise Primary School"
    # The threshold and the harm test are the LADO's: the referral waits for them.
    assert case.awaiting_decision and not case.threshold_met and case.harm_test == ""
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Referral {case.reference} sent to the LADO"
    )
    expect(page.locator("h1")).to_contain_text(case.reference)
    expect(page.locator("h1")).to_contain_text("Awaiting LADO decision")
    expect(page.locator(".govuk-caption-l")).to_have_text("Referral awaiting the LADO's decision")
    expect(page.get_by_text("Quentin Blackwood, Teaching assistant")).to_be_visible()
    # A contributor refers; deciding, changing the record and recording outcomes is the LADO's.
    expect(page.get_by_text("Record the outcome")).to_have_count(0)
    expect(page.get_by_text("Record the decision")).to_have_count(0)
    expect(page.locator("#history ~ div table")).to_contain_text("Priya Shah")

    click_and_wait(page, page.get_by_role("link", name="LADO register"))
    first_row = page.locator("tbody tr").first
    expect(first_row).to_contain_text(case.reference)
    expect(first_row).to_contain_text("Quentin Blackwood")
    expect(page.get_by_text(f"{own_count + 1} records", exact=True)).to_be_visible()

    # Another school's case: the same answer as a case that does not exist.
    response = page.goto(f"/lado/{other_school_case.pk}/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    expect(page.locator("main")).not_to_contain_text(other_school_case.subject_name)
    # Changing records is the LADO's: refused whatever the id (403 says nothing about it).
    assert page.goto(f"/lado/{other_school_case.pk}/edit/").status in (403, 404)
    expect(page.locator("main")).not_to_contain_text(other_school_case.subject_name)


def test_lado_records_a_meeting_and_an_outcome_and_downloads_the_figures(page):
    """Journey 2: the LADO works a referral to its close, then reports the year."""
    sign_in(page, OFFICER)
    page.goto("/lado/")
    expect(page.locator("h1")).to_have_text("LADO register")
    screenshot(page, "lado-list.png")
    page.get_by_label("Status").select_option(label="Open referrals")
    click_and_wait(page, page.get_by_role("button", name="Apply filters"))
    assert "status=open" in page.url
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text("Open")
    expect(page.locator("tbody")).not_to_contain_text("Closed")
    reference = rows.first.locator("a").first.inner_text()
    case = Case.objects.get(reference=reference)
    assert case.is_open and case.threshold_met and not case.meetings.exists()

    click_and_wait(page, rows.first.get_by_role("link", name=reference))
    expect(page.locator("h1")).to_contain_text(reference)
    expect(page.locator("h1")).to_contain_text("Open")
    expect(page.get_by_text("No meetings recorded.")).to_be_visible()

    click_and_wait(page, page.get_by_role("button", name="Record a meeting"))
    expect(page.locator("h1")).to_have_text(f"Record a meeting for {reference}")
    page.get_by_label("Type of meeting").select_option(label="Strategy meeting")
    meeting_day = case.referral_date
    fill_date(page, "date", meeting_day.day, meeting_day.month, meeting_day.year)
    page.get_by_label("Metropolitan Police, Central South BCU").check()
    page.get_by_label("Children's Social Care, London Borough of Northbank").check()
    page.get_by_label("Decisions and actions").fill("Police to consider a criminal investigation.")
    click_and_wait(page, page.get_by_role("button", name="Save meeting"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Meeting recorded")
    card = page.locator(".govuk-summary-card")
    expect(card).to_contain_text(f"Strategy meeting on {meeting_day:%-d %B %Y}")
    expect(card).to_contain_text("Metropolitan Police, Central South BCU")

    click_and_wait(page, page.get_by_role("button", name="Record the outcome"))
    expect(page.locator("h1")).to_have_text(f"Outcome of {reference}")
    page.get_by_role("radio", name="Unsubstantiated", exact=True).check()
    today = dt.date.today()
    fill_date(page, "outcome_date", today.day, today.month, today.year)
    click_and_wait(page, page.get_by_role("button", name="Save outcome"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Outcome recorded for {reference}"
    )
    expect(page.locator("h1 .govuk-tag")).to_have_text("Closed")
    expect(page.get_by_text(f"Unsubstantiated on {today:%-d %B %Y}")).to_be_visible()
    history = page.locator("#history ~ div table tbody tr")
    assert history.count() >= 3, "created, meeting, outcome"
    expect(page.locator("#history ~ div table")).to_contain_text("Daniel Price")
    expect(page.locator("#history ~ div table")).to_contain_text(
        re.compile("unsubstantiated", re.I)
    )
    case.refresh_from_db()
    assert not case.is_open and case.outcome == "unsubstantiated"
    screenshot(page, "lado-case.png")
    assert_accessible(page, "closed case")

    page.goto("/lado/report/?year=2016-17")
    expect(page.locator("h1")).to_have_text(
        "Allegations against adults who work with children: 2016-17"
    )
    table1 = page.locator("#table-1 + .sg-table-scroll > table")
    expect(table1.locator("tr", has_text="Total")).to_contain_text("215")
    table2 = page.locator("#table-2 + .sg-table-scroll > table")
    total2 = table2.locator("tr", has_text="Total")
    expect(total2).to_contain_text("130")
    expect(total2).to_contain_text("87")
    expect(page.get_by_text("130 of 215 contacts (60.5%) met the threshold")).to_be_visible()
    chart = page.locator("img.sg-chart")
    expect(chart).to_have_attribute("alt", re.compile("Bar chart: outcomes of LADO referrals"))
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0"), "chart did not load"
    screenshot(page, "lado-report.png")

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("^CSV")).click()
    download = info.value
    assert download.suggested_filename == "lado-2016-17.csv"
    rows = read_csv(download.path())
    assert rows[0] == ["figure", "2016-17", "2015-16"]
    figures = {row[0]: row[1] for row in rows[1:]}
    assert figures["contacts.total"] == "215"
    assert figures["referrals.total"] == "130"
    assert figures["strategy_meetings.total"] == "87"
    assert [figures[f"contacts.Q{q}"] for q in range(1, 5)] == ["23", "53", "46", "93"]
    outcomes = sum(
        int(v) for k, v in figures.items() if k.startswith("outcomes.") and "total" not in k
    )
    assert outcomes == 130


def test_bad_dates_get_the_error_summary_and_nothing_is_saved(page):
    """Journey 3: impossible and out-of-order dates are refused with messages naming the field."""
    before = Case.objects.count()
    sign_in(page, OFFICER)  # the LADO's own contact form (a school refers: journey 1)
    page.goto("/lado/new/")
    fill_date(page, "contact_date", 45, 13, 2016)
    page.get_by_label("Employer's sector").select_option(label="Primary school")
    page.get_by_role("radio", name="Advice only: the harm test is not met").check()
    click_and_wait(page, page.get_by_role("button", name="Save"))

    expect(page).to_have_title(re.compile("^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name=re.compile("Date of the contact"))).to_be_visible()
    expect(page.locator("#div_id_contact_date .govuk-error-message")).to_contain_text(
        "Date of the contact"
    )
    # What was typed is kept, so it can be corrected.
    expect(page.locator("#id_contact_date_0")).to_have_value("45")
    expect(page.locator("#id_contact_date_1")).to_have_value("13")
    # The summary link takes the keyboard to the day box.
    summary.get_by_role("link", name=re.compile("Date of the contact")).click()
    expect(page.locator("#id_contact_date_0")).to_be_focused()
    screenshot(page, "lado-form-errors.png")
    assert_accessible(page, "contact form with an impossible date")

    # Out of order: the employer aware after the contact, the referral before it.
    fill_date(page, "contact_date", 10, 5, 2016)
    fill_date(page, "employer_aware_date", 12, 5, 2016)
    page.get_by_role("radio", name="LADO referral: the harm test is met").check()
    page.get_by_role(
        "radio",
        name="Behaved in a way that indicates they may not be suitable to work with children",
    ).check()
    fill_date(page, "referral_date", 1, 5, 2016)
    click_and_wait(page, page.get_by_role("button", name="Save"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The referral cannot be before the contact date")
    expect(summary).to_contain_text(
        "The employer cannot have become aware after contacting the LADO"
    )
    expect(page.locator("#div_id_referral_date .govuk-error-message")).to_contain_text(
        "The referral cannot be before the contact date"
    )

    # A date in the future.
    future = dt.date.today() + dt.timedelta(days=30)
    fill_date(page, "contact_date", future.day, future.month, future.year)
    fill_date(page, "employer_aware_date", "", "", "")
    fill_date(page, "referral_date", "", "", "")
    click_and_wait(page, page.get_by_role("button", name="Save"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("is in the future")
    assert Case.objects.count() == before


def _focus(page) -> dict:
    return page.evaluate(
        """() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        const label = el.labels && el.labels[0] ? el.labels[0].innerText : '';
        return {tag: el.tagName.toLowerCase(), id: el.id, text: (el.innerText || '').trim(),
                label: label.trim(), value: el.value || '',
                outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px',
                shadow: style.boxShadow !== 'none',
                background: style.backgroundColor};
    }"""
    )


def tab_to(page, matches, limit: int = 60, backwards: bool = False) -> dict:
    """Press Tab until the focused element satisfies `matches`; assert its focus is visible."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focus = _focus(page)
        if matches(focus):
            assert focus["outline"] or focus["shadow"], f"no visible focus on {focus}"
            return focus
    raise AssertionError(f"never reached the element after {limit} presses of Tab")


def test_keyboard_only_sign_in_and_record_a_contact(page):
    """Journey 4: the whole task with the keyboard alone: Tab, typing, Space, Enter, arrows."""
    from safeguarding.core.demo import DEMO_PASSWORD

    page.goto("/sign-in/")
    keys = page.keyboard
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Skip to main content")
    tab_to(page, lambda f: f["id"] == "id_username")
    keys.type(OFFICER)  # the LADO's own contact form
    keys.press("Tab")
    assert _focus(page)["id"] == "id_password"
    keys.type(DEMO_PASSWORD)
    with page.expect_navigation():
        keys.press("Enter")
    expect(page.locator("h1")).to_have_text("Your work")

    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "LADO allegations")
    with page.expect_navigation():
        keys.press("Enter")
    expect(page.locator("h1")).to_have_text("LADO register")
    # A link drawn as a button answers Space as a button does (GOV.UK Frontend's script).
    expect(page.locator("body")).to_have_class(re.compile("govuk-frontend-supported"))
    tab_to(page, lambda f: f["text"] == "Record a contact")
    with page.expect_navigation():
        keys.press("Space")
    expect(page.locator("h1")).to_have_text("Record a contact")

    day = recent_day(1)
    tab_to(page, lambda f: f["id"] == "id_contact_date_0")
    keys.type(str(day.day))
    keys.press("Tab")
    keys.type(str(day.month))
    keys.press("Tab")
    keys.type(str(day.year))
    keys.press("Tab")
    assert _focus(page)["id"] == "id_received_via"
    keys.type("Email")  # a closed select picks the option whose label starts with the keys
    tab_to(page, lambda f: f["id"] == "id_employer_name")
    keys.type("Little Stars Day Nursery")
    keys.press("Tab")
    assert _focus(page)["id"] == "id_employer_sector"
    keys.type("Early")
    tab_to(page, lambda f: f["id"] == "id_subject_name")
    keys.type("Rowan Keyworth")
    keys.press("Tab")
    keys.type("Room leader")
    tab_to(page, lambda f: f["id"] == "id_summary")
    keys.type("Shouted at a child and shut them in a room.")
    tab_to(page, lambda f: f["tag"] == "input" and "Advice only" in f["label"])
    keys.press("ArrowDown")  # moves to, and selects, "LADO referral"
    assert "LADO referral" in _focus(page)["label"]
    tab_to(page, lambda f: "Harmed" in f["label"])
    keys.press("ArrowDown")
    keys.press("ArrowDown")
    assert "risk of harm" in _focus(page)["label"]
    keys.press("Tab")
    assert _focus(page)["id"] == "id_allegation_category"
    keys.type("Emotional")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Save")
    with page.expect_navigation():
        keys.press("Enter")

    case = Case.objects.get(subject_name="Rowan Keyworth")
    expect(page.locator("h1")).to_contain_text(case.reference)
    assert case.contact_date == day and case.referral_date == day
    assert case.received_via == "email" and case.employer_sector == "early_years"
    assert case.threshold_met and case.harm_test == "risk_of_harm"
    assert case.allegation_category == "emotional"
    expect(page.get_by_text("Rowan Keyworth, Room leader")).to_be_visible()


def test_reader_sees_figures_but_no_register_and_no_names(page):
    """Journey 5: a board member reads the figures; no adult's name reaches them."""
    names = set(Case.objects.exclude(subject_name="").values_list("subject_name", flat=True))
    assert len(names) > 50
    sign_in(page, READER)
    seen: dict[str, str] = {}

    def look(url_text: str, text: str) -> None:
        seen[url_text] = text
        leaked = sorted(n for n in names if n in text)
        assert not leaked, f"{url_text} shows adults' names: {leaked[:5]}"

    look("home", page.locator("body").inner_text())
    expect(page.get_by_role("link", name="LADO allegations").first).to_have_attribute(
        "href", "/lado/report/"
    )
    click_and_wait(page, page.get_by_role("link", name="LADO allegations").first)
    expect(page.locator("h1")).to_contain_text("Allegations against adults who work with children")
    expect(page.get_by_text("Record a contact")).to_have_count(0)
    page.goto("/lado/report/?year=2016-17")
    expect(
        page.locator("#table-1 + .sg-table-scroll > table tr", has_text="Total")
    ).to_contain_text("215")

    # Follow every LADO and platform link the reader can reach (pages, chart, downloads).
    root = page.url.split("/lado/")[0] + "/"

    def in_scope(url: str) -> bool:
        path = "/" + url.removeprefix(root)
        return url.startswith(root) and (
            path == "/" or path.startswith(("/lado/", "/accessibility/", "/administration/"))
        )

    queue, visited = [root], set()
    while queue and len(visited) < 40:
        url = queue.pop(0)
        if url in visited:
            continue
        visited.add(url)
        response = page.context.request.get(url)
        kind = response.headers.get("content-type", "")
        if "spreadsheetml" in kind:
            with zipfile.ZipFile(io.BytesIO(response.body())) as book:
                look(
                    url, " ".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
                )
            continue
        look(url, response.text())
        if "text/html" in kind:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            links = page.locator("a[href], img[src]").evaluate_all(
                "els => els.map(e => (e.href || e.src).split('#')[0])"
            )
            queue += [h for h in links if h not in visited and in_scope(h)]
    for expected in ("/lado/report/", "outcomes.svg", ".csv", ".xlsx", "/accessibility/"):
        assert any(expected in u for u in visited), f"the crawl never reached {expected}"

    # The register itself, and any case, are refused.
    response = page.goto("/lado/")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("You do not have access to this page")
    case = Case.objects.first()
    assert page.goto(f"/lado/{case.pk}/").status in (403, 404)
    expect(page.locator("main")).not_to_contain_text(case.subject_name)
    assert page.goto("/lado/new/").status == 403
    assert page.goto("/lado/import/").status == 403

    click_and_wait(page, page.get_by_role("button", name="Sign out"))
    expect(page.locator("h1")).to_have_text("Sign in")
    page.goto("/lado/report/")
    assert "/sign-in/?next=/lado/report/" in page.url


def test_five_wrong_passwords_lock_the_account(page):
    """Journey 6: repeated failures lock the account, even against the right password."""
    from safeguarding.core.demo import DEMO_PASSWORD

    for attempt in range(1, 6):
        page.goto("/sign-in/")
        page.get_by_label("Email address").fill(OFFICER)
        page.get_by_label("Password").fill(f"wrong-password-{attempt}")
        click_and_wait(page, page.get_by_role("button", name="Sign in"))
        if attempt < 5:
            expect(page.locator(".govuk-error-summary")).to_contain_text(
                "Enter a correct email address and password"
            )
            expect(page.get_by_label("Email address")).to_have_value(OFFICER)
    expect(page.locator("h1")).to_have_text("Your account is locked for an hour")
    assert_accessible(page, "locked out")
    screenshot(page, "sign-in-locked.png")

    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(OFFICER)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    click_and_wait(page, page.get_by_role("button", name="Sign in"))
    expect(page.locator("h1")).to_have_text("Your account is locked for an hour")
    assert page.goto("/lado/").url.endswith("/sign-in/?next=/lado/")
