"""Training forms (GOV.UK markup through crispy-forms-gds)."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone

from safeguarding.core.forms import DateField, GdsFormMixin, VersionField, required_choice
from safeguarding.core.models import Agency

from .codes import ATTENDANCE, CONFIDENCE_CHOICES, LEVELS, OTHER_AGENCY, RATING_CHOICES
from .models import Course, Session
from .rules import session_problems

_TIME = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")


class TimeField(forms.CharField):
    def __init__(self, *, label: str, **kwargs):
        super().__init__(
            label=label,
            max_length=5,
            help_text="24-hour clock, for example 09:30",
            error_messages={"required": f"Enter the {label.lower()}"},
            widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
            **kwargs,
        )

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        m = _TIME.fullmatch(value.strip())
        if not m:
            raise forms.ValidationError(f"Enter the {self.label.lower()} like 09:30")
        return dt.time(int(m.group(1)), int(m.group(2)))


class CourseForm(GdsFormMixin, forms.Form):
    version = VersionField()
    title = forms.CharField(label="Title", max_length=200)
    level = forms.ChoiceField(
        label="Level",
        choices=LEVELS,
        widget=forms.RadioSelect,
        error_messages=required_choice("Choose the level"),
    )
    learning_outcomes = forms.CharField(
        label="Learning outcomes",
        help_text="One a line. Delegates rate their confidence against each one.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter at least one learning outcome"},
    )
    audience = forms.CharField(label="Who it is for", max_length=300, required=False)
    duration = forms.CharField(
        label="Duration", max_length=100, required=False, help_text="For example, 1 day"
    )
    trainer = forms.CharField(label="Trainer", max_length=200, required=False)
    price = forms.DecimalField(
        label="Price in pounds",
        min_value=0,
        max_digits=8,
        decimal_places=2,
        initial=0,
        help_text="0 when the course is free",
        error_messages={"required": "Enter the price (0 when free)"},
    )
    stage3_follow_up = forms.TypedChoiceField(
        label="Is there a three-month follow-up survey (stage 3)?",
        coerce=lambda v: v == "yes",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages=required_choice("Choose whether stage 3 follow-up applies"),
    )
    is_active = forms.BooleanField(label="Offered in the programme", required=False, initial=True)


class SessionForm(GdsFormMixin, forms.Form):
    version = VersionField()
    course = forms.ModelChoiceField(
        label="Course",
        queryset=Course.objects.filter(is_active=True),
        empty_label="Choose a course",
        error_messages=required_choice("Choose the course"),
    )
    date = DateField(label="Date of the session", required=True)
    start_time = TimeField(label="Start time")
    end_time = TimeField(label="End time")
    venue = forms.CharField(label="Venue", max_length=300, required=False)
    online_link = forms.URLField(
        label="Online link",
        assume_scheme="https",
        required=False,
        help_text="For online sessions",
        error_messages={"invalid": "Enter the online link as a web address starting https://"},
    )
    capacity = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=1000,
        error_messages={"required": "Enter the number of places"},
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
    )
    cancellation_days = forms.IntegerField(
        label="Cancellation deadline (days before the start)",
        min_value=0,
        max_value=60,
        error_messages={"required": "Enter the cancellation deadline in days"},
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    is_published = forms.BooleanField(
        label="Publish on the public programme", required=False, initial=True
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        tz = timezone.get_current_timezone()
        data["starts_at"] = timezone.make_aware(
            dt.datetime.combine(data["date"], data["start_time"]), tz
        )
        data["ends_at"] = timezone.make_aware(
            dt.datetime.combine(data["date"], data["end_time"]), tz
        )
        for field, message in session_problems(
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            capacity=data.get("capacity"),
            venue=data.get("venue"),
            online_link=data.get("online_link"),
        ):
            self.add_error({"ends_at": "end_time"}.get(field, field), message)
        return data

    def values(self) -> dict:
        d = self.cleaned_data
        return {
            "course": d["course"],
            "starts_at": d["starts_at"],
            "ends_at": d["ends_at"],
            "venue": d.get("venue") or "",
            "online_link": d.get("online_link") or "",
            "capacity": d["capacity"],
            "cancellation_days": d["cancellation_days"],
            "is_published": d["is_published"],
        }


def _confidence_fields(form: forms.Form, outcomes: list[str]) -> None:
    for number, outcome in enumerate(outcomes, start=1):
        form.fields[f"confidence_{number}"] = forms.TypedChoiceField(
            label=f"How confident are you: {outcome}",
            help_text="1 is not at all confident, 10 is very confident",
            choices=CONFIDENCE_CHOICES,
            coerce=int,
            widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
            error_messages=required_choice(f"Rate your confidence: {outcome}"),
        )


def _inline_radios(form: forms.Form, names, *, small: bool = False, skip=()) -> None:
    """Lay the form out with these radio groups in a row (a 1-10 scale, a register line).

    A widget's class attribute lands on each <input>, not on the group, so crispy-forms-gds
    needs the layout to draw govuk-radios--inline; a layout also gets the labels their
    small bold size (the helper's label_size applies only through a layout)."""
    from crispy_forms_gds.layout import Field, Layout, Size

    form.helper.layout = Layout(
        *[
            Field.radios(name, legend_size=Size.SMALL, inline=True, small=small)
            if name in names
            else name
            for name in form.fields
            if name not in skip
        ]
    )


def _confidence_names(outcomes: list[str]) -> list[str]:
    return [f"confidence_{number}" for number in range(1, len(outcomes) + 1)]


def _scores(form: forms.Form, outcomes: list[str]) -> list[int]:
    return [form.cleaned_data[f"confidence_{n}"] for n in range(1, len(outcomes) + 1)]


class BookingForm(GdsFormMixin, forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter your full name"},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label="Work email address",
        help_text="We send your confirmation and a link to manage your booking here",
        error_messages={
            "required": "Enter your work email address",
            "invalid": "Enter an email address like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    agency = forms.ChoiceField(
        label="Your agency", error_messages=required_choice("Choose your agency, or Other")
    )
    agency_other = forms.CharField(
        label="If other, the name of your agency", max_length=200, required=False
    )
    job_role = forms.CharField(
        label="Your role", max_length=200, error_messages={"required": "Enter your role"}
    )
    line_manager_email = forms.EmailField(
        label="Your line manager's email address",
        required=False,
        error_messages={"invalid": "Enter your line manager's email like name@example.org"},
    )
    adjustments = forms.CharField(
        label="Do you need any access or disability adjustments? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Honeypot: hidden from people (CSS and aria-hidden); bots fill it in.
    website = forms.CharField(label="Leave this empty", required=False)

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = session.course.outcomes
        self.fields["agency"].choices = (
            [("", "Choose your agency")]
            + [
                (str(pk), name)
                for pk, name in Agency.objects.filter(is_active=True).values_list("pk", "name")
            ]
            + [(OTHER_AGENCY, "Other (not listed)")]
        )
        _confidence_fields(self, self.outcomes)
        # The honeypot is drawn by the template, hidden from people and assistive tech.
        _inline_radios(self, _confidence_names(self.outcomes), skip=("website",))

    def clean(self):
        data = super().clean()
        if data.get("agency") == OTHER_AGENCY and not (data.get("agency_other") or "").strip():
            self.add_error("agency_other", "Enter the name of your agency")
        return data

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get("website") or "").strip())

    def values(self) -> dict:
        d = self.cleaned_data
        agency = None
        if d["agency"] != OTHER_AGENCY:
            agency = Agency.objects.filter(pk=d["agency"]).first()
        return {
            "full_name": d["full_name"],
            "email": d["email"],
            "owning_agency": agency,
            "agency_other": d.get("agency_other") or "" if agency is None else "",
            "job_role": d["job_role"],
            "line_manager_email": d.get("line_manager_email") or "",
            "adjustments": d.get("adjustments") or "",
            "confidence": _scores(self, self.outcomes),
        }


class EvaluationForm(GdsFormMixin, forms.Form):
    def __init__(self, *args, course: Course, stage: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = course.outcomes
        self.stage = stage
        _confidence_fields(self, self.outcomes)
        if stage == 2:
            self.fields["content_rating"] = forms.TypedChoiceField(
                label="How would you rate the content of the course?",
                choices=RATING_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages=required_choice("Choose a rating for the content"),
            )
            self.fields["trainer_rating"] = forms.TypedChoiceField(
                label="How would you rate the trainer?",
                choices=RATING_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages=required_choice("Choose a rating for the trainer"),
            )
        else:
            self.fields["practice_change"] = forms.CharField(
                label="What have you done differently in your practice since the course?",
                widget=forms.Textarea(attrs={"rows": 5}),
                max_length=4000,
                error_messages={"required": "Tell us what you have done differently"},
            )
        self.fields["comment"] = forms.CharField(
            label="Any other comments (optional)",
            help_text="We may quote you anonymously in the partnership's annual report",
            required=False,
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        _inline_radios(self, _confidence_names(self.outcomes))

    def values(self) -> dict:
        d = self.cleaned_data
        return {
            "confidence": _scores(self, self.outcomes),
            "content_rating": d.get("content_rating"),
            "trainer_rating": d.get("trainer_rating"),
            "comment": d.get("comment") or "",
            "practice_change": d.get("practice_change") or "",
        }


class DecisionForm(GdsFormMixin, forms.Form):
    version = VersionField()
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("accept", "Accept: give a place"), ("decline", "Decline the application")],
        widget=forms.RadioSelect,
        error_messages=required_choice("Choose accept or decline"),
    )


class MoveForm(GdsFormMixin, forms.Form):
    version = VersionField()
    to_session = forms.ModelChoiceField(
        label="Move to session",
        queryset=Session.objects.none(),
        empty_label="Choose a session",
        error_messages=required_choice("Choose the session to move to"),
    )

    def __init__(self, *args, booking, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_session"].queryset = (
            Session.objects.filter(starts_at__gt=timezone.now())
            .exclude(pk=booking.session_id)
            .select_related("course")
            .order_by("course__title", "starts_at")
        )


class AttendanceForm(GdsFormMixin, forms.Form):
    """The register: one radio group per booked delegate."""

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        self.bookings = list(bookings)
        for booking in self.bookings:
            self.fields[f"b{booking.pk}"] = forms.ChoiceField(
                label=f"{booking.full_name} ({booking.agency_label})",
                choices=[("", "Not recorded")] + ATTENDANCE,
                required=False,
                initial=booking.attendance,
                widget=forms.RadioSelect(
                    attrs={"class": "govuk-radios--inline govuk-radios--small"}
                ),
            )

        _inline_radios(self, list(self.fields), small=True)

    def marks(self) -> dict[int, str]:
        return {b.pk: self.cleaned_data.get(f"b{b.pk}") or "" for b in self.bookings}


class VerifyForm(GdsFormMixin, forms.Form):
    code = forms.CharField(
        label="Verification code",
        help_text="It is printed on the certificate, for example ABCD-2345",
        max_length=20,
        error_messages={"required": "Enter the verification code"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper().replace(" ", "")
