"""Multi-agency training journeys in a real browser: the training lead publishes a session, a
delegate with no account applies from the public programme (with the stage-1 questionnaire),
manages the booking through the signed link emailed to them, is marked as attending,
evaluates the course and downloads the certificate, which the public page verifies. Each step
asserts what the person sees; screenshots go to docs/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from safeguarding.training.models import Booking, Session

from .helpers import BROWSER, assert_accessible, fill_date, screenshot, sign_in, watch

pytestmark = BROWSER

# The demo users (safeguarding/training/demo.py).
LEAD = "training@northbank.example"  # training lead (officer)
COORDINATOR = "training.police@northbank.example"  # police training coordinator (contributor)
BOARD = "training.board@northbank.example"  # reader: figures only
COURSE = "Safeguarding Level 3"
POLICE_AGENCY = "Metropolitan Police, Central South BCU"
DELEGATE = "Jordan Okafor"
DELEGATE_EMAIL = "jordan.okafor@met.police.example"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def is_abandoned_icon(problem: str) -> bool:
    """The browser drops the favicon request when the page navigates away before the icon
    arrives (a quick click, a download): not a fault of the page."""
    return "favicon" in problem and "ERR_ABORTED" in problem


def click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def rate(page, outcome_number: int, score: int) -> None:
    """Tick a score on one learning outcome's 1-10 confidence scale."""
    page.locator(f"#div_id_confidence_{outcome_number}").get_by_label(
        str(score), exact=True
    ).check()


@pytest.fixture
def delegate_page(browser, demo):
    """A second browser, with no account: the delegate's own."""
    context = browser.new_context(
        base_url=demo, accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    problems = watch(tab)
    yield tab
    context.close()
    real = [p for p in problems if not is_abandoned_icon(p)]
    assert not real, "the delegate's pages had errors:\n" + "\n".join(real)


def test_publish_book_attend_evaluate_and_verify(page, delegate_page, settings):
    settings.TASKS = IMMEDIATE_TASKS  # the booking emails are sent at once, into mail.outbox
    mail.outbox.clear()
    day = timezone.localdate() + dt.timedelta(days=9)

    # 1. The training lead publishes a session.
    sign_in(page, LEAD)
    click_and_wait(page, page.get_by_role("link", name="Multi-agency training").first)
    expect(page.locator("h1")).to_have_text("Multi-agency training")
    click_and_wait(page, page.get_by_role("link", name="Add a session"))
    expect(page.locator("h1")).to_have_text("Add a session")
    page.get_by_label("Course").select_option(label=COURSE)
    fill_date(page, "date", day.day, day.month, day.year)
    page.get_by_label("Start time").fill("09:30")
    page.get_by_label("End time").fill("16:00")
    page.get_by_label("Venue").fill("Northbank Civic Centre, Room 4")
    page.get_by_label("Places", exact=True).fill("12")
    expect(page.get_by_label("Publish on the public programme")).to_be_checked()
    click_and_wait(page, page.get_by_role("button", name="Save"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Session saved")
    expect(page.locator("h1")).to_have_text(COURSE)
    expect(page.locator(".govuk-caption-l")).to_have_text(
        f"{day:%A} {day.day} {day:%B %Y}, 09:30 to 16:00"
    )
    expect(page.get_by_text("12 (0 booked, 0 waiting)")).to_be_visible()
    session = Session.objects.get(course__title=COURSE, starts_at__date=day)

    # 2. A delegate finds it on the public programme: no account, no sign-in.
    delegate = delegate_page
    delegate.goto("/training/programme/")
    expect(delegate.locator("h1")).to_have_text("Multi-agency safeguarding training")
    row = delegate.locator("tbody tr", has_text=f"{day:%a} {day.day} {day:%b %Y}").filter(
        has_text=COURSE
    )
    expect(row).to_contain_text("Northbank Civic Centre, Room 4")
    expect(row.locator("td").nth(4)).to_have_text("12")
    screenshot(delegate, "training-programme.png")
    click_and_wait(delegate, row.get_by_role("link", name=re.compile("^Apply")))
    expect(delegate.locator("h1")).to_have_text(f"Apply for {COURSE}")

    # An application with nothing filled in is refused, with every problem listed.
    click_and_wait(delegate, delegate.get_by_role("button", name="Apply"))
    expect(delegate).to_have_title(re.compile("^Error: "))
    summary = delegate.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    for message in (
        "Enter your full name",
        "Enter your work email address",
        "Choose your agency, or Other",
        "Enter your role",
        "Rate your confidence: Recognise the signs",
    ):
        expect(summary).to_contain_text(message)
    summary.get_by_role("link", name="Enter your full name").click()
    expect(delegate.get_by_label("Full name")).to_be_focused()
    assert not Booking.objects.filter(session=session).exists()

    # The real application, with the stage-1 questionnaire.
    delegate.get_by_label("Full name").fill(DELEGATE)
    delegate.get_by_label("Work email address").fill(DELEGATE_EMAIL)
    delegate.get_by_label("Your agency", exact=True).select_option(label=POLICE_AGENCY)
    delegate.get_by_label("Your role", exact=True).fill("Detective constable, child abuse team")
    delegate.get_by_label("Your line manager's email address").fill("ds.lee@met.police.example")
    delegate.get_by_label("Do you need any access or disability adjustments?").fill(
        "A hearing loop, please"
    )
    for number in (1, 2, 3):
        rate(delegate, number, 4)
    click_and_wait(delegate, delegate.get_by_role("button", name="Apply"))
    expect(delegate.locator("h1")).to_have_text("Application received")
    booking = Booking.objects.get(session=session, email=DELEGATE_EMAIL)
    assert booking.status == "booked" and booking.owning_agency.name == POLICE_AGENCY
    assert [s.score for s in booking.evaluations.get(stage=1).scores.all()] == [4, 4, 4]

    # 3. The confirmation email carries the signed link to the booking.
    confirmations = [m for m in mail.outbox if DELEGATE_EMAIL in m.to]
    assert len(confirmations) == 1, [m.subject for m in mail.outbox]
    message = confirmations[0]
    assert message.subject == f"Your place is confirmed: {COURSE}"
    link = re.search(r"https?://\S+/training/booking/\S+/", message.body).group(0)
    path = urlsplit(link).path
    delegate.goto(path)
    expect(delegate.locator("h1")).to_have_text(COURSE)
    expect(delegate.locator(".govuk-caption-l")).to_have_text(f"Booking {booking.reference}")
    expect(delegate.locator(".govuk-summary-list")).to_contain_text(DELEGATE)
    expect(delegate.locator(".govuk-tag")).to_have_text("Place confirmed")
    expect(delegate.get_by_role("button", name="Cancel my booking")).to_be_visible()
    # No certificate before the course and its evaluation.
    expect(delegate.get_by_text("Download your certificate")).to_have_count(0)
    # A link that was tampered with opens nothing.
    assert delegate.goto(path[:-3] + "xx/").status == 404
    expect(delegate.locator("h1")).to_have_text("This link does not work")

    # 4. The course takes place (the session moves to this morning: the test cannot wait
    #    nine days), and the lead takes the register.
    starts = timezone.now().replace(microsecond=0) - dt.timedelta(hours=3)
    Session.objects.filter(pk=session.pk).update(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=2)
    )
    page.goto(f"/training/sessions/{session.pk}/")
    bookings = page.get_by_role("table", name="Bookings for this session")
    expect(bookings.locator("tr", has_text=DELEGATE)).to_contain_text("Place confirmed")
    click_and_wait(page, page.get_by_role("link", name="Take the register"))
    expect(page.locator("h1")).to_contain_text(f"Register: {COURSE}")
    page.get_by_role("group", name=f"{DELEGATE} ({POLICE_AGENCY})").get_by_label(
        "Attended", exact=True
    ).check()
    click_and_wait(page, page.get_by_role("button", name="Save"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Register saved (1 change)")
    expect(bookings.locator("tr", has_text=DELEGATE)).to_contain_text("Attended")

    # 5. The delegate evaluates the course (stage 2) and so releases the certificate.
    delegate.goto(path)
    expect(delegate.locator("h1")).to_have_text(COURSE)
    click_and_wait(delegate, delegate.get_by_role("link", name="Evaluate the course"))
    expect(delegate.locator("h1")).to_have_text("Course evaluation")
    for number, score in ((1, 8), (2, 7), (3, 9)):
        rate(delegate, number, score)
    delegate.get_by_role(
        "group", name="How would you rate the content of the course?"
    ).get_by_label("Excellent").check()
    delegate.get_by_role("group", name="How would you rate the trainer?").get_by_label(
        "Good", exact=True
    ).check()
    delegate.get_by_label("Any other comments (optional)").fill(
        "The case studies made me rethink how I record a child's voice."
    )
    click_and_wait(delegate, delegate.get_by_role("button", name="Submit"))
    expect(delegate.locator(".govuk-notification-banner")).to_contain_text(
        "Your certificate is ready to download"
    )
    booking.refresh_from_db()
    code = booking.certificate_code
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code), code
    expect(delegate.get_by_text(f"Verification code: {code}")).to_be_visible()
    expect(delegate.get_by_role("link", name="Evaluate the course")).to_have_count(0)
    with delegate.expect_download() as info:
        delegate.get_by_role("link", name="Download your certificate (PDF)").click()
    download = info.value
    assert download.suggested_filename == f"certificate-{booking.reference}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # 6. Anyone can check the certificate's code; a wrong code is refused.
    delegate.goto("/training/programme/")
    click_and_wait(delegate, delegate.get_by_role("link", name="Check a training certificate"))
    expect(delegate.locator("h1")).to_have_text("Check a training certificate")
    delegate.get_by_label("Verification code").fill(code.lower())
    click_and_wait(delegate, delegate.get_by_role("button", name="Check"))
    expect(delegate.locator(".govuk-panel__title")).to_have_text("Certificate is genuine")
    result = delegate.locator(".govuk-summary-list")
    expect(result).to_contain_text(DELEGATE)
    expect(result).to_contain_text(COURSE)
    expect(result).to_contain_text(f"{starts:%-d %B %Y}")
    delegate.get_by_label("Verification code").fill("ZZZZ-2222")
    click_and_wait(delegate, delegate.get_by_role("button", name="Check"))
    expect(delegate.get_by_text("No certificate has this code")).to_be_visible()
    expect(delegate.locator(".govuk-panel")).to_have_count(0)
    expect(delegate.locator("main")).not_to_contain_text(DELEGATE)
    assert_accessible(delegate, "certificate check, wrong code")


def test_the_year_report_and_who_sees_it(page, browser, demo):
    """The lead reads 2016-17 (the seed's 960 places, 713 used); a coordinator sees only
    their own agency's bookings; a reader sees figures only."""
    sign_in(page, LEAD)
    page.goto("/training/report/?year=2016-17")
    expect(page.locator("h1")).to_have_text("Training programme: 2016-17")
    expect(page.locator("#summary + p")).to_contain_text(
        "27 courses (48 sessions). 960 delegate places were available from the whole "
        "programme; 713 places were used (74.3%)."
    )
    total = page.get_by_role("table", name=re.compile("^Courses delivered")).locator(
        "tr", has_text="Total"
    )
    expect(total.locator("td").nth(1)).to_have_text("960")
    expect(total.locator("td").nth(3)).to_have_text("713")
    elearning = page.get_by_role("table", name=re.compile("^E-learning completions"))
    expect(elearning.locator("tr", has_text="Total").locator("td").first).to_have_text("233")
    chart = page.locator("img.sg-chart")
    expect(chart).to_have_attribute("alt", re.compile("^Bar chart: mean self-rated confidence"))
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0"), "chart did not load"
    screenshot(page, "training-report.png")

    context = browser.new_context(base_url=demo)
    try:
        other = context.new_page()
        problems = watch(other)
        sign_in(other, COORDINATOR)
        held = (
            Session.objects.filter(
                starts_at__year=2016, bookings__owning_agency__name=POLICE_AGENCY
            )
            .exclude(bookings__owning_agency__isnull=True)
            .distinct()
            .first()
        )
        other.goto(f"/training/sessions/{held.pk}/")
        expect(other.locator("h2", has_text="Your agency's bookings")).to_be_visible()
        agencies = other.get_by_role("table", name="Bookings for this session").locator(
            "tbody tr td:nth-child(3)"
        )
        assert set(agencies.all_inner_texts()) == {POLICE_AGENCY}
        stranger = Booking.objects.exclude(owning_agency__name=POLICE_AGENCY).first()
        assert other.goto(f"/training/bookings/{stranger.pk}/").status == 404

        click_and_wait(other, other.get_by_role("button", name="Sign out"))
        expect(other.locator("h1")).to_have_text("Sign in")
        sign_in(other, BOARD)
        other.goto("/training/report/?year=2016-17")
        expect(other.locator("#summary + p")).to_contain_text("713 places were used")
        assert other.goto("/training/").status == 403
        assert not problems, problems
    finally:
        context.close()
