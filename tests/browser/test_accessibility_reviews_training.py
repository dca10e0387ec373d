"""axe (WCAG 2.2 AA) on every case review, action tracker and training page each demo role
can reach: lists with filters, detail pages, every form empty and with errors, worklists,
action plans, report pages, and the public training pages a delegate uses without an account.

Same approach as test_accessibility.py (its `Audit` collects every page's violations, so one
run shows all that needs fixing). No rule is disabled anywhere: if one ever must be, pass
`disable={"rule-id": "why"}` to `Audit.check` for that page only, with the reason.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from safeguarding.actions.models import Action
from safeguarding.case_reviews.models import Chronology, Referral
from safeguarding.core.periods import FinancialYear
from safeguarding.training import services as training_services
from safeguarding.training.models import Booking, Course, Session
from safeguarding.training.tokens import booking_token

from .helpers import BROWSER, fill_date, sign_in
from .test_accessibility import Audit

pytestmark = BROWSER

# The demo users (safeguarding/case_reviews/demo.py, safeguarding/training/demo.py).
REVIEWS_UNIT = "reviews@northbank.example"
REVIEWS_POLICE = "reviews.police@northbank.example"
REVIEWS_HEALTH = "reviews.health@northbank.example"
REVIEWS_BOARD = "reviews.board@northbank.example"
TRAINING_LEAD = "training@northbank.example"
TRAINING_POLICE = "training.police@northbank.example"
TRAINING_BOARD = "training.board@northbank.example"


def _plan_url(referral: Referral) -> str:
    kind = ContentType.objects.get_for_model(Referral)
    return f"/actions/plan/{kind.pk}/{referral.pk}/"


def _click(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


# ---- case reviews and actions ----------------------------------------------------------


def test_business_unit_case_review_pages_are_accessible(page):
    rsw = Referral.objects.get(title="Case RSW")
    lcspr = Referral.objects.get(title="Case K")  # LCSPR under way: chronologies, an action
    running = Referral.objects.get(title="Case P")  # notification clock running
    open_chronology = Chronology.objects.filter(returned_date__isnull=True).first()
    audit = Audit(page)
    sign_in(page, REVIEWS_UNIT)
    audit.check("home (business unit)")
    audit.visit("/case-reviews/", "case review list", "Case reviews")
    audit.visit(
        "/case-reviews/?year=2016-17&decision=scr&stage=published", "case review list, filtered"
    )
    page.get_by_label("Search by reference, case name or child's last name").fill("RSW")
    _click(page, "Search")
    audit.check("case review list, searched")
    audit.visit("/case-reviews/worklist/", "worklist", "Due this week")
    audit.visit("/case-reviews/chronologies/", "chronology requests", "Chronology requests")
    audit.visit(f"/case-reviews/{rsw.pk}/", "published review", "Case RSW")
    audit.visit(f"/case-reviews/{lcspr.pk}/", "LCSPR in progress", "Case K")
    audit.visit(f"/case-reviews/{running.pk}/", "referral, clock running", "Case P")

    audit.visit("/case-reviews/new/", "refer a case", "Refer a case to the panel")
    audit.submit("refer a case with errors")
    audit.visit(f"/case-reviews/{running.pk}/edit/", "change a referral", "Change")
    fill_date(page, "referral_date", "", "", "")
    audit.submit("change a referral with errors")
    audit.visit(
        f"/case-reviews/{running.pk}/panel/", "clocks and decision", "Clocks and the panel's"
    )
    page.get_by_role("radio", name="No review", exact=True).check()
    audit.submit("clocks and decision with errors")
    audit.visit(f"/case-reviews/{lcspr.pk}/review/", "review and publication", "The review")
    fill_date(page, "published_date", 1, 1, 2001)
    audit.submit("review and publication with errors")
    audit.visit(f"/case-reviews/{running.pk}/children/new/", "add a child", "Add a child")
    audit.submit("add a child with errors")
    audit.visit(
        f"/case-reviews/{running.pk}/chronologies/new/",
        "request a chronology",
        "Request an agency's chronology",
    )
    audit.submit("request a chronology with errors")
    audit.visit(
        f"/case-reviews/chronologies/{open_chronology.pk}/returned/",
        "chronology returned",
        "Chronology returned",
    )
    fill_date(page, "returned_date", "", "", "")
    audit.submit("chronology returned with errors")
    audit.visit(f"/case-reviews/{lcspr.pk}/actions/new/", "add an action", "Add an action")
    audit.submit("add an action with errors")

    audit.visit("/case-reviews/settings/", "settings", "Review types and learning themes")
    audit.visit("/case-reviews/settings/review-types/new/", "add a review type", "Review type")
    audit.submit("add a review type with errors")
    audit.visit("/case-reviews/settings/themes/new/", "add a theme", "Learning theme")
    audit.submit("add a theme with errors")
    audit.visit("/case-reviews/import/", "import", "Import case review referrals")
    audit.submit("import with errors", "Check and import")
    audit.visit("/case-reviews/report/?year=2016-17", "report 2016-17", "Case reviews: 2016-17")
    audit.done()


def test_business_unit_action_pages_are_accessible(page):
    rsw = Referral.objects.get(title="Case RSW")
    closed = Action.objects.filter(status="closed").first()
    complete = Action.objects.filter(status="complete").first()
    overdue = Action.objects.filter(status="not_started", due_date__lt=dt.date.today()).first()
    audit = Audit(page)
    sign_in(page, REVIEWS_UNIT)
    audit.visit("/actions/", "all actions", "Actions")
    audit.visit(
        "/actions/?source_module=case_reviews&status=not_started&due=overdue",
        "actions, filtered",
        "Actions",
    )
    audit.visit("/actions/mine/", "my agency's actions", "My agency's actions")
    audit.visit("/actions/figures/", "action figures", "Action plans: figures today")
    audit.visit(_plan_url(rsw), "action plan", "Case RSW")
    audit.visit(_plan_url(rsw) + "?print=1", "action plan, printable", "Action plan")
    audit.visit(f"/actions/{closed.pk}/", "closed action", closed.reference)
    audit.visit(f"/actions/{complete.pk}/", "complete action", complete.reference)
    audit.visit(f"/actions/{overdue.pk}/", "overdue action", overdue.reference)
    audit.visit(f"/actions/{overdue.pk}/progress/", "record progress", "Record progress")
    audit.submit("record progress with errors")
    audit.visit(f"/actions/{overdue.pk}/close/", "close an action", "Close with evidence")
    audit.submit("close an action with errors")
    audit.visit(f"/actions/{overdue.pk}/edit/", "change an action", "Change the action")
    page.get_by_label("What will be done").fill("")
    audit.submit("change an action with errors")
    audit.done()


def test_contributor_case_review_and_action_pages_are_accessible(page):
    own = Referral.objects.get(title="Case K")  # referred by the police
    chronology = Chronology.objects.get(referral=own, agency__name__icontains="police")
    action = Action.objects.filter(owning_agency__name__icontains="police", status="not_started")
    action = action.first()
    others = Action.objects.exclude(owning_agency__name__icontains="police").first()
    audit = Audit(page)
    sign_in(page, REVIEWS_POLICE)
    audit.check("home (police contributor)")
    audit.visit("/case-reviews/", "case review list (contributor)", "Case reviews")
    audit.visit(f"/case-reviews/{own.pk}/", "own agency's referral", "Case K")
    audit.visit("/case-reviews/new/", "refer a case (contributor)", "Refer a case")
    audit.submit("refer a case with errors (contributor)")
    audit.visit("/case-reviews/chronologies/", "own chronology requests", "Chronology requests")
    audit.visit(
        f"/case-reviews/chronologies/{chronology.pk}/returned/",
        "chronology returned (contributor)",
        "Chronology returned",
    )
    fill_date(page, "returned_date", 1, 1, 2001)
    audit.submit("chronology returned with errors (contributor)")
    audit.visit("/case-reviews/report/?year=2016-17", "report (contributor)", "2016-17")
    audit.visit("/actions/mine/", "my agency's actions (contributor)", "My agency's actions")
    audit.visit("/actions/?status=not_started", "actions, filtered (contributor)", "Actions")
    audit.visit(f"/actions/{action.pk}/", "own action", action.reference)
    audit.visit(_plan_url(own), "action plan (contributor)", "Case K")
    audit.visit(f"/actions/{action.pk}/progress/", "record progress (contributor)", "Record")
    audit.submit("record progress with errors (contributor)")
    audit.visit(f"/actions/{others.pk}/", "another agency's action", "Page not found")
    audit.done()


def test_reader_case_review_and_action_pages_are_accessible(page):
    audit = Audit(page)
    sign_in(page, REVIEWS_BOARD)
    audit.check("home (reader)")
    audit.visit("/case-reviews/report/?year=2016-17", "report (reader)", "Case reviews: 2016-17")
    audit.visit("/actions/figures/", "action figures (reader)", "Action plans: figures today")
    audit.visit("/case-reviews/", "register refused (reader)", "You do not have access")
    audit.done()


# ---- training --------------------------------------------------------------------------


def _past_session(course: Course) -> Session:
    """A session held a week ago (2016-17's sessions already have every evaluation)."""
    starts = timezone.now().replace(microsecond=0) - dt.timedelta(days=7)
    return Session.objects.create(
        course=course,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=6),
        venue="Northbank Civic Centre, Room 2",
        capacity=10,
    )


def test_training_lead_pages_are_accessible(page):
    full = Session.objects.filter(bookings__status="waiting").distinct().first()
    waiting = Booking.objects.filter(session=full, status="waiting").first()
    held = Session.objects.filter(starts_at__year=2016, bookings__isnull=False).first()
    course = Course.objects.first()
    audit = Audit(page)
    sign_in(page, TRAINING_LEAD)
    audit.check("home (training lead)")
    audit.visit("/training/", "sessions", "Multi-agency training")
    this_year = FinancialYear.current().label  # a short list: axe is slow on 50 rows
    audit.visit(f"/training/?year={this_year}", "sessions, filtered", "Multi-agency training")
    audit.visit("/training/courses/", "courses", "Courses")
    audit.visit("/training/courses/new/", "add a course", "Add a course")
    audit.submit("add a course with errors")
    audit.visit(f"/training/courses/{course.pk}/", "change a course", course.title)
    audit.visit("/training/sessions/new/", "add a session", "Add a session")
    audit.submit("add a session with errors")
    audit.visit(f"/training/sessions/{full.pk}/", "full session", full.course.title)
    audit.visit(f"/training/sessions/{full.pk}/edit/", "change a session", "Change session")
    page.get_by_label("Start time").fill("25:99")
    audit.submit("change a session with errors")
    # The register has no required field: it cannot be sent back with errors.
    audit.visit(f"/training/sessions/{held.pk}/attendance/", "register", "Register:")
    audit.visit(f"/training/bookings/{waiting.pk}/", "waiting-list booking", waiting.full_name)
    audit.visit(f"/training/bookings/{waiting.pk}/decide/", "accept or decline", "Accept or")
    audit.submit("accept or decline with errors")
    audit.visit(f"/training/bookings/{waiting.pk}/move/", "move a booking", "Move")
    audit.submit("move a booking with errors")
    audit.visit("/training/no-shows/?year=2016-17", "no-shows", "No-shows by agency")
    audit.visit("/training/quotes/?year=2016-17", "quotes", "Quotes for the annual report")
    audit.visit("/training/import/", "import e-learning", "Import e-learning completions")
    audit.submit("import e-learning with errors", "Check and import")
    audit.visit("/training/report/?year=2016-17", "report 2016-17", "Training programme: 2016-17")
    audit.done()


def test_training_coordinator_and_reader_pages_are_accessible(page, browser, demo):
    own = Booking.objects.filter(
        owning_agency__name__icontains="police", session__starts_at__year=2016
    ).first()
    audit = Audit(page)
    sign_in(page, TRAINING_POLICE)
    audit.check("home (training coordinator)")
    audit.visit("/training/", "sessions (coordinator)", "Multi-agency training")
    audit.visit(f"/training/sessions/{own.session_id}/", "session (coordinator)")
    audit.visit(f"/training/bookings/{own.pk}/", "own agency's booking", own.full_name)
    audit.visit("/training/no-shows/?year=2016-17", "no-shows (coordinator)", "No-shows")

    context = browser.new_context(base_url=demo)
    reader = context.new_page()
    audit.page = reader
    sign_in(reader, TRAINING_BOARD)
    audit.check("home (training reader)")
    audit.visit("/training/report/?year=2016-17", "report (reader)", "Training programme")
    audit.visit("/training/", "sessions refused (reader)", "You do not have access")
    context.close()
    audit.done()


def test_public_training_pages_are_accessible(page, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    full = Session.objects.filter(bookings__status="waiting").distinct().first()
    open_session = Session.objects.filter(starts_at__gt=timezone.now()).exclude(pk=full.pk)
    open_session = open_session.first()
    upcoming = Booking.objects.filter(session=open_session, status="booked").first()
    certified = Booking.objects.filter(
        attendance="attended", evaluations__stage=2, session__starts_at__year=2016
    ).first()
    surveyed = (
        Booking.objects.filter(
            attendance="attended",
            survey_sent_at__isnull=False,
            session__course__stage3_follow_up=True,
        )
        .exclude(evaluations__stage=3)
        .first()
    )
    course = open_session.course
    held = _past_session(course)
    delegate = training_services.booking_apply(
        acting_user=None,
        session=held,
        full_name="Alex Example",
        email="alex.example@partner.example",
        job_role="Youth worker",
        agency_other="Independent youth project",
        confidence=[5] * len(course.outcomes),
        notify=False,
        now=held.starts_at - dt.timedelta(days=10),
    )

    audit = Audit(page)
    audit.visit("/training/programme/", "public programme", "Multi-agency safeguarding training")
    audit.visit(f"/training/programme/{open_session.pk}/book/", "booking form", "Apply for")
    audit.submit("booking form with errors", "Apply")
    audit.visit(f"/training/programme/{full.pk}/book/", "booking form, full session", "Apply")
    audit.visit("/training/programme/applied/", "application received", "Application received")
    audit.visit(f"/training/booking/{booking_token(upcoming)}/", "delegate's booking", "")
    audit.visit(f"/training/booking/{booking_token(certified)}/", "booking with certificate")
    token = booking_token(delegate)
    audit.visit(f"/training/booking/{token}/", "booking after the course", course.title)
    audit.visit(f"/training/booking/{token}/evaluation/2/", "evaluation", "Course evaluation")
    audit.submit("evaluation with errors", "Submit")
    audit.visit(f"/training/booking/{booking_token(surveyed)}/evaluation/3/", "three-month survey")
    audit.submit("three-month survey with errors", "Submit")
    audit.visit("/training/booking/not-a-real-link/", "broken link", "This link does not work")
    audit.visit("/training/verify/", "check a certificate", "Check a training certificate")
    audit.submit("check a certificate with errors", "Check")
    page.get_by_label("Verification code").fill("ZZZZ-0000")
    _click(page, "Check")
    assert page.get_by_text("No certificate has this code").is_visible()
    audit.check("check a certificate, wrong code")
    page.get_by_label("Verification code").fill(certified.certificate_code)
    _click(page, "Check")
    assert page.get_by_text("Certificate is genuine").is_visible()
    audit.check("check a certificate, genuine")
    audit.done()
