"""Tamper evidence: every audit and access row carries a hash chained to the row before,
`safeguarding audit verify` reports the first broken link, and the application can never
change or delete a row."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from safeguarding.core import chain
from safeguarding.core.audit import insert_events, record_access, record_event
from safeguarding.core.models import AccessEvent, AuditEvent, ChainHead, ImmutableRow


@pytest.fixture
def events(db, officer):
    with transaction.atomic():
        for n in range(5):
            record_event(actor=officer, action="test", module="lado", summary=f"change {n}")
    for n in range(3):
        record_access(user=officer, module="lado", detail=f"look {n}")
    return list(AuditEvent.objects.filter(action="test").order_by("seq"))


def _sql(statement, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_every_row_is_chained_and_the_chain_holds(events):
    seqs = [e.seq for e in events]
    assert seqs == list(range(seqs[0], seqs[0] + 5))
    assert all(len(e.hash) == 64 for e in events)
    assert [v.intact for v in chain.verify_all()] == [True, True]


def test_a_changed_row_breaks_the_chain_at_that_row(events):
    _sql("UPDATE core_auditevent SET summary = %s WHERE id = %s", "nothing", events[2].pk)
    verdict = chain.verify(AuditEvent)
    assert (verdict.intact, verdict.broken_at, verdict.row_id) == (
        False,
        events[2].seq,
        events[2].pk,
    )
    assert "do not match" in str(verdict)


def test_a_row_rehashed_after_a_change_breaks_the_next_link(events):
    """Someone who recomputes the changed row's own hash still breaks the row after it."""
    row = events[1]
    forged = chain.link(events[0].hash, row.seq, ["2016-01-01T00:00:00.000000"] + [""] * 7)
    _sql("UPDATE core_auditevent SET summary = '', hash = %s WHERE id = %s", forged, row.pk)
    assert chain.verify(AuditEvent).broken_at in (row.seq, events[2].seq)


def test_a_deleted_row_in_the_middle_is_found(events):
    _sql("DELETE FROM core_auditevent WHERE id = %s", events[2].pk)
    verdict = chain.verify(AuditEvent)
    assert verdict.broken_at == events[2].seq
    assert "missing" in verdict.reason


def test_deleted_last_rows_are_found_from_the_head(events):
    _sql("DELETE FROM core_auditevent WHERE id = %s", events[-1].pk)
    verdict = chain.verify(AuditEvent)
    assert not verdict.intact
    assert "missing" in verdict.reason


def test_a_changed_access_row_is_found(events):
    row = AccessEvent.objects.order_by("seq")[1]
    _sql("UPDATE core_accessevent SET user_label = 'someone else' WHERE id = %s", row.pk)
    assert chain.verify(AccessEvent).broken_at == row.seq


def test_bulk_inserted_rows_are_chained(events, officer):
    with transaction.atomic():
        insert_events(
            actor=officer,
            action="import",
            module="missing",
            object_type="missing.episode",
            rows=[(n, {"a": [None, n]}, "Imported") for n in range(1, 4)],
        )
    assert chain.verify(AuditEvent).intact
    assert ChainHead.objects.get(name="audit").seq == AuditEvent.objects.count()


def test_a_rolled_back_write_leaves_the_chain_whole(events, officer):
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(actor=officer, action="test", module="lado", summary="undone")
        raise RuntimeError
    record_event(actor=officer, action="test", module="lado", summary="after")
    assert chain.verify(AuditEvent).intact


def test_the_application_cannot_change_or_delete_a_row(events):
    row = events[0]
    row.summary = "rewritten"
    with pytest.raises(ImmutableRow):
        row.save()
    with pytest.raises(ImmutableRow):
        row.delete()
    with pytest.raises(ImmutableRow):
        AuditEvent.objects.filter(pk=row.pk).update(summary="rewritten")
    with pytest.raises(ImmutableRow):
        AuditEvent.objects.all().delete()
    with pytest.raises(ImmutableRow):
        AccessEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=row.pk).summary == "change 0"


def test_the_verify_command(events, capsys):
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert "audit log: " in out and "chain intact" in out
    _sql("UPDATE core_auditevent SET action = 'x' WHERE id = %s", events[3].pk)
    with pytest.raises(CommandError) as failed:
        call_command("audit", "verify")
    assert failed.value.returncode == 1
    assert f"audit log: chain broken at row {events[3].seq} (id {events[3].pk})" in (
        capsys.readouterr().err
    )
