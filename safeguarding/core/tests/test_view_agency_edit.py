"""Adding and changing partner agencies: administrators only, audited."""

import pytest
from django.urls import reverse

from safeguarding.core.models import Agency, AuditEvent

NEW = reverse("agency_create")


def edit_url(agency) -> str:
    return reverse("agency_edit", args=[agency.pk])


def test_the_administrator_gets_both_forms(client_for, admin, school):
    client = client_for(admin)
    assert client.get(NEW).status_code == 200
    response = client.get(edit_url(school))
    assert response.status_code == 200
    assert 'value="Brockley Rise Primary School"' in response.content.decode()


def test_the_administrator_adds_an_agency_and_it_is_audited(client_for, admin):
    response = client_for(admin).post(
        NEW,
        {"name": "Northbank Youth Offending Service", "sector": "youth_justice", "is_active": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin_home")
    agency = Agency.objects.get(name="Northbank Youth Offending Service")
    assert (agency.sector, agency.is_active) == ("youth_justice", True)
    event = AuditEvent.objects.get(object_type="core.agency")
    assert (event.actor, event.action, event.object_id) == (admin, "create", str(agency.pk))
    assert event.changes["name"] == [None, "Northbank Youth Offending Service"]


def test_changing_an_agency_is_audited_with_what_changed(client_for, admin, school):
    response = client_for(admin).post(
        edit_url(school),
        {"name": "Brockley Rise Primary Academy", "sector": "education", "version": 1},
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert (school.name, school.is_active) == ("Brockley Rise Primary Academy", False)
    event = AuditEvent.objects.get(object_type="core.agency", action="update")
    assert event.actor == admin
    assert event.changes == {
        "name": ["Brockley Rise Primary School", "Brockley Rise Primary Academy"],
        "is_active": [True, False],
    }


def test_a_save_without_changes_writes_no_audit_row(client_for, admin, school):
    client_for(admin).post(
        edit_url(school),
        {"name": school.name, "sector": school.sector, "is_active": "on", "version": 1},
    )
    assert not AuditEvent.objects.filter(object_type="core.agency").exists()
    school.refresh_from_db()
    assert school.version == 1  # saved as it was: not a new version either


def test_a_duplicate_name_or_unknown_sector_is_refused(client_for, admin, school):
    client = client_for(admin)
    response = client.post(NEW, {"name": "Brockley Rise Primary School", "sector": "education"})
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in response.content.decode()
    response = client.post(NEW, {"name": "Moon Base", "sector": "space"})
    assert response.status_code == 200
    assert Agency.objects.filter(name="Brockley Rise Primary School").count() == 1
    assert not Agency.objects.filter(name="Moon Base").exists()
    assert not AuditEvent.objects.filter(object_type="core.agency").exists()


def test_an_agency_that_does_not_exist_is_404(client_for, admin):
    assert client_for(admin).get(reverse("agency_edit", args=[999])).status_code == 404


@pytest.mark.parametrize("who", ["officer", "manager", "owner", "outsider", "reader"])
def test_module_roles_cannot_manage_agencies(client_for, school, who, request):
    client = client_for(request.getfixturevalue(who))
    assert client.get(NEW).status_code == 403
    response = client.post(edit_url(school), {"name": "Renamed", "sector": "education"})
    assert response.status_code == 403
    school.refresh_from_db()
    assert school.name == "Brockley Rise Primary School"


def test_anonymous_is_sent_to_sign_in(client_for, school):
    client = client_for(None)
    response = client.get(edit_url(school))
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={edit_url(school)}"
    client.post(NEW, {"name": "Anonymous agency", "sector": "other"})
    assert not Agency.objects.filter(name="Anonymous agency").exists()


@pytest.mark.parametrize("method", ["put", "delete"])
def test_wrong_method_gets_405(client_for, admin, school, method):
    assert getattr(client_for(admin), method)(edit_url(school)).status_code == 405


@pytest.mark.parametrize("version", [None, "-999", "0", "2"])
def test_a_missing_or_stale_version_is_refused_and_nothing_changes(
    client_for, admin, school, version
):
    """The defect: ``version=-999`` saved; so did a form without a version."""
    data = {"name": "Overwritten", "sector": "education", "is_active": "on"}
    if version is not None:
        data["version"] = version
    response = client_for(admin).post(edit_url(school), data)
    assert response.status_code == 200
    school.refresh_from_db()
    assert (school.name, school.version) == ("Brockley Rise Primary School", 1)
    assert not AuditEvent.objects.filter(object_type="core.agency").exists()
