"""New users are emailed an invitation to set their password (Django's password reset token
on the password_reset_confirm page, at SITE_URL), queued for the task worker so that it
goes once the change has committed; an administrator may send it again (audited)."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from conftest import PASSWORD
from safeguarding.core import services
from safeguarding.core.models import AuditEvent, User

from .test_view_user_edit import user_data

NEW = reverse("user_create")
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def send_now(settings):
    """The task runs when it is enqueued (the worker's part, in the test's process)."""
    settings.TASKS = IMMEDIATE
    return settings


def page(user) -> str:
    return reverse("user_edit", args=[user.pk])


def invitation_link(message) -> str:
    match = re.search(r"https?://\S+/password-reset/\S+/", message.body)
    assert match, message.body
    return match.group(0)


def add_nadia(client_for, admin, agency, **changes):
    return client_for(admin).post(
        NEW, user_data(agency=agency.pk, grant_lado="contributor", **changes), follow=True
    )


def test_a_new_user_is_emailed_a_link_to_set_their_password(
    client_for, client, admin, school, send_now
):
    send_now.SITE_URL = "https://lscp.example.org/"
    response = add_nadia(client_for, admin, school, full_name="Nadia Newcomer")
    assert response.status_code == 200
    (email,) = mail.outbox
    assert email.to == ["nadia@example.org"]
    assert "Nadia Newcomer" in email.body
    link = invitation_link(email)
    assert link.startswith("https://lscp.example.org/password-reset/")
    assert "https://lscp.example.org/sign-in/" in email.body
    # Nothing personal but the recipient's own name: no address, agency or role.
    for detail in ("nadia@example.org", school.name, "contributor", "LADO", admin.email):
        assert detail not in email.body and detail not in email.subject

    # The link sets the password, and then they sign in with it.
    path = link.removeprefix("https://lscp.example.org")
    form = client.get(path, follow=True)
    assert form.status_code == 200 and "Set a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "nadias-first-passphrase-3",
            "new_password2": "nadias-first-passphrase-3",
        },
    )
    assert done["Location"] == reverse("password_reset_complete")
    signed_in = client.post(
        reverse("login"), {"username": "nadia@example.org", "password": "nadias-first-passphrase-3"}
    )
    assert signed_in["Location"] == reverse("home")
    # The link worked once.
    assert "This link has expired" in client_for(None).get(path, follow=True).content.decode()


def test_the_administrator_is_told_the_invitation_was_sent(client_for, admin, school, send_now):
    html = add_nadia(client_for, admin, school, full_name="Nadia Newcomer").content.decode()
    html = html.replace("&#x27;", "'")
    assert "User 'Nadia Newcomer' added. We have emailed them an invitation" in html
    assert "The link works once, for 3 days" in html
    assert "Forgotten your password" not in html.split("govuk-notification-banner")[1]


def test_someone_who_cannot_sign_in_is_not_invited(client_for, admin, school, send_now):
    html = add_nadia(client_for, admin, school, is_active=None).content.decode()
    assert "no invitation was sent" in html
    assert mail.outbox == []
    nadia = User.objects.get(email="nadia@example.org")
    assert "Send the invitation again" not in client_for(admin).get(page(nadia)).content.decode()


# The worker closes its database connections between tasks, as it does in production: the
# test cannot run inside a transaction that is rolled back at its end.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_invitation_waits_in_the_queue_until_the_worker_sends_it(
    client_for, admin, school, settings, capsys
):
    """As in `make demo`: the database queue, the worker beside the server, the console
    email backend printing each email in the worker's output."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = QUEUE
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    add_nadia(client_for, admin, school, full_name="Nadia Newcomer")
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "safeguarding.core.services.send_invitation"
    capsys.readouterr()
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    printed = capsys.readouterr().out
    assert "To: nadia@example.org" in printed and "Dear Nadia Newcomer" in printed
    assert "/password-reset/" in printed


def test_a_change_that_rolls_back_sends_nothing(admin, school, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = QUEUE
    with pytest.raises(RuntimeError), transaction.atomic():
        services.user_create(
            acting_user=admin, email="nadia@example.org", full_name="Nadia", agency=school
        )
        raise RuntimeError("something later in the change failed")
    assert not DBTaskResult.objects.exists() and not User.objects.filter(full_name="Nadia")


def test_users_made_with_a_password_are_not_invited(admin, school, settings):
    """The demo's users (and createsuperuser's) have a password already."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = QUEUE
    with transaction.atomic():
        services.user_create(
            acting_user=None,
            email="demo@example.org",
            full_name="Demo",
            agency=school,
            password=PASSWORD,
        )
    assert not DBTaskResult.objects.exists()


def resend(client, user):
    return client.post(page(user), {"action": "send_invitation"}, follow=True)


def test_an_administrator_sends_the_invitation_again_and_it_is_audited(
    client_for, admin, school, send_now
):
    add_nadia(client_for, admin, school)
    nadia = User.objects.get(email="nadia@example.org")
    client = client_for(admin)
    html = client.get(page(nadia)).content.decode()
    assert 'name="action" value="send_invitation"' in html  # a POST button
    mail.outbox.clear()
    response = resend(client, nadia)
    assert response.redirect_chain[-1][0] == page(nadia)
    assert "Invitation sent again to Nadia Newcomer" in response.content.decode()
    (email,) = mail.outbox
    assert email.to == ["nadia@example.org"] and "/password-reset/" in email.body
    event = AuditEvent.objects.get(
        object_type="core.user", object_id=str(nadia.pk), action="invite"
    )
    assert event.actor == admin
    assert "Invitation to set a password sent again" in response.content.decode()  # history
    nadia.refresh_from_db()
    assert nadia.version == 1  # nothing about the record changed


def test_someone_who_has_set_their_password_is_not_invited_again(
    client_for, admin, officer, send_now
):
    client = client_for(admin)
    assert "Send the invitation again" not in client.get(page(officer)).content.decode()
    response = resend(client, officer)
    assert "has already set a password" in response.content.decode()
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action="invite").exists()


@pytest.mark.parametrize("who", ["officer", "manager", "reader"])
def test_only_administrators_send_invitations(client_for, admin, school, who, request, send_now):
    add_nadia(client_for, admin, school)
    nadia = User.objects.get(email="nadia@example.org")
    mail.outbox.clear()
    response = client_for(request.getfixturevalue(who)).post(
        page(nadia), {"action": "send_invitation"}
    )
    assert response.status_code == 403
    assert mail.outbox == [] and not AuditEvent.objects.filter(action="invite").exists()


def test_anonymous_cannot_send_invitations(client_for, admin, school, send_now):
    add_nadia(client_for, admin, school)
    nadia = User.objects.get(email="nadia@example.org")
    mail.outbox.clear()
    response = client_for(None).post(page(nadia), {"action": "send_invitation"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert mail.outbox == []
