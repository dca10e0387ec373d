"""The writes: every edit is saved only from the copy it was made from; references are
allocated in series; a visit is added without a version; the import writes in batches."""

import datetime as dt

import pytest

from safeguarding.core.models import AuditEvent
from safeguarding.core.writes import RecordInvalid, StaleRecord
from safeguarding.private_fostering import services
from safeguarding.private_fostering.models import Notification

from .conftest import visit_made

EDITS = {
    "notification_update": lambda n, version, user: services.notification_update(
        acting_user=user, notification=n, expected_version=version, carer_name="Someone Else"
    ),
    "arrangement_update": lambda n, version, user: services.arrangement_update(
        acting_user=user,
        notification=n,
        expected_version=version,
        arrangement_start_date=dt.date(2016, 5, 9),
        arrangement_end_date=dt.date(2016, 7, 1),
        end_reason="returned_home",
    ),
    "assessment_record": lambda n, version, user: services.assessment_record(
        acting_user=user,
        notification=n,
        expected_version=version,
        assessment_date=dt.date(2016, 6, 1),
        assessment_checks=["dbs_carer"],
        assessment_decision="suitable",
    ),
}


def stored(notification):
    n = Notification.objects.get(pk=notification.pk)
    return (n.version, n.carer_name, n.arrangement_end_date, n.assessment_decision)


@pytest.mark.django_db
@pytest.mark.parametrize("edit", EDITS)
def test_an_edit_without_its_version_is_refused_and_changes_nothing(edit, pf_officer, notification):
    before, events = stored(notification), AuditEvent.objects.count()
    with pytest.raises(StaleRecord, match="does not say which copy"):
        EDITS[edit](notification, None, pf_officer)
    assert stored(notification) == before
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
@pytest.mark.parametrize("edit", EDITS)
def test_an_edit_from_a_stale_copy_is_refused_and_changes_nothing(edit, pf_officer, notification):
    opened = notification.version
    services.notification_update(  # a colleague saves first
        acting_user=pf_officer,
        notification=notification,
        expected_version=opened,
        summary="Record changed",
        carer_name="Colleague's Change",
    )
    before = stored(notification)
    with pytest.raises(StaleRecord, match="Someone else changed this record"):
        EDITS[edit](notification, opened, pf_officer)
    assert stored(notification) == before
    assert before[1] == "Colleague's Change"


@pytest.mark.django_db
@pytest.mark.parametrize("edit", EDITS)
def test_an_edit_from_the_current_copy_is_saved_with_a_new_version(edit, pf_officer, notification):
    before = stored(notification)
    EDITS[edit](notification, notification.version, pf_officer)
    after = stored(notification)
    assert after[0] == before[0] + 1 and after[1:] != before[1:]


@pytest.mark.django_db
def test_references_run_in_series_per_financial_year(pf_officer):
    def create(day):
        return services.notification_create(
            acting_user=pf_officer,
            notification_date=day,
            carer_relationship="family_friend",
            category="other",
        ).reference

    assert create(dt.date(2016, 5, 1)) == "PF-2016-17-0001"
    assert create(dt.date(2016, 6, 1)) == "PF-2016-17-0002"
    assert create(dt.date(2017, 4, 1)) == "PF-2017-18-0001"
    assert Notification.objects.get(reference="PF-2016-17-0001").owning_agency == (
        pf_officer.agency
    )


@pytest.mark.django_db
def test_a_given_reference_already_used_is_named(pf_officer, notification):
    with pytest.raises(RecordInvalid, match="already used"):
        services.notification_create(
            acting_user=pf_officer,
            reference=notification.reference,
            notification_date=dt.date(2016, 5, 1),
            carer_relationship="family_friend",
            category="other",
        )


@pytest.mark.django_db
def test_the_first_visit_is_scheduled_in_the_creating_audit_row(pf_officer):
    n = services.notification_create(
        acting_user=pf_officer,
        notification_date=dt.date(2016, 5, 3),
        child_date_of_birth=dt.date(2012, 2, 1),
        carer_relationship="host_family",
        intended_duration_days=300,
        arrangement_start_date=dt.date(2016, 5, 9),
        category="language_student",
    )
    # Notified on 3 May of an arrangement beginning on 9 May: the reg 4 visit, 7 working
    # days from the notification.
    assert list(n.visits.values_list("sequence", "rule", "due_date")) == [
        (1, "reg4", dt.date(2016, 5, 12))
    ]
    event = AuditEvent.objects.get(object_id=str(n.pk))
    assert event.action == "create"
    assert event.changes["visit schedule"] == [None, "visit 1 scheduled, due by 12/05/2016"]


@pytest.mark.django_db
def test_a_visit_needs_no_version_and_moves_the_version_on(pf_officer, notification):
    version = notification.version
    visit = visit_made(pf_officer, notification)
    assert visit.sequence == 1 and visit.on_time
    assert Notification.objects.get(pk=notification.pk).version == version + 1
    # The copy an edit form was opened from is now stale.
    with pytest.raises(StaleRecord):
        services.notification_update(
            acting_user=pf_officer,
            notification=notification,
            expected_version=version,
            carer_name="Too Late",
        )
