"""Two-factor sign-in: a code from an authenticator app (TOTP, django-otp), and ten
single-use recovery codes (django-otp's static tokens) for a lost phone.

Who must use it: ``required_for(user)``. ``settings.TWO_FACTOR_ROLES`` names roles (reader,
contributor, officer, manager, administrator); a user whose highest role in any module is
named, or a partnership administrator when "administrator" is, needs a second factor.
Anyone else may set one up, and is then asked for it like everyone who has one.

After the password, ``TwoFactorMiddleware`` (after django-otp's ``OTPMiddleware``) holds a
signed-in user who is not yet verified in this session: public pages (sign-out among them)
and the set-up and code pages stay open; every other page sends them to set up an
authenticator app (their role needs one and they have none) or to enter a code (they have
one). Wrong codes are slowed down by django-otp's throttling (1, 2, 4, 8... seconds) and
audited; an administrator resets a lost device for someone else, never for themselves.

``settings.DEMO_MODE`` (the demo site only) asks nobody for a second factor, and every page
says so (``demo_mode`` context processor, banner in core/base.html).
"""

from __future__ import annotations

import base64
import math

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django_htmx.http import HttpResponseClientRedirect
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import permissions
from .audit import record_event
from .forms import GdsFormMixin
from .models import User
from .permissions import requires, signed_in

APP_DEVICE = "Authenticator app"
RECOVERY_DEVICE = "Recovery codes"

WRONG_CODE = (
    "The code is not right. Enter the 6-digit code your authenticator app shows now, "
    "or one of your recovery codes"
)
WRONG_ENROLMENT_CODE = (
    "The code is not right. Enter the 6-digit code your authenticator app shows now"
)


# --- who needs it ----------------------------------------------------------------------


def highest_role(user) -> str | None:
    """The user's highest role in any module (None: no role anywhere)."""
    roles = [permissions.role(user, module) for module in permissions.MODULES]
    return max((r for r in roles if r), key=permissions.RANK.__getitem__, default=None)


def required_for(user) -> bool:
    """Must this user sign in with a second factor? Never on the demo site."""
    if settings.DEMO_MODE or not getattr(user, "is_authenticated", False):
        return False
    wanted = set(settings.TWO_FACTOR_ROLES)
    if "administrator" in wanted and user.is_partnership_admin:
        return True
    return bool(wanted - {"administrator"}) and highest_role(user) in wanted


def app_device(user, *, for_verify: bool = False) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    devices = TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk")
    if for_verify:
        devices = devices.select_for_update()
    return devices.first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_step(user) -> str | None:
    """The page a signed-in user must pass before any other, as a URL name, or None."""
    if settings.DEMO_MODE or not user.is_authenticated or user.is_verified():
        return None
    if app_device(user) is not None:
        return "two_factor_verify"
    if required_for(user):
        return "two_factor_enrol"
    return None


# --- the middleware and the demo banner ------------------------------------------------


def _before_verification(view):
    """Mark a page a user may open between their password and their second factor."""
    view.before_two_factor = True
    return view


def _with_next(url: str, target: str) -> str:
    return f"{url}?{urlencode({'next': target})}" if target else url


class TwoFactorMiddleware:
    """Until a signed-in user has given their second factor (or if they still have to set
    one up), every page but the public ones and the two-factor pages sends them there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "before_two_factor", False):
            return None
        if getattr(view_func, "requirement", None) == permissions.PUBLIC:
            return None
        step = pending_step(request.user)
        if step is None:
            return None
        back = request.get_full_path() if request.method == "GET" else ""
        url = _with_next(reverse(step), "" if back == reverse("home") else back)
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)


def demo_mode(request) -> dict:
    """Context processor: ``demo_mode`` for the banner on every page of the demo site."""
    return {"demo_mode": settings.DEMO_MODE}


# --- forms -----------------------------------------------------------------------------


def _normalised(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


class EnrolmentForm(GdsFormMixin, forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6 digits the app shows for this account, for example 123456",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def clean_code(self):
        code = _normalised(self.cleaned_data["code"])
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the 6 digits your authenticator app shows")
        return code


class VerifyForm(GdsFormMixin, forms.Form):
    code = forms.CharField(
        label="Code",
        help_text="The 6 digits your authenticator app shows now, or one of your recovery codes",
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "autocapitalize": "none",
                "class": "govuk-input--width-10",
            }
        ),
        error_messages={
            "required": "Enter the code from your authenticator app, or a recovery code"
        },
    )

    def clean_code(self):
        return _normalised(self.cleaned_data["code"])


# --- writes (each audited in its transaction) ------------------------------------------


def _audit(user, action: str, summary: str, actor=None) -> None:
    """An audit row about a user's second factor: never the code, the key or a token."""
    record_event(actor=actor or user, action=action, obj=user, module="core", summary=summary)


def _wait_message(data: dict | None) -> str:
    until = (data or {}).get("locked_until")
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds())) if until else 1
    unit = "second" if seconds == 1 else "seconds"
    return f"Too many wrong codes. Wait {seconds} {unit}, then try again"


def _new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with new ones; returns them (shown once only)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    codes: list[str] = []
    while len(codes) < settings.TWO_FACTOR_RECOVERY_CODES:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def enrol_device(user, device: TOTPDevice, code: str) -> tuple[list[str] | None, str]:
    """Confirm an authenticator app by its first code: (the new recovery codes, "") or
    (None, why not). A wrong code is throttled and audited like one at sign-in."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, data = device.verify_is_allowed()
        if not allowed:
            _audit(user, "two_factor_failed", "Setting up two-factor sign-in: too many wrong codes")
            return None, _wait_message(data)
        if not device.verify_token(code):
            _audit(user, "two_factor_failed", "Setting up two-factor sign-in: wrong code")
            return None, WRONG_ENROLMENT_CODE
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _new_recovery_codes(user)
        _audit(user, "two_factor_enrolled", "Set up two-factor sign-in (authenticator app)")
    return codes, ""


def check_code(user, code: str):
    """(the device that accepted the code, "") or (None, why not). Six digits are the
    authenticator app's; anything else is tried as a recovery code, which works once."""
    recovery = not (code.isdigit() and len(code) == 6)
    kind = "recovery code" if recovery else "code"
    with transaction.atomic():
        if recovery:
            devices = StaticDevice.objects.devices_for_user(user, confirmed=True)
            device = devices.select_for_update().order_by("pk").first()
        else:
            device = app_device(user, for_verify=True)
        if device is None:
            _audit(user, "two_factor_failed", f"Wrong {kind}")
            return None, WRONG_CODE
        allowed, data = device.verify_is_allowed()
        if not allowed:
            _audit(user, "two_factor_failed", f"Refused: too many wrong {kind}s")
            return None, _wait_message(data)
        if not device.verify_token(code):
            _audit(user, "two_factor_failed", f"Wrong {kind}")
            return None, WRONG_CODE
        if recovery:
            left = device.token_set.count()
            _audit(
                user,
                "two_factor_recovery_code_used",
                f"Signed in with a recovery code ({left} left)",
            )
    return device, ""


def two_factor_reset(*, acting_user, user) -> bool:
    """An administrator removes someone's authenticator app and recovery codes (a lost
    phone): they set up a new one at their next sign-in, and are told so by email.
    Returns False when there was nothing to reset. Never one's own (separation of duties)."""
    if acting_user.pk == user.pk:
        raise PermissionDenied("Another administrator must reset your two-factor sign-in")
    with transaction.atomic():
        if app_device(user) is None and not StaticDevice.objects.filter(user=user).exists():
            return False
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        _audit(
            user,
            "two_factor_reset",
            "Two-factor sign-in reset: a new authenticator app at the next sign-in",
            actor=acting_user,
        )
        transaction.on_commit(lambda: _tell_reset(user))
    return True


def _tell_reset(user) -> None:
    context = {
        "name": user.full_name,
        "partnership_name": settings.PARTNERSHIP_NAME,
        "sign_in_url": settings.SITE_URL.rstrip("/") + reverse("login"),
    }
    send_mail(
        subject=render_to_string("two_factor/reset_subject.txt", context).strip(),
        message=render_to_string("two_factor/reset_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )


# --- pages -----------------------------------------------------------------------------


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _qr_code(device: TOTPDevice) -> dict:
    """The device's key as a QR code (an SVG data URI for an <img>) and as text."""
    qr = segno.make(device.config_url, error="m")
    scale = 4
    width, height = qr.symbol_size(scale=scale)
    secret = base64.b32encode(device.bin_key).decode()
    return {
        "qr_src": qr.svg_data_uri(scale=scale, dark="#0b0c0c", light="#ffffff"),
        "qr_width": width,
        "qr_height": height,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }


def _codes_page(request, codes: list[str], *, first_time: bool):
    return render(
        request,
        "two_factor/recovery_codes.html",
        {"codes": codes, "first_time": first_time, "next": _next_url(request)},
    )


@_before_verification
@signed_in(methods=("GET", "POST"))
@never_cache
def enrol(request):
    """Set up an authenticator app: scan the QR code (or type the key), confirm with a code,
    then see ten recovery codes, once."""
    user = request.user
    if app_device(user) is not None:
        return redirect("two_factor" if user.is_verified() else "two_factor_verify")
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes, problem = enrol_device(user, device, form.cleaned_data["code"])
        if codes is not None:
            device.confirmed = True
            otp_login(request, device)
            return _codes_page(request, codes, first_time=True)
        form.add_error("code", problem)
    return render(
        request,
        "two_factor/enrol.html",
        {
            "form": form,
            "required": required_for(user),
            "next": request.POST.get("next") or request.GET.get("next", ""),
            **_qr_code(device),
        },
    )


@_before_verification
@signed_in(methods=("GET", "POST"))
@never_cache
def verify(request):
    """The second step of sign-in: a code from the app, or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if app_device(user) is None:
        if required_for(user):
            return redirect(_with_next(reverse("two_factor_enrol"), request.GET.get("next", "")))
        return redirect(_next_url(request))
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, problem = check_code(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = recovery_codes_left(user)
                messages.warning(
                    request,
                    f"You used a recovery code: {left} left. Make new ones on the "
                    "Two-factor sign-in page, and set up your authenticator app again "
                    "if you have lost it.",
                )
            return redirect(_next_url(request))
        form.add_error("code", problem)
    return render(
        request,
        "two_factor/verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


@signed_in()
def status(request):
    """Your two-factor sign-in: on or off, recovery codes left; set it up or renew codes."""
    user = request.user
    device = app_device(user)
    return render(
        request,
        "two_factor/status.html",
        {
            "device": device,
            "required": required_for(user),
            "codes_left": recovery_codes_left(user) if device else 0,
        },
    )


@signed_in(methods=("POST",))
@never_cache
def recovery_codes(request):
    """New recovery codes in place of the old ones (shown once), for a verified user."""
    user = request.user
    if app_device(user) is None or not user.is_verified():
        messages.info(request, "Sign in with your authenticator app to make new recovery codes.")
        return redirect("two_factor")
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        _audit(
            user, "two_factor_codes_renewed", "New recovery codes (the old ones stopped working)"
        )
    return _codes_page(request, codes, first_time=False)


@requires(None, "administer", methods=("GET", "POST"), record=User)
def reset(request, pk):
    """An administrator resets someone's lost second factor (not their own)."""
    person = get_object_or_404(User, pk=pk)
    own = person.pk == request.user.pk
    if request.method == "POST":
        if own:
            raise PermissionDenied
        if two_factor_reset(acting_user=request.user, user=person):
            messages.success(
                request,
                f"Two-factor sign-in reset for {person.full_name}. They set up their "
                "authenticator app again at their next sign-in; we have emailed them.",
            )
        else:
            messages.info(
                request, f"{person.full_name} has not set up two-factor sign-in: nothing to reset."
            )
        return redirect("user_edit", pk=person.pk)
    device = app_device(person)
    return render(
        request,
        "two_factor/reset.html",
        {
            "person": person,
            "own": own,
            "device": device,
            "codes_left": recovery_codes_left(person),
            "required": required_for(person),
            "breadcrumbs": [
                ("Administration", reverse("admin_home")),
                (person.full_name, reverse("user_edit", kwargs={"pk": person.pk})),
            ],
        },
    )
