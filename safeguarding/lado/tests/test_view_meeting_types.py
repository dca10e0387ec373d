"""The list of configurable meeting types: managers only (configuration)."""

import pytest
from django.urls import reverse

from safeguarding.lado.models import MeetingType

URL = reverse("lado:meeting_types")


@pytest.fixture
def types(db):
    return [
        MeetingType.objects.create(name="Strategy meeting", order=1),
        MeetingType.objects.create(name="Allegation management meeting", order=2),
        MeetingType.objects.create(name="Position of trust meeting", order=3, is_active=False),
    ]


def test_manager_sees_every_type_in_order(client_for, manager, types):
    response = client_for(manager).get(URL)
    assert response.status_code == 200
    assert list(response.context["types"]) == types
    html = response.content.decode()
    assert html.index("Strategy meeting") < html.index("Allegation management meeting")
    assert reverse("lado:meeting_type_edit", args=[types[2].pk]) in html


def test_the_list_page_offers_managers_the_link(client_for, manager, officer):
    assert URL in client_for(manager).get(reverse("lado:list")).content.decode()
    assert URL not in client_for(officer).get(reverse("lado:list")).content.decode()


@pytest.mark.parametrize("who", ["officer", "owner", "outsider", "reader", "admin"])
def test_everyone_else_gets_403(client_for, types, who, request):
    response = client_for(request.getfixturevalue(who)).get(URL)
    assert response.status_code == 403
    assert "Strategy meeting" not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client_for, types):
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={URL}"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_wrong_method_gets_405(client_for, manager, method):
    assert getattr(client_for(manager), method)(URL).status_code == 405
