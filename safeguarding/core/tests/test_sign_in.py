"""Signing in and out, lockout, idle sessions and password reset, through the real views."""

import datetime as dt
import re

import pytest
from axes.utils import reset as reset_axes
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.models import AuditEvent, User

PASSWORD = "a-long-test-password-1"  # conftest.make_user's password
SIGN_IN = reverse("login")
SIGN_OUT = reverse("logout")
RESET = reverse("password_reset")


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """argon2 still, with the cost turned down so that the tests stay quick."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1


@pytest.fixture(autouse=True)
def quick_argon2(request, settings):
    if "production_hashers" not in request.fixturenames:
        settings.PASSWORD_HASHERS = [f"{__name__}.QuickArgon2PasswordHasher"]


@pytest.fixture
def production_hashers():
    """The hashers of settings.py, unchanged (see quick_argon2)."""


@pytest.fixture(autouse=True)
def fresh_lockouts(db):
    """Failed attempts are counted per username and address: start every test clean."""
    reset_axes()
    yield
    reset_axes()


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(SIGN_IN, {"username": email, "password": password, **extra})


# --- sign in ---------------------------------------------------------------------------


def test_the_sign_in_page(client, db):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html and 'type="email"' in html
    assert 'name="password"' in html and 'type="password"' in html
    assert RESET in html


def test_sign_in_with_email_and_password(client, officer):
    response = sign_in(client, "officer@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert int(client.session["_auth_user_id"]) == officer.pk
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(actor=officer, action="sign_in").exists()


def test_the_email_address_is_not_case_sensitive(client, officer):
    assert sign_in(client, "Officer@Example.ORG")["Location"] == reverse("home")


def test_sign_in_returns_to_the_page_asked_for(client, officer):
    response = sign_in(client, "officer@example.org", next="/lado/")
    assert response["Location"] == "/lado/"


def test_sign_in_never_redirects_to_another_site(client, officer):
    response = sign_in(client, "officer@example.org", next="https://evil.example/")
    assert response["Location"] == reverse("home")


def test_a_wrong_password_is_refused_with_a_message(client, officer):
    response = sign_in(client, "officer@example.org", "wrong-password")
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.get(action="sign_in_failed")
    assert "officer@example.org" not in str(failed.changes) + failed.summary + failed.actor_label


def test_an_unknown_address_gets_the_same_message(client, officer):
    unknown = sign_in(client, "nobody@example.org", "wrong-password").content.decode()
    assert "Enter a correct email address and password" in unknown


def test_an_inactive_account_cannot_sign_in(client, officer):
    officer.is_active = False
    officer.save()
    sign_in(client, "officer@example.org")
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2(production_hashers, officer):
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    officer.refresh_from_db()
    assert officer.password.startswith("argon2")
    assert PASSWORD not in officer.password
    assert officer.check_password(PASSWORD)


def test_a_password_set_by_reset_is_argon2_too(client, officer):
    link = reset_link(client, "officer@example.org")
    set_password(client, link, "a-brand-new-passphrase-9")
    officer.refresh_from_db()
    assert officer.password.startswith("argon2")


# --- lockout (django-axes) -------------------------------------------------------------


def test_lockout_after_repeated_failures_even_with_the_right_password(client, officer):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "officer@example.org", "wrong-password").status_code == 200
    locked = sign_in(client, "officer@example.org", "wrong-password")
    assert "Your account is locked" in locked.content.decode()

    response = sign_in(client, "officer@example.org")  # the right password, too late
    assert response.status_code in (403, 429)
    assert "Your account is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_changing_the_case_of_the_address_does_not_escape_the_lockout(client, officer):
    variants = ["officer@example.org", "Officer@example.org", "OFFICER@example.org"]
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, variants[i % len(variants)], "wrong-password")
    response = sign_in(client, "oFFicer@EXAMPLE.org")
    assert "Your account is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_fewer_failures_than_the_limit_do_not_lock(client, officer):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "officer@example.org", "wrong-password")
    assert sign_in(client, "officer@example.org")["Location"] == reverse("home")


def test_one_persons_lockout_does_not_lock_another(client, officer, reader):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "officer@example.org", "wrong-password")
    assert sign_in(client, "reader@example.org")["Location"] == reverse("home")


# --- sign out --------------------------------------------------------------------------


def test_sign_out_is_post_only(client, officer):
    sign_in(client, "officer@example.org")
    assert client.get(SIGN_OUT).status_code == 405
    assert "_auth_user_id" in client.session  # a GET (a link, an image) signs nobody out


def test_sign_out_ends_the_session(client, officer):
    sign_in(client, "officer@example.org")
    response = client.post(SIGN_OUT)
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    assert "_auth_user_id" not in client.session
    assert client.get("/lado/")["Location"] == "/sign-in/?next=/lado/"
    assert AuditEvent.objects.filter(actor=officer, action="sign_out").exists()


def test_every_page_offers_sign_out_as_a_form(client, officer):
    sign_in(client, "officer@example.org")
    html = client.get(reverse("home")).content.decode()
    assert f'<form method="post" action="{SIGN_OUT}"' in html


# --- idle sessions ---------------------------------------------------------------------


def test_sessions_expire_after_the_configured_idle_time():
    assert settings.SESSION_IDLE_MINUTES == 30  # the default
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_each_request_pushes_the_expiry_back(client, officer):
    sign_in(client, "officer@example.org")
    session = Session.objects.get()
    session.expire_date = timezone.now() + dt.timedelta(minutes=5)
    session.save()
    client.get(reverse("home"))
    expiry = Session.objects.get().expire_date
    assert expiry > timezone.now() + dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES - 1)


def test_an_idle_session_is_signed_out(client, officer):
    sign_in(client, "officer@example.org")
    assert client.get("/lado/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/lado/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/lado/"


# --- password reset --------------------------------------------------------------------


def reset_link(client, email) -> str:
    mail.outbox.clear()
    response = client.post(RESET, {"email": email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [email.lower()]
    match = re.search(r"https?://[^/\s]+(/password-reset/[^\s]+/)", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def set_password(client, link, password):
    form = client.get(link, follow=True)  # the token is swapped for a session key
    assert form.status_code == 200
    assert "Set a new password" in form.content.decode()
    return client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": password, "new_password2": password},
    )


def test_the_reset_page(client, db):
    response = client.get(RESET)
    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()


def test_reset_sends_a_link_that_sets_a_new_password(client, officer):
    link = reset_link(client, "officer@example.org")
    assert mail.outbox[0].subject == "Reset your password"
    response = set_password(client, link, "a-brand-new-passphrase-9")
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    assert sign_in(client, "officer@example.org", "a-brand-new-passphrase-9")[
        "Location"
    ] == reverse("home")
    client.post(SIGN_OUT)
    assert sign_in(client, "officer@example.org").status_code == 200  # the old one is gone


def test_a_reset_link_works_once(client, officer):
    link = reset_link(client, "officer@example.org")
    set_password(client, link, "a-brand-new-passphrase-9")
    again = client.get(link, follow=True)
    assert "This link has expired" in again.content.decode()


def test_a_weak_new_password_is_refused(client, officer):
    link = reset_link(client, "officer@example.org")
    response = set_password(client, link, "short")
    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)


def test_reset_does_not_reveal_whether_the_address_exists(client, officer):
    known = client.post(RESET, {"email": "officer@example.org"})
    unknown = client.post(RESET, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1  # only the real account got an email
    done = client.get(reverse("password_reset_done")).content.decode()
    assert "If the address belongs to an account" in done


def test_an_inactive_account_gets_no_reset_email(client, officer):
    officer.is_active = False
    officer.save()
    response = client.post(RESET, {"email": "officer@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_new_user_sets_their_first_password_by_reset(client, client_for, admin, council):
    """Users created by an administrator have no password until they set one."""
    client_for(admin).post(
        reverse("user_create"),
        {
            "full_name": "Nadia Newcomer",
            "email": "nadia@example.org",
            "agency": council.pk,
            "is_active": "on",
        },
    )
    newcomer = User.objects.get(email="nadia@example.org")
    assert not newcomer.has_usable_password()
    link = reset_link(client, "nadia@example.org")
    set_password(client, link, "nadias-first-passphrase-3")
    assert sign_in(client, "nadia@example.org", "nadias-first-passphrase-3")["Location"] == reverse(
        "home"
    )


@pytest.mark.parametrize("url", [SIGN_IN, RESET])
def test_wrong_method_gets_405(client, db, url):
    assert client.put(url).status_code == 405
