"""Multi-agency training: courses, sessions, bookings, attendance, evaluations, e-learning."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from safeguarding.core.models import Agency
from safeguarding.core.periods import add_months

from .codes import ATTENDANCE, BOOKING_STATUSES, LEVELS, STAGES


def cancellation_days_default() -> int:
    return int(getattr(settings, "TRAINING_CANCELLATION_DAYS", 3))


def stage3_due_before(today: dt.date) -> dt.datetime:
    """The three-month (stage 3) survey of a session is due on ``today`` when the session
    started before this instant: its date is on or before today minus three months. The
    one cut used by the survey schedule and by the stage-3 response rate of the report."""
    cutoff = add_months(today, -3)
    return timezone.make_aware(dt.datetime.combine(cutoff + dt.timedelta(days=1), dt.time()))


class Course(models.Model):
    """A course in the partnership's programme (not personal data)."""

    MODULE = "training"
    owning_agency_id = None

    title = models.CharField(max_length=200, unique=True)
    level = models.CharField(max_length=20, choices=LEVELS, default="level_2")
    learning_outcomes = models.TextField(help_text="One learning outcome a line")
    audience = models.CharField(max_length=300, blank=True)
    duration = models.CharField(max_length=100, blank=True, help_text="For example, 1 day")
    trainer = models.CharField(max_length=200, blank=True)
    price = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    stage3_follow_up = models.BooleanField("three-month follow-up (stage 3)", default=True)
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def outcomes(self) -> list[str]:
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]

    @property
    def is_free(self) -> bool:
        return not self.price


class Session(models.Model):
    """One date of a course, with its capacity."""

    MODULE = "training"
    owning_agency_id = None

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(blank=True)
    capacity = models.PositiveIntegerField()
    cancellation_days = models.PositiveSmallIntegerField(
        default=cancellation_days_default,
        help_text="Delegates may cancel up to this many days before the start",
    )
    is_published = models.BooleanField(default=True, db_index=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["course", "starts_at"])]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.course.title}, {local:%-d %b %Y %H:%M}"

    @property
    def date(self) -> dt.date:
        return timezone.localtime(self.starts_at).date()

    @property
    def cancellation_deadline(self) -> dt.datetime:
        return self.starts_at - dt.timedelta(days=self.cancellation_days)

    @property
    def places_left(self) -> int:
        booked = getattr(self, "booked", None)
        if booked is None:
            booked = self.bookings.filter(status="booked").count()
        return max(0, self.capacity - booked)

    @property
    def survey_due(self) -> dt.date:
        """Stage 3 is due three months after the session."""
        return add_months(self.date, 3)


class Booking(models.Model):
    """A delegate's application for a place (personal data)."""

    MODULE = "training"

    reference = models.CharField(max_length=40, unique=True)
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    owning_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The delegate's agency; blank when 'other'",
    )
    agency_other = models.CharField("other agency", max_length=200, blank=True)
    full_name = models.CharField(max_length=200)
    email = models.EmailField()
    job_role = models.CharField("role", max_length=200)
    line_manager_email = models.EmailField(blank=True)
    adjustments = models.TextField("access or disability adjustments", blank=True)
    status = models.CharField(max_length=20, choices=BOOKING_STATUSES, db_index=True)
    attendance = models.CharField(max_length=20, choices=ATTENDANCE, blank=True, db_index=True)
    certificate_code = models.CharField(max_length=20, blank=True, db_index=True)
    survey_sent_at = models.DateTimeField(null=True, blank=True)
    survey_reminded_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["session", "status", "created_at"]),
            models.Index(fields=["owning_agency", "status"]),
            # The report's attendance figures of a year's sessions (session_id IN ... AND
            # status AND attendance): without it the planner reads every attended booking
            # of all history through the index on attendance.
            models.Index(fields=["session", "status", "attendance"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def agency_label(self) -> str:
        if self.owning_agency_id:
            return str(self.owning_agency)
        return f"Other: {self.agency_other}" if self.agency_other else "Other"

    def can_cancel(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status in ("booked", "waiting") and now < self.session.cancellation_deadline

    def can_evaluate_stage2(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.status == "booked"
            and self.attendance in ("", "attended")
            and now >= self.session.starts_at
        )

    def can_evaluate_stage3(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == "booked"
            and self.attendance in ("", "attended")
            and self.session.course.stage3_follow_up
            and (self.survey_sent_at is not None or today >= self.session.survey_due)
        )


class Evaluation(models.Model):
    """One evaluation questionnaire of a booking at stage 1, 2 or 3."""

    MODULE = "training"

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="evaluations")
    stage = models.PositiveSmallIntegerField(choices=STAGES)
    submitted_at = models.DateTimeField(default=timezone.now)
    content_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    trainer_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    practice_change = models.TextField("what you have done differently", blank=True)
    quote_selected = models.BooleanField(default=False, db_index=True)

    class Meta:
        ordering = ["stage", "id"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "stage"], name="one_evaluation_per_stage")
        ]

    @property
    def owning_agency_id(self):
        return self.booking.owning_agency_id


class ConfidenceScore(models.Model):
    """Self-rated confidence 1-10 against one learning outcome."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    outcome_number = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=300)
    score = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["outcome_number"]
        # Covering: a year's means read the scores of its evaluations from the index alone.
        indexes = [models.Index(fields=["evaluation", "score"])]


class ELearningCompletion(models.Model):
    """A completion imported from the e-learning platform."""

    MODULE = "training"

    reference = models.CharField(max_length=60, unique=True)
    learner_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    agency = models.CharField(max_length=200, blank=True)
    owning_agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    course = models.CharField(max_length=200, db_index=True)
    completed_date = models.DateField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_date", "id"]

    def __str__(self) -> str:
        return self.reference
