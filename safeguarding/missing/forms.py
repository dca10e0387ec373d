"""Missing / exploited forms. Field names match the import columns where they can."""

from __future__ import annotations

import datetime as dt
import re

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

from .codes import (
    EPISODE_TYPES,
    EXPLOITATION_TYPES,
    INTERVIEW_RESPONSES,
    LEAVING_REASONS,
    RISK_LEVELS,
    SCREENING_LEVELS,
    WHERE_FOUND,
)
from .models import MetMeetingType
from .rules import LONDON, episode_problems

_TIME = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")


def _time(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=5,
        help_text="24-hour clock, for example 21:30",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )


class DateTimeMixin:
    """Pairs of <name>_date / <name>_time fields combined into aware date-times."""

    datetime_fields: tuple[str, ...] = ()

    def combine(self, data: dict, name: str, required: bool = False) -> dt.datetime | None:
        day, text = data.get(f"{name}_date"), (data.get(f"{name}_time") or "").strip()
        if day is None:
            if text:
                self.add_error(f"{name}_date", f"Enter the date as well as the time ({name})")
            elif required:
                self.add_error(
                    f"{name}_date", self.fields[f"{name}_date"].error_messages["required"]
                )
            return None
        match = _TIME.fullmatch(text)
        if not match:
            label = self.fields[f"{name}_time"].label
            self.add_error(
                f"{name}_time", f"Enter the {label.lower()} as hours and minutes, like 21:30"
            )
            return None
        return dt.datetime.combine(
            day, dt.time(int(match.group(1)), int(match.group(2))), tzinfo=LONDON
        )


YES_NO = [("yes", "Yes"), ("no", "No")]


class EpisodeForm(DateTimeMixin, GdsFormMixin, forms.Form):
    version = VersionField()
    # The child chosen on "Add a child" (its record id); the reference is then not asked.
    child = forms.IntegerField(widget=forms.HiddenInput, required=False)
    child_reference = forms.CharField(
        label="Child's reference",
        max_length=40,
        help_text="The reference on the child's record, for example the council's child id. "
        "Only a child already recorded can be chosen: add a new child first.",
        error_messages={"required": "Enter the child's reference"},
    )
    looked_after = forms.TypedChoiceField(
        label="Was the child looked after (in care)?",
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages=required_choice("Choose whether the child was looked after"),
    )
    episode_type = forms.ChoiceField(
        label="Type of episode",
        choices=EPISODE_TYPES,
        widget=forms.RadioSelect,
        error_messages=required_choice("Choose the type of episode"),
    )
    start_date = DateField(label="Date the episode started", required=True)
    start_time = _time("Time the episode started")
    end_date = DateField(label="Date the child returned or was found (if they have)")
    end_time = _time("Time the child returned")
    where_found = forms.ChoiceField(
        label="Where the child was found", required=False, choices=[("", "Choose")] + WHERE_FOUND
    )
    police_reference = forms.CharField(label="Police reference", max_length=40, required=False)
    risk_level = forms.ChoiceField(
        label="Risk level", required=False, choices=[("", "Not assessed")] + RISK_LEVELS
    )

    def __init__(self, *args, with_child: bool = True, chosen=None, **kwargs):
        """``with_child``: the form names the child (a new episode); ``chosen``: the child
        already chosen (its id travels in the hidden field, no reference is asked)."""
        super().__init__(*args, **kwargs)
        if not with_child:
            del self.fields["child_reference"], self.fields["child"]
        elif chosen is not None:
            del self.fields["child_reference"]
            self.fields["child"].initial = chosen.pk
        else:
            del self.fields["child"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data["start"] = self.combine(data, "start", required=True)
        data["end"] = self.combine(data, "end")
        if self.errors:
            return data
        for field, message in episode_problems(start=data["start"], end=data["end"]):
            self.add_error(f"{field}_date", message)
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "looked_after": data["looked_after"],
            "episode_type": data["episode_type"],
            "start": data["start"],
            "end": data["end"],
            "where_found": data["where_found"],
            "police_reference": data["police_reference"],
            "risk_level": data["risk_level"],
        }


DISCLOSURES = [
    ("disclosed_sexual_exploitation", "Sexual exploitation"),
    ("disclosed_criminal_exploitation", "Criminal exploitation"),
    ("disclosed_harm", "Other harm"),
]


class InterviewForm(DateTimeMixin, GdsFormMixin, forms.Form):
    version = VersionField()
    offered_date = DateField(label="Date the interview was offered", required=True)
    offered_time = _time("Time the interview was offered")
    offered_by = forms.CharField(
        label="Offered by",
        max_length=200,
        required=False,
        help_text="For example, the independent return home interview provider",
    )
    response = forms.ChoiceField(
        label="Did the child accept the interview?",
        required=False,
        choices=[("", "Not known yet")] + INTERVIEW_RESPONSES,
        widget=forms.RadioSelect,
    )
    completed_on = DateField(label="Date the interview was completed")
    disclosed = forms.MultipleChoiceField(
        label="What did the child disclose?",
        required=False,
        choices=DISCLOSURES,
        widget=forms.CheckboxSelectMultiple,
    )
    disclosures = forms.CharField(
        label="Key disclosures", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    follow_up_actions = forms.CharField(
        label="Follow-up actions", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data["offered_at"] = self.combine(data, "offered", required=True)
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        values = {
            "offered_at": data["offered_at"],
            "offered_by": data["offered_by"],
            "response": data["response"],
            "completed_on": data["completed_on"],
            "disclosures": data["disclosures"],
            "follow_up_actions": data["follow_up_actions"],
        }
        for name, _label in DISCLOSURES:
            values[name] = name in data["disclosed"]
        return values


class ScreeningForm(GdsFormMixin, forms.Form):
    date = DateField(label="Date of the screening", required=True)
    exploitation_type = forms.ChoiceField(
        label="Screening for",
        choices=EXPLOITATION_TYPES,
        widget=forms.RadioSelect,
        error_messages=required_choice("Choose sexual or criminal exploitation"),
    )
    tool = forms.CharField(label="Screening tool used", max_length=200)
    score = forms.IntegerField(label="Score (if the tool gives one)", required=False, min_value=0)
    level = forms.ChoiceField(
        label="Level of risk", required=False, choices=[("", "Choose")] + SCREENING_LEVELS
    )

    def clean(self):
        data = super().clean()
        if not self.errors and data.get("score") is None and not data.get("level"):
            self.add_error("level", "Enter a score or choose a level of risk")
        return data


class MetAddForm(GdsFormMixin, forms.Form):
    owning_agency = forms.ModelChoiceField(
        label="Lead agency",
        queryset=Agency.objects.filter(is_active=True),
        empty_label="Choose",
        error_messages=required_choice("Choose the lead agency"),
    )
    risk_level = forms.ChoiceField(
        label="Risk level",
        choices=RISK_LEVELS,
        widget=forms.RadioSelect,
        error_messages=required_choice("Choose the risk level"),
    )
    added_on = DateField(label="Date added to the list", required=True)
    exploitation_concerns = forms.CharField(
        label="Concerns", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MetRemoveForm(GdsFormMixin, forms.Form):
    version = VersionField()
    left_on = DateField(label="Date the child left the list", required=True)
    leaving_reason = forms.ChoiceField(
        label="Reason for leaving the list",
        choices=LEAVING_REASONS,
        widget=forms.RadioSelect,
        error_messages=required_choice("Choose the reason"),
    )


class MeetingForm(GdsFormMixin, forms.Form):
    meeting_type = forms.ModelChoiceField(
        label="Type of meeting",
        queryset=MetMeetingType.objects.filter(is_active=True),
        empty_label="Choose",
        error_messages=required_choice("Choose the type of meeting"),
    )
    date = DateField(label="Date of the meeting", required=True)
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies attending",
        required=False,
        queryset=Agency.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DiscussionForm(GdsFormMixin, forms.Form):
    risk_level = forms.ChoiceField(
        label="Risk level agreed", required=False, choices=[("", "Unchanged")] + RISK_LEVELS
    )
    decisions = forms.CharField(
        label="Decisions", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    actions = forms.CharField(
        label="Actions (who, by when)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


MeetingTypeForm = config_form(
    MetMeetingType,
    {
        "name": "Name of the meeting type",
        "frequency_days": "Held every (days)",
        "order": "Position in lists",
        "is_active": "Offered for new meetings",
    },
)


class CommentaryForm(GdsFormMixin, forms.Form):
    text = forms.CharField(
        label="Analysis and outcome", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class FilterForm(forms.Form):
    year = forms.ChoiceField(
        label="Financial year", required=False, choices=lambda: [("", "All years")] + year_choices()
    )
    episode_type = forms.ChoiceField(
        label="Type", required=False, choices=[("", "All types")] + EPISODE_TYPES
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "All"), ("open", "Still missing"), ("closed", "Returned")],
    )
