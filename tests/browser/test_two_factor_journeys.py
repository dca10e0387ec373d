"""Two-factor sign-in in a real browser: the LADO officer sets up an authenticator app from
what the page shows (the key as text, as someone without a camera would), keeps the recovery
codes, signs in again with a code; an administrator's reset page; the demo site's banner.
Every page is checked with axe and the error summary's focus, without a script of our own.
"""

from __future__ import annotations

import base64
import time

from django_otp.oath import totp
from playwright.sync_api import expect

from safeguarding.core.models import User

from .helpers import ADMIN, BROWSER, OFFICER, READER, sign_in
from .test_accessibility import Audit

pytestmark = BROWSER


def code_from_key(text: str, ahead: int = 0) -> str:
    """What an authenticator app shows for the key as the page prints it."""
    key = base64.b32decode("".join(text.split()))
    return f"{totp(key, drift=ahead):06d}"


def click_and_wait(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def test_an_officer_sets_up_two_factor_sign_in_and_signs_in_with_a_code(page, two_factor):
    audit = Audit(page)
    sign_in(page, OFFICER)
    expect(page.locator("h1")).to_have_text("Set up two-factor sign-in")
    qr = page.get_by_role("img", name="QR code")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR code shows"
    audit.check("set up two-factor sign-in")
    page.goto("/lado/")
    expect(page.locator("h1")).to_have_text("Set up two-factor sign-in")

    page.get_by_label("Code from your authenticator app").fill("12345")
    audit.submit("set up, with errors", "Confirm")
    key = page.locator("#secret-key").inner_text()
    page.get_by_label("Code from your authenticator app").fill(code_from_key(key))
    click_and_wait(page, "Confirm")
    expect(page.locator(".govuk-panel__title")).to_have_text("Two-factor sign-in is set up")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    audit.check("recovery codes")
    with page.expect_navigation():
        page.get_by_role("button", name="I have saved my codes: continue").click()
    page.goto("/lado/")
    expect(page.locator("h1")).to_have_text("LADO register")

    click_and_wait(page, "Sign out")
    sign_in(page, OFFICER)
    expect(page.locator("h1")).to_have_text("Enter your code")
    audit.check("enter your code")
    page.get_by_label("Code").fill("000000" if code_from_key(key, 1) != "000000" else "111111")
    audit.submit("enter your code, with errors", "Continue")
    time.sleep(1.5)  # one wrong code: the next try waits a second
    page.get_by_label("Code").fill(code_from_key(key, 1))
    click_and_wait(page, "Continue")
    expect(page.locator("h1")).to_have_text("Your work")
    page.goto("/two-factor/")
    expect(page.locator(".govuk-summary-list")).to_contain_text("10")
    audit.check("two-factor sign-in (own page)")
    audit.done()


def test_the_administrators_reset_page_and_the_voluntary_set_up(page, two_factor):
    two_factor.TWO_FACTOR_ROLES = ["officer", "manager"]  # the administrator signs in plainly
    officer = User.objects.get(email=OFFICER)
    audit = Audit(page)
    sign_in(page, ADMIN)
    audit.visit(
        f"/administration/users/{officer.pk}/two-factor/", "reset (nothing set up)", "Two-factor"
    )
    expect(page.locator("main")).to_contain_text("nothing to reset")
    admin = User.objects.get(email=ADMIN)
    audit.visit(f"/administration/users/{admin.pk}/two-factor/", "reset (own)", "Two-factor")
    expect(page.locator("main")).to_contain_text("You cannot reset your own")
    audit.visit("/two-factor/", "two-factor sign-in, off", "Two-factor sign-in")
    with page.expect_navigation():
        page.get_by_role("button", name="Set up two-factor sign-in").click()
    expect(page.locator("h1")).to_have_text("Set up two-factor sign-in")
    audit.done()


def test_the_demo_site_says_so_on_every_page_and_asks_for_no_code(page, settings):
    settings.DEMO_MODE = True
    settings.TWO_FACTOR_ROLES = ["officer", "manager", "administrator"]
    audit = Audit(page)
    page.goto("/sign-in/")
    banner = page.locator(".govuk-phase-banner")
    expect(banner).to_contain_text("Demo site: two-factor sign-in is switched off.")
    audit.check("sign-in (demo)")
    sign_in(page, OFFICER)
    expect(page.locator("h1")).to_have_text("Your work")
    expect(banner).to_contain_text("Never enter real personal data.")
    audit.check("home (demo)")
    page.goto("/lado/")
    expect(banner).to_be_visible()
    click_and_wait(page, "Sign out")
    sign_in(page, READER)
    expect(banner).to_be_visible()
    audit.done()
