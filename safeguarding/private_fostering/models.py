"""The private fostering register: notifications, arrangements, assessments and visits."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from safeguarding.core.codes import ETHNICITIES, SEXES
from safeguarding.core.models import Agency

from . import rules
from .codes import (
    ASSESSMENT_DECISIONS,
    CARER_RELATIONSHIPS,
    CATEGORIES,
    DECISIONS,
    END_REASONS,
    EXCLUSIONS,
    NOTIFIERS,
    STATUSES,
)


class Notification(models.Model):
    """One notification of a (possible) private fostering arrangement, and what followed."""

    MODULE = "private_fostering"

    reference = models.CharField(max_length=40, unique=True)
    owning_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The agency that notified the authority",
    )
    # Who notified, and when.
    notification_date = models.DateField(db_index=True)
    aware_date = models.DateField(
        null=True, blank=True, help_text="When the authority became aware, if before the notice"
    )
    notified_by = models.CharField(max_length=20, choices=NOTIFIERS, blank=True)
    notifier_name = models.CharField(max_length=200, blank=True)
    # The child.
    child_first_name = models.CharField(max_length=100, blank=True)
    child_last_name = models.CharField(max_length=100, blank=True)
    child_date_of_birth = models.DateField(null=True, blank=True)
    child_sex = models.CharField(max_length=10, choices=SEXES, blank=True)
    child_ethnicity = models.CharField(max_length=4, choices=ETHNICITIES, blank=True)
    child_disabled = models.BooleanField(null=True, blank=True)
    child_nationality = models.CharField(max_length=100, blank=True)
    child_school = models.CharField(max_length=200, blank=True)
    # The parents.
    parents_names = models.CharField(max_length=200, blank=True)
    parents_contact = models.TextField(blank=True, help_text="Telephone, email, address")
    parents_country = models.CharField(
        "where the parents live", max_length=100, blank=True, help_text="Town or country"
    )
    # The carer and household.
    carer_name = models.CharField(max_length=200, blank=True)
    carer_address = models.TextField(blank=True)
    carer_household = models.TextField(blank=True, help_text="Other adults and children")
    carer_relationship = models.CharField(max_length=30, choices=CARER_RELATIONSHIPS, blank=True)
    exclusion = models.CharField(
        "exemption from private fostering",
        max_length=30,
        choices=EXCLUSIONS,
        blank=True,
        help_text="Children Act 1989 Schedule 8: why this is not private fostering, if it applies",
    )
    # The arrangement as intended.
    intended_start_date = models.DateField(null=True, blank=True)
    intended_duration_days = models.PositiveIntegerField(null=True, blank=True)
    category = models.CharField(max_length=30, choices=CATEGORIES, blank=True, db_index=True)
    summary = models.TextField(blank=True)
    # The arrangement as it happened.
    arrangement_start_date = models.DateField(null=True, blank=True, db_index=True)
    arrangement_end_date = models.DateField(null=True, blank=True, db_index=True)
    end_reason = models.CharField(max_length=20, choices=END_REASONS, blank=True)
    # The suitability assessment of the carer.
    assessment_checks = models.JSONField(default=list, blank=True)
    assessment_date = models.DateField(null=True, blank=True)
    assessment_decision = models.CharField(max_length=30, choices=ASSESSMENT_DECISIONS, blank=True)
    assessment_notes = models.TextField(blank=True)
    # Computed from the above on every save (refresh()).
    decision = models.CharField(max_length=30, choices=DECISIONS, db_index=True)
    decision_reason = models.TextField(blank=True)
    status = models.CharField(max_length=30, choices=STATUSES, db_index=True)
    late_notification = models.BooleanField(default=False)
    # The 16th birthday (18th if disabled): the arrangement stops being private fostering.
    age_limit_date = models.DateField(null=True, blank=True)

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-notification_date", "-id"]
        indexes = [
            models.Index(fields=["arrangement_start_date", "arrangement_end_date"]),
            models.Index(fields=["owning_agency", "notification_date"]),
            models.Index(fields=["status", "notification_date"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def child_name(self) -> str:
        return f"{self.child_first_name} {self.child_last_name}".strip()

    @property
    def planned_start(self) -> dt.date | None:
        return self.intended_start_date or self.arrangement_start_date

    @property
    def definition_start(self) -> dt.date:
        return self.arrangement_start_date or self.intended_start_date or self.notification_date

    def evaluate(self, today: dt.date | None = None) -> rules.Decision:
        return rules.definition(
            child_date_of_birth=self.child_date_of_birth,
            child_disabled=self.child_disabled,
            carer_relationship=self.carer_relationship,
            start=self.definition_start,
            intended_duration_days=self.intended_duration_days,
            arrangement_start_date=self.arrangement_start_date,
            arrangement_end_date=self.arrangement_end_date,
            exclusion=self.exclusion,
            today=today,
        )

    def refresh(self, today: dt.date | None = None) -> rules.Decision:
        """Recompute the decision, its reason, the status and the late flag; end an
        arrangement on the child's 16th birthday (18th if disabled) once that day has come
        (rules.aged_out), with the reason recorded."""
        today = today or dt.date.today()
        self.age_limit_date = rules.age_limit_date(self.child_date_of_birth, self.child_disabled)
        aged_out = rules.aged_out(
            date_of_birth=self.child_date_of_birth,
            disabled=self.child_disabled,
            arrangement_start=self.arrangement_start_date,
            arrangement_end=self.arrangement_end_date,
            today=today,
        )
        if aged_out:
            self.arrangement_end_date, self.end_reason = aged_out, "age"
        decision = self.evaluate(today)
        self.decision = decision.code
        self.decision_reason = decision.reason
        self.late_notification = rules.notification_late(self.notification_date, self.planned_start)
        if decision.code == "not_private_fostering":
            self.status = "not_private_fostering"
        elif self.arrangement_end_date:
            self.status = "ended"
        elif self.arrangement_start_date:
            self.status = "active"
        elif decision.code == "to_confirm":
            self.status = "to_confirm"
        else:
            self.status = "proposed"
        return decision

    @property
    def aware(self) -> dt.date:
        """When the authority became aware of the arrangement (or of the proposal): the
        recorded date, else the notification's (the import's authority_aware_date)."""
        return self.aware_date or self.notification_date

    @property
    def visitable(self) -> bool:
        """Visits are recorded for a notification not ruled out: a proposal is visited
        before it begins (reg 4), an arrangement once it has (regs 7 and 8)."""
        return self.decision == "private_fostering" or (
            self.decision == "to_confirm" and not self.arrangement_start_date
        )

    def next_visit(self, visits_made: list[dt.date]) -> tuple[str, dt.date] | None:
        """The next statutory visit (rules.next_visit) after ``visits_made``."""
        return rules.next_visit(
            decision=self.decision,
            aware=self.aware,
            arrangement_start=self.arrangement_start_date,
            arrangement_end=self.arrangement_end_date,
            visits_made=visits_made,
        )


class Visit(models.Model):
    """A statutory visit: scheduled with its latest allowed date, then recorded."""

    MODULE = "private_fostering"

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="visits")
    sequence = models.PositiveSmallIntegerField()
    rule = models.CharField(max_length=4, choices=rules.VISIT_RULES, default=rules.INTERVAL_VISIT)
    due_date = models.DateField(db_index=True)
    visit_date = models.DateField(null=True, blank=True)
    seen_alone = models.BooleanField(null=True, blank=True)
    report_written = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "sequence"], name="pf_visit_sequence")
        ]
        indexes = [models.Index(fields=["visit_date", "due_date"])]

    def __str__(self) -> str:
        return f"Visit {self.sequence}"

    @property
    def owning_agency_id(self):
        return self.notification.owning_agency_id

    @property
    def on_time(self) -> bool | None:
        if self.visit_date is None:
            return None
        return self.visit_date <= self.due_date

    def state(self, today: dt.date | None = None) -> str:
        today = today or dt.date.today()
        if self.visit_date:
            return "on_time" if self.on_time else "late"
        return "overdue" if self.due_date < today else "due"
