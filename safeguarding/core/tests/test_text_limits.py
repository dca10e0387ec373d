"""Every free-text field of every form has a length limit (core.forms.TEXT_MAX_LENGTH unless
it declares its own), checked on the server, with the field's own error, nothing saved.

Found by walking the form classes, not listed by hand: every form class defined under
``safeguarding`` (the modules' forms, the configuration forms core builds, core's own) is
made as a page would make it, validated, and each of its text fields must carry a limit.
"""

from __future__ import annotations

from importlib import import_module
from types import SimpleNamespace

import pytest
from django import forms
from django.apps import apps
from django.core.validators import MaxLengthValidator
from django.urls import get_resolver, reverse

from conftest import make_user
from safeguarding.core.forms import TEXT_MAX_LENGTH, GdsFormMixin
from safeguarding.core.models import AuditEvent

from .forms_on_page import forms_on

FOUR_MB = 4 * 1024 * 1024

# What a form needs to be made, when it needs more than its data: {class: [kwargs, ...]}
# (one form per set, for forms whose fields depend on them).
_OUTCOMES = SimpleNamespace(outcomes=["Recognise neglect", "Use the neglect toolkit"])
_DELEGATE = SimpleNamespace(pk=1, full_name="A Delegate", agency_label="A school", attendance="")
MADE_WITH = {
    "safeguarding.core.forms.SetPasswordForm": [{"user": None}],
    "safeguarding.core.access_views.AccessLogFilter": [{"modules": ["lado"]}],
    "safeguarding.training.forms.BookingForm": [{"session": SimpleNamespace(course=_OUTCOMES)}],
    "safeguarding.training.forms.EvaluationForm": [
        {"course": _OUTCOMES, "stage": 2},
        {"course": _OUTCOMES, "stage": 3},
    ],
    "safeguarding.training.forms.MoveForm": [{"booking": SimpleNamespace(session_id=0)}],
    "safeguarding.training.forms.AttendanceForm": [{"bookings": [_DELEGATE]}],
}

# Forms not (yet) drawn by the one renderer, and why. Their text fields are still checked
# below; each should inherit GdsFormMixin (a change for the module's owner).
NOT_ON_THE_RENDERER = {
    "safeguarding.actions.forms.VersionedForm": "a base of edit forms that add the mixin",
    "safeguarding.actions.forms.FilterForm": "list filters: choices only, no free text",
    "safeguarding.case_reviews.forms.FilterForm": "list filters: choices only, no free text",
    "safeguarding.child_deaths.forms.FilterForm": "list filters: choices only, no free text",
    "safeguarding.lado.forms.FilterForm": "list filters: choices only, no free text",
    "safeguarding.missing.forms.FilterForm": "list filters: choices only, no free text",
    "safeguarding.private_fostering.forms.FilterForm": "list filters: choices only, no free text",
}


def _name(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _form_classes() -> list[type[forms.BaseForm]]:
    """Every form class of the product: each module's forms.py, and the forms made when
    the pages are imported (core.forms.config_form)."""
    assert get_resolver().url_patterns  # imports every view
    for app in apps.get_app_configs():
        if app.name.startswith("safeguarding."):
            try:
                import_module(f"{app.name}.forms")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app.name}.forms":
                    raise
    found = {
        _name(cls): cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith("safeguarding.") and ".tests" not in cls.__module__
    }
    return [found[name] for name in sorted(found)]


FORM_CLASSES = _form_classes()


def test_the_walk_finds_the_forms():
    names = {_name(cls) for cls in FORM_CLASSES}
    assert {
        "safeguarding.core.forms.UserForm",
        "safeguarding.training.forms.BookingForm",
        "safeguarding.performance.forms.ValueForm",
        "safeguarding.lado.forms.CaseForm",
    } <= names
    assert any(name.endswith("TypeForm") for name in names), "config_form() forms"
    assert len(FORM_CLASSES) > 40


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=_name)
def test_every_text_field_of_every_form_has_a_length_limit(form_class, db):
    kwargs_list = MADE_WITH.get(_name(form_class), [{}])
    for kwargs in kwargs_list:
        try:
            form = form_class(data={}, **kwargs)
        except TypeError as exc:
            pytest.fail(f"{_name(form_class)}: say in MADE_WITH how it is made ({exc})")
        form.is_valid()  # fields a form adds after the mixin's __init__ are limited here
        unlimited = [
            name
            for name, field in form.fields.items()
            if isinstance(field, forms.CharField)
            and (
                field.max_length is None
                or not any(isinstance(v, MaxLengthValidator) for v in field.validators)
            )
        ]
        assert not unlimited, f"{_name(form_class)}: no length limit on {unlimited}"


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=_name)
def test_every_form_is_drawn_by_the_one_renderer(form_class):
    name = _name(form_class)
    if name in NOT_ON_THE_RENDERER:
        assert not issubclass(form_class, GdsFormMixin), f"{name}: take it off the list"
        return
    assert issubclass(form_class, GdsFormMixin), (
        f"{name}: inherit core.forms.GdsFormMixin (the one renderer, and its text limits)"
    )


class _Notes(GdsFormMixin, forms.Form):
    title = forms.CharField(max_length=20)
    notes = forms.CharField(widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["late"] = forms.CharField(required=False)  # added after the mixin's


def test_the_default_limit_and_a_declared_one():
    form = _Notes(
        data={"title": "t" * 21, "notes": "n" * (TEXT_MAX_LENGTH + 1), "late": "l" * FOUR_MB}
    )
    assert not form.is_valid()
    assert form.errors["title"] == ["Ensure this value has at most 20 characters (it has 21)."]
    assert form.errors["notes"] == [
        f"Ensure this value has at most {TEXT_MAX_LENGTH} characters "
        f"(it has {TEXT_MAX_LENGTH + 1})."
    ]
    assert "Ensure this value has at most" in form.errors["late"][0]
    at_the_limit = _Notes(data={"title": "t", "notes": "n" * TEXT_MAX_LENGTH})
    assert at_the_limit.is_valid()
    # The limit is the server's: no maxlength attribute to cut pasted text without a word.
    assert "maxlength" not in str(_Notes()["notes"])
    assert _Notes.base_fields["notes"].max_length is None  # each form's copy, not the class's


def test_four_megabytes_on_a_real_edit_page_is_refused_and_nothing_changes(client_for, council):
    from safeguarding.training.models import Course

    lead = make_user("lead@example.org", council, {"training": "officer"})
    course = Course.objects.create(
        title="Neglect: an analytical approach",
        level="level_3",
        learning_outcomes="Recognise neglect\nUse the neglect toolkit",
        stage3_follow_up=True,
    )
    before = (course.learning_outcomes, course.version)
    client = client_for(lead)
    url = reverse("training:course_edit", args=[course.pk])
    (form,) = [
        f for f in forms_on(client.get(url).content.decode()) if "learning_outcomes" in f.names()
    ]
    data = {**form.data(), "learning_outcomes": ["x" * FOUR_MB]}

    response = client.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    message = f"Ensure this value has at most {TEXT_MAX_LENGTH} characters (it has {FOUR_MB})."
    assert "There is a problem" in page
    assert page.count(message) == 2  # in the error summary and next to the field
    field = page[page.index('id="div_id_learning_outcomes"') :]
    field = field[: field.index("<textarea")]
    assert "govuk-form-group--error" in field and 'id="id_learning_outcomes_1_error"' in field
    assert message in field
    course.refresh_from_db()
    assert (course.learning_outcomes, course.version) == before
    assert not AuditEvent.objects.filter(object_type="training.course").exists()
