"""The accessibility statement: public, read-only."""

import pytest
from django.urls import reverse

URL = reverse("accessibility")


def test_anyone_can_read_it(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert "ccessibility" in response.content.decode()


def test_signed_in_users_can_read_it_too(client_for, officer):
    assert client_for(officer).get(URL).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_wrong_method_gets_405(client, db, method):
    assert getattr(client, method)(URL).status_code == 405
