"""One action tracker for every recommendation (case reviews, audits, Section 11,
child death reviews, priorities). An action points at its source record generically."""

import datetime as dt

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from safeguarding.core.models import Agency, User

STATUSES = [
    ("not_started", "Not started"),
    ("on_track", "On track"),
    ("at_risk", "At risk"),
    ("complete", "Complete"),
    ("closed", "Closed"),
]
OPEN_STATUSES = ["not_started", "on_track", "at_risk", "complete"]
# Statuses an action can be overdue in: work still to do.
ACTIVE_STATUSES = ["not_started", "on_track", "at_risk"]
DONE_STATUSES = ["complete", "closed"]
# What an owning agency may set in a progress update (closing is the business unit's).
UPDATE_STATUSES = [s for s in STATUSES if s[0] != "closed"]


class Action(models.Model):
    MODULE = "actions"

    reference = models.CharField(max_length=40, unique=True)
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.CharField(max_length=64)
    source = GenericForeignKey("source_type", "source_id")
    source_module = models.CharField(max_length=40, db_index=True)
    source_label = models.CharField(max_length=200)
    description = models.TextField()
    measure = models.TextField("measure of success", blank=True)
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    owner_person = models.CharField(max_length=200, blank=True)
    due_date = models.DateField(db_index=True)
    status = models.CharField(max_length=20, choices=STATUSES, default="not_started", db_index=True)
    evidence = models.TextField("evidence of impact", blank=True)
    completed_date = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agreed_date = models.DateField(
        "date agreed", null=True, blank=True, help_text="When the action was agreed"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["source_type", "source_id"]),
            models.Index(fields=["owning_agency", "status", "due_date"]),
            models.Index(fields=["source_module", "status", "due_date"]),
            models.Index(fields=["completed_date"]),
            # The worklist: actions still to do (a few statuses), by due date.
            models.Index(fields=["status", "due_date"], name="actions_status_due"),
        ]

    def __str__(self) -> str:
        return self.reference

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Red from the day after the due date until complete or closed."""
        today = today or dt.date.today()
        from .rules import ACTION_DUE

        return self.status in ACTIVE_STATUSES and ACTION_DUE.overdue(self.due_date, today)

    def rag(self, today: dt.date | None = None) -> str:
        """red (overdue), amber (at risk), green (on track / not started), blue (complete,
        awaiting the business unit), grey (closed)."""
        if self.status == "closed":
            return "grey"
        if self.status == "complete":
            return "blue"
        if self.is_overdue(today):
            return "red"
        return "amber" if self.status == "at_risk" else "green"

    def rag_label(self, today: dt.date | None = None) -> str:
        return {
            "red": "Overdue",
            "amber": "At risk",
            "green": "On track" if self.status == "on_track" else "Not started",
            "blue": "Complete: awaiting closure",
            "grey": "Closed",
        }[self.rag(today)]

    @property
    def is_closed(self) -> bool:
        return self.status == "closed"


class ActionUpdate(models.Model):
    MODULE = "actions"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(default=dt.date.today)
    status = models.CharField(max_length=20, choices=STATUSES)
    note = models.TextField()
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.date}"

    @property
    def owning_agency_id(self):
        return self.action.owning_agency_id
