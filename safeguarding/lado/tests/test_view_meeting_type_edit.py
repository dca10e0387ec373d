"""Adding and changing a meeting type: managers only, audited with what changed."""

import pytest
from django.urls import reverse

from safeguarding.core.models import AuditEvent
from safeguarding.lado.models import MeetingType

NEW = reverse("lado:meeting_type_create")


@pytest.fixture
def strategy(db):
    return MeetingType.objects.create(name="Strategy meeting", order=1)


def edit_url(meeting_type) -> str:
    return reverse("lado:meeting_type_edit", args=[meeting_type.pk])


def test_manager_gets_both_forms(client_for, manager, strategy):
    client = client_for(manager)
    assert client.get(NEW).status_code == 200
    response = client.get(edit_url(strategy))
    assert response.status_code == 200
    assert 'value="Strategy meeting"' in response.content.decode()


def test_manager_adds_a_type_and_it_is_audited(client_for, manager):
    response = client_for(manager).post(
        NEW, {"name": "Allegation management meeting", "order": 2, "is_active": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("lado:meeting_types")
    added = MeetingType.objects.get()
    assert (added.name, added.order, added.is_active) == ("Allegation management meeting", 2, True)
    event = AuditEvent.objects.get(object_type="lado.meetingtype")
    assert (event.actor, event.action, event.object_id) == (manager, "create", str(added.pk))
    assert event.changes["name"] == [None, "Allegation management meeting"]


def test_manager_changes_a_type_and_the_audit_row_says_what_changed(client_for, manager, strategy):
    response = client_for(manager).post(
        edit_url(strategy), {"name": "Strategy discussion", "order": 1, "version": 1}
    )
    assert response.status_code == 302
    strategy.refresh_from_db()
    assert (strategy.name, strategy.is_active) == ("Strategy discussion", False)
    event = AuditEvent.objects.get(object_type="lado.meetingtype")
    assert event.action == "update"
    assert event.changes == {
        "name": ["Strategy meeting", "Strategy discussion"],
        "is_active": [True, False],
    }


def test_a_duplicate_name_is_refused(client_for, manager, strategy):
    response = client_for(manager).post(NEW, {"name": "Strategy meeting", "order": 3})
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert MeetingType.objects.count() == 1
    assert not AuditEvent.objects.filter(object_type="lado.meetingtype").exists()


def test_a_type_that_does_not_exist_is_404(client_for, manager, strategy):
    assert client_for(manager).get(reverse("lado:meeting_type_edit", args=[999])).status_code == 404


@pytest.mark.parametrize("who", ["officer", "owner", "outsider", "reader", "admin"])
def test_everyone_else_gets_403_and_changes_nothing(client_for, strategy, who, request):
    client = client_for(request.getfixturevalue(who))
    assert client.get(NEW).status_code == 403
    response = client.post(edit_url(strategy), {"name": "Renamed", "order": 1})
    assert response.status_code == 403
    strategy.refresh_from_db()
    assert strategy.name == "Strategy meeting"


def test_anonymous_is_sent_to_sign_in(client_for, strategy):
    client = client_for(None)
    response = client.get(edit_url(strategy))
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={edit_url(strategy)}"
    client.post(NEW, {"name": "Anonymous type", "order": 1})
    assert MeetingType.objects.count() == 1


@pytest.mark.parametrize("method", ["put", "delete"])
def test_wrong_method_gets_405(client_for, manager, strategy, method):
    assert getattr(client_for(manager), method)(edit_url(strategy)).status_code == 405
