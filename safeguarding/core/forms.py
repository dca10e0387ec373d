"""Platform forms, rendered with crispy-forms-gds (GOV.UK markup)."""

import datetime as dt
import unicodedata

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm
from django.core.validators import MaxLengthValidator

from .models import AGENCY_SECTORS, ROLES, Agency, User
from .permissions import grantable_modules


class GdsHelper(FormHelper):
    """Small bold labels and legends whether or not a form has a layout.

    crispy-forms-gds maps "s" to its CSS class only when a layout is rendered; without
    one the raw value reached the markup. Here the classes themselves are the values.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Instance attributes: crispy passes only these on to the templates.
        self.form_tag = False
        self.disable_csrf = True  # our templates write {% csrf_token %} in their own <form>
        self.label_size = "govuk-label--s"
        self.legend_size = "govuk-fieldset__legend--s"

    def render_layout(self, form, context, template_pack="gds"):
        form.use_required_attribute = False
        context["label_size"], context["legend_size"] = self.label_size, self.legend_size
        return super(FormHelper, self).render_layout(form, context, template_pack=template_pack)


# The most any free-text field takes when it does not say (a textarea from a model's
# TextField, a plain CharField): about four pages of writing. Longer is refused with the
# field's own error, and nothing is saved.
TEXT_MAX_LENGTH = 10_000


def limit_text(fields) -> None:
    """Give every text field without a length limit the default one (TEXT_MAX_LENGTH).

    The limit is checked on the server, with Django's own message next to the field. No
    maxlength attribute is added to the markup: browsers cut pasted text at it without a
    word, which GOV.UK advises against; a field that declares its max_length keeps its own.
    """
    for field in fields.values():
        if isinstance(field, forms.CharField) and field.max_length is None:
            field.max_length = TEXT_MAX_LENGTH
            field.validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))


class GdsFormMixin:
    """One renderer for every form: GOV.UK fields, our own submit buttons in the template,
    and a length limit on every text field (TEXT_MAX_LENGTH unless it has its own)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Browsers' own required-field checks would pre-empt the GOV.UK error summary.
        self.use_required_attribute = False
        self.helper = GdsHelper()
        limit_text(self.fields)

    def full_clean(self):
        # Again here: a form may add fields in its own __init__, after the mixin's.
        limit_text(self.fields)
        super().full_clean()


class SignInForm(GdsFormMixin, AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password. After several failed "
        "attempts your account is locked for an hour.",
        "inactive": "This account is not active.",
    }


class PasswordResetForm(GdsFormMixin, DjangoPasswordResetForm):
    """Also for accounts without a password yet: an administrator creates users without
    one and they set their first password through this form. (Django skips them, a
    safeguard for sites whose passwords live elsewhere; ours are all here.)"""

    def get_users(self, email):
        def folded(text: str) -> str:  # as Django compares them (Unicode-aware)
            return unicodedata.normalize("NFKC", text).casefold()

        users = User.objects.filter(email__iexact=email, is_active=True)
        return (u for u in users if folded(u.email) == folded(email))


class SetPasswordForm(GdsFormMixin, DjangoSetPasswordForm):
    """Choosing a password from a reset link: Django's form, its fields length-limited."""


class AgencyForm(GdsFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Agency
        fields = ["name", "sector", "is_active"]
        labels = {"name": "Agency name", "sector": "Sector", "is_active": "Active"}


class UserForm(GdsFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = User
        fields = ["full_name", "email", "agency", "is_active", "is_partnership_admin"]
        labels = {
            "full_name": "Full name",
            "email": "Work email address",
            "is_active": "Can sign in",
            "is_partnership_admin": "Partnership administrator",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True)
        self.fields["agency"].required = True
        for slug, label in grantable_modules().items():
            self.fields[f"grant_{slug}"] = forms.ChoiceField(
                label=f"{label}: role",
                required=False,
                choices=[("", "No access")] + ROLES,
            )
        if self.instance.pk:
            for module, role in self.instance.grants.values_list("module", "role"):
                if f"grant_{module}" in self.fields:
                    self.fields[f"grant_{module}"].initial = role

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("A user with this email address already exists")
        return email

    def grants(self) -> dict[str, str]:
        return {slug: self.cleaned_data.get(f"grant_{slug}") or "" for slug in grantable_modules()}


AGENCY_SECTOR_CODES = [c for c, _ in AGENCY_SECTORS]


class DateField(DateInputField):
    """The GOV.UK date input (day, month, year) with messages that name the field."""

    def __init__(self, *, label: str, required: bool = False, help_text: str = "", **kwargs):
        super().__init__(
            label=label,
            required=required,
            help_text=help_text or "For example, 27 3 2017",
            **kwargs,
        )
        self.require_all_fields = False
        name = label[0].lower() + label[1:] if label else "the date"
        self.error_messages["required"] = f"Enter {name}"
        self.error_messages["incomplete"] = f"Enter {name} as a day, month and year"
        for part, sub in zip(("day", "month", "year"), self.fields, strict=True):
            sub.error_messages["incomplete"] = f"{label} must include a {part}"
            sub.validators[0].message = f"{label} must be a real date"

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            value = dt.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{self.label} must be a real date") from None
        if value.year < 1900:
            raise forms.ValidationError(f"{self.label} must be a real date")
        return value


def required_choice(message: str) -> dict:
    return {"required": message, "invalid_choice": message}


class SearchForm(GdsFormMixin, forms.Form):
    """The records search. Its text is POSTed and kept in the session, never in a URL."""

    q = forms.CharField(required=False, max_length=100)

    def __init__(self, *args, label: str = "Search", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].label = label


def upload_limit_message() -> str:
    from django.conf import settings

    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    size = f"{limit // 1_000_000} MB" if limit >= 1_000_000 else f"{limit:,} bytes"
    return f"The file is larger than {size}"


class ImportForm(GdsFormMixin, forms.Form):
    """The one upload form: every web import goes through it, and through its size check."""

    file = forms.FileField(label="CSV or Excel (.xlsx) file")
    dry_run = forms.BooleanField(label="Check the file only: do not import", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages["required"] = "Choose a CSV or Excel (.xlsx) file"

    def clean_file(self):
        from django.conf import settings

        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES or getattr(upload, "too_large", False):
            raise forms.ValidationError(upload_limit_message())
        return upload


def config_form(model, labels: dict[str, str]) -> type[forms.ModelForm]:
    """The form of a configuration row (a meeting type, a review type...): the fields named
    in ``labels``, in that order, GOV.UK markup, and the version it was made from."""
    meta = type("Meta", (), {"model": model, "fields": list(labels), "labels": labels})
    return type(
        f"{model.__name__}Form",
        (GdsFormMixin, forms.ModelForm),
        {"Meta": meta, "version": VersionField(), "__module__": model.__module__},
    )


class VersionField(forms.IntegerField):
    """The version of the record a form was made from (hidden). Edits need it: see
    core/writes.py, which refuses a missing or stale version."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
