"""Private fostering forms. Field names match the import columns where they mean the same."""

from __future__ import annotations

from django import forms

from safeguarding.core.codes import ETHNICITIES, SEXES
from safeguarding.core.forms import DateField, GdsFormMixin, VersionField, required_choice
from safeguarding.core.models import Agency
from safeguarding.core.periods import year_choices

from . import rules
from .codes import (
    ASSESSMENT_CHECKS,
    ASSESSMENT_DECISIONS,
    CARER_RELATIONSHIPS,
    CATEGORIES,
    END_REASONS,
    EXCLUSIONS,
    NOTIFIERS,
    STATUSES,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


def _date(label: str, required: bool = False, help_text: str = "") -> DateField:
    return DateField(label=label, required=required, help_text=help_text)


def _yes_no(label: str, required: bool = False, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        required=required,
        help_text=help_text,
        coerce=lambda v: v == "yes",
        empty_value=None,
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages=required_choice(f"Select yes or no: {label[0].lower()}{label[1:]}"),
    )


def _add_problems(form, problems) -> None:
    for field, message in problems:
        if field in form.fields:
            label = form.fields[field].label
            form.add_error(field, message if message[0].isupper() else f"{label} {message}")
        else:
            form.add_error(None, message)


class NotificationForm(GdsFormMixin, forms.Form):
    version = VersionField()
    owning_agency = forms.ModelChoiceField(
        label="Notifying agency",
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        empty_label="Choose (leave blank for your own agency)",
        help_text="Contributors of this agency will see the record",
    )
    notification_date = _date("Date of the notification", required=True)
    aware_date = _date(
        "Date the authority became aware (optional)",
        help_text="Only if it learned of the arrangement before the notification",
    )
    notified_by = forms.ChoiceField(
        label="Who notified?", required=False, choices=[("", "Choose")] + NOTIFIERS
    )
    notifier_name = forms.CharField(label="Name of the notifier", max_length=200, required=False)
    child_first_name = forms.CharField(label="Child's first name", max_length=100, required=False)
    child_last_name = forms.CharField(label="Child's last name", max_length=100, required=False)
    child_date_of_birth = _date("Child's date of birth")
    child_sex = forms.ChoiceField(
        label="Child's sex", required=False, choices=[("", "Choose")] + SEXES
    )
    child_ethnicity = forms.ChoiceField(
        label="Child's ethnicity", required=False, choices=[("", "Choose")] + ETHNICITIES
    )
    child_disabled = _yes_no(
        "Is the child disabled?",
        help_text="A disabled child is privately fostered up to 18, not 16",
    )
    child_nationality = forms.CharField(label="Child's nationality", max_length=100, required=False)
    child_school = forms.CharField(
        label="Child's school or college", max_length=200, required=False
    )
    parents_names = forms.CharField(label="Parents' names", max_length=200, required=False)
    parents_contact = forms.CharField(
        label="Parents' contact details",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    parents_country = forms.CharField(
        label="Where the parents live", max_length=100, required=False, help_text="Town or country"
    )
    carer_name = forms.CharField(label="Carer's name", max_length=200, required=False)
    carer_address = forms.CharField(
        label="Carer's address", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    carer_household = forms.CharField(
        label="Carer's household",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Other adults and children living there",
    )
    carer_relationship = forms.ChoiceField(
        label="Carer's relationship to the child",
        choices=CARER_RELATIONSHIPS,
        widget=forms.RadioSelect,
        error_messages=required_choice("Select the carer's relationship to the child"),
    )
    exclusion = forms.ChoiceField(
        label="Does an exemption apply? (optional)",
        required=False,
        choices=[("", "None applies")] + EXCLUSIONS,
        help_text="Children Act 1989 Schedule 8: a child in one of these situations is not "
        "privately fostered",
    )
    intended_start_date = _date("Intended start date")
    intended_duration_days = forms.IntegerField(
        label="Intended length of the stay, in days",
        required=False,
        min_value=1,
        max_value=10000,
        help_text="28 days or more is private fostering",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
    )
    category = forms.ChoiceField(
        label="Kind of arrangement",
        choices=CATEGORIES,
        widget=forms.RadioSelect,
        error_messages=required_choice("Select the kind of arrangement"),
    )
    summary = forms.CharField(
        label="Summary", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, can_choose_agency: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_choose_agency:
            del self.fields["owning_agency"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        _add_problems(
            self,
            rules.notification_problems(
                notification_date=data.get("notification_date"),
                child_date_of_birth=data.get("child_date_of_birth"),
                aware_date=data.get("aware_date"),
            ),
        )
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if "owning_agency" in data and data["owning_agency"] is None:
            data.pop("owning_agency")
        for name in ("child_sex", "child_ethnicity", "notified_by", "exclusion"):
            data[name] = data.get(name) or ""
        return data


class ArrangementForm(GdsFormMixin, forms.Form):
    version = VersionField()
    arrangement_start_date = _date("Date the arrangement began", required=True)
    arrangement_end_date = _date("Date the arrangement ended", help_text="Blank while it continues")
    end_reason = forms.ChoiceField(
        label="Why did it end?",
        required=False,
        choices=[("", "Choose (when it has ended)")] + END_REASONS,
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("arrangement_end_date") and not data.get("end_reason"):
            self.add_error("end_reason", "Choose why the arrangement ended")
        if data.get("end_reason") and not data.get("arrangement_end_date"):
            self.add_error("arrangement_end_date", "Enter the date the arrangement ended")
        return data


class AssessmentForm(GdsFormMixin, forms.Form):
    version = VersionField()
    assessment_checks = forms.MultipleChoiceField(
        label="Checks done",
        required=False,
        choices=ASSESSMENT_CHECKS,
        widget=forms.CheckboxSelectMultiple,
    )
    assessment_decision = forms.ChoiceField(
        label="Decision on the carer's suitability",
        choices=ASSESSMENT_DECISIONS,
        widget=forms.RadioSelect,
        error_messages=required_choice("Select the decision on the carer's suitability"),
    )
    assessment_date = _date("Date of the decision", required=True)
    assessment_notes = forms.CharField(
        label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class VisitForm(GdsFormMixin, forms.Form):
    visit_date = _date("Date of the visit", required=True)
    seen_alone = _yes_no("Was the child seen alone?", required=True)
    report_written = _yes_no("Was a written report made of the visit?", required=True)
    notes = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FilterForm(forms.Form):
    year = forms.ChoiceField(
        label="Financial year notified",
        required=False,
        choices=lambda: [("", "All years")] + year_choices(),
    )
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "All")] + STATUSES)
    category = forms.ChoiceField(
        label="Kind of arrangement", required=False, choices=[("", "All kinds")] + CATEGORIES
    )
    overdue = forms.ChoiceField(
        label="Visits",
        required=False,
        choices=[("", "All"), ("yes", "With an overdue visit")],
    )

    def clean_overdue(self) -> bool | None:
        """The list's query wants True (only those with an overdue visit) or None (all)."""
        return True if self.cleaned_data.get("overdue") == "yes" else None
