from django import forms

from safeguarding.core.forms import GdsFormMixin, VersionField, required_choice
from safeguarding.core.models import Agency

from . import choices
from .models import BENCHMARK_KINDS, PERIOD_KIND, Indicator
from .services import INDICATOR_FIELDS


class IndicatorForm(GdsFormMixin, forms.ModelForm):
    version = VersionField()

    class Meta:
        model = Indicator
        fields = INDICATOR_FIELDS  # the form edits what the history records
        labels = {
            "owning_agency": "Owning agency",
            "computed_value": "Computed figure path",
            "computed_numerator": "Computed numerator path",
            "computed_denominator": "Computed denominator path",
            "is_active": "Active",
            "order": "Position in its group",
            "aggregation": "How a quarter or a year is computed",
        }
        help_texts = {
            "computed_value": "e.g. lado:referrals.{quarter} or "
            "missing-episodes:by_month.{month}.care_missing"
        }
        error_messages = {
            "reference": {"required": "Enter a reference", "unique": "That reference is used"},
            "name": {"required": "Enter the indicator's name"},
            "group": required_choice("Choose the priority or task group"),
            "owning_agency": required_choice("Choose the owning agency"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owning_agency"].queryset = Agency.objects.filter(is_active=True)
        # Left blank, the unit's usual one: a count summed, anything else a ratio.
        aggregation = self.fields["aggregation"]
        aggregation.required = False
        aggregation.choices = [("", "The unit's usual one (counts summed, others a ratio)")] + [
            c for c in aggregation.choices if c[0]
        ]
        if self.instance.pk is None and not self.is_bound:
            self.initial["aggregation"] = ""


class BenchmarkForm(GdsFormMixin, forms.Form):
    year = forms.ChoiceField(
        label="Financial year",
        error_messages=required_choice("Choose the financial year"),
    )
    kind = forms.ChoiceField(
        label="Benchmark",
        choices=BENCHMARK_KINDS,
        widget=forms.RadioSelect,
        error_messages=required_choice("Choose the benchmark"),
    )
    value = forms.DecimalField(
        label="Value",
        required=False,
        max_digits=14,
        decimal_places=4,
        help_text="Leave blank to remove the benchmark",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Chosen from a list, never typed: the years from the earliest figures to this one.
        asked = self.data.get("year") if self.is_bound else None
        self.fields["year"].choices = [("", "Choose a year")] + choices.financial_years(asked)


class ValueForm(GdsFormMixin, forms.Form):
    """One indicator's row in an agency's return: a stored value's version goes with it."""

    version = VersionField()
    value = forms.DecimalField(label="Value", required=False, max_digits=14, decimal_places=4)
    numerator = forms.DecimalField(
        label="Numerator", required=False, max_digits=14, decimal_places=2
    )
    denominator = forms.DecimalField(
        label="Denominator", required=False, max_digits=14, decimal_places=2
    )
    commentary = forms.CharField(
        label="Analysis of the figures", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SendBackForm(GdsFormMixin, forms.Form):
    note = forms.CharField(
        label="What does the agency need to change?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what the agency needs to change"},
    )


class OpenReturnsForm(GdsFormMixin, forms.Form):
    """The period to open returns for, chosen from the periods of the frequencies that
    active submitted indicators have (a return is of one frequency)."""

    period = forms.ChoiceField(
        label="Open returns for a period",
        help_text="One return for each agency that owns indicators of that frequency",
        error_messages=required_choice("Choose a period from the list"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", "Choose a period")] + self.groups()

    @staticmethod
    def groups():
        frequencies = set(
            Indicator.objects.filter(is_active=True, source="submitted")
            .order_by()
            .values_list("frequency", flat=True)
            .distinct()
        )
        return choices.grouped({PERIOD_KIND[f] for f in frequencies})
