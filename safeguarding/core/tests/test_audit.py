"""The change history (core/audit.py): who changed what, written with the change."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from safeguarding.core import audit
from safeguarding.core.models import AccessEvent, Agency, AuditEvent, User


@pytest.fixture
def person(db):
    agency = Agency.objects.create(name="Lewisham Police", sector="police")
    return User(email="pat@example.org", full_name="Pat Jones", agency=agency)


@pytest.fixture
def saved_person(person):
    person.set_unusable_password()
    person.save()
    return person


def test_changes_name_each_field_with_old_and_new_values():
    before = {"a": 1, "b": "x", "c": None}
    after = {"a": 1, "b": "y", "c": "2016-05-03", "d": False}
    assert audit.changes_between(before, after) == {
        "b": ["x", "y"],
        "c": [None, "2016-05-03"],
        "d": [None, False],
    }
    assert audit.changes_between(after, after) == {}


def test_snapshots_are_plain_json_values(db):
    agency = Agency.objects.create(name="Hillside Academy", sector="education")

    class Thing:
        day = dt.date(2016, 5, 3)
        moment = dt.datetime(2016, 5, 3, 14, 30)
        money = Decimal("12.50")
        owner = agency
        tags = ("a", dt.date(2017, 1, 1))
        count = 3

    shot = audit.snapshot(Thing(), ["day", "moment", "money", "owner", "tags", "count"])
    assert shot == {
        "day": "2016-05-03",
        "moment": "2016-05-03T14:30:00",
        "money": "12.50",
        "owner": "Hillside Academy",
        "tags": ["a", "2017-01-01"],
        "count": 3,
    }


def test_an_event_records_the_person_or_the_system(saved_person):
    agency = saved_person.agency
    with transaction.atomic():
        event = audit.record_event(
            actor=saved_person,
            action="update",
            obj=agency,
            module="core",
            changes={"name": ["Old", "New"]},
            summary="Renamed " * 100,
        )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == saved_person
    assert stored.actor_label == "Pat Jones <pat@example.org>"
    assert (stored.object_type, stored.object_id) == ("core.agency", str(agency.pk))
    assert stored.changes == {"name": ["Old", "New"]}
    assert len(stored.summary) == 300
    system = audit.build_event(actor=None, action="import", obj=agency)
    assert (system.actor, system.actor_label) == (None, "system")


# A real transaction (not the test's wrapping one); serialized_rollback restores the rows
# that data migrations put in the database, for the tests that run after this one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_event_is_written_only_inside_the_change_transaction():
    agency = Agency.objects.create(name="Lewisham Police", sector="police")
    with pytest.raises(RuntimeError, match="inside the change's transaction"):
        audit.record_event(actor=None, action="update", obj=agency)
    assert AuditEvent.objects.count() == 0

    # A change that fails after its event was written leaves no event.
    with pytest.raises(ValueError), transaction.atomic():
        audit.record_event(actor=None, action="update", obj=agency, changes={"x": [1, 2]})
        raise ValueError("the change itself failed")
    assert AuditEvent.objects.count() == 0

    with transaction.atomic():
        audit.record_event(actor=None, action="update", obj=agency)
    assert AuditEvent.objects.count() == 1


def test_history_is_newest_first_and_only_for_that_record(db):
    one = Agency.objects.create(name="One", sector="police")
    two = Agency.objects.create(name="Two", sector="police")
    with transaction.atomic():
        first = audit.record_event(actor=None, action="create", obj=one)
        audit.record_event(actor=None, action="create", obj=two)
        second = audit.record_event(actor=None, action="update", obj=one)
    assert list(audit.history_for(one)) == [second, first]
    assert {e.object_id for e in audit.history_for_many([one, two])} == {
        str(one.pk),
        str(two.pk),
    }
    assert list(audit.history_for_many([])) == []


def test_record_access_notes_who_saw_what(saved_person):
    agency = saved_person.agency
    audit.record_access(user=saved_person, module="lado", kind="export", obj=agency, detail="x")
    access = AccessEvent.objects.get()
    assert (access.user, access.kind, access.module) == (saved_person, "export", "lado")
    assert access.object_id == str(agency.pk)
    assert access.user_label == "Pat Jones <pat@example.org>"


def test_sign_in_and_sign_out_are_recorded_without_the_attempted_email(client, saved_person):
    client.force_login(saved_person)
    client.logout()
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "actor"))
    assert actions == [("sign_in", saved_person.pk), ("sign_out", saved_person.pk)]
    from django.contrib.auth.signals import user_login_failed

    user_login_failed.send(sender=User, credentials={"username": "typo@example.org"})
    failed = AuditEvent.objects.get(action="sign_in_failed")
    assert "typo@example.org" not in failed.summary + failed.actor_label + str(failed.changes)
