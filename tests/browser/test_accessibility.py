"""axe (WCAG 2.2 AA) on every LADO and platform page each demo role can reach, error states too.

Each test walks one role's pages and reports every page's violations at once, so one run
shows all that needs fixing. No rule is disabled anywhere: if one ever must be, pass
`disable={"rule-id": "why"}` to `Audit.check` for that page only.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from safeguarding.core.models import Agency, User
from safeguarding.lado.models import Case, MeetingType

from .helpers import (
    ADMIN,
    BROWSER,
    CONTRIBUTOR,
    MANAGER,
    OFFICER,
    READER,
    axe_violations,
    describe,
    sign_in,
    watch,
)

pytestmark = BROWSER


class Audit:
    """Collects axe violations page by page; `done()` fails with all of them."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        self.pages: list[str] = []

    def check(self, label: str, disable: dict[str, str] | None = None) -> None:
        self.page.wait_for_load_state("load")
        self.pages.append(label)
        violations = axe_violations(self.page, disable)
        if violations:
            self.problems.append(f"--- {label} ({self.page.url})\n{describe(violations)}")

    def visit(self, url: str, label: str, heading: str | None = None) -> None:
        response = self.page.goto(url)
        assert response is not None
        if heading:
            h1 = self.page.locator("h1").first.inner_text()
            assert heading in h1, f"{label}: expected heading {heading!r}, got {h1!r}"
        self.check(label)

    def submit(self, label: str, button: str = "Save") -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button, exact=True).click()
        assert self.page.get_by_text("There is a problem").first.is_visible(), label
        self.check_error_summary(label)
        self.check(label)

    def check_error_summary(self, label: str) -> None:
        """The GOV.UK pattern: the summary takes focus, and each error links to its input."""
        broken = self.page.evaluate(
            """() => [...document.querySelectorAll('.govuk-error-summary a')]
                .map(a => a.getAttribute('href'))
                .filter(href => !href.startsWith('#') || !document.getElementById(href.slice(1)))"""
        )
        if broken:
            self.problems.append(f"--- {label}: error summary links to nothing: {broken}")
        focused = self.page.evaluate(
            "() => !!document.activeElement.closest('.govuk-error-summary')"
        )
        if not focused:
            self.problems.append(f"--- {label}: the error summary did not take focus")

    def done(self) -> None:
        assert not self.problems, (
            f"{len(self.problems)} of {len(self.pages)} pages have axe violations:\n"
            + "\n".join(self.problems)
        )


def test_anonymous_pages_are_accessible(page):
    audit = Audit(page)
    audit.visit("/sign-in/", "sign-in", "Sign in")
    page.get_by_label("Email address").fill("nobody@example.org")
    audit.submit("sign-in with errors", "Sign in")
    audit.visit("/accessibility/", "accessibility statement", "Accessibility statement")
    audit.visit("/password-reset/", "password reset", "Reset your password")
    page.get_by_label("Email address").fill("not an email address")
    audit.submit("password reset with errors", "Send the link")
    page.get_by_label("Email address").fill(OFFICER)
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_url("**/password-reset/sent/")
    audit.check("password reset sent")
    user = User.objects.get(email=OFFICER)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    audit.visit(
        f"/password-reset/{uid}/{default_token_generator.make_token(user)}/",
        "set a new password",
        "Set a new password",
    )
    inputs = page.locator("input[type=password]")
    inputs.nth(0).fill("a-new-password-2024")
    inputs.nth(1).fill("a-different-one-2024")
    audit.submit("set a new password with errors", "Set password")
    audit.visit(f"/password-reset/{uid}/not-a-token/", "expired link", "This link has expired")
    audit.visit("/password-reset/complete/", "password set", "Your password has been set")
    audit.visit("/no-such-page/", "404", "Page not found")
    audit.done()


def test_contributor_pages_are_accessible(page):
    own = Case.objects.filter(owning_agency__name__startswith="Brockley").first()
    audit = Audit(page)
    sign_in(page, CONTRIBUTOR)
    audit.check("home")
    audit.visit("/lado/", "LADO list", "LADO register")
    audit.visit("/lado/?year=2016-17&quarter=Q2&status=closed", "LADO list, filtered")
    page.get_by_label("Search by reference or the adult's name").fill(own.reference)
    with page.expect_navigation():
        page.get_by_role("button", name="Search", exact=True).click()
    audit.check("LADO list, searched")
    audit.visit("/lado/new/", "refer an allegation", "Refer an allegation to the LADO")
    audit.submit("refer an allegation with errors", "Send the referral")
    audit.visit(f"/lado/{own.pk}/", "own case", own.reference)
    audit.done()


def test_officer_pages_are_accessible(page, tmp_path):
    referral = (
        Case.objects.filter(threshold_met=True, meetings__isnull=False, outcome="substantiated")
        .distinct()
        .first()
    )
    open_case = Case.objects.filter(threshold_met=True, is_open=True).first()
    audit = Audit(page)
    sign_in(page, OFFICER)
    audit.check("home")
    audit.visit("/lado/", "LADO list", "LADO register")
    audit.visit(f"/lado/{referral.pk}/", "referral with meetings and outcome", referral.reference)
    audit.visit(f"/lado/{open_case.pk}/", "open referral", open_case.reference)
    audit.visit(f"/lado/{referral.pk}/edit/", "edit form", f"Change {referral.reference}")
    page.locator("#id_referral_date_0").fill("1")
    page.locator("#id_referral_date_1").fill("1")
    page.locator("#id_referral_date_2").fill("2001")
    audit.submit("edit form with errors")
    audit.visit(f"/lado/{open_case.pk}/outcome/", "outcome form", "Outcome of")
    page.get_by_role("radio", name="Substantiated", exact=True).check()
    audit.submit("outcome form with errors", "Save outcome")
    audit.visit(f"/lado/{open_case.pk}/meetings/new/", "meeting form", "Record a meeting")
    audit.submit("meeting form with errors", "Save meeting")
    audit.visit("/lado/import/", "import", "Import LADO records")
    bad = tmp_path / "bad.csv"
    today = dt.date.today()
    bad.write_text(
        "reference,contact_date,threshold_met,employer_sector\n"
        "X-1,2016-13-45,yes,primary_school\n"
        f"X-2,{today.year + 1}-01-01,maybe,nowhere\n"
    )
    page.get_by_label("CSV or Excel (.xlsx) file").set_input_files(str(bad))
    with page.expect_navigation():
        page.get_by_role("button", name="Check and import").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "nothing was imported" in summary and "row 2, column contact_date" in summary, summary
    audit.check("import with errors")
    audit.visit("/lado/report/?year=2016-17", "report 2016-17", "2016-17")
    audit.visit("/lado/report/", "report, default year")
    audit.done()


def test_manager_pages_are_accessible(page):
    meeting_type = MeetingType.objects.first()
    audit = Audit(page)
    sign_in(page, MANAGER)
    audit.visit("/lado/", "LADO list (manager)", "LADO register")
    audit.visit("/lado/meeting-types/", "meeting types", "Meeting types")
    audit.visit("/lado/meeting-types/new/", "add a meeting type", "Add a meeting type")
    audit.submit("add a meeting type with errors")
    audit.visit(
        f"/lado/meeting-types/{meeting_type.pk}/", "change a meeting type", meeting_type.name
    )
    audit.done()


def test_reader_and_admin_pages_are_accessible(page, browser, demo):
    audit = Audit(page)
    sign_in(page, READER)
    audit.check("home (reader)")
    audit.visit("/lado/report/?year=2016-17", "report (reader)", "2016-17")
    audit.visit("/lado/", "register refused (reader)", "You do not have access")

    context = browser.new_context(base_url=demo)
    admin_page = context.new_page()
    problems = watch(admin_page)
    audit.page = admin_page
    sign_in(admin_page, ADMIN)
    audit.check("home (administrator)")
    audit.visit("/administration/", "administration", "Partnership administration")
    audit.visit("/administration/agencies/new/", "add an agency", "Add an agency")
    audit.submit("add an agency with errors", "Save agency")
    agency = Agency.objects.first()
    audit.visit(f"/administration/agencies/{agency.pk}/", "change an agency", "Change")
    audit.visit("/administration/users/new/", "add a user", "Add a user")
    admin_page.get_by_label("Work email address").fill(OFFICER)
    audit.submit("add a user with errors", "Save user")
    person = User.objects.get(email=OFFICER)
    audit.visit(f"/administration/users/{person.pk}/", "change a user", person.full_name)
    audit.visit("/lado/", "register refused (administrator)", "You do not have access")
    context.close()
    audit.done()
    assert not problems, problems
