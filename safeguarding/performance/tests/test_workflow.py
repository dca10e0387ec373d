"""Data returns: open, enter, submit, send back, approve, correct after approval, chase."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail

from safeguarding.core.models import AuditEvent
from safeguarding.core.periods import Period
from safeguarding.core.writes import RecordInvalid, StaleRecord
from safeguarding.performance import services
from safeguarding.performance.models import DataReturn, IndicatorValue

from .conftest import enter_value


def test_opening_a_period_gives_one_return_per_owning_agency(lead, cgas, trust):
    opened = services.returns_open(acting_user=lead, period=Period.parse("2016-04"))
    assert [r.owning_agency for r in opened] == [trust]
    # A second time opens nothing more.
    assert services.returns_open(acting_user=lead, period=Period.parse("2016-04")) == []
    # A quarter opens no return for a monthly indicator.
    assert services.returns_open(acting_user=lead, period=Period.parse("2016-Q1")) == []


def test_cannot_submit_with_a_value_missing(trust_user, trust_return):
    with pytest.raises(RecordInvalid) as exc:
        services.return_submit(acting_user=trust_user, data_return=trust_return)
    assert "CAMHS-2" in str(exc.value)
    assert DataReturn.objects.get(pk=trust_return.pk).status == "open"


def test_submit_send_back_approve_and_correct(trust_user, bu_officer, cgas, trust, trust_return):
    enter_value(trust_user, cgas, trust_return, value=Decimal("98.4"), commentary="Above target")
    services.return_submit(acting_user=trust_user, data_return=trust_return)
    with pytest.raises(RecordInvalid):
        services.return_send_back(acting_user=bu_officer, data_return=trust_return, note=" ")
    services.return_send_back(
        acting_user=bu_officer, data_return=trust_return, note="Please add the numerator"
    )
    assert DataReturn.objects.get(pk=trust_return.pk).status == "sent_back"
    services.return_submit(acting_user=trust_user, data_return=trust_return)
    services.return_approve(acting_user=bu_officer, data_return=trust_return)
    approved = DataReturn.objects.get(pk=trust_return.pk)
    assert approved.status == "approved"
    stored = IndicatorValue.objects.get(indicator=cgas, period="2016-04")
    enter_value(
        bu_officer,
        cgas,
        approved,
        value=Decimal("97.9"),
        commentary="Above target",
        expected_version=stored.version,
    )
    value = IndicatorValue.objects.get(indicator=cgas, period="2016-04")
    assert value.value == Decimal("97.9")
    correction = AuditEvent.objects.filter(
        object_type="performance.indicatorvalue", object_id=str(value.pk)
    ).first()
    assert correction.summary == "Corrected after approval"
    assert correction.changes["value"] == ["98.4000", "97.9000"]


def test_only_a_submitted_return_can_be_approved(bu_officer, trust_return):
    with pytest.raises(RecordInvalid):
        services.return_approve(acting_user=bu_officer, data_return=trust_return)


def test_a_stale_value_is_refused(trust_user, cgas, trust, trust_return):
    value = enter_value(trust_user, cgas, trust_return)
    enter_value(trust_user, cgas, trust_return, value=Decimal(97), expected_version=value.version)
    with pytest.raises(StaleRecord):
        enter_value(
            trust_user, cgas, trust_return, value=Decimal(99), expected_version=value.version
        )
    assert IndicatorValue.objects.get(pk=value.pk).value == Decimal(97)


def test_a_correction_without_its_version_is_refused(trust_user, cgas, trust_return):
    value = enter_value(trust_user, cgas, trust_return)  # a new value needs no version
    assert value.version == 1
    with pytest.raises(StaleRecord) as exc:
        enter_value(trust_user, cgas, trust_return, value=Decimal(12))
    assert "CAMHS-2" in str(exc.value) and "reload the page" in str(exc.value)
    stored = IndicatorValue.objects.get(pk=value.pk)
    assert stored.value == Decimal(96) and stored.version == 1


def test_a_group_is_changed_only_from_its_version(lead, group):
    with pytest.raises(StaleRecord):
        services.group_save(acting_user=lead, group=group, name="Mental health and wellbeing")
    changed = services.group_save(
        acting_user=lead, group=group, name="Mental health and wellbeing", expected_version=1
    )
    assert changed.version == 2
    with pytest.raises(StaleRecord):
        services.group_save(acting_user=lead, group=group, name="Old name", expected_version=1)
    group.refresh_from_db()
    assert group.name == "Mental health and wellbeing"
    event = AuditEvent.objects.filter(object_type="performance.indicatorgroup").first()
    assert event.changes == {"name": ["Mental health", "Mental health and wellbeing"]}


def test_workflow_buttons_act_on_the_stored_return(bu_officer, trust_return, submitted_return):
    """A button carries no version: the service locks the return as stored and checks
    its status, so a stale page cannot approve a return that was sent back meanwhile."""
    services.return_send_back(acting_user=bu_officer, data_return=trust_return, note="Check it")
    # trust_return is the copy from before both changes.
    with pytest.raises(RecordInvalid) as exc:
        services.return_approve(acting_user=bu_officer, data_return=trust_return)
    assert "Only a submitted return" in str(exc.value)
    stored = DataReturn.objects.get(pk=trust_return.pk)
    assert stored.status == "sent_back" and stored.version == 3


def test_late_returns_are_detected_and_chased_by_email(bu_officer, trust_user, trust_return):
    due = trust_return.due_date
    assert list(services.late_returns(due)) == []
    assert list(services.late_returns(due + dt.timedelta(days=1))) == [trust_return]
    sent = services.returns_chase(acting_user=bu_officer, today=due + dt.timedelta(days=1))
    assert sent == 1
    assert mail.outbox[0].to == [trust_user.email]
    assert "2016-04" in mail.outbox[0].subject


def test_the_due_date_counts_working_days_after_the_period(settings):
    settings.PERFORMANCE_RETURN_WORKING_DAYS = 15
    # April 2016 ends on a Saturday; 15 working days later (2 May was a bank holiday).
    assert services.return_due_date(Period.parse("2016-04")) == dt.date(2016, 5, 23)
