"""The child record shared by the missing, case review and later modules.

A module of its own ("children"): a user's role here is their role in the modules that
record children (apps.py: role_from). Duplicates on name + date of birth, merge by a
manager. Other modules link to it with a ForeignKey, write it only through
children.services, and add to its pages through children.hooks.
"""

from django.db import models
from django.utils import timezone

from safeguarding.core.codes import ETHNICITIES, SEXES
from safeguarding.core.models import Agency


class Child(models.Model):
    MODULE = "children"

    external_reference = models.CharField(
        max_length=40, blank=True, db_index=True, help_text="e.g. the council's child id"
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=10, choices=SEXES, default="unknown")
    ethnicity = models.CharField(max_length=4, choices=ETHNICITIES, blank=True)
    looked_after = models.BooleanField(default=False)
    home_area = models.CharField(max_length=100, blank=True)
    owning_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [models.Index(fields=["last_name", "first_name", "date_of_birth"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return name or f"Child {self.external_reference or self.pk}"
