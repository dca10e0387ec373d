"""axe (WCAG 2.2 AA) on every child death, private fostering and performance page each demo
role of those modules can reach: lists with filters, detail pages, every form empty and with
errors, worklists, the panel view, imports (and a bad file's errors), reports, the dashboard.

The same approach as test_accessibility.py (its `Audit` walks one role's pages and reports
every page's violations at once). No rule is disabled anywhere: if one ever must be, pass
`disable={"rule-id": "why"}` to `Audit.check` for that page only.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import safeguarding
from safeguarding.child_deaths.models import Death, FormRequest
from safeguarding.performance.models import DataReturn, Indicator
from safeguarding.private_fostering.models import Notification

from .helpers import BROWSER, sign_in
from .test_accessibility import Audit

pytestmark = BROWSER

FAVICON = Path(safeguarding.__file__).parent / "core" / "static" / "core" / "favicon.svg"
TRUST = "Northbank and Riverside Hospitals NHS Trust"
CAMHS = "South London Mental Health NHS Trust (CAMHS)"


def images_one_at_a_time(page) -> None:
    """Let the browser fetch the server's SVG charts one after another, not six at once
    (and serve the favicon from its file).

    Every request saves the session (SESSION_SAVE_EVERY_REQUEST), and the live server's
    in-memory SQLite database answers a concurrent write with "database table is locked"
    at once (no busy timeout in shared-cache mode): a dashboard of sparklines then gets
    400s and 500s that a file or PostgreSQL database never gives. The charts are still
    fetched from the live server, with the page's cookies; only their order changes."""
    queue: list = []
    busy: list = []

    def handle(route) -> None:
        queue.append(route)
        if busy:
            return  # the running handler takes it
        busy.append(True)
        try:
            while queue:
                current = queue.pop(0)
                current.fulfill(response=current.fetch())
        finally:
            busy.clear()

    # Chromium reports the favicon's request as failed when a page is left before it has
    # loaded (often, once requests are intercepted): it is answered from its file instead.
    page.route(
        "**/static/core/favicon.svg",
        lambda route: route.fulfill(body=FAVICON.read_bytes(), content_type="image/svg+xml"),
    )
    page.route(re.compile(r"/(report|indicators)/[^?]*\.svg"), handle)


def upload_bad_file(audit: Audit, path, text: str, expected: str) -> None:
    """Upload a file with problems to the import form on the page; check the error summary."""
    page = audit.page
    path.write_text(text)
    page.get_by_label("CSV or Excel (.xlsx) file").set_input_files(str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Check and import").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "nothing was imported" in summary and expected in summary, summary
    audit.check("import with a bad file")


def search(audit: Audit, label: str, text: str) -> None:
    page = audit.page
    page.get_by_label(label).fill(text)
    with page.expect_navigation():
        page.get_by_role("button", name="Search", exact=True).click()
    audit.check("list, searched")


# --- Child death reviews -------------------------------------------------------------------


def test_child_deaths_coordinator_pages_are_accessible(page, tmp_path):
    reviewed = Death.objects.filter(review_date__isnull=False).order_by("-date_of_death").first()
    no_jar = Death.objects.filter(expected=False, jar_date__isnull=True).first()
    returned = FormRequest.objects.filter(returned_date__isnull=False).first()
    images_one_at_a_time(page)
    audit = Audit(page)
    sign_in(page, "cdop@northbank.example")
    audit.check("home (coordinator)")
    # The register filtered (and searched below) rather than whole: the same markup, and
    # axe takes seconds over fifty rows of the same kind.
    audit.visit(
        "/child-deaths/?year=2016-17&expected=unexpected&reviewed=yes&category=8",
        "register, filtered",
        "Child death register",
    )
    search(audit, "Search by reference, child's name or NHS number", reviewed.reference)
    audit.visit(f"/child-deaths/{reviewed.pk}/", "reviewed death", reviewed.reference)
    audit.visit(f"/child-deaths/{no_jar.pk}/", "death without a joint response", no_jar.reference)
    audit.visit("/child-deaths/new/", "notify a death", "Notify a child death")
    audit.submit("notify a death with errors")
    audit.visit(f"/child-deaths/{no_jar.pk}/edit/", "change a notification", "Change")
    page.locator("#id_date_of_death_0").fill("")
    page.get_by_label("NHS number").fill("1234567890")
    audit.submit("change a notification with errors")
    audit.visit(
        f"/child-deaths/{no_jar.pk}/joint-agency-response/", "joint agency response", "Joint"
    )
    audit.submit("joint agency response with errors")
    audit.visit(f"/child-deaths/{no_jar.pk}/review/", "panel review", "Panel review")
    audit.submit("panel review with errors")
    audit.visit(
        f"/child-deaths/{reviewed.pk}/recommendations/new/",
        "add a recommendation",
        "Add a recommendation",
    )
    audit.submit("add a recommendation with errors")
    audit.visit(
        f"/child-deaths/{no_jar.pk}/forms/request/", "request forms", "Request agency reporting"
    )
    audit.submit("request forms with errors")
    audit.visit("/child-deaths/forms/", "forms outstanding", "Agency reporting forms")
    audit.visit("/child-deaths/forms/?status=all", "forms, all")
    audit.visit(f"/child-deaths/forms/{returned.pk}/", "a returned form", "Reporting form for")
    audit.visit("/child-deaths/panel/", "panel meeting", "Panel meeting")
    audit.visit("/child-deaths/import/", "import", "Import child death records")
    audit.submit("import without a file", "Check and import")
    upload_bad_file(
        audit,
        tmp_path / "deaths.csv",
        "reference,date_of_birth,date_of_death,sex,notification_date,expected\n"
        "CD-X1,2016-05-01,2016-04-01,male,2016-04-02,yes\n"
        "CD-X2,2016-13-45,2016-04-01,dragon,2016-04-02,maybe\n",
        "row 2, column date_of_death",
    )
    audit.visit("/child-deaths/report/?year=2016-17", "report 2016-17", "2016-17")
    audit.done()


def test_child_deaths_contributor_and_reader_pages_are_accessible(page, browser, demo):
    outstanding = FormRequest.objects.filter(
        owning_agency__name=TRUST, returned_date__isnull=True
    ).first()
    own = Death.objects.filter(owning_agency__name=TRUST).first()
    images_one_at_a_time(page)
    audit = Audit(page)
    sign_in(page, "cdop.health@northbank.example")
    audit.check("home (health contributor)")
    audit.visit("/child-deaths/", "register (contributor)", "Child death register")
    audit.visit(f"/child-deaths/{own.pk}/", "own agency's death", own.reference)
    audit.visit("/child-deaths/forms/", "forms (contributor)", "Agency reporting forms")
    audit.visit("/child-deaths/forms/?status=returned", "returned forms (contributor)")
    audit.visit(f"/child-deaths/forms/{outstanding.pk}/", "form to return", "Reporting form for")
    audit.submit("form to return with errors", "Return the form")
    audit.visit("/child-deaths/new/", "notify a death (contributor)", "Notify a child death")
    audit.submit("notify a death with errors (contributor)")
    other = FormRequest.objects.exclude(owning_agency__name=TRUST).first()
    audit.visit(f"/child-deaths/forms/{other.pk}/", "another agency's form", "Page not found")

    page.context.clear_cookies()
    sign_in(page, "cdop.reader@northbank.example")
    audit.check("home (reader)")
    audit.visit("/child-deaths/report/?year=2016-17", "report (reader)", "2016-17")
    audit.visit("/child-deaths/", "register refused (reader)", "You do not have access")
    audit.done()


# --- Private fostering ---------------------------------------------------------------------


def test_private_fostering_manager_pages_are_accessible(page, tmp_path):
    active = (
        Notification.objects.filter(
            decision="private_fostering",
            arrangement_start_date__isnull=False,
            arrangement_end_date__isnull=True,
        )
        .order_by("-arrangement_start_date")
        .first()
    )
    not_pf = Notification.objects.filter(decision="not_private_fostering").first()
    images_one_at_a_time(page)
    audit = Audit(page)
    sign_in(page, "private.fostering@northbank.example")
    audit.check("home (manager)")
    # Filtered (and searched below) rather than whole: the same markup, fewer rows for axe.
    audit.visit(
        "/private-fostering/?year=2016-17&status=ended&category=language_student",
        "register, filtered",
        "Private fostering register",
    )
    search(audit, "Search by reference, child's name or carer's name", active.reference)
    audit.visit(f"/private-fostering/{active.pk}/", "arrangement in place", active.reference)
    audit.visit(f"/private-fostering/{not_pf.pk}/", "not private fostering", not_pf.reference)
    audit.visit("/private-fostering/new/", "record a notification", "Record a private fostering")
    audit.submit("record a notification with errors")
    audit.visit(f"/private-fostering/{active.pk}/edit/", "change a notification", "Change")
    future = dt.date.today() + dt.timedelta(days=30)
    page.locator("#id_notification_date_0").fill(str(future.day))
    page.locator("#id_notification_date_1").fill(str(future.month))
    page.locator("#id_notification_date_2").fill(str(future.year))
    audit.submit("change a notification with errors")
    audit.visit(
        f"/private-fostering/{active.pk}/arrangement/", "arrangement dates", "Arrangement dates"
    )
    page.get_by_label("Why did it end?").select_option(index=1)
    audit.submit("arrangement dates with errors", "Save dates")
    audit.visit(
        f"/private-fostering/{active.pk}/assessment/", "suitability assessment", "Suitability"
    )
    page.locator("#id_assessment_date_0").fill("")
    page.locator("#id_assessment_date_1").fill("")
    page.locator("#id_assessment_date_2").fill("")
    audit.submit("suitability assessment with errors", "Save assessment")
    audit.visit(f"/private-fostering/{active.pk}/visits/new/", "record a visit", "Record a visit")
    audit.submit("record a visit with errors", "Save visit")
    audit.visit("/private-fostering/visits/", "visits worklist", "Statutory visits due")
    audit.visit("/private-fostering/import/", "import", "Import")
    audit.submit("import without a file", "Check and import")
    upload_bad_file(
        audit,
        tmp_path / "pf.csv",
        "reference,notification_date,child_date_of_birth,child_disabled,carer_relationship,"
        "arrangement_start_date,arrangement_end_date,category\n"
        "PF-X1,2016-05-01,2004-01-01,no,grandparent,2016-05-10,,family_breakdown\n"
        "PF-X2,2016-13-45,2004-01-01,maybe,cousin,,,holiday\n",
        "row 2",
    )
    audit.visit("/private-fostering/report/?year=2016-17", "report 2016-17", "2016-17")
    audit.done()


def test_private_fostering_contributor_and_reader_pages_are_accessible(page):
    own = Notification.objects.filter(owning_agency__name__startswith="Hillside").first()
    images_one_at_a_time(page)
    audit = Audit(page)
    sign_in(page, "pf.hillside@northbank.example")
    audit.check("home (contributor)")
    audit.visit("/private-fostering/", "register (contributor)", "Private fostering register")
    audit.visit(f"/private-fostering/{own.pk}/", "own notification", own.reference)
    audit.visit("/private-fostering/new/", "record a notification (contributor)", "Record a")
    audit.submit("record a notification with errors (contributor)")
    audit.visit("/private-fostering/visits/", "worklist (contributor)", "Statutory visits")

    page.context.clear_cookies()
    sign_in(page, "pf.board@northbank.example")
    audit.check("home (reader)")
    audit.visit("/private-fostering/report/?year=2016-17", "report (reader)", "2016-17")
    audit.visit("/private-fostering/", "register refused (reader)", "You do not have access")
    audit.done()


# --- Performance framework -----------------------------------------------------------------


def test_performance_manager_pages_are_accessible(page, tmp_path):
    indicator = Indicator.objects.get(reference="LAC-2")
    open_return = DataReturn.objects.get(status="open", owning_agency__name=CAMHS)
    submitted = DataReturn.objects.filter(status="approved", period="2016-Q1").first()
    DataReturn.objects.filter(pk=submitted.pk).update(status="submitted")
    images_one_at_a_time(page)
    audit = Audit(page)
    sign_in(page, "performance@northbank.example")
    audit.check("home (manager)")
    audit.visit("/performance/?period=2016-Q1", "dashboard 2016-Q1", "2016-Q1")
    camhs = page.locator("#id_agency option", has_text=CAMHS).get_attribute("value")
    audit.visit(f"/performance/?period=2016-06&agency={camhs}", "dashboard, filtered")
    audit.visit("/performance/exceptions/?period=2016-Q1", "exceptions", "Exceptions")
    audit.visit("/performance/indicators/", "indicator catalogue", "Indicator catalogue")
    audit.visit(f"/performance/indicators/{indicator.pk}/", "indicator", indicator.reference)
    audit.visit("/performance/indicators/new/", "add an indicator", "indicator")
    audit.submit("add an indicator with errors", "Save indicator")
    audit.visit(f"/performance/indicators/{indicator.pk}/edit/", "change an indicator")
    page.get_by_label("Reference").fill("")
    audit.submit("change an indicator with errors", "Save indicator")
    audit.visit(
        f"/performance/indicators/{indicator.pk}/benchmarks/", "enter a benchmark", "Benchmark for"
    )
    page.get_by_label("Financial year").select_option("")
    audit.submit("enter a benchmark with errors", "Save benchmark")
    audit.visit("/performance/returns/", "returns", "Data returns")
    audit.visit(f"/performance/returns/{open_return.pk}/", "open return", "Data return for")
    page.get_by_label("Value of CAMHS-2").fill("140")
    page.get_by_label("Value of CAMHS-1").fill("-3")
    audit.submit("open return with errors", "Save values")
    audit.visit(f"/performance/returns/{submitted.pk}/", "submitted return", "Data return for")
    audit.visit(f"/performance/returns/{submitted.pk}/send-back/", "send back", "Send back")
    audit.submit("send back with errors", "Send back")
    audit.visit("/performance/import/", "import values", "Import indicator values")
    audit.submit("import without a file", "Check and import")
    upload_bad_file(
        audit,
        tmp_path / "values.csv",
        "indicator,period,agency,value,numerator,denominator,commentary\n"
        f"CAMHS-2,2016-04,{CAMHS},140,,,\n"
        "NOPE-1,2016-99,Nowhere,-1,,,\n",
        "row 2, column value",
    )
    audit.done()


def test_performance_contributor_and_reader_pages_are_accessible(page):
    open_return = DataReturn.objects.get(status="open", owning_agency__name=CAMHS)
    approved = DataReturn.objects.filter(status="approved", owning_agency__name=CAMHS).first()
    indicator = Indicator.objects.get(reference="CAMHS-2")
    images_one_at_a_time(page)
    audit = Audit(page)
    sign_in(page, "data@camhs.example")
    audit.check("home (CAMHS contributor)")
    audit.visit("/performance/returns/", "returns (contributor)", "Data returns")
    audit.visit(f"/performance/returns/{open_return.pk}/", "own open return", "Data return for")
    page.get_by_label("Value of CAMHS-2").fill("140")
    page.get_by_label("Numerator of CAMHS-3").fill("12")
    audit.submit("own open return with errors", "Save values")
    audit.visit(f"/performance/returns/{approved.pk}/", "own approved return", "Data return for")

    page.context.clear_cookies()
    sign_in(page, "board@northbank.example")
    audit.check("home (board member)")
    audit.visit("/performance/?period=2016-Q1", "dashboard (reader)", "2016-Q1")
    audit.visit("/performance/exceptions/?period=2016-Q1", "exceptions (reader)", "Exceptions")
    audit.visit("/performance/indicators/", "catalogue (reader)", "Indicator catalogue")
    audit.visit(f"/performance/indicators/{indicator.pk}/", "indicator (reader)", "CAMHS-2")
    audit.done()
