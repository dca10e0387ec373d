"""Missing episodes, return home interviews, exploitation screening, the MET list and panel."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from safeguarding.children.models import Child
from safeguarding.core.models import Agency

from .codes import (
    EPISODE_TYPES,
    EXPLOITATION_TYPES,
    INTERVIEW_RESPONSES,
    LEAVING_REASONS,
    RISK_LEVELS,
    SCREENING_LEVELS,
    WHERE_FOUND,
)


class Episode(models.Model):
    """One missing / absent episode of a child. Episodes of one child never overlap."""

    MODULE = "missing"

    reference = models.CharField(max_length=40, unique=True)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="missing_episodes")
    owning_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The agency that reported the episode",
    )
    looked_after = models.BooleanField(
        default=False, help_text="Missing from care (looked after) rather than from home"
    )
    episode_type = models.CharField(max_length=10, choices=EPISODE_TYPES)
    start = models.DateTimeField()
    end = models.DateTimeField(null=True, blank=True)
    where_found = models.CharField(max_length=20, choices=WHERE_FOUND, blank=True)
    police_reference = models.CharField(max_length=40, blank=True)
    risk_level = models.CharField(max_length=10, choices=RISK_LEVELS, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start", "-id"]
        indexes = [
            models.Index(fields=["start", "episode_type", "looked_after"]),
            models.Index(fields=["child", "start"]),
            models.Index(fields=["owning_agency", "start"]),
            # The interviews to offer (worklist): recent returns of missing episodes.
            models.Index(fields=["episode_type", "end"]),
            # The list filtered by type, in its order (a deep page reads ids from this).
            models.Index(fields=["episode_type", "-start", "-id"], name="missing_type_recent"),
            # The children still missing (end not recorded), oldest first.
            models.Index(
                fields=["start"], condition=models.Q(end__isnull=True), name="missing_still_out"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.end is None

    @property
    def interview_deadline(self) -> dt.datetime | None:
        from .rules import interview_deadline

        return interview_deadline(self.end)


class ReturnInterview(models.Model):
    """The independent return home interview offered after an episode (one per episode)."""

    MODULE = "missing"

    episode = models.OneToOneField(Episode, on_delete=models.CASCADE, related_name="interview")
    offered_at = models.DateTimeField(null=True, blank=True)
    offered_by = models.CharField(max_length=200, blank=True)
    response = models.CharField(max_length=10, choices=INTERVIEW_RESPONSES, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    disclosed_sexual_exploitation = models.BooleanField(default=False)
    disclosed_criminal_exploitation = models.BooleanField(default=False)
    disclosed_harm = models.BooleanField(default=False)
    disclosures = models.TextField(blank=True)
    follow_up_actions = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    @property
    def owning_agency_id(self):
        return self.episode.owning_agency_id

    @property
    def offered_in_time(self) -> bool | None:
        from .rules import offered_in_time

        return offered_in_time(self.episode.end, self.offered_at)


class Screening(models.Model):
    """An exploitation screening tool result; the assessor's agency owns it."""

    MODULE = "missing"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="screenings")
    owning_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name="assessor's agency"
    )
    date = models.DateField()
    exploitation_type = models.CharField(max_length=10, choices=EXPLOITATION_TYPES)
    tool = models.CharField(max_length=200)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    level = models.CharField(max_length=10, choices=SCREENING_LEVELS, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["child", "date"])]


class MetListEntry(models.Model):
    """A child's time on the MET list: added with a risk level and lead agency, left with a reason."""

    MODULE = "missing"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="met_entries")
    owning_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name="lead agency"
    )
    risk_level = models.CharField(max_length=10, choices=RISK_LEVELS)
    exploitation_concerns = models.TextField(blank=True)
    added_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    leaving_reason = models.CharField(max_length=20, choices=LEAVING_REASONS, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-added_on", "-id"]
        verbose_name_plural = "MET list entries"
        indexes = [models.Index(fields=["left_on", "added_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(left_on__isnull=True),
                name="missing_one_open_met_entry_per_child",
            )
        ]

    @property
    def on_list(self) -> bool:
        return self.left_on is None


class MetMeetingType(models.Model):
    """Operational (weekly), tactical (monthly), strategic (bi-monthly): configurable."""

    MODULE = "missing"
    owning_agency_id = None

    name = models.CharField(max_length=100, unique=True)
    frequency_days = models.PositiveSmallIntegerField(
        default=7, help_text="How often the meeting is held, in days"
    )
    is_active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class MetMeeting(models.Model):
    MODULE = "missing"
    owning_agency_id = None

    meeting_type = models.ForeignKey(MetMeetingType, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(db_index=True)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="+")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.meeting_type} on {self.date:%d %b %Y}"

    @property
    def next_due(self) -> dt.date:
        return self.date + dt.timedelta(days=self.meeting_type.frequency_days)


class MetDiscussion(models.Model):
    """One child on a meeting's agenda: the decisions and actions agreed for them."""

    MODULE = "missing"

    meeting = models.ForeignKey(MetMeeting, on_delete=models.CASCADE, related_name="discussions")
    entry = models.ForeignKey(MetListEntry, on_delete=models.CASCADE, related_name="discussions")
    risk_level = models.CharField(max_length=10, choices=RISK_LEVELS, blank=True)
    decisions = models.TextField(blank=True)
    actions = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "entry"], name="missing_one_item_per_child")
        ]

    @property
    def owning_agency_id(self):
        return self.entry.owning_agency_id


class Commentary(models.Model):
    """The MET chair's analysis of one indicator in one financial year (report page)."""

    MODULE = "missing"
    owning_agency_id = None

    start_year = models.PositiveSmallIntegerField()
    indicator = models.CharField(max_length=40)
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["start_year", "indicator"], name="missing_one_commentary_per_indicator"
            )
        ]
