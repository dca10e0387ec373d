"""Case reviews: referrals to the case review panel, statutory clocks, reviews, learning.

The clocks are declared in rules.py (core.clocks: each with its source and the day its rule
took effect); their due dates are computed on every save and stored, so the report and the
worklist filter and count them in the database.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from safeguarding.children.models import Child
from safeguarding.core.models import Agency

from . import rules
from .codes import PUBLICATION_DECISIONS
from .rules import LCSPR_PUBLICATION, NOTIFICATION, PANEL_BEGAN, RAPID_REVIEW

# The clocks are declared in rules.py (core.clocks), each with its source and the day it
# took effect; their lengths are settings, read when a due date is worked out.
STATUTORY_CLOCKS_FROM = PANEL_BEGAN


class ReviewType(models.Model):
    """The panel's possible decisions (configurable by a manager); code is the report key."""

    MODULE = "case_reviews"
    owning_agency_id = None
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100, unique=True)
    is_active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """A learning theme: a tag list reusable by any module (audits, child deaths...)."""

    MODULE = "case_reviews"
    owning_agency_id = None
    name = models.CharField(max_length=100, unique=True)
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Referral(models.Model):
    """A case referred to the case review panel, its decision, and the review that follows."""

    MODULE = "case_reviews"

    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(
        "case name", max_length=100, blank=True, help_text="How the case is known, e.g. Case RSW"
    )
    owning_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The referring agency",
    )
    children = models.ManyToManyField(Child, blank=True, related_name="+")
    referral_date = models.DateField(db_index=True)
    incident_date = models.DateField(null=True, blank=True)
    # Children Act 2004 s16C(1)(b): a child normally resident in the area who dies or is
    # seriously harmed outside England is notified by this local authority too.
    outside_england = models.BooleanField("the incident happened outside England", default=False)
    la_aware_date = models.DateField("date the local authority became aware", null=True, blank=True)
    summary = models.TextField("what happened", blank=True)
    abuse_or_neglect = models.BooleanField("abuse or neglect known or suspected", default=False)
    child_died = models.BooleanField(default=False)
    seriously_harmed = models.BooleanField(default=False)
    looked_after = models.BooleanField("child was looked after", default=False)
    agencies_involved = models.ManyToManyField(Agency, blank=True, related_name="+")
    # statutory clocks
    notification_date = models.DateField(
        "serious incident notification sent", null=True, blank=True
    )
    notification_due = models.DateField(null=True, blank=True, db_index=True, editable=False)
    rapid_review_date = models.DateField("rapid review completed", null=True, blank=True)
    rapid_review_due = models.DateField(null=True, blank=True, db_index=True, editable=False)
    # the panel's decision
    decision = models.ForeignKey(
        ReviewType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reasons = models.TextField(blank=True)
    decision_date = models.DateField(null=True, blank=True, db_index=True)
    # the review
    reviewer = models.CharField("lead reviewer", max_length=200, blank=True)
    terms_of_reference = models.TextField(blank=True)
    review_start_date = models.DateField(null=True, blank=True)
    joint_with = models.CharField(
        "joint review with", max_length=200, blank=True, help_text="Another area's partnership"
    )
    findings = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="referrals")
    draft_report_date = models.DateField("latest draft report", null=True, blank=True)
    final_report_date = models.DateField("final report agreed", null=True, blank=True)
    publication_decision = models.CharField(
        max_length=20, choices=PUBLICATION_DECISIONS, default="pending"
    )
    publication_due = models.DateField(null=True, blank=True, db_index=True, editable=False)
    published_date = models.DateField(null=True, blank=True, db_index=True)
    published_url = models.URLField("link to the published report", blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-referral_date", "-id"]
        indexes = [
            models.Index(fields=["owning_agency", "referral_date"]),
            # The worklist reads clocks not yet done: these partial indexes hold only
            # those, so its cost does not grow with years of finished reviews.
            models.Index(
                fields=["notification_due"],
                condition=models.Q(notification_date__isnull=True),
                name="cr_notification_pending",
            ),
            models.Index(
                fields=["rapid_review_due"],
                condition=models.Q(rapid_review_date__isnull=True),
                name="cr_rapid_review_pending",
            ),
            models.Index(
                fields=["publication_due"],
                condition=models.Q(published_date__isnull=True),
                name="cr_publication_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.reference} {self.title}".strip() if self.title else self.reference

    @property
    def notification_required(self) -> bool:
        """Abuse or neglect and death or serious harm; a looked-after child's death always."""
        return (self.abuse_or_neglect and (self.child_died or self.seriously_harmed)) or (
            self.looked_after and self.child_died
        )

    def refresh_clocks(self) -> None:
        """Due dates of the clocks that apply (core.clocks, declared in rules.py):
        notification 5 working days (CASE_REVIEW_NOTIFICATION_WORKING_DAYS) after the local
        authority became aware; rapid review 15 working days
        (CASE_REVIEW_RAPID_REVIEW_WORKING_DAYS) after the notification; LCSPR publication N months
        (CASE_REVIEW_LCSPR_MONTHS, default 6) after the review started. Each from 29 June
        2018 only: an older referral stores no due date for a rule that did not yet exist."""
        starts = {clock: getattr(self, field) for clock, _, _, field in rules.clocks()}
        self.notification_due = (
            NOTIFICATION.due(starts[NOTIFICATION])
            if self.notification_required or self.notification_date
            else None
        )
        self.rapid_review_due = RAPID_REVIEW.due(starts[RAPID_REVIEW])
        is_lcspr = self.decision_id and self.decision.code == "lcspr"
        self.publication_due = (
            LCSPR_PUBLICATION.due(starts[LCSPR_PUBLICATION]) if is_lcspr else None
        )

    def clock_rows(self) -> list[tuple]:
        """(clock, due, start, done) for each statutory clock of a referral; which date
        starts each is the area's setting (rules.clocks())."""
        return [
            (clock, getattr(self, due), getattr(self, start), getattr(self, done))
            for clock, due, done, start in rules.clocks()
        ]

    @property
    def clock_note(self) -> str:
        """Why an older case has no statutory clock (its rules of the time had none)."""
        began = self.la_aware_date or self.notification_date or self.referral_date
        if began is None or began >= PANEL_BEGAN:
            return ""
        return (
            f"No statutory clock: this case began before {PANEL_BEGAN.day} "
            f"{PANEL_BEGAN:%B %Y}, when Panel notifications and rapid reviews started. "
            "It followed the serious case review rules of its time."
        )

    def clocks(self, today: dt.date | None = None) -> list[dict]:
        """Each running or finished statutory clock that applies: due, done, and its state.
        A clock whose rule began after its start is not shown, even if a due date was
        stored before the rule's date was checked."""
        today = today or dt.date.today()
        return [
            {
                "label": clock.name,
                "due": due,
                "done": done,
                "state": clock.state(due, done, today),
                "rule": clock.rule,
            }
            for clock, due, start, done in self.clock_rows()
            if due is not None and clock.applies(start)
        ]


def clock_state(due: dt.date, done: dt.date | None, today: dt.date) -> str:
    """on_time / late (done), overdue (not done, past due), running (not done yet)."""
    return RAPID_REVIEW.state(due, done, today)


class Chronology(models.Model):
    """An agency's chronology requested for a review; the agency sees only its own."""

    MODULE = "case_reviews"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="chronologies")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    requested_date = models.DateField()
    due_date = models.DateField(null=True, blank=True)
    returned_date = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["requested_date", "id"]
        indexes = [
            models.Index(fields=["agency", "returned_date"]),
            # The chronologies page: outstanding first, by due date (its page's ids).
            models.Index(fields=["returned_date", "due_date", "id"], name="cr_chronology_queue"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["referral", "agency"], name="one_chronology_per_agency")
        ]

    def __str__(self) -> str:
        return f"Chronology from {self.agency}"

    @property
    def owning_agency_id(self):
        return self.agency_id

    def state(self, today: dt.date | None = None) -> str:
        today = today or dt.date.today()
        if self.returned_date:
            return "returned"
        if self.due_date and today > self.due_date:
            return "overdue"
        return "requested"
