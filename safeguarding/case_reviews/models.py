"""Case reviews: referrals to the case review panel, statutory clocks, reviews, learning.

The clock due dates are computed in working days (core.workdays) on every save and
stored, so the report and the worklist filter and count them in the database.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from safeguarding.children.models import Child
from safeguarding.core.models import Agency
from safeguarding.core.periods import add_months
from safeguarding.core.workdays import add_working_days

from .codes import PUBLICATION_DECISIONS

NOTIFICATION_WORKING_DAYS = 5
RAPID_REVIEW_WORKING_DAYS = 15
# Serious incident notifications to the national Panel and rapid reviews apply from this
# day (Children and Social Work Act 2017; Working Together 2018). Earlier referrals
# followed the serious case review rules, so these clocks never make them overdue.
STATUTORY_CLOCKS_FROM = dt.date(2018, 6, 29)


def lcspr_months() -> int:
    return getattr(settings, "CASE_REVIEW_LCSPR_MONTHS", 6)


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
        """Due dates: notification 5 working days after the local authority became aware;
        rapid review 15 working days after the notification; LCSPR publication N months
        (CASE_REVIEW_LCSPR_MONTHS, default 6) after the review started."""
        self.notification_due = (
            add_working_days(self.la_aware_date, NOTIFICATION_WORKING_DAYS)
            if self.la_aware_date and (self.notification_required or self.notification_date)
            else None
        )
        self.rapid_review_due = (
            add_working_days(self.notification_date, RAPID_REVIEW_WORKING_DAYS)
            if self.notification_date
            else None
        )
        is_lcspr = self.decision_id and self.decision.code == "lcspr"
        self.publication_due = (
            add_months(self.review_start_date, lcspr_months())
            if is_lcspr and self.review_start_date
            else None
        )

    def clocks(self, today: dt.date | None = None) -> list[dict]:
        """Each running or finished statutory clock: due, done, and its state."""
        today = today or dt.date.today()
        out = []
        for label, due, done in (
            ("Serious incident notification", self.notification_due, self.notification_date),
            ("Rapid review", self.rapid_review_due, self.rapid_review_date),
            ("LCSPR publication", self.publication_due, self.published_date),
        ):
            if due is None:
                continue
            out.append(
                {"label": label, "due": due, "done": done, "state": clock_state(due, done, today)}
            )
        return out


def clock_state(due: dt.date, done: dt.date | None, today: dt.date) -> str:
    """on_time / late (done), overdue (not done, past due), running (not done yet)."""
    if done:
        return "on_time" if done <= due else "late"
    return "overdue" if today > due else "running"


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
        indexes = [models.Index(fields=["agency", "returned_date"])]
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
