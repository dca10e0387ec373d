"""Child death forms. Field names match the import columns where they mean the same thing."""

from __future__ import annotations

from django import forms

from safeguarding.core.codes import ETHNICITIES, SEXES
from safeguarding.core.forms import DateField, GdsFormMixin, VersionField, required_choice
from safeguarding.core.models import Agency
from safeguarding.core.periods import year_choices

from .codes import CATEGORIES, FACTOR_DOMAINS, FACTOR_LEVELS, MODIFIABLE, PLACES_OF_DEATH
from .rules import death_problems


def _date(label: str, required: bool = False, help_text: str = "") -> DateField:
    return DateField(label=label, required=required, help_text=help_text)


# A yes/no the notifier may not know: None (stored as not known) when "Not known" or unanswered.
YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]


def _yes_no_unknown(label: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        required=False,
        help_text=help_text,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        choices=YES_NO_UNKNOWN,
        widget=forms.RadioSelect,
    )


def yes_no_unknown_initial(value: bool | None) -> str:
    """The radio to show for a stored yes/no that may be not known (None)."""
    return {True: "yes", False: "no"}.get(value, "unknown")


DOMAIN_LABELS = dict(FACTOR_DOMAINS)


def _factor_level(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=FACTOR_LEVELS,
        widget=forms.RadioSelect,
        help_text="Leave unanswered if the panel did not record this domain",
    )


def _add_problems(form, problems) -> None:
    for field, message in problems:
        if field in form.fields:
            label = form.fields[field].label
            form.add_error(field, message if message[0].isupper() else f"{label} {message}")


class DeathForm(GdsFormMixin, forms.Form):
    version = VersionField()
    child_name = forms.CharField(label="Child's full name", max_length=200)
    date_of_birth = _date("Child's date of birth", required=True)
    sex = forms.ChoiceField(
        label="Sex",
        choices=SEXES,
        widget=forms.RadioSelect,
        error_messages=required_choice("Choose the child's sex"),
    )
    ethnicity = forms.ChoiceField(
        label="Ethnicity",
        choices=[("", "Choose")] + ETHNICITIES,
        error_messages=required_choice("Choose the child's ethnicity"),
    )
    nhs_number = forms.CharField(
        label="NHS number",
        max_length=12,
        required=False,
        help_text="10 digits, for example 943 476 5919",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    home_area = forms.CharField(
        label="Home area",
        max_length=200,
        required=False,
        help_text="Where the child normally lived",
    )
    date_of_death = _date("Date of death", required=True)
    place_of_death = forms.ChoiceField(
        label="Place of death", required=False, choices=[("", "Choose")] + PLACES_OF_DEATH
    )
    place_detail = forms.CharField(label="Place of death: detail", max_length=200, required=False)
    notification_date = _date("Date the death was notified", required=True)
    owning_agency = forms.ModelChoiceField(
        label="Notifying agency",
        queryset=Agency.objects.filter(is_active=True),
        empty_label="Choose",
        error_messages=required_choice("Choose the notifying agency"),
    )
    expected = forms.TypedChoiceField(
        label="Was the death expected?",
        coerce=lambda v: v == "yes",
        choices=[
            ("yes", "Expected"),
            ("no", "Unexpected: a joint agency response is needed"),
        ],
        widget=forms.RadioSelect,
        error_messages=required_choice("Choose expected or unexpected"),
    )
    child_protection_plan_at_death = _yes_no_unknown(
        "Was the child subject to a child protection plan when they died?"
    )
    looked_after_at_death = _yes_no_unknown("Was the child looked after when they died?")
    ncmd_notified_date = _date(
        "Date the death was notified to the National Child Mortality Database",
        help_text="Leave blank if not yet notified",
    )

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agency is not None:  # a contributor notifies for their own agency only
            self.fields["owning_agency"].queryset = Agency.objects.filter(pk=agency.pk)
            self.fields["owning_agency"].initial = agency.pk

    def clean_nhs_number(self):
        return self.cleaned_data["nhs_number"].replace(" ", "")

    def clean(self):
        data = super().clean()
        _add_problems(
            self,
            [
                (f, m)
                for f, m in death_problems(
                    date_of_birth=data.get("date_of_birth"),
                    date_of_death=data.get("date_of_death"),
                    notification_date=data.get("notification_date"),
                    nhs_number=data.get("nhs_number"),
                    ncmd_notified_date=data.get("ncmd_notified_date"),
                )
                if f not in self.errors
            ],
        )
        return data


class JarForm(GdsFormMixin, forms.Form):
    version = VersionField()
    jar_date = _date("Date of the joint agency response meeting", required=True)
    jar_attendees = forms.CharField(
        label="Attendees",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Names and agencies of those who attended",
    )


class ReviewMeetingForm(GdsFormMixin, forms.Form):
    version = VersionField()
    review_meeting_date = _date(
        "Date of the child death review meeting",
        required=True,
        help_text="The meeting of the professionals who knew the child, held before the panel",
    )


class ReviewForm(GdsFormMixin, forms.Form):
    version = VersionField()
    review_date = _date("Date of the panel meeting", required=True)
    category = forms.ChoiceField(
        label="Category of death",
        choices=CATEGORIES,
        widget=forms.RadioSelect,
        error_messages=required_choice("Choose the category of death"),
    )
    modifiable_factors = forms.ChoiceField(
        label="Were there modifiable factors?",
        choices=MODIFIABLE,
        widget=forms.RadioSelect,
        error_messages=required_choice("Choose whether there were modifiable factors"),
    )
    # The analysis form's four domains (codes.FACTOR_DOMAINS)
    factors_child = _factor_level(DOMAIN_LABELS["factors_child"])
    factors_social_environment = _factor_level(DOMAIN_LABELS["factors_social_environment"])
    factors_physical_environment = _factor_level(DOMAIN_LABELS["factors_physical_environment"])
    factors_service_provision = _factor_level(DOMAIN_LABELS["factors_service_provision"])
    learning_points = forms.CharField(
        label="Learning points", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class RecommendationForm(GdsFormMixin, forms.Form):
    description = forms.CharField(
        label="Recommendation",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the recommendation"},
    )
    owning_agency = forms.ModelChoiceField(
        label="Agency responsible",
        queryset=Agency.objects.filter(is_active=True),
        empty_label="Choose",
        error_messages=required_choice("Choose the agency responsible"),
    )
    due_date = _date("Date it is due", required=True)


class FormRequestForm(GdsFormMixin, forms.Form):
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies asked for a reporting form",
        queryset=Agency.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one agency"},
    )
    due_date = _date("Date the forms are due", required=True)


class FormReturnForm(GdsFormMixin, forms.Form):
    version = VersionField()
    involvement = forms.CharField(
        label="Your agency's involvement with the child and family",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    information = forms.CharField(
        label="Information for the panel",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Relevant history, services provided and any concerns",
        error_messages={"required": "Enter the information for the panel"},
    )


class FilterForm(forms.Form):
    year = forms.ChoiceField(
        label="Year notified",
        required=False,
        choices=lambda: [("", "All years")] + year_choices(2008),
    )
    expected = forms.ChoiceField(
        label="Type of death",
        required=False,
        choices=[("", "All"), ("expected", "Expected"), ("unexpected", "Unexpected")],
    )
    reviewed = forms.ChoiceField(
        label="Panel review",
        required=False,
        choices=[("", "All"), ("yes", "Reviewed"), ("no", "Not yet reviewed")],
    )
    category = forms.ChoiceField(
        label="Category", required=False, choices=[("", "All categories")] + CATEGORIES
    )
