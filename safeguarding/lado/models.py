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
    EMPLOYER_OUTCOMES,
    EMPLOYER_SECTORS,
    FINAL_OUTCOMES,
    HARM_TESTS,
    OUTCOMES,
    RECEIVED_VIA,
)
from .rules import (
    EMPLOYER_REFERRAL,
    ResolutionClock,
    decision_due,
    describe_age,
    resolution_clock,
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
    """One contact with the LADO; a referral when the harm test is met.

    A partner agency's referral waits for the LADO's decision (``awaiting_decision``):
    until then it is a contact, not a referral, and has no threshold, harm test or
    outcome. ``open_since`` is the day its clock started while it is open (the contact
    for a referral awaiting a decision, the referral date for an open referral; blank
    when closed or advice only): lists sort by it, the worklist reads it."""

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
    employer_outcome = models.CharField(
        "outcome of the employer's process",
        max_length=20,
        choices=EMPLOYER_OUTCOMES,
        blank=True,
        help_text='When the outcome is "no further action": the outcome of the employer\'s '
        "own process (the same codes; pending until it is known)",
    )
    is_open = models.BooleanField(default=True, db_index=True)
    awaiting_decision = models.BooleanField(
        default=False, help_text="A partner's referral that the LADO has not decided yet"
    )
    decided_on = models.DateField(
        null=True, blank=True, help_text="The date of the LADO's threshold decision"
    )
    next_steps = models.TextField(blank=True, help_text="What the LADO decided happens next")
    open_since = models.DateField(null=True, blank=True, db_index=True, editable=False)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The partner who made the referral (told of the decision by email)",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-contact_date", "-id"]
        indexes = [
            models.Index(fields=["referral_date", "employer_sector", "outcome"]),
            models.Index(fields=["owning_agency", "contact_date"]),
            # Referrals awaiting the LADO's decision, oldest first (the worklist): a partial
            # index, as small as the few that wait.
            models.Index(
                fields=["contact_date"],
                name="lado_case_awaiting_idx",
                condition=models.Q(awaiting_decision=True),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def refresh_status(self) -> None:
        """Advice-only contacts are closed; a referral closes only with a final outcome; a
        referral awaiting the LADO's decision is neither. Also the fields derived from
        them: ``open_since``, and the decision date of a contact the LADO decided as it was
        recorded (its referral date, or the contact date for advice)."""
        self.is_open = bool(
            not self.awaiting_decision and self.threshold_met and self.outcome not in FINAL_OUTCOMES
        )
        if self.awaiting_decision:
            self.open_since = self.contact_date
        elif self.is_open:
            self.open_since = self.referral_date
        else:
            self.open_since = None
        if not self.awaiting_decision and self.decided_on is None:
            self.decided_on = self.referral_date or self.contact_date

    @property
    def status_label(self) -> str:
        if self.awaiting_decision:
            return "Awaiting LADO decision"
        if not self.threshold_met:
            return "Advice given"
        return "Open" if self.is_open else "Closed"

    @property
    def decision_label(self) -> str:
        if self.awaiting_decision:
            return "Awaiting"
        return "Referral" if self.threshold_met else "Advice"

    # ---- clocks shown on the list, the case page and the worklist ----------------------

    @property
    def decision_due(self) -> dt.date | None:
        """When the LADO should decide (rules.decision_due), while the referral waits."""
        return decision_due(self.contact_date) if self.awaiting_decision else None

    def decision_overdue(self, today: dt.date | None = None) -> bool:
        due = self.decision_due
        return due is not None and (today or dt.date.today()) > due

    def clock(self, today: dt.date | None = None) -> ResolutionClock | None:
        """An open referral against the resolution targets; None for any other case."""
        if not (self.is_open and self.threshold_met and self.referral_date):
            return None
        return resolution_clock(self.referral_date, today or dt.date.today())

    def age(self, today: dt.date | None = None) -> str:
        """How long it has been open (since the contact while it awaits a decision, since
        the referral date while it is an open referral); "" when it is not open."""
        if not self.open_since:
            return ""
        return describe_age(self.open_since, today or dt.date.today())

    @property
    def age_now(self) -> str:
        return self.age()

    @property
    def overdue_now(self) -> str:
        """What is overdue today, for the list: "" when nothing is."""
        if self.awaiting_decision:
            return "Decision overdue" if self.decision_overdue() else ""
        clock = self.clock()
        return f"Overdue: past {clock.worst.label}" if clock and clock.worst else ""

    @property
    def referral_working_days(self) -> int | None:
        """Working days from the employer becoming aware to its first contact with the LADO
        (rules.EMPLOYER_REFERRAL: measured to the contact, not to the LADO's decision), for a
        referral or one awaiting the LADO's decision."""
        if not ((self.threshold_met or self.awaiting_decision) and self.employer_aware_date):
            return None
        return working_days_between(self.employer_aware_date, self.contact_date)

    @property
    def referral_late(self) -> bool:
        days = self.referral_working_days
        return days is not None and days > EMPLOYER_REFERRAL.amount

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


class Note(models.Model):
    """Information added to a case after it was made: by the referring agency (at any
    time, after the decision too) or by the LADO. Dated, and never changed afterwards."""

    MODULE = "lado"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text="The writer's agency when they wrote it",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"])]

    @property
    def owning_agency_id(self):
        return self.case.owning_agency_id

    def __str__(self) -> str:
        return f"Note on {self.case} at {timezone.localtime(self.created_at):%d %b %Y %H:%M}"


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
