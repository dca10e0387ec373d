"""LADO forms. Field names match the import columns where they mean the same thing."""

from __future__ import annotations

from django import forms

from safeguarding.core.forms import (
    DateField,
    GdsFormMixin,
    VersionField,
    config_form,
    required_choice,
)
from safeguarding.core.models import Agency
from safeguarding.core.periods import QUARTERS, year_choices

from .codes import (
    ALLEGATION_CATEGORIES,
    EMPLOYER_SECTORS,
    HARM_TESTS,
    OUTCOMES,
    RECEIVED_VIA,
)
from .models import MeetingType
from .rules import case_problems


def _date(label: str, required: bool = False, help_text: str = "") -> DateField:
    return DateField(label=label, required=required, help_text=help_text)


class CaseForm(GdsFormMixin, forms.Form):
    version = VersionField()
    contact_date = _date("Date of the contact", required=True)
    received_via = forms.ChoiceField(
        label="How did the contact come in?",
        required=False,
        choices=[("", "Choose")] + RECEIVED_VIA,
    )
    employer_name = forms.CharField(
        label="Employer or organisation", max_length=200, required=False
    )
    employer_sector = forms.ChoiceField(
        label="Employer's sector",
        choices=[("", "Choose a sector")] + EMPLOYER_SECTORS,
        error_messages=required_choice("Choose the employer's sector"),
    )
    employer_aware_date = _date(
        "When did the employer become aware?", help_text="Used for the 1 working day referral clock"
    )
    subject_name = forms.CharField(
        label="Name of the adult concerned", max_length=200, required=False
    )
    subject_role = forms.CharField(label="Their role", max_length=200, required=False)
    subject_date_of_birth = _date("Their date of birth (optional)")
    children = forms.CharField(
        label="Children involved (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Initials and ages are enough",
    )
    summary = forms.CharField(
        label="Summary of the concern", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    threshold_met = forms.TypedChoiceField(
        label="Threshold decision",
        coerce=lambda v: v == "yes",
        choices=[
            ("no", "Advice only: the harm test is not met"),
            ("yes", "LADO referral: the harm test is met"),
        ],
        widget=forms.RadioSelect,
        error_messages=required_choice("Choose advice only or LADO referral"),
    )
    harm_test = forms.ChoiceField(
        label="Which part of the harm test was met?",
        required=False,
        choices=HARM_TESTS,
        widget=forms.RadioSelect,
    )
    allegation_category = forms.ChoiceField(
        label="Category of allegation",
        required=False,
        choices=[("", "Choose")] + ALLEGATION_CATEGORIES,
    )
    referral_date = _date(
        "Date of the referral", help_text="Leave blank if it is the date of the contact"
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("threshold_met") and not data.get("harm_test"):
            self.add_error("harm_test", "Select which part of the harm test was met")
        for field, message in case_problems(
            contact_date=data.get("contact_date"),
            threshold_met=data.get("threshold_met"),
            referral_date=data.get("referral_date"),
            employer_aware_date=data.get("employer_aware_date"),
            subject_date_of_birth=data.get("subject_date_of_birth"),
        ):
            if field in self.fields:
                label = self.fields[field].label
                self.add_error(field, message if message[0].isupper() else f"{label} {message}")
        return data


class OutcomeForm(GdsFormMixin, forms.Form):
    version = VersionField()
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=OUTCOMES,
        widget=forms.RadioSelect,
        error_messages=required_choice("Choose the outcome"),
    )
    outcome_date = _date("Date of the outcome", help_text="Leave blank while pending")

    def __init__(self, *args, case=None, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        outcome, when = data.get("outcome"), data.get("outcome_date")
        if outcome and outcome != "pending" and not when:
            self.add_error("outcome_date", "Enter the date of the outcome")
        if outcome == "pending" and when:
            self.add_error("outcome_date", "Leave the date blank while the outcome is pending")
        if self.case and when:
            first = self.case.meetings.order_by("date").values_list("date", flat=True).first()
            for field, message in case_problems(
                contact_date=self.case.contact_date,
                threshold_met=True,
                referral_date=self.case.referral_date,
                strategy_meeting_date=first,
                outcome=outcome,
                outcome_date=when,
            ):
                if field == "outcome_date":
                    self.add_error("outcome_date", message)
        return data


class MeetingForm(GdsFormMixin, forms.Form):
    meeting_type = forms.ModelChoiceField(
        label="Type of meeting",
        queryset=MeetingType.objects.filter(is_active=True),
        empty_label="Choose",
        error_messages=required_choice("Choose the type of meeting"),
    )
    date = _date("Date of the meeting", required=True)
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies attending",
        required=False,
        queryset=Agency.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    decisions = forms.CharField(
        label="Decisions and actions", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


MeetingTypeForm = config_form(
    MeetingType,
    {
        "name": "Name of the meeting type",
        "order": "Position in lists",
        "is_active": "Offered for new meetings",
    },
)


class FilterForm(forms.Form):
    year = forms.ChoiceField(
        label="Financial year", required=False, choices=lambda: [("", "All years")] + year_choices()
    )
    quarter = forms.ChoiceField(
        label="Quarter", required=False, choices=[("", "All")] + [(q, q) for q in QUARTERS]
    )
    sector = forms.ChoiceField(
        label="Sector", required=False, choices=[("", "All sectors")] + EMPLOYER_SECTORS
    )
    outcome = forms.ChoiceField(
        label="Outcome", required=False, choices=[("", "All outcomes")] + OUTCOMES
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            ("", "All"),
            ("open", "Open referrals"),
            ("closed", "Closed referrals"),
            ("advice", "Advice only"),
        ],
    )
