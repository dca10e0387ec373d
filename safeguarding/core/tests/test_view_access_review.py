"""The access review page: who holds what, since when, granted by whom, last sign-in; a
review recorded there. Administrators see every module, managers their own."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from safeguarding.core.models import AccessEvent, AccessReview, AuditEvent, ModuleGrant

URL = reverse("access_review")


@pytest.fixture
def missing_officer(council):
    return make_user("missing.officer@example.org", council, {"missing": "officer"})


def test_the_administrator_sees_every_modules_grants(client_for, admin, officer, missing_officer):
    admin.full_name = "Amira Hassan"
    admin.save(update_fields=["full_name"])
    ModuleGrant.objects.filter(user=officer).update(granted_by=admin)
    html = client_for(admin).get(URL).content.decode()
    assert "officer@example.org" in html and "missing.officer@example.org" in html
    assert "Amira Hassan" in html  # granted by
    assert "Never signed in" in html


def test_a_manager_sees_only_their_modules_grants(client_for, manager, officer, missing_officer):
    html = client_for(manager).get(URL).content.decode()
    assert "officer@example.org" in html
    assert "missing.officer@example.org" not in html


def test_last_sign_in_and_stale_accounts_are_flagged(client_for, admin, officer):
    # At noon, so that the date shown in London time is the same day whatever the hour.
    officer.last_login = (timezone.now() - dt.timedelta(days=91)).replace(hour=12, minute=0)
    officer.save(update_fields=["last_login"])
    html = client_for(admin).get(URL).content.decode()
    assert "Not signed in for 90 days" in html
    assert officer.last_login.strftime("%-d %b %Y") in html


@pytest.mark.parametrize("who", ["officer", "reader", "owner"])
def test_officers_readers_and_contributors_are_refused(client_for, request, who):
    assert client_for(request.getfixturevalue(who)).get(URL).status_code == 403


def test_anonymous_goes_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_review_is_recorded_and_audited(client_for, manager, officer):
    response = client_for(manager).post(URL, {"notes": "Removed two leavers"})
    assert response.status_code == 302
    review = AccessReview.objects.get()
    assert (review.reviewed_by, review.modules, review.notes) == (
        manager,
        ["lado"],
        "Removed two leavers",
    )
    assert review.grants == 2  # the manager's own and the officer's
    event = AuditEvent.objects.get(action="access_review")
    assert event.actor == manager
    html = client_for(manager).get(URL).content.decode()
    assert "Removed two leavers" in html


def test_viewing_the_review_is_logged(client_for, admin):
    client_for(admin).get(URL)
    assert AccessEvent.objects.filter(user=admin, detail="access review").exists()


def test_wrong_method(client_for, admin):
    assert client_for(admin).put(URL).status_code == 405
