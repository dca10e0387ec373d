"""Separation of duties for grants: nobody changes their own roles, an administrator
account never holds a module role, and every officer or manager grant is told to the
module's managers (and listed on the access review page)."""

from django.core import mail
from django.urls import reverse

from conftest import make_user
from safeguarding.core.models import AuditEvent, ModuleGrant, User
from safeguarding.core.services import ADMIN_GRANT_MESSAGE, SELF_GRANT_MESSAGE

from .test_view_user_edit import user_data


def edit_url(user) -> str:
    return reverse("user_edit", args=[user.pk])


def test_an_administrator_cannot_grant_itself_a_role(client_for, admin, lado_case):
    """The probe: an administrator with no roles POSTs grant_lado=manager to its own page."""
    client = client_for(admin)
    assert client.get(reverse("lado:detail", args=[lado_case.pk])).status_code == 403
    response = client.post(edit_url(admin), user_data(admin, grant_lado="manager"))
    assert response.status_code == 200
    assert SELF_GRANT_MESSAGE in response.content.decode()
    assert not ModuleGrant.objects.filter(user=admin).exists()
    assert client.get(reverse("lado:detail", args=[lado_case.pk])).status_code == 403
    assert not AuditEvent.objects.filter(object_type="core.user", object_id=str(admin.pk)).exists()


def test_an_administrator_cannot_grant_a_role_to_another_administrator(client_for, admin, council):
    other = make_user("second.admin@example.org", council, admin=True)
    response = client_for(admin).post(edit_url(other), user_data(other, grant_lado="officer"))
    assert response.status_code == 200
    assert ADMIN_GRANT_MESSAGE in response.content.decode()
    assert not ModuleGrant.objects.filter(user=other).exists()


def test_a_new_administrator_account_cannot_come_with_roles(client_for, admin, school):
    response = client_for(admin).post(
        reverse("user_create"),
        user_data(agency=school.pk, grant_lado="manager", is_partnership_admin="on"),
    )
    assert response.status_code == 200
    assert ADMIN_GRANT_MESSAGE in response.content.decode()
    assert not User.objects.filter(email="nadia@example.org").exists()


def test_a_user_holding_roles_cannot_be_made_an_administrator(client_for, admin, officer):
    response = client_for(admin).post(
        edit_url(officer), user_data(officer, is_partnership_admin="on")
    )
    assert response.status_code == 200
    assert ADMIN_GRANT_MESSAGE in response.content.decode()
    assert not User.objects.get(pk=officer.pk).is_partnership_admin


def test_an_administrator_cannot_take_away_its_own_administration(client_for, admin):
    response = client_for(admin).post(edit_url(admin), user_data(admin, is_partnership_admin=None))
    assert response.status_code == 200
    assert "You cannot change your own administrator access" in response.content.decode()
    assert User.objects.get(pk=admin.pk).is_partnership_admin


def test_an_administrator_may_still_change_its_own_name(client_for, admin):
    response = client_for(admin).post(edit_url(admin), user_data(admin, full_name="Amira H"))
    assert response.status_code == 302
    assert User.objects.get(pk=admin.pk).full_name == "Amira H"


def test_an_officer_grant_is_emailed_to_the_module_managers_naming_nobody(
    client_for, admin, manager, officer, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(
            reverse("user_create"),
            user_data(agency=school.pk, grant_lado="officer", full_name="Nadia Newcomer"),
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["manager@example.org"]  # the manager, not the officer
    assert message.subject == "New officer access to LADO allegations"
    assert reverse("access_review") in message.body
    assert "Nadia" not in message.subject + message.body
    assert "nadia@example.org" not in message.subject + message.body


def test_contributor_and_reader_grants_are_not_emailed(
    client_for, admin, manager, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(admin).post(
            reverse("user_create"), user_data(agency=school.pk, grant_lado="contributor")
        )
    assert mail.outbox == []


def test_a_grant_records_since_when_and_by_whom(client_for, admin, school):
    client_for(admin).post(reverse("user_create"), user_data(agency=school.pk, grant_lado="reader"))
    grant = ModuleGrant.objects.get(user__email="nadia@example.org")
    assert grant.granted_by == admin
    assert grant.granted_at is not None
