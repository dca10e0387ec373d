"""Forms for the shared child record."""

from __future__ import annotations

from django import forms

from safeguarding.core.codes import ETHNICITIES, SEXES
from safeguarding.core.forms import DateField, GdsFormMixin, VersionField, required_choice


class ChildForm(GdsFormMixin, forms.Form):
    version = VersionField()
    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)
    date_of_birth = DateField(label="Date of birth")
    sex = forms.ChoiceField(
        label="Sex",
        choices=SEXES,
        widget=forms.RadioSelect,
        error_messages=required_choice("Choose the child's sex (or unknown)"),
    )
    ethnicity = forms.ChoiceField(
        label="Ethnicity", required=False, choices=[("", "Not recorded")] + list(ETHNICITIES)
    )
    looked_after = forms.TypedChoiceField(
        label="Is the child looked after (in care)?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages=required_choice("Choose whether the child is looked after"),
    )
    home_area = forms.CharField(label="Home area", max_length=100, required=False)
    external_reference = forms.CharField(
        label="Child's reference (optional)",
        max_length=40,
        required=False,
        help_text="For example, the council's child id",
    )
    not_duplicate = forms.BooleanField(
        label="I have checked: this is a different child", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].error_messages["required"] = "Enter the child's first name"
        self.fields["last_name"].error_messages["required"] = "Enter the child's last name"

    def clean_date_of_birth(self):
        import datetime as dt

        value = self.cleaned_data.get("date_of_birth")
        if value and value > dt.date.today():
            raise forms.ValidationError("The date of birth cannot be in the future")
        return value

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("not_duplicate", None)
        return data


class MergeForm(GdsFormMixin, forms.Form):
    keep = forms.TypedChoiceField(
        label="Which record should be kept?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=required_choice("Choose the record to keep"),
    )

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [
            (c.pk, f"Record {c.pk}: {c.display_name}, reference {c.external_reference or 'none'}")
            for c in children
        ]
