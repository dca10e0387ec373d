"""Partnership administration: agencies and users, for administrators only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguarding.core.models import ModuleGrant, User

URL = reverse("admin_home")
NAME = "Zebedee Quartermaine"


def test_the_administrator_sees_agencies_users_and_grants(
    client_for, admin, officer, reader, school
):
    response = client_for(admin).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Brockley Rise Primary School" in html
    assert "officer@example.org" in html and "LADO allegations: officer" in html
    assert "reader@example.org" in html and "LADO allegations: reader" in html
    assert reverse("agency_edit", args=[school.pk]) in html
    assert reverse("user_edit", args=[officer.pk]) in html
    assert reverse("agency_create") in html and reverse("user_create") in html


def test_the_page_shows_no_case_records(client_for, admin, lado_case):
    assert NAME not in client_for(admin).get(URL).content.decode()


@pytest.mark.parametrize(
    "name, args",
    [
        ("lado:list", []),
        ("lado:create", []),
        ("lado:detail", ["pk"]),
        ("lado:edit", ["pk"]),
        ("lado:outcome", ["pk"]),
        ("lado:meeting_create", ["pk"]),
        ("lado:meeting_types", []),
        ("lado:import", []),
        ("lado:report", []),
        ("lado:report_chart", ["2016-17", "outcomes"]),
        ("lado:report_download", ["2016-17", "csv"]),
    ],
)
def test_being_an_administrator_opens_no_lado_page(client_for, admin, lado_case, name, args):
    """Separation of duties: administering users gives no access to case records."""
    url = reverse(name, args=[lado_case.pk if a == "pk" else a for a in args])
    response = client_for(admin).get(url)
    assert response.status_code in (403, 404)
    assert NAME not in response.content.decode()


def test_the_number_of_queries_does_not_grow_with_the_users(client_for, admin, council):
    client = client_for(admin)
    client.get(URL)  # the first request of a session does some one-off work
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for i in range(30):
        user = User.objects.create_user(
            email=f"person{i}@example.org", password=None, full_name=f"Person {i}", agency=council
        )
        ModuleGrant.objects.create(user=user, module="lado", role="reader")
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)


@pytest.mark.parametrize("who", ["officer", "manager", "owner", "outsider", "reader"])
def test_module_roles_give_no_administration(client_for, officer, who, request):
    user = request.getfixturevalue(who)
    response = client_for(user).get(URL)
    assert response.status_code == 403
    if user != officer:
        assert "officer@example.org" not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client_for, db):
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={URL}"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_wrong_method_gets_405(client_for, admin, method):
    assert getattr(client_for(admin), method)(URL).status_code == 405
