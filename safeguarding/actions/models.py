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
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["source_type", "source_id"]),
            models.Index(fields=["owning_agency", "status", "due_date"]),
        ]

    def __str__(self) -> str:
        return self.reference

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Red from the day after the due date until complete or closed."""
        today = today or dt.date.today()
        return self.status in ("not_started", "on_track", "at_risk") and today > self.due_date


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
