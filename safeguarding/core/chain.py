"""Tamper evidence for the audit and access logs: each row carries a hash chained to the
row before it.

A row's ``hash`` is SHA-256 over the previous row's hash and the row's own contents (its
place ``seq``, time, who, what, which record, the change or detail). Changing a row,
deleting one, or slipping one in between breaks every later link, and
``safeguarding audit verify`` reports the first broken one. Rows are sealed as they are
written, inside the writer's transaction, with the chain's head row locked, so two
writers never fork the chain (a transaction that rolls back takes its links with it).

What is hashed is text that reads back from the database exactly as it was written: the
actor's label rather than the user id (a deleted user sets the id to null), the time in
UTC to the microsecond, the change as canonical JSON.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import transaction

from .models import AccessEvent, AuditEvent, ChainHead

# Each chained log: its head's name and the fields its hash covers, in order.
CHAINS = {
    AuditEvent: (
        "audit",
        (
            "at",
            "actor_label",
            "action",
            "module",
            "object_type",
            "object_id",
            "changes",
            "summary",
        ),
    ),
    AccessEvent: (
        "access",
        ("at", "user_label", "kind", "module", "object_type", "object_id", "detail"),
    ),
}


def _text(value) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return "" if value is None else str(value)


def link(previous: str, seq: int, values: Iterable) -> str:
    """The hash of one row: the previous row's hash, its place and its contents."""
    digest = hashlib.sha256(previous.encode())
    digest.update(b"\x1e" + str(seq).encode())
    for value in values:
        digest.update(b"\x1f" + _text(value).encode())
    return digest.hexdigest()


def _head(model) -> ChainHead:
    name = CHAINS[model][0]
    head = ChainHead.objects.select_for_update().filter(name=name).first()
    return head or ChainHead.objects.create(name=name)


def seal(model, rows: list) -> None:
    """Give each row (model instances, not yet saved) its place and hash, and move the
    head on. Call it inside the transaction that saves the rows, just before saving."""
    if not rows:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("seal() must run inside the transaction that writes the rows")
    fields = CHAINS[model][1]
    head = _head(model)
    seq, previous = head.seq, head.hash
    for row in rows:
        seq += 1
        row.seq = seq
        row.hash = previous = link(previous, seq, (getattr(row, f) for f in fields))
    ChainHead.objects.filter(name=head.name).update(seq=seq, hash=previous)


def seal_values(model, rows: list[dict]) -> list[dict]:
    """The same for rows given as dicts of field values (the bulk insert path): each dict
    gets ``seq`` and ``hash``."""
    if not rows:
        return rows
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("seal_values() must run inside the transaction that writes the rows")
    fields = CHAINS[model][1]
    head = _head(model)
    seq, previous = head.seq, head.hash
    for row in rows:
        seq += 1
        row["seq"] = seq
        row["hash"] = previous = link(previous, seq, (row[f] for f in fields))
    ChainHead.objects.filter(name=head.name).update(seq=seq, hash=previous)
    return rows


@dataclass(frozen=True)
class Verdict:
    log: str
    rows: int
    broken_at: int | None = None  # the seq of the first row whose link does not hold
    row_id: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None

    def __str__(self) -> str:
        if self.intact:
            return f"{self.log} log: {self.rows} rows, chain intact"
        where = f"row {self.broken_at}" + (f" (id {self.row_id})" if self.row_id else "")
        return f"{self.log} log: chain broken at {where}: {self.reason}"


def _rows(model) -> Iterator[tuple]:
    fields = CHAINS[model][1]
    return (
        model.objects.order_by("seq", "id")
        .values_list("id", "seq", "hash", *fields)
        .iterator(chunk_size=2000)
    )


def verify(model) -> Verdict:
    """Walk the chain from its first row; the first row that breaks it, if any."""
    name = CHAINS[model][0]
    previous, expected, count = "", 1, 0
    for row_id, seq, stored, *values in _rows(model):
        count += 1
        if seq is None:
            return Verdict(name, count, expected, row_id, "the row has no place in the chain")
        if seq != expected:
            return Verdict(
                name, count, expected, row_id, f"row {expected} is missing (next is {seq})"
            )
        if link(previous, seq, values) != stored:
            return Verdict(name, count, seq, row_id, "its contents do not match its hash")
        previous, expected = stored, expected + 1
    head = ChainHead.objects.filter(name=name).first()
    if head is not None and (head.seq != expected - 1 or head.hash != previous):
        return Verdict(
            name,
            count,
            expected,
            None,
            f"the chain should run to row {head.seq}: the rows after {expected - 1} are missing",
        )
    return Verdict(name, count)


def verify_all() -> list[Verdict]:
    return [verify(model) for model in CHAINS]
