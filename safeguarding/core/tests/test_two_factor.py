"""Two-factor sign-in through the real views: enrolment, the code at sign-in, recovery codes,
throttling and audit, who needs it (TWO_FACTOR_ROLES), and voluntary enrolment.

Every test here asks for the ``two_factor`` fixture (root conftest): the deployed default,
required of officers, managers and administrators. Other tests run without it.
"""

import datetime as dt
import time

import pytest
from axes.utils import reset as reset_axes
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.core import two_factor as tf
from safeguarding.core.models import AuditEvent

PASSWORD = "a-long-test-password-1"  # conftest.make_user's password
SIGN_IN = reverse("login")
SIGN_OUT = reverse("logout")
ENROL = reverse("two_factor_enrol")
VERIFY = reverse("two_factor_verify")
STATUS = reverse("two_factor")
RENEW = reverse("two_factor_recovery_codes")
LADO = "/lado/"

pytestmark = pytest.mark.usefixtures("two_factor")


@pytest.fixture(autouse=True)
def fresh_lockouts(db):
    reset_axes()
    yield
    reset_axes()


def sign_in(client, user, **extra):
    response = client.post(SIGN_IN, {"username": user.email, "password": PASSWORD, **extra})
    assert response.status_code == 302, "the password was refused"
    return response


def app_code(user) -> str:
    """The code the user's authenticator app shows: the current time step's, or the next
    one's if this step's code was used already (a code works once)."""
    device = TOTPDevice.objects.filter(user=user).latest("pk")
    now_t = (int(time.time()) - device.t0) // device.step
    ahead = max(0, device.last_t + 1 - now_t)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, ahead):06d}"


def wrong_code(user) -> str:
    return f"{(int(app_code(user)) + 1) % 1_000_000:06d}"


def wait_out_the_throttle(user) -> None:
    """As if the user waited: a wrong code makes the next try wait 1, 2, 4... seconds."""
    long_ago = timezone.now() - dt.timedelta(hours=1)
    TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=long_ago)
    StaticDevice.objects.filter(user=user).update(throttling_failure_timestamp=long_ago)


def enrol(client, user) -> list[str]:
    """Set up the authenticator app through the pages; returns the recovery codes shown."""
    client.get(ENROL)
    response = client.post(ENROL, {"code": app_code(user)})
    assert response.status_code == 200
    assert "Two-factor sign-in is set up" in response.content.decode()
    return response.context["codes"]


def enrolled(client, user) -> list[str]:
    """An officer who has set up two-factor sign-in, then signed out."""
    sign_in(client, user)
    codes = enrol(client, user)
    client.post(SIGN_OUT)
    return codes


def secrets_of(user, codes=()) -> list[str]:
    import base64

    keys = [d.key for d in TOTPDevice.objects.filter(user=user)]
    keys += [base64.b32encode(d.bin_key).decode() for d in TOTPDevice.objects.filter(user=user)]
    return (
        keys
        + list(codes)
        + list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    )


def audit_text(user) -> str:
    rows = AuditEvent.objects.filter(object_type="core.user", object_id=str(user.pk))
    return " ".join(f"{e.summary} {e.changes} {e.actor_label}" for e in rows).lower()


# --- enrolment -------------------------------------------------------------------------


def test_an_officer_must_set_up_two_factor_sign_in_before_any_page(client, officer):
    assert sign_in(client, officer, next=LADO)["Location"] == LADO
    response = client.get(LADO)
    assert response.status_code == 302
    assert response["Location"] == f"{ENROL}?next=%2Flado%2F"
    assert client.get(reverse("home"))["Location"] == ENROL
    assert client.get(STATUS)["Location"].startswith(ENROL)
    assert client.post(LADO, {"q": "x"})["Location"] == ENROL  # a POST is not replayed


def test_the_set_up_page_shows_a_qr_code_and_the_key_as_text(client, officer):
    sign_in(client, officer)
    response = client.get(ENROL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    html = response.content.decode()
    assert '<img src="data:image/svg+xml' in html and 'alt="QR code' in html
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    import base64

    key = base64.b32encode(device.bin_key).decode()
    assert " ".join(key[i : i + 4] for i in range(0, len(key), 4)) in html
    assert "<script" not in html.split("</main>")[0].split('id="main-content"')[1]
    # Reloading the page shows the same key: the app already added it.
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=officer).count() == 1


def test_enrolment_with_the_right_code_shows_ten_recovery_codes_once(client, officer):
    sign_in(client, officer, next=LADO)
    client.get(f"{ENROL}?next=/lado/")
    response = client.post(ENROL, {"code": app_code(officer), "next": LADO})
    assert response.status_code == 200
    html = response.content.decode()
    codes = response.context["codes"]
    assert len(codes) == 10 == len(set(codes))
    assert all(f"<code>{c}</code>" in html for c in codes)
    assert f'href="{LADO}"' in html
    assert set(codes) == set(
        StaticToken.objects.filter(device__user=officer).values_list("token", flat=True)
    )
    assert TOTPDevice.objects.get(user=officer).confirmed
    # Verified for this session: the pages open.
    assert client.get(LADO).status_code == 200
    event = AuditEvent.objects.get(action="two_factor_enrolled")
    assert (event.actor, event.module, event.object_id) == (officer, "core", str(officer.pk))
    assert not any(s.lower() in audit_text(officer) for s in secrets_of(officer, codes))
    # The codes are never shown again.
    assert client.get(ENROL)["Location"] == STATUS
    status = client.get(STATUS).content.decode()
    assert "Recovery codes left" in status and not any(c in status for c in codes)


def test_a_wrong_code_at_enrolment_is_refused_and_audited(client, officer):
    sign_in(client, officer)
    client.get(ENROL)
    response = client.post(ENROL, {"code": wrong_code(officer)})
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert not TOTPDevice.objects.get(user=officer).confirmed
    assert not StaticToken.objects.exists()
    assert AuditEvent.objects.filter(action="two_factor_failed", actor=officer).count() == 1
    assert client.get(LADO).status_code == 302
    for bad in ["", "12345", "abcdef"]:
        response = client.post(ENROL, {"code": bad})
        assert "Enter the 6" in response.content.decode()


# --- the code at sign-in ---------------------------------------------------------------


def test_the_next_sign_in_asks_for_the_code(client, officer):
    enrolled(client, officer)
    sign_in(client, officer, next=LADO)
    response = client.get(LADO)
    assert response["Location"] == f"{VERIFY}?next=%2Flado%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Enter your code" in page.content.decode()
    response = client.post(VERIFY, {"code": app_code(officer), "next": LADO})
    assert response.status_code == 302 and response["Location"] == LADO
    assert client.get(LADO).status_code == 200
    assert client.get(VERIFY)["Location"] == reverse("home")  # done already


def test_a_wrong_code_is_refused_and_audited_without_the_code(client, officer):
    enrolled(client, officer)
    sign_in(client, officer)
    code = wrong_code(officer)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert client.get(LADO).status_code == 302
    failed = AuditEvent.objects.get(action="two_factor_failed")
    assert (failed.actor, failed.module) == (officer, "core")
    assert code not in str(failed.changes) + failed.summary


def test_wrong_codes_are_throttled(client, officer):
    enrolled(client, officer)
    sign_in(client, officer)
    client.post(VERIFY, {"code": wrong_code(officer)})
    # At once, even the right code waits: 1, 2, 4, 8... seconds after each wrong one.
    response = client.post(VERIFY, {"code": app_code(officer)})
    assert "Too many wrong codes. Wait" in response.content.decode()
    assert client.get(LADO).status_code == 302
    assert AuditEvent.objects.filter(action="two_factor_failed").count() == 2
    assert TOTPDevice.objects.get(user=officer).throttling_failure_count == 1
    wait_out_the_throttle(officer)
    response = client.post(VERIFY, {"code": app_code(officer)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=officer).throttling_failure_count == 0


def test_a_code_works_once(client, officer, client_for):
    enrolled(client, officer)
    sign_in(client, officer)
    code = app_code(officer)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    other = client_for(None)
    sign_in(other, officer)
    assert "The code is not right" in other.post(VERIFY, {"code": code}).content.decode()


def test_a_recovery_code_works_once_only(client, officer):
    codes = enrolled(client, officer)
    sign_in(client, officer)
    spaced = f" {codes[0][:4].upper()} {codes[0][4:]} "  # as someone might type it
    response = client.post(VERIFY, {"code": spaced, "next": LADO})
    assert response["Location"] == LADO
    assert "9 left" in client.get(LADO).content.decode()
    used = AuditEvent.objects.get(action="two_factor_recovery_code_used")
    assert used.actor == officer and codes[0] not in used.summary
    client.post(SIGN_OUT)

    sign_in(client, officer)
    response = client.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert client.get(LADO).status_code == 302
    wait_out_the_throttle(officer)
    assert client.post(VERIFY, {"code": codes[1]}).status_code == 302
    assert tf.recovery_codes_left(officer) == 8


def test_new_recovery_codes_replace_the_old_ones(client, officer):
    old = enrolled(client, officer)
    sign_in(client, officer)
    client.post(VERIFY, {"code": app_code(officer)})
    response = client.post(RENEW)
    assert response.status_code == 200
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert AuditEvent.objects.filter(action="two_factor_codes_renewed", actor=officer).exists()
    client.post(SIGN_OUT)
    sign_in(client, officer)
    assert client.post(VERIFY, {"code": old[0]}).status_code == 200
    wait_out_the_throttle(officer)
    assert client.post(VERIFY, {"code": new[0]}).status_code == 302


def test_before_the_second_factor_public_pages_and_sign_out_stay_open(client, officer):
    sign_in(client, officer)
    assert client.get(reverse("accessibility")).status_code == 200
    response = client.post(SIGN_OUT)
    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_the_code_page_never_sends_anyone_to_another_site(client, officer):
    enrolled(client, officer)
    sign_in(client, officer)
    response = client.post(VERIFY, {"code": app_code(officer), "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_an_htmx_request_is_sent_to_the_code_page_by_htmx(client, officer):
    sign_in(client, officer)
    response = client.get(LADO, headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(ENROL)


def test_anonymous_users_are_sent_to_sign_in_from_the_two_factor_pages(client, db):
    for url in (ENROL, VERIFY, STATUS):
        assert client.get(url)["Location"].startswith(f"{SIGN_IN}?next=")


@pytest.mark.parametrize("url", [ENROL, VERIFY, STATUS, RENEW])
def test_wrong_method_gets_405(client_for, reader, url):
    assert client_for(reader).put(url).status_code == 405


def test_renewing_codes_needs_the_second_factor_first(client_for, reader):
    response = client_for(reader).post(RENEW)
    assert response["Location"] == STATUS
    assert not StaticDevice.objects.exists()


# --- who needs it ----------------------------------------------------------------------


def test_a_reader_is_not_asked_by_default(client, reader):
    sign_in(client, reader)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("lado:report")).status_code == 200


@pytest.mark.parametrize(
    "who, needs", [("reader", False), ("owner", False), ("officer", True), ("manager", True)]
)
def test_the_default_roles(request, who, needs):
    assert tf.required_for(request.getfixturevalue(who)) is needs


def test_an_administrator_needs_it_and_their_highest_role_counts(admin, settings, reader):
    assert tf.required_for(admin)
    settings.TWO_FACTOR_ROLES = ["officer", "manager"]
    assert not tf.required_for(admin)
    settings.TWO_FACTOR_ROLES = ["officer"]
    from safeguarding.core.models import ModuleGrant

    ModuleGrant.objects.create(user=reader, module="missing", role="officer")
    reader._grant_cache = None
    assert tf.highest_role(reader) == "officer" and tf.required_for(reader)


def test_adding_reader_to_the_roles_makes_a_reader_enrol(client, reader, settings):
    settings.TWO_FACTOR_ROLES = ["reader", "contributor", "officer", "manager", "administrator"]
    sign_in(client, reader)
    assert client.get(reverse("home"))["Location"] == ENROL
    enrol(client, reader)
    assert client.get(reverse("lado:report")).status_code == 200


def test_no_roles_means_nobody_is_asked(client, officer, settings):
    settings.TWO_FACTOR_ROLES = []
    sign_in(client, officer)
    assert client.get(LADO).status_code == 200


def test_someone_not_required_may_set_it_up_and_is_then_asked(client, reader):
    sign_in(client, reader)
    status = client.get(STATUS)
    assert status.status_code == 200
    html = status.content.decode()
    assert "Off" in html and f'href="{ENROL}"' in html
    enrol(client, reader)
    assert "On: your authenticator app" in client.get(STATUS).content.decode()
    client.post(SIGN_OUT)
    sign_in(client, reader)
    assert client.get(reverse("home"))["Location"] == VERIFY
    client.post(VERIFY, {"code": app_code(reader)})
    assert client.get(reverse("home")).status_code == 200


def test_an_unknown_role_in_the_setting_stops_the_start(monkeypatch, tmp_path):
    import runpy
    from pathlib import Path

    from django.core.exceptions import ImproperlyConfigured

    import safeguarding

    path = Path(safeguarding.__file__).parent / "settings.py"
    monkeypatch.setenv("SAFEGUARDING_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SAFEGUARDING_SECRET_KEY", "test")
    monkeypatch.delenv("SAFEGUARDING_TWO_FACTOR_ROLES", raising=False)
    monkeypatch.delenv("SAFEGUARDING_DEMO", raising=False)
    values = runpy.run_path(str(path))
    assert values["TWO_FACTOR_ROLES"] == ["officer", "manager", "administrator"]
    assert values["DEMO_MODE"] is False
    monkeypatch.setenv("SAFEGUARDING_TWO_FACTOR_ROLES", "Reader, officer")
    assert runpy.run_path(str(path))["TWO_FACTOR_ROLES"] == ["reader", "officer"]
    monkeypatch.setenv("SAFEGUARDING_TWO_FACTOR_ROLES", "officers")
    with pytest.raises(ImproperlyConfigured, match="officers"):
        runpy.run_path(str(path))
