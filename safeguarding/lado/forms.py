"""LADO forms. Field names match the import columns where they mean the same thing."""

from __future__ import annotations

import datetime as dt

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
    EMPLOYER_OUTCOMES,
    EMPLOYER_SECTORS,
    HARM_TESTS,
    OUTCOMES,
    RECEIVED_VIA,
)
from .models import MeetingType
from .rules import case_problems, decision_problems


def _date(label: str, required: bool = False, help_text: str = "") -> DateField:
    return DateField(label=label, required=required, help_text=help_text)


def _add_problems(form, problems) -> None:
    """Rule problems beside their fields, the label in front of a message that needs it;
    one per field (a date in the future is not also out of order)."""
    for field, message in problems:
        if field in form.fields and field not in form.errors:
            label = form.fields[field].label
            form.add_error(field, message if message[0].isupper() else f"{label} {message}")


def _threshold_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label="Threshold decision",
        coerce=lambda v: v == "yes",
        choices=[
            ("no", "Advice only: the harm test is not met"),
            ("yes", "LADO referral: the harm test is met"),
        ],
        widget=forms.RadioSelect,
        error_messages=required_choice("Choose advice only or LADO referral"),
    )


def _harm_test_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Which part of the harm test was met?",
        required=False,
        choices=HARM_TESTS,
        widget=forms.RadioSelect,
    )


def _category_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Category of allegation",
        required=False,
        choices=[("", "Choose")] + ALLEGATION_CATEGORIES,
    )


class ContactForm(GdsFormMixin, forms.Form):
    """What the LADO records of a contact, without the decision (a referral awaiting the
    LADO's decision is changed with this: the decision has a page of its own)."""

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

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("threshold_met") and not data.get("harm_test"):
            self.add_error("harm_test", "Select which part of the harm test was met")
        _add_problems(
            self,
            case_problems(
                contact_date=data.get("contact_date"),
                threshold_met=data.get("threshold_met"),
                referral_date=data.get("referral_date"),
                employer_aware_date=data.get("employer_aware_date"),
                subject_date_of_birth=data.get("subject_date_of_birth"),
            ),
        )
        return data


class CaseForm(ContactForm):
    """The LADO's own record of a contact, with its threshold decision made as it comes in."""

    threshold_met = _threshold_field()
    harm_test = _harm_test_field()
    allegation_category = _category_field()
    referral_date = _date(
        "Date of the referral", help_text="Leave blank if it is the date of the contact"
    )
    next_steps = forms.CharField(
        label="Next steps (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The advice given, or the meetings and enquiries planned",
    )


class ReferralForm(GdsFormMixin, forms.Form):
    """A partner agency's referral to the LADO: what happened, the adult, the employer, the
    children. The threshold decision and the harm test are the LADO's (DecisionForm)."""

    employer_name = forms.CharField(label="Employer or organisation", max_length=200)
    employer_sector = forms.ChoiceField(
        label="Employer's sector",
        choices=[("", "Choose a sector")] + EMPLOYER_SECTORS,
        error_messages=required_choice("Choose the employer's sector"),
    )
    employer_aware_date = _date(
        "Date the organisation became aware",
        required=True,
        help_text="The LADO should hear of an allegation within 1 working day of the employer "
        "becoming aware. For example, 27 3 2024",
    )
    subject_name = forms.CharField(label="Name of the adult concerned", max_length=200)
    subject_role = forms.CharField(label="Their role", max_length=200)
    subject_date_of_birth = _date("Their date of birth (optional)")
    children = forms.CharField(
        label="Children involved (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Initials and ages are enough",
    )
    summary = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What was seen, heard or said, when and where, and what your organisation "
        "has done so far",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer_name"].error_messages["required"] = (
            "Enter the employer or organisation"
        )
        self.fields["subject_name"].error_messages["required"] = "Enter the adult's name"
        self.fields["subject_role"].error_messages["required"] = "Enter the adult's role"
        self.fields["summary"].error_messages["required"] = "Say what happened"

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        _add_problems(
            self,
            case_problems(
                contact_date=dt.date.today(),
                threshold_met=False,
                employer_aware_date=data.get("employer_aware_date"),
                subject_date_of_birth=data.get("subject_date_of_birth"),
            ),
        )
        return data


class DecisionForm(GdsFormMixin, forms.Form):
    """The LADO's threshold decision on a contact or a partner's referral."""

    version = VersionField()
    threshold_met = _threshold_field()
    harm_test = _harm_test_field()
    allegation_category = _category_field()
    decided_on = _date("Date of the decision", required=True)
    next_steps = forms.CharField(
        label="Next steps",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The advice given, or the meetings and enquiries planned. The referring "
        "agency can read this on the referral.",
        error_messages={"required": "Enter the next steps"},
    )

    def __init__(self, *args, case=None, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.errors or self.case is None:
            return data
        _add_problems(
            self,
            decision_problems(
                contact_date=self.case.contact_date,
                threshold_met=data.get("threshold_met"),
                harm_test=data.get("harm_test"),
                decided_on=data.get("decided_on"),
                next_steps=data.get("next_steps"),
            ),
        )
        return data


class NoteForm(GdsFormMixin, forms.Form):
    text = forms.CharField(
        label="Information to add",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="It is dated and kept with the case, and cannot be changed afterwards.",
        error_messages={"required": "Enter the information to add"},
    )


class OutcomeForm(GdsFormMixin, forms.Form):
    version = VersionField()
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=OUTCOMES,
        widget=forms.RadioSelect,
        error_messages=required_choice("Choose the outcome"),
    )
    outcome_date = _date("Date of the outcome", help_text="Leave blank while pending")
    employer_outcome = forms.ChoiceField(
        label="Outcome of the employer's own process",
        choices=[("", "Not known yet")] + EMPLOYER_OUTCOMES,
        required=False,
        help_text='Only when the outcome is "no further action" (returned to the '
        "employer's own process)",
    )

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
        if data.get("employer_outcome") and outcome != "no_further_action":
            self.add_error(
                "employer_outcome",
                'Leave this blank unless the outcome is "no further action"',
            )
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
            ("awaiting", "Awaiting LADO decision"),
        ],
    )
    sort = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[("", "Newest contact first"), ("age", "Open longest first")],
    )
