"""The LADO register: contacts, referrals, meetings and outcomes."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from safeguarding.core.models import Agency
from safeguarding.core.periods import add_months
from safeguarding.core.workdays import working_days_between

from .codes import (
    ALLEGATION_CATEGORIES,
    EMPLOYER_SECTORS,
    FINAL_OUTCOMES,
    HARM_TESTS,
    OUTCOMES,
    RECEIVED_VIA,
)


class MeetingType(models.Model):
    """Local names for strategy / allegation-management meetings (configurable)."""

    MODULE = "lado"
    owning_agency_id = None
    name = models.CharField(max_length=100, unique=True)
    is_active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """One contact with the LADO; a referral when the harm test is met."""

    MODULE = "lado"

    reference = models.CharField(max_length=40, unique=True)
    owning_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The agency that made the referral",
    )
    contact_date = models.DateField(db_index=True)
    received_via = models.CharField(max_length=20, choices=RECEIVED_VIA, blank=True)
    employer_name = models.CharField(max_length=200, blank=True)
    employer_sector = models.CharField(max_length=40, choices=EMPLOYER_SECTORS, db_index=True)
    employer_aware_date = models.DateField(null=True, blank=True)
    subject_name = models.CharField("adult's name", max_length=200, blank=True)
    subject_role = models.CharField("adult's role", max_length=200, blank=True)
    subject_date_of_birth = models.DateField(null=True, blank=True)
    children = models.TextField(blank=True, help_text="Initials and ages are enough")
    summary = models.TextField(blank=True)
    threshold_met = models.BooleanField(default=False)
    harm_test = models.CharField(max_length=20, choices=HARM_TESTS, blank=True)
    allegation_category = models.CharField(max_length=20, choices=ALLEGATION_CATEGORIES, blank=True)
    referral_date = models.DateField(null=True, blank=True, db_index=True)
    outcome = models.CharField(max_length=20, choices=OUTCOMES, blank=True, db_index=True)
    outcome_date = models.DateField(null=True, blank=True)
    is_open = models.BooleanField(default=True, db_index=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-contact_date", "-id"]
        indexes = [
            models.Index(fields=["referral_date", "employer_sector", "outcome"]),
            models.Index(fields=["owning_agency", "contact_date"]),
        ]

    def __str__(self) -> str:
        return self.reference

    def refresh_status(self) -> None:
        """Advice-only contacts are closed; a referral closes only with a final outcome."""
        self.is_open = bool(self.threshold_met and self.outcome not in FINAL_OUTCOMES)

    @property
    def status_label(self) -> str:
        if not self.threshold_met:
            return "Advice given"
        return "Open" if self.is_open else "Closed"

    @property
    def referral_working_days(self) -> int | None:
        """Working days from the employer becoming aware to the referral."""
        if not (self.threshold_met and self.employer_aware_date and self.referral_date):
            return None
        return working_days_between(self.employer_aware_date, self.referral_date)

    @property
    def referral_late(self) -> bool:
        days = self.referral_working_days
        return days is not None and days > settings.LADO_REFERRAL_WORKING_DAYS

    def age_days(self, today: dt.date | None = None) -> int | None:
        if not self.threshold_met or not self.referral_date:
            return None
        end = (
            self.outcome_date
            if not self.is_open and self.outcome_date
            else (today or dt.date.today())
        )
        return (end - self.referral_date).days

    def resolution_targets(self, today: dt.date | None = None) -> list[dict]:
        """Each resolution target (one/three/twelve months) with met / missed / running."""
        if not self.threshold_met or not self.referral_date:
            return []
        today = today or dt.date.today()
        out = []
        for label, months, share in settings.LADO_RESOLUTION_TARGETS:
            deadline = add_months(self.referral_date, months)
            if not self.is_open:
                done = self.outcome_date or today
                state = "met" if done <= deadline else "missed"
            else:
                state = "running" if today <= deadline else "missed"
            out.append({"label": label, "deadline": deadline, "state": state, "share": share})
        return out


class Meeting(models.Model):
    """A strategy or allegation-management meeting; any number per referral."""

    MODULE = "lado"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meetings")
    meeting_type = models.ForeignKey(MeetingType, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    agencies = models.ManyToManyField(Agency, blank=True, related_name="+")
    decisions = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["case", "date"])]

    @property
    def owning_agency_id(self):
        return self.case.owning_agency_id

    def __str__(self) -> str:
        return f"{self.meeting_type} on {self.date:%d %b %Y}"
