"""Case review forms. Field names match the import columns where they mean the same thing."""

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
from safeguarding.core.periods import year_choices

from .codes import PUBLICATION_DECISIONS
from .models import ReviewType, Theme
from .rules import referral_problems


def _date(label: str, required: bool = False, help_text: str = "") -> DateField:
    return DateField(label=label, required=required, help_text=help_text)


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        coerce=lambda v: v == "yes",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages=required_choice(f"Choose yes or no: {label[0].lower() + label[1:]}"),
    )


def _add_problems(form, problems) -> None:
    for field, message in problems:
        if field in form.fields:
            form.add_error(field, message)


class ReferralForm(GdsFormMixin, forms.Form):
    version = VersionField()
    title = forms.CharField(
        label="Case name (optional)",
        max_length=100,
        required=False,
        help_text="How the panel refers to the case, e.g. Case RSW. Do not use real names.",
    )
    referral_date = _date("Date of the referral to the panel", required=True)
    incident_date = _date("Date of the incident (optional)")
    la_aware_date = _date(
        "Date the local authority became aware",
        help_text="Starts the 5 working day clock for the serious incident notification",
    )
    summary = forms.CharField(
        label="What happened", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    abuse_or_neglect = _yes_no("Is abuse or neglect known or suspected?")
    child_died = _yes_no("Did the child die?")
    seriously_harmed = _yes_no("Was the child seriously harmed?")
    looked_after = _yes_no("Was the child looked after?")
    outside_england = forms.TypedChoiceField(
        label="Did the incident happen outside England?",
        help_text="A child who normally lives in the area and dies or is seriously harmed "
        "outside England is still notified to the Panel (Children Act 2004 s16C(1)(b)).",
        required=False,
        coerce=lambda v: v == "yes",
        empty_value=False,
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
    )
    agencies_involved = forms.ModelMultipleChoiceField(
        label="Agencies involved",
        required=False,
        queryset=Agency.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        data = super().clean()
        if not self.errors:
            _add_problems(
                self,
                referral_problems(
                    referral_date=data.get("referral_date"),
                    la_aware_date=data.get("la_aware_date"),
                    incident_date=data.get("incident_date"),
                ),
            )
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ChildForm(GdsFormMixin, forms.Form):
    first_name = forms.CharField(label="Child's first name", max_length=100)
    last_name = forms.CharField(label="Child's last name", max_length=100)
    date_of_birth = _date("Child's date of birth")


class NewReferralForm(ReferralForm):
    """A referral with its first child (more children can be added afterwards)."""

    first_name = forms.CharField(label="Child's first name", max_length=100)
    last_name = forms.CharField(label="Child's last name", max_length=100)
    date_of_birth = _date("Child's date of birth")

    def values(self) -> dict:
        data = super().values()
        data["children"] = [
            {
                "first_name": data.pop("first_name"),
                "last_name": data.pop("last_name"),
                "date_of_birth": data.pop("date_of_birth"),
            }
        ]
        return data


class PanelForm(GdsFormMixin, forms.Form):
    """The statutory clocks and the panel's decision."""

    version = VersionField()
    notification_date = _date(
        "Date the serious incident notification was sent",
        help_text="Due within 5 working days of the local authority becoming aware",
    )
    rapid_review_date = _date(
        "Date the rapid review was completed",
        help_text="Due within 15 working days of the notification",
    )
    decision = forms.ModelChoiceField(
        label="The panel's decision",
        required=False,
        queryset=ReviewType.objects.filter(is_active=True),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    decision_reasons = forms.CharField(
        label="Reasons for the decision", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    decision_date = _date("Date of the decision")

    def __init__(self, *args, referral=None, **kwargs):
        self.referral = referral
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if not self.errors and self.referral is not None:
            r = self.referral
            decision = data.get("decision")
            _add_problems(
                self,
                referral_problems(
                    referral_date=r.referral_date,
                    la_aware_date=r.la_aware_date,
                    incident_date=r.incident_date,
                    notification_date=data.get("notification_date"),
                    rapid_review_date=data.get("rapid_review_date"),
                    decision_code=decision.code if decision else None,
                    decision_date=data.get("decision_date"),
                    review_start_date=r.review_start_date,
                ),
            )
        return data


class ReviewForm(GdsFormMixin, forms.Form):
    """The review's lifecycle, findings, learning themes and publication."""

    version = VersionField()
    reviewer = forms.CharField(label="Lead reviewer", max_length=200, required=False)
    review_start_date = _date("Date the review started")
    joint_with = forms.CharField(
        label="Joint review with (optional)",
        max_length=200,
        required=False,
        help_text="Another area's partnership, for a joint review",
    )
    terms_of_reference = forms.CharField(
        label="Terms of reference", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    findings = forms.CharField(
        label="Findings", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    themes = forms.ModelMultipleChoiceField(
        label="Learning themes",
        required=False,
        queryset=Theme.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    draft_report_date = _date("Date of the latest draft report")
    final_report_date = _date("Date the final report was agreed")
    publication_decision = forms.ChoiceField(
        label="Publication decision",
        choices=PUBLICATION_DECISIONS,
        widget=forms.RadioSelect,
        error_messages=required_choice("Choose the publication decision"),
    )
    published_date = _date("Date published")
    published_url = forms.URLField(
        label="Link to the published report", required=False, assume_scheme="https"
    )

    def __init__(self, *args, referral=None, **kwargs):
        self.referral = referral
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if not self.errors and self.referral is not None:
            r = self.referral
            _add_problems(
                self,
                referral_problems(
                    referral_date=r.referral_date,
                    decision_code=r.decision.code if r.decision_id else None,
                    decision_date=r.decision_date,
                    review_start_date=data.get("review_start_date"),
                    draft_report_date=data.get("draft_report_date"),
                    final_report_date=data.get("final_report_date"),
                    published_date=data.get("published_date"),
                    publication_decision=data.get("publication_decision"),
                ),
            )
        return data


class ChronologyRequestForm(GdsFormMixin, forms.Form):
    agency = forms.ModelChoiceField(
        label="Agency asked for a chronology",
        queryset=Agency.objects.filter(is_active=True),
        empty_label="Choose an agency",
        error_messages=required_choice("Choose the agency"),
    )
    requested_date = _date("Date requested", required=True)
    due_date = _date("Date due back")


class ChronologyReturnForm(GdsFormMixin, forms.Form):
    version = VersionField()
    returned_date = _date("Date returned", required=True)
    note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


ReviewTypeForm = config_form(
    ReviewType,
    {
        "name": "Name of the review type",
        "code": "Code (used in reports and imports)",
        "order": "Position in lists",
        "is_active": "Offered for new decisions",
    },
)


ThemeForm = config_form(Theme, {"name": "Learning theme", "is_active": "Offered for new reviews"})


class FilterForm(forms.Form):
    year = forms.ChoiceField(
        label="Financial year", required=False, choices=lambda: [("", "All years")] + year_choices()
    )
    decision = forms.ChoiceField(label="Decision", required=False)
    stage = forms.ChoiceField(
        label="Stage",
        required=False,
        choices=[("", "All"), ("in_review", "Review in progress"), ("published", "Published")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            ("", "All decisions"),
            ("undecided", "Not yet decided"),
        ] + list(ReviewType.objects.values_list("code", "name"))
