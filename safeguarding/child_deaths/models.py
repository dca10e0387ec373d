"""The child death review register: notifications, joint agency responses, agency
reporting forms and the panel's review."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from safeguarding.core.codes import ETHNIC_GROUPS, ETHNICITIES, SEXES
from safeguarding.core.models import Agency, User

from .codes import AGE_BANDS, CATEGORIES, FACTOR_DOMAINS, FACTOR_LEVELS, MODIFIABLE, PLACES_OF_DEATH
from .rules import AGENCY_FORM, PANEL_REVIEW, age_band, age_in_years


class Death(models.Model):
    """One child's death, from notification to the panel's review."""

    MODULE = "child_deaths"

    reference = models.CharField(max_length=40, unique=True)
    owning_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The agency that notified the death",
    )
    # The child
    child_name = models.CharField("child's name", max_length=200, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=SEXES, default="unknown", db_index=True)
    ethnicity = models.CharField(max_length=4, choices=ETHNICITIES, default="NOBT")
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    home_area = models.CharField(max_length=200, blank=True)
    # The death
    date_of_death = models.DateField(db_index=True)
    place_of_death = models.CharField(max_length=20, choices=PLACES_OF_DEATH, blank=True)
    place_detail = models.CharField("place of death (detail)", max_length=200, blank=True)
    notification_date = models.DateField(db_index=True)
    expected = models.BooleanField(default=False)
    age_band = models.CharField(max_length=20, choices=AGE_BANDS, db_index=True)
    # What the National Child Mortality Database asks of every death (since 1 April 2019);
    # None: not known.
    child_protection_plan_at_death = models.BooleanField(
        "subject to a child protection plan at death", null=True, blank=True
    )
    looked_after_at_death = models.BooleanField("looked after at death", null=True, blank=True)
    ncmd_notified_date = models.DateField(
        "notified to the National Child Mortality Database", null=True, blank=True
    )
    # Joint agency response (unexpected deaths)
    jar_date = models.DateField("joint agency response meeting", null=True, blank=True)
    jar_attendees = models.TextField("attendees", blank=True)
    # Child death review meeting: the professionals who knew the child, before the panel
    review_meeting_date = models.DateField("child death review meeting", null=True, blank=True)
    # Panel review
    review_date = models.DateField("panel review", null=True, blank=True, db_index=True)
    category = models.CharField(max_length=2, choices=CATEGORIES, blank=True, db_index=True)
    modifiable_factors = models.CharField(max_length=20, choices=MODIFIABLE, blank=True)
    # The analysis form's four domains (codes.FACTOR_DOMAINS), each at a level
    factors_child = models.CharField(
        "factors intrinsic to the child", max_length=12, choices=FACTOR_LEVELS, blank=True
    )
    factors_social_environment = models.CharField(
        "factors in the social environment, including family and parenting capacity",
        max_length=12,
        choices=FACTOR_LEVELS,
        blank=True,
    )
    factors_physical_environment = models.CharField(
        "factors in the physical environment", max_length=12, choices=FACTOR_LEVELS, blank=True
    )
    factors_service_provision = models.CharField(
        "factors in service provision", max_length=12, choices=FACTOR_LEVELS, blank=True
    )
    learning_points = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-notification_date", "-id"]
        indexes = [
            models.Index(fields=["review_date", "category"]),
            models.Index(fields=["owning_agency", "notification_date"]),
            models.Index(fields=["expected", "notification_date"]),
            # The worklist's overdue reviews: only the deaths not yet reviewed.
            models.Index(
                fields=["date_of_death"],
                condition=models.Q(review_date__isnull=True),
                name="cdr_death_unreviewed",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def refresh_derived(self) -> None:
        self.age_band = age_band(self.date_of_birth, self.date_of_death)

    @property
    def ethnic_group(self) -> str:
        return ETHNIC_GROUPS.get(self.ethnicity, "not_known")

    @property
    def age_label(self) -> str:
        if not (self.date_of_birth and self.date_of_death):
            return ""
        days = (self.date_of_death - self.date_of_birth).days
        if days < 28:
            return f"{days} day{'s' if days != 1 else ''}"
        years = age_in_years(self.date_of_birth, self.date_of_death)
        if years < 1:
            return f"{days} days"
        return f"{years} year{'s' if years != 1 else ''}"

    @property
    def is_reviewed(self) -> bool:
        return self.review_date is not None

    @property
    def review_due(self) -> dt.date | None:
        """The panel review's due date (rules.PANEL_REVIEW): the configured months after
        the death; None for a death before child death reviews began (1 April 2008)."""
        return PANEL_REVIEW.due(self.date_of_death)

    def review_overdue(self, today: dt.date | None = None) -> bool:
        """Not reviewed more than the configured months after the death."""
        return PANEL_REVIEW.overdue(self.review_due, today or dt.date.today(), self.review_date)

    @property
    def factor_levels(self) -> list[tuple[str, str]]:
        """(domain, level shown) for each of the analysis form's four domains; '' not recorded."""
        levels = dict(FACTOR_LEVELS)
        return [(label, levels.get(getattr(self, code), "")) for code, label in FACTOR_DOMAINS]

    @property
    def jar_missing(self) -> bool:
        """An unexpected death needs a joint agency response; flag it while none is recorded."""
        return not self.expected and self.jar_date is None


class FormRequest(models.Model):
    """A request to one agency for its reporting form; the asked agency owns it, so its
    contributors see exactly the requests addressed to them."""

    MODULE = "child_deaths"

    death = models.ForeignKey(Death, on_delete=models.CASCADE, related_name="form_requests")
    owning_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", help_text="The agency asked"
    )
    requested_date = models.DateField(default=dt.date.today)
    due_date = models.DateField(db_index=True)
    returned_date = models.DateField(null=True, blank=True, db_index=True)
    returned_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    involvement = models.TextField("the agency's involvement with the child and family", blank=True)
    information = models.TextField("information for the panel", blank=True)
    last_chased = models.DateField(null=True, blank=True)
    chase_count = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["death", "owning_agency"], name="cdr_one_form_per_agency"
            )
        ]
        indexes = [
            models.Index(fields=["owning_agency", "returned_date", "due_date"]),
            # The worklist's forms for an officer: only the forms not yet returned.
            models.Index(
                fields=["due_date"],
                condition=models.Q(returned_date__isnull=True),
                name="cdr_form_outstanding",
            ),
        ]

    def __str__(self) -> str:
        return f"Reporting form for {self.death_id} from {self.owning_agency_id}"

    @property
    def is_returned(self) -> bool:
        return self.returned_date is not None

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Not returned after its due date (rules.AGENCY_FORM: from the day after)."""
        return AGENCY_FORM.overdue(self.due_date, today or dt.date.today(), self.returned_date)

    @property
    def status_label(self) -> str:
        if self.is_returned:
            return "Returned"
        return "Overdue" if self.is_overdue() else "Requested"
