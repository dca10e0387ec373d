"""The reminder digest emailed to officers (run from cron)."""

import pytest
from django.core import mail
from django.core.management import call_command


@pytest.mark.django_db
def test_officers_get_a_digest_without_names(pf_officer, pf_owner, pf_reader, notification):
    call_command("private_fostering_reminders")
    assert [m.to for m in mail.outbox] == [[pf_officer.email]]
    body = mail.outbox[0].body
    assert notification.reference in body and "Overdue" in body
    assert "Zebedee" not in body


@pytest.mark.django_db
def test_nothing_due_sends_nothing(pf_officer, notification):
    notification.visits.all().delete()
    call_command("private_fostering_reminders")
    assert mail.outbox == []
