"""Clearing the LADO search held in the session (POST only)."""

import pytest
from django.urls import reverse

URL = reverse("lado:search_clear")
LIST = reverse("lado:list")


@pytest.mark.parametrize("who", ["officer", "owner", "outsider"])
def test_clearing_forgets_the_search_and_returns_to_the_list(client_for, lado_case, who, request):
    client = client_for(request.getfixturevalue(who))
    client.post(LIST, {"q": "Quartermaine"})
    assert client.session["lado_search"] == "Quartermaine"
    response = client.post(URL)
    assert response.status_code == 302
    assert response["Location"] == LIST
    assert "lado_search" not in client.session
    assert not client.get(LIST).context["searching"]


def test_clearing_without_a_search_is_harmless(client_for, officer):
    assert client_for(officer).post(URL).status_code == 302


@pytest.mark.parametrize("who", ["reader", "admin"])
def test_reader_and_administrator_get_403(client_for, who, request):
    assert client_for(request.getfixturevalue(who)).post(URL).status_code == 403


def test_anonymous_is_sent_to_sign_in(client_for, db):
    response = client_for(None).post(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={URL}"


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_wrong_method_gets_405(client_for, officer, method):
    assert getattr(client_for(officer), method)(URL).status_code == 405
