"""A lost phone: an administrator resets someone else's second factor (audited, emailed);
and the demo site, where nobody is asked for one and every page says so."""

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.core.models import AuditEvent

from .test_two_factor import ENROL, LADO, SIGN_OUT, VERIFY, app_code, enrol, secrets_of, sign_in

pytestmark = pytest.mark.usefixtures("two_factor", "fresh_lockouts")


@pytest.fixture
def fresh_lockouts(db):
    from axes.utils import reset as reset_axes

    reset_axes()
    yield
    reset_axes()


def reset_url(user) -> str:
    return reverse("user_two_factor_reset", kwargs={"pk": user.pk})


def verified(client, user) -> list[str]:
    """``user`` signed in on ``client`` with both factors (setting up the app if need be)."""
    sign_in(client, user)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        assert client.post(VERIFY, {"code": app_code(user)}).status_code == 302
        return []
    return enrol(client, user)


def test_the_reset_page_url():
    assert reset_url(type("U", (), {"pk": 7})) == "/administration/users/7/two-factor/"


def test_an_administrator_resets_a_lost_device(
    client_for, admin, officer, settings, django_capture_on_commit_callbacks
):
    officer_client = client_for(None)
    codes = verified(officer_client, officer)
    secrets = secrets_of(officer, codes)
    admin_client = client_for(None)
    verified(admin_client, admin)

    page = admin_client.get(reset_url(officer))
    assert page.status_code == 200
    assert "Reset two-factor sign-in" in page.content.decode()
    assert not any(s in page.content.decode() for s in secrets)

    settings.SITE_URL = "https://lscp.example.org/"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reset_url(officer))
    assert response.status_code == 302
    assert response["Location"] == reverse("user_edit", kwargs={"pk": officer.pk})
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticDevice.objects.filter(user=officer).exists()

    event = AuditEvent.objects.get(action="two_factor_reset")
    assert (event.actor, event.module) == (admin, "core")
    assert (event.object_type, event.object_id) == ("core.user", str(officer.pk))
    assert not any(s.lower() in (event.summary + str(event.changes)).lower() for s in secrets)

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [officer.email]
    assert "https://lscp.example.org/sign-in/" in email.body
    assert officer.full_name in email.body
    assert not any(s.lower() in (email.subject + email.body).lower() for s in secrets)

    # The officer's open session is no longer verified: they set up a new app first.
    assert officer_client.get(LADO)["Location"].startswith(ENROL)
    officer_client.post(SIGN_OUT)
    sign_in(officer_client, officer)
    assert officer_client.get(LADO)["Location"].startswith(ENROL)
    new_codes = enrol(officer_client, officer)
    assert not set(new_codes) & set(codes)


def test_an_administrator_cannot_reset_their_own(client_for, admin):
    client = client_for(None)
    verified(client, admin)
    page = client.get(reset_url(admin))
    assert page.status_code == 200
    html = page.content.decode()
    assert "You cannot reset your own" in html and "govuk-button--warning" not in html
    assert client.post(reset_url(admin)).status_code == 403
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
    assert not AuditEvent.objects.filter(action="two_factor_reset").exists()


def test_nothing_to_reset(client_for, admin, reader, settings):
    settings.TWO_FACTOR_ROLES = []
    client = client_for(admin)
    assert "nothing to reset" in client.get(reset_url(reader)).content.decode()
    response = client.post(reset_url(reader), follow=True)
    assert "nothing to reset" in response.content.decode()
    assert not AuditEvent.objects.filter(action="two_factor_reset").exists()
    assert not mail.outbox


@pytest.mark.parametrize("who", ["officer", "manager", "reader"])
def test_module_roles_cannot_reset(client_for, request, who, officer, settings):
    settings.TWO_FACTOR_ROLES = []
    user = request.getfixturevalue(who)
    assert client_for(user).get(reset_url(officer)).status_code == 403
    assert client_for(user).post(reset_url(officer)).status_code == 403


def test_anonymous_is_sent_to_sign_in_and_wrong_methods_get_405(
    client_for, admin, officer, settings
):
    settings.TWO_FACTOR_ROLES = []
    response = client_for(None).post(reset_url(officer))
    assert response["Location"].startswith(reverse("login"))
    assert client_for(admin).put(reset_url(officer)).status_code == 405


def test_an_unknown_user_is_404(client_for, admin, settings):
    settings.TWO_FACTOR_ROLES = []
    assert (
        client_for(admin).get(reverse("user_two_factor_reset", kwargs={"pk": 999})).status_code
        == 404
    )


# --- the demo site ----------------------------------------------------------------------

BANNER = "Demo site: two-factor sign-in is switched off. Never enter real personal data."


def test_the_demo_asks_nobody_for_a_second_factor_and_every_page_says_so(
    client, officer, admin, settings
):
    settings.DEMO_MODE = True
    for url in (reverse("login"), reverse("accessibility"), "/no-such-page/"):
        assert BANNER in client.get(url).content.decode(), url
    for user, urls in (
        (officer, ["/", LADO, reverse("two_factor")]),
        (admin, ["/administration/"]),
    ):
        client.post(SIGN_OUT)
        sign_in(client, user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert BANNER in response.content.decode(), url
            assert 'class="govuk-phase-banner"' in response.content.decode()


def test_the_demo_also_skips_a_device_someone_set_up(client, officer, settings):
    sign_in(client, officer)
    enrol(client, officer)
    client.post(SIGN_OUT)
    settings.DEMO_MODE = True
    sign_in(client, officer)
    assert client.get(LADO).status_code == 200


def test_no_banner_when_it_is_not_the_demo(client, reader):
    assert "Demo site" not in client.get(reverse("login")).content.decode()
    sign_in(client, reader)
    assert "Demo site" not in client.get("/").content.decode()


def test_the_demo_command_says_how_sign_in_works(monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    from safeguarding.core.management.commands import demo as command

    monkeypatch.setattr(command, "load", lambda seed: [])
    out = StringIO()
    call_command("demo", stdout=out)
    lines = out.getvalue().splitlines()
    note = [line for line in lines if line.startswith("Sign-in:")]
    assert len(note) == 1 and "SAFEGUARDING_DEMO=1" in note[0]
