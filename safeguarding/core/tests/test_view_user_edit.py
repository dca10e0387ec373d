"""Adding and changing users and their module grants: administrators only, audited."""

import pytest
from django.urls import reverse

from safeguarding.core.models import AuditEvent, ModuleGrant, User

NEW = reverse("user_create")


def edit_url(user) -> str:
    return reverse("user_edit", args=[user.pk])


def user_data(user=None, **changes) -> dict:
    data = {
        "full_name": user.full_name if user else "Nadia Newcomer",
        "email": user.email if user else "nadia@example.org",
        "agency": user.agency_id if user else "",
        "is_active": "on",
        "grant_lado": "",
    }
    if user:
        data["version"] = User.objects.get(pk=user.pk).version
        data["grant_lado"] = dict(user.grants.values_list("module", "role")).get("lado", "")
        if user.is_partnership_admin:
            data["is_partnership_admin"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_administrator_gets_both_forms(client_for, admin, officer):
    client = client_for(admin)
    assert client.get(NEW).status_code == 200
    response = client.get(edit_url(officer))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="officer@example.org"' in html
    assert 'value="officer" selected' in html or 'value="officer" checked' in html


def test_the_administrator_adds_a_user_with_a_grant_and_it_is_audited(client_for, admin, school):
    response = client_for(admin).post(
        NEW, user_data(agency=school.pk, grant_lado="contributor", email="Nadia@Example.org")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin_home")
    nadia = User.objects.get(email="nadia@example.org")
    assert (nadia.agency, nadia.is_partnership_admin) == (school, False)
    assert not nadia.has_usable_password()
    assert ModuleGrant.objects.get(user=nadia).role == "contributor"
    event = AuditEvent.objects.get(object_type="core.user", object_id=str(nadia.pk))
    assert (event.actor, event.action) == (admin, "create")
    assert event.changes["grant:lado"] == [None, "contributor"]
    assert event.changes["email"] == [None, "nadia@example.org"]


def test_the_new_users_grant_takes_effect(client_for, admin, school, lado_case):
    client_for(admin).post(NEW, user_data(agency=school.pk, grant_lado="contributor"))
    nadia = User.objects.get(email="nadia@example.org")
    detail = reverse("lado:detail", args=[lado_case.pk])
    assert client_for(nadia).get(detail).status_code == 200


def test_changing_a_user_is_audited_with_what_changed(client_for, admin, officer):
    response = client_for(admin).post(
        edit_url(officer), user_data(officer, is_active=None, grant_lado="reader")
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active
    assert ModuleGrant.objects.get(user=officer).role == "reader"
    event = AuditEvent.objects.get(object_type="core.user", action="update")
    assert event.actor == admin
    assert event.changes == {"is_active": [True, False], "grant:lado": ["officer", "reader"]}


def test_making_someone_an_administrator_is_audited(client_for, admin, council):
    from conftest import make_user

    colleague = make_user("colleague@example.org", council)  # no module roles
    client_for(admin).post(edit_url(colleague), user_data(colleague, is_partnership_admin="on"))
    colleague.refresh_from_db()
    assert colleague.is_partnership_admin
    event = AuditEvent.objects.get(object_type="core.user", action="update")
    assert event.changes == {"is_partnership_admin": [False, True]}


def test_removing_a_grant_removes_access(client_for, admin, owner, lado_case):
    client_for(admin).post(edit_url(owner), user_data(owner, grant_lado=""))
    assert not ModuleGrant.objects.filter(user=owner).exists()
    assert client_for(owner).get(reverse("lado:detail", args=[lado_case.pk])).status_code == 403


def test_the_page_shows_the_users_change_history(client_for, admin, officer):
    client = client_for(admin)
    client.post(edit_url(officer), user_data(officer, full_name="Olive Officer"))
    html = client.get(edit_url(officer)).content.decode()
    assert "Change history" in html
    assert "officer → Olive Officer" in html


def test_a_duplicate_email_is_refused(client_for, admin, officer, council):
    response = client_for(admin).post(
        NEW, user_data(agency=council.pk, email="OFFICER@example.org")
    )
    assert response.status_code == 200
    assert "A user with this email address already exists" in response.content.decode()
    assert User.objects.filter(email__iexact="officer@example.org").count() == 1


def test_an_agency_is_required(client_for, admin):
    response = client_for(admin).post(NEW, user_data(agency=""))
    assert response.status_code == 200
    assert not User.objects.filter(email="nadia@example.org").exists()
    assert not AuditEvent.objects.filter(object_type="core.user").exists()


def test_a_user_that_does_not_exist_is_404(client_for, admin):
    assert client_for(admin).get(reverse("user_edit", args=[999])).status_code == 404


@pytest.mark.parametrize("who", ["officer", "manager", "owner", "outsider", "reader"])
def test_module_roles_cannot_manage_users(client_for, council, who, request):
    user = request.getfixturevalue(who)
    role = ModuleGrant.objects.get(user=user).role
    client = client_for(user)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, user_data(agency=council.pk)).status_code == 403
    assert not User.objects.filter(email="nadia@example.org").exists()
    # not even to raise their own grant
    response = client.post(edit_url(user), user_data(user, grant_lado="manager"))
    assert response.status_code == 403
    assert ModuleGrant.objects.get(user=user).role == role


def test_anonymous_is_sent_to_sign_in(client_for, officer):
    client = client_for(None)
    response = client.get(edit_url(officer))
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={edit_url(officer)}"
    client.post(edit_url(officer), user_data(officer, grant_lado="manager"))
    assert ModuleGrant.objects.get(user=officer).role == "officer"


@pytest.mark.parametrize("method", ["put", "delete"])
def test_wrong_method_gets_405(client_for, admin, officer, method):
    assert getattr(client_for(admin), method)(edit_url(officer)).status_code == 405


@pytest.mark.parametrize("version", [None, "-999", "0"])
def test_a_missing_or_stale_version_is_refused_and_nothing_changes(
    client_for, admin, officer, version
):
    """The defect: the version was ignored, so a copy made before a colleague's change
    (or a form without one) overwrote it."""
    data = user_data(officer, full_name="Overwritten Name", grant_lado="")
    if version is None:
        data.pop("version")
    else:
        data["version"] = version
    response = client_for(admin).post(edit_url(officer), data)
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert "Someone else changed this record" in html or "does not say which copy" in html
    officer.refresh_from_db()
    assert officer.full_name == "officer" and officer.version == 1
    assert officer.grants.filter(module="lado", role="officer").exists()
    assert not AuditEvent.objects.filter(object_type="core.user", action="update").exists()


def test_a_save_from_the_current_version_moves_the_version_on(client_for, admin, officer):
    client_for(admin).post(edit_url(officer), user_data(officer, full_name="Olive Officer"))
    officer.refresh_from_db()
    assert (officer.full_name, officer.version) == ("Olive Officer", 2)


def test_the_pages_are_titled_for_what_they_do(client_for, admin, officer):
    client = client_for(admin)
    assert '<h1 class="govuk-heading-l">Add a user</h1>' in client.get(NEW).content.decode()
    html = client.get(edit_url(officer)).content.decode()
    assert '<h1 class="govuk-heading-l">Change officer</h1>' in html
