"""Import benchmark: N missing-episode rows through the import against a plain executemany.

The floor is what any import of these rows must do at the least, timed on rows already
parsed in memory (so it excludes reading the CSV): in one transaction, executemany the
children the file creates (reference, looked_after), read their ids back (one SELECT),
executemany the episodes, read their ids back (one SELECT), executemany the return
interviews; then roll back. It does not write audit rows; the import writes one per
created child and one per created episode, so those are part of what the ratio measures.

Memory: tracemalloc peak of dry runs (same code path, rolled back) of N/10 and N rows.
Run on its own: python -m bench.imports_missing [ROWS] (Django set up from the environment).
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import random
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
HEADER = [
    "reference",
    "child_reference",
    "looked_after",
    "episode_type",
    "start",
    "end",
    "return_interview_offered",
]
EPISODES_PER_CHILD = 5  # 15,000 episodes a year for 3,000 children
FIRST_DAY = dt.datetime(2010, 4, 1)


def write_csv(path: Path, rows: int, tag: str, seed: int = 1) -> None:
    """Valid rows, streamed to disk. Each child's episodes follow one another in time
    (never overlapping) over rows/15,000 years; only a child's last episode can still be
    open, so about 80% have an end; about 60% of those have an interview offer."""
    rng = random.Random(seed)
    children = max(1, rows // EPISODES_PER_CHILD)
    years = max(1.0, rows / 15_000)
    slot = dt.timedelta(days=365 * years / EPISODES_PER_CHILD)
    looked_after = [rng.random() < 0.4 for _ in range(children)]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for i in range(rows):
            child, k = i % children, i // children
            start = FIRST_DAY + k * slot + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 20))
            last = (i + children) >= rows
            end = offered = None
            if not last or rng.random() < 0.1:
                end = start + dt.timedelta(minutes=rng.randrange(30, 60 * 72))
                if rng.random() < 0.6:
                    offered = end + dt.timedelta(minutes=rng.randrange(60, 60 * 120))
            out.writerow(
                [
                    f"{tag}-E{i:07d}",
                    f"{tag}-C{child:06d}",
                    "yes" if looked_after[child] else "no",
                    "missing" if rng.random() < 0.8 else "absent",
                    f"{start:%Y-%m-%dT%H:%M}",
                    f"{end:%Y-%m-%dT%H:%M}" if end else "",
                    f"{offered:%Y-%m-%dT%H:%M}" if offered else "",
                ]
            )


def _floor_rows(path: Path, connection):
    """The CSV as parameter lists, parsed outside the timer."""
    ops = connection.ops

    def moment(text):
        if not text:
            return None
        value = dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)
        return ops.adapt_datetimefield_value(value)

    children, episodes, interviews = {}, [], []
    now = ops.adapt_datetimefield_value(dt.datetime.now(dt.UTC))
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        for ref, child, la, kind, start, end, offered in reader:
            children.setdefault(child, la == "yes")
            episodes.append([ref, child, la == "yes", kind, moment(start), moment(end), now])
            if offered:
                interviews.append((ref, moment(offered), now))
    return list(children.items()), episodes, interviews


def floor(path: Path) -> float:
    """Seconds to insert the rows with plain executemany in one transaction (rolled back)."""
    from django.db import connection, transaction

    from safeguarding.children.models import Child
    from safeguarding.missing.models import Episode, ReturnInterview

    children, episodes, interviews = _floor_rows(path, connection)
    child_t, ep_t, int_t = (m._meta.db_table for m in (Child, Episode, ReturnInterview))
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {child_t} (external_reference, looked_after, first_name, "
                "last_name, sex, ethnicity, home_area, version, created_at) "
                "VALUES (%s, %s, '', '', 'unknown', '', '', 1, %s)",
                [(ref, la, episodes[0][6]) for ref, la in children],
            )
            prefix = children[0][0].rsplit("-", 1)[0] + "-%"
            cursor.execute(
                f"SELECT external_reference, id FROM {child_t} WHERE external_reference LIKE %s",
                [prefix],
            )
            ids = dict(cursor.fetchall())
            cursor.executemany(
                f"INSERT INTO {ep_t} (reference, child_id, looked_after, episode_type, start, "
                '"end", where_found, police_reference, risk_level, version, created_at, '
                "updated_at) VALUES (%s, %s, %s, %s, %s, %s, '', '', '', 1, %s, %s)",
                [(r, ids[c], la, k, s, e, now, now) for r, c, la, k, s, e, now in episodes],
            )
            cursor.execute(
                f"SELECT reference, id FROM {ep_t} WHERE reference LIKE %s",
                [episodes[0][0].rsplit("-", 1)[0] + "-%"],
            )
            ids = dict(cursor.fetchall())
            cursor.executemany(
                f"INSERT INTO {int_t} (episode_id, offered_at, offered_by, response, "
                "disclosed_sexual_exploitation, disclosed_criminal_exploitation, "
                "disclosed_harm, disclosures, follow_up_actions, updated_at) "
                "VALUES (%s, %s, '', '', false, false, false, '', '', %s)",
                [(ids[ref], offered, now) for ref, offered, now in interviews],
            )
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def clean(tag: str) -> None:
    """Delete what an import of this tag wrote (audit rows too), so each run starts clean."""
    from django.db import connection, transaction

    from safeguarding.children.models import Child
    from safeguarding.core.models import AuditEvent
    from safeguarding.missing.models import Episode, ReturnInterview

    child_t, ep_t, int_t, audit_t = (
        m._meta.db_table for m in (Child, Episode, ReturnInterview, AuditEvent)
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for object_type, table, column in (
            ("missing.episode", ep_t, "reference"),
            ("children.child", child_t, "external_reference"),
        ):
            cursor.execute(
                f"DELETE FROM {audit_t} WHERE object_type = %s AND object_id IN "
                f"(SELECT CAST(id AS VARCHAR(64)) FROM {table} WHERE {column} LIKE %s)",
                [object_type, f"{tag}-%"],
            )
        cursor.execute(
            f"DELETE FROM {int_t} WHERE episode_id IN "
            f"(SELECT id FROM {ep_t} WHERE reference LIKE %s)",
            [f"{tag}-%"],
        )
        cursor.execute(f"DELETE FROM {ep_t} WHERE reference LIKE %s", [f"{tag}-%"])
        cursor.execute(f"DELETE FROM {child_t} WHERE external_reference LIKE %s", [f"{tag}-%"])


def _peak_mb(path: Path) -> float:
    from safeguarding.core.imports import run_import
    from safeguarding.missing.imports import MissingEpisodesImport

    gc.collect()
    tracemalloc.start()
    try:
        run_import(MissingEpisodesImport(), path, acting_user=None, dry_run=True)
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def run(rows: int = 100_000) -> dict:
    from safeguarding.core.imports import run_import
    from safeguarding.missing.imports import MissingEpisodesImport

    tag = f"BENCH{uuid.uuid4().hex[:8].upper()}"
    with tempfile.TemporaryDirectory() as tmp:
        path, small = Path(tmp) / "episodes.csv", Path(tmp) / "episodes-small.csv"
        write_csv(path, rows, tag)
        write_csv(small, max(1, rows // 10), tag + "S")
        try:
            floor_s = floor(path)
            clean(tag)
            started = time.perf_counter()
            result = run_import(MissingEpisodesImport(), path, acting_user=None)
            import_s = time.perf_counter() - started
            assert result.created == rows, result.summary()
            clean(tag)
            peak_small, peak = _peak_mb(small), _peak_mb(path)
        finally:
            clean(tag)
            clean(tag + "S")
    return {
        "missing-episodes": {
            "rows": rows,
            "import_s": import_s,
            "floor_s": floor_s,
            "ratio": import_s / floor_s,
            "peak_small_mb": peak_small,
            "peak_mb": peak,
        }
    }


if __name__ == "__main__":
    import json
    import os
    import sys

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.settings")
    import django

    django.setup()
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000), indent=2))
