"""Hardening: no page is stored by a browser, production settings pass check --deploy,
sign-in is limited per address as well as per account, password resets are throttled."""

import os
import subprocess
import sys

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from conftest import PASSWORD, make_user


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def test_personal_data_pages_and_downloads_are_not_stored(client_for, officer, lado_case):
    client = client_for(officer)
    for url in (
        reverse("lado:detail", args=[lado_case.pk]),
        reverse("lado:list"),
        reverse("lado:report_download", args=["2016-17", "csv"]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_the_sign_in_page_is_not_stored_either(client):
    assert "no-store" in client.get(reverse("login"))["Cache-Control"]


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        **os.environ,
        "SAFEGUARDING_PRODUCTION": "1",
        "SAFEGUARDING_SECRET_KEY": "k" * 20 + "7Hq!x0-Lm3vZ@a9Pw2#rT6yU1cE8sD4fG5hJ",
        "SAFEGUARDING_DATA_DIR": str(tmp_path),
        "SAFEGUARDING_ALLOWED_HOSTS": "lscp.example.org",
    }
    env.pop("SAFEGUARDING_DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' Playwright
    done = subprocess.run(
        [sys.executable, "-m", "safeguarding.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_production_refuses_debug(tmp_path):
    env = {
        **os.environ,
        "SAFEGUARDING_PRODUCTION": "1",
        "SAFEGUARDING_DEBUG": "1",
        "SAFEGUARDING_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "safeguarding.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "SAFEGUARDING_DEBUG must be off" in done.stderr


@override_settings(LOGIN_FAILURES_PER_IP=6, AXES_FAILURE_LIMIT=5)
def test_one_password_sprayed_over_many_accounts_locks_the_address(client, council):
    """Each account fails once only, so no account lockout ever triggers: the address's."""
    victims = [make_user(f"victim{n}@example.org", council) for n in range(7)]
    for victim in victims[:6]:
        response = client.post(
            reverse("login"), {"username": victim.email, "password": "Summer2026"}
        )
        assert response.status_code == 200  # a wrong password, not yet a lockout
    # Now even the right password of an untouched account is refused from this address.
    response = client.post(reverse("login"), {"username": victims[6].email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_FAILURES_PER_IP=6)
def test_another_address_is_not_locked_by_it(client, council):
    from django.test import Client

    victims = [make_user(f"victim{n}@example.org", council) for n in range(7)]
    for victim in victims[:6]:
        client.post(reverse("login"), {"username": victim.email, "password": "wrong-one"})
    elsewhere = Client(REMOTE_ADDR="10.9.8.7")
    response = elsewhere.post(
        reverse("login"), {"username": victims[6].email, "password": PASSWORD}
    )
    assert response.status_code == 302


@override_settings(PASSWORD_RESETS_PER_EMAIL_HOUR=3, PASSWORD_RESETS_PER_IP_HOUR=100)
def test_password_reset_is_throttled_per_email_without_saying_so(client, officer):
    url = reverse("password_reset")
    answers = [client.post(url, {"email": officer.email}) for _ in range(5)]
    assert [a.status_code for a in answers] == [302] * 5
    assert {a["Location"] for a in answers} == {reverse("password_reset_done")}
    assert len(mail.outbox) == 3


@override_settings(PASSWORD_RESETS_PER_EMAIL_HOUR=100, PASSWORD_RESETS_PER_IP_HOUR=2)
def test_password_reset_is_throttled_per_address(client, officer, manager):
    url = reverse("password_reset")
    for email in (officer.email, manager.email, officer.email):
        assert client.post(url, {"email": email}).status_code == 302
    assert len(mail.outbox) == 2
