"""The performance framework: indicators, agency data returns, values and benchmarks."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from safeguarding.core.models import Agency, User

from .rules import DATA_RETURN

FREQUENCIES = [("monthly", "Monthly"), ("quarterly", "Quarterly"), ("yearly", "Yearly")]
PERIOD_KIND = {"monthly": "month", "quarterly": "quarter", "yearly": "year"}
UNITS = [
    ("count", "Count"),
    ("percent", "Percentage"),
    ("rate_per_10000", "Rate per 10,000 children"),
    ("mean", "Mean"),
]
POLARITIES = [
    ("higher", "Higher is better"),
    ("lower", "Lower is better"),
    ("none", "Neither (context only)"),
]
SOURCES = [
    ("submitted", "Submitted by its owning agency"),
    ("computed", "Computed from a register of this system"),
]
RETURN_STATUSES = [
    ("open", "Open"),
    ("submitted", "Submitted"),
    ("sent_back", "Sent back"),
    ("approved", "Approved"),
]
# How an indicator's values of its own frequency make a longer period's figure (a quarter
# of a monthly indicator, a year of a quarterly one): reports._aggregate.
AGGREGATIONS = [
    ("sum", "Sum: the counts of the periods added up"),
    ("ratio", "Ratio: numerators added up over denominators added up"),
    ("snapshot", "Snapshot: the value at the end of the period"),
    ("latest", "Latest: the latest value given in the period"),
]


def default_aggregation(unit: str) -> str:
    """A count adds up; a percentage, rate or mean is recomputed from its parts."""
    return "sum" if unit == "count" else "ratio"


BENCHMARK_KINDS = [("statistical_neighbours", "Statistical neighbours"), ("england", "England")]


class IndicatorGroup(models.Model):
    """A board priority or task group that indicators are shown under."""

    MODULE = "performance"
    owning_agency_id = None
    name = models.CharField(max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    MODULE = "performance"

    reference = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    group = models.ForeignKey(IndicatorGroup, on_delete=models.PROTECT, related_name="indicators")
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    frequency = models.CharField(max_length=20, choices=FREQUENCIES)
    unit = models.CharField(max_length=20, choices=UNITS, default="count")
    polarity = models.CharField(max_length=10, choices=POLARITIES, default="higher")
    aggregation = models.CharField(
        max_length=10,
        choices=AGGREGATIONS,
        default="sum",
        help_text="How a quarter or a year is computed from the indicator's own periods",
    )
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    tolerance = models.DecimalField(
        "amber tolerance",
        max_digits=12,
        decimal_places=2,
        default=0,
        help_text="How far from the target is still amber",
    )
    disaggregation = models.CharField(
        max_length=200, blank=True, help_text="e.g. care/home, victim/perpetrator"
    )
    source = models.CharField(max_length=20, choices=SOURCES, default="submitted")
    # Computed indicators: "register:dotted.path" into that register's year report, with
    # {month} (2016-04) and {quarter} (Q1) filled from the period; for percentages and
    # rates, a numerator and a denominator path instead.
    computed_value = models.CharField(max_length=200, blank=True)
    computed_numerator = models.CharField(max_length=200, blank=True)
    computed_denominator = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["group__order", "order", "reference"]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"


class DataReturn(models.Model):
    """One agency's return of its submitted indicators for one period."""

    MODULE = "performance"

    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=10, db_index=True)
    frequency = models.CharField(max_length=20, choices=FREQUENCIES)
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=RETURN_STATUSES, default="open", db_index=True)
    note = models.TextField(blank=True, help_text="The business unit's note when sent back")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_chased_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period", "owning_agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owning_agency", "period", "frequency"], name="one_return_per_agency_period"
            )
        ]
        # The worklist: returns waiting on someone, by due date (late ones first).
        indexes = [models.Index(fields=["status", "due_date"], name="perf_return_status_due")]

    def __str__(self) -> str:
        return f"{self.owning_agency} {self.period}"

    def is_late(self, today) -> bool:
        """Open or sent back, and overdue on the return's clock (rules.DATA_RETURN)."""
        return self.status in ("open", "sent_back") and DATA_RETURN.overdue(self.due_date, today)


class IndicatorValue(models.Model):
    MODULE = "performance"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.CharField(max_length=10)
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    data_return = models.ForeignKey(
        DataReturn, on_delete=models.SET_NULL, null=True, blank=True, related_name="values"
    )
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    commentary = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "owning_agency"],
                name="one_value_per_indicator_period_agency",
            )
        ]
        indexes = [models.Index(fields=["period", "indicator"])]

    def __str__(self) -> str:
        return f"{self.indicator.reference} {self.period}"


class Benchmark(models.Model):
    MODULE = "performance"
    owning_agency_id = None

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="benchmarks")
    year = models.CharField(max_length=7, help_text="Financial year, e.g. 2016-17")
    kind = models.CharField(max_length=30, choices=BENCHMARK_KINDS)
    value = models.DecimalField(max_digits=14, decimal_places=4)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "kind"], name="one_benchmark_per_year_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.reference} {self.year} {self.kind}"


class ComputedValue(models.Model):
    """A computed indicator's figure for one of its own periods, as its register's year
    report gave it at ``computed_at`` (computed.stored_figures): the dashboard reads these
    stored period values instead of recomputing registers' years on every request. A row
    made from another version of the indicator (its paths changed) is not used."""

    MODULE = "performance"
    owning_agency_id = None

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=10)
    indicator_version = models.PositiveIntegerField()
    # The register's figures exactly as it gave them (Decimal text, "" for none): the
    # indicator's value is derived from them when read (rules.derive), as before.
    value = models.CharField(max_length=50, blank=True)
    numerator = models.CharField(max_length=50, blank=True)
    denominator = models.CharField(max_length=50, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)
    # When a background refresh of a stale row was queued: one per STORED_SECONDS.
    refresh_queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Also the (indicator, period) index every read of the dashboard goes through.
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="one_computed_value_per_indicator_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period}"
