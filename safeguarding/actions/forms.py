"""Action forms."""

from __future__ import annotations

from django import forms

from safeguarding.core.forms import DateField, GdsFormMixin, VersionField, required_choice
from safeguarding.core.models import Agency
from safeguarding.core.permissions import MODULES
from safeguarding.core.writes import NO_VERSION_MESSAGE, STALE_MESSAGE

from .models import STATUSES, UPDATE_STATUSES
from .queries import DUE_FILTERS


class VersionedForm(forms.Form):
    """An edit form, made with the stored version as its initial ``version``. The posted
    version is checked with the other fields, so a copy without one, or an old one, says
    so even when other fields need correcting too. (The service checks again, under a
    lock: that check is the one that protects the record.)"""

    version = VersionField()

    def clean(self):
        data = super().clean()
        posted, stored = data.get("version"), self.initial.get("version")
        if "version" in self.errors:
            return data
        if posted is None:
            self.add_error(None, NO_VERSION_MESSAGE)
        elif stored is not None and posted != stored:
            self.add_error(None, STALE_MESSAGE)
        return data


class ActionForm(GdsFormMixin, forms.Form):
    """What is agreed: used to add an action to a source (and, with its version, to
    change it: ActionEditForm)."""

    description = forms.CharField(
        label="What will be done",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what will be done"},
    )
    measure = forms.CharField(
        label="Measure of success",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Specific, measurable: how the partnership will know it worked",
    )
    owning_agency = forms.ModelChoiceField(
        label="Owner agency",
        queryset=Agency.objects.filter(is_active=True),
        empty_label="Choose an agency",
        error_messages=required_choice("Choose the agency that owns the action"),
    )
    owner_person = forms.CharField(label="Owner (name or role)", max_length=200, required=False)
    due_date = DateField(label="Due date", required=True)


class ActionEditForm(ActionForm, VersionedForm):
    pass


class ProgressForm(GdsFormMixin, VersionedForm):
    status = forms.ChoiceField(
        label="Status",
        choices=UPDATE_STATUSES,
        widget=forms.RadioSelect,
        error_messages=required_choice("Choose the status of the action"),
    )
    note = forms.CharField(
        label="Progress made",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what progress has been made"},
    )
    date = DateField(label="Date of the update", required=True)
    evidence = forms.CharField(
        label="Evidence of impact (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The business unit needs it to close the action",
    )


class CloseForm(GdsFormMixin, VersionedForm):
    evidence = forms.CharField(
        label="Evidence of impact",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter the evidence of impact: an action cannot be closed without it"
        },
    )
    date = DateField(label="Date closed", required=True)


class FilterForm(forms.Form):
    source_module = forms.ChoiceField(label="Source", required=False)
    agency = forms.ModelChoiceField(
        label="Owner agency",
        required=False,
        queryset=Agency.objects.all(),
        empty_label="All agencies",
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "All statuses")] + STATUSES
    )
    due = forms.ChoiceField(
        label="Due date", required=False, choices=[("", "Any due date")] + DUE_FILTERS
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_module"].choices = [("", "All sources")] + [
            (slug, label) for slug, label in MODULES.items() if slug != "actions"
        ]
