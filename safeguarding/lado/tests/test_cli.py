"""The `safeguarding` console script as another tool would run it: a real process, a real
SQLite file chosen by DATABASE_URL, exit status and the text on stdout and stderr.

Kept to a few processes: each one starts Django from scratch.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from safeguarding.lado.codes import SECTOR_CODES

SCRIPT = Path(sys.executable).with_name("safeguarding")
PROBLEM_LINE = re.compile(r"row \d+, column [^:]+: .+")
COLUMNS = [
    "reference",
    "contact_date",
    "threshold_met",
    "referral_date",
    "employer_sector",
    "allegation_category",
    "strategy_meeting_date",
    "outcome",
    "outcome_date",
    "subject_role",
]
ROWS = [
    [
        "L-1",
        "2016-04-01",
        "yes",
        "",
        "primary_school",
        "physical",
        "2016-04-05",
        "substantiated",
        "2016-06-01",
        "Teacher",
    ],
    ["L-2", "2016-06-30", "yes", "2016-07-01", "health", "", "", "pending", "", "Nurse"],
    [
        "L-3",
        "2017-03-31",
        "yes",
        "2017-03-31",
        "health",
        "sexual",
        "",
        "unfounded",
        "2017-03-31",
        "",
    ],
    ["A-1", "2016-09-01", "no", "", "faith", "", "", "", "", "Volunteer"],
]


def csv_bytes(rows, newline="\r\n", bom=True) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode()


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """One migrated SQLite database for the module; each test works on a copy."""
    folder = tmp_path_factory.mktemp("cli")
    database = folder / "template.sqlite3"
    result = subprocess.run(
        [str(SCRIPT), "migrate", "--noinput"],
        env=environment(folder, database),
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return database


def environment(folder: Path, database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        SAFEGUARDING_DATA_DIR=str(folder),
        SAFEGUARDING_SECRET_KEY="cli-test-secret-key-not-for-production",
    )
    return env


@pytest.fixture
def cli(migrated, tmp_path):
    database = tmp_path / "safeguarding.sqlite3"
    shutil.copy(migrated, database)

    def run(*args):
        return subprocess.run(
            [str(SCRIPT), *args],
            env=environment(tmp_path, database),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )

    run.database = database
    return run


def table(database: Path, sql: str):
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


def everything(database: Path):
    return (
        table(database, "SELECT * FROM lado_case ORDER BY reference"),
        table(database, "SELECT * FROM lado_meeting ORDER BY id"),
        table(database, "SELECT * FROM core_auditevent ORDER BY id"),
    )


def test_import_contract_and_report_through_the_console_script(cli, tmp_path):
    path = tmp_path / "lado.csv"
    path.write_bytes(csv_bytes(ROWS))  # a BOM and Windows line endings, as Excel saves them
    first = cli("import", "lado", str(path))
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""
    assert first.stdout.strip() == "4 rows checked: 4 were created, 0 were updated, 0 unchanged"
    stored = table(
        cli.database,
        "SELECT reference, referral_date, outcome, is_open FROM lado_case ORDER BY reference",
    )
    assert stored == [
        ("A-1", None, "", 0),
        ("L-1", "2016-04-01", "substantiated", 0),
        ("L-2", "2016-07-01", "pending", 1),
        ("L-3", "2017-03-31", "unfounded", 0),
    ]
    before = everything(cli.database)

    # Importing the same file again changes nothing.
    again = cli("import", "lado", str(path))
    assert again.returncode == 0
    assert again.stdout.strip() == "4 rows checked: 0 were created, 0 were updated, 4 unchanged"
    assert everything(cli.database) == before

    # A file with bad rows (and an update to L-1) exits 2, prints only problem lines on
    # stderr, and leaves the database exactly as it was.
    bad_rows = [
        ["L-1", "2016-04-01", "yes", "", "primary_school", "", "", "malicious", "", "Changed"],
        ["L-9", "2016-13-45", "yes", "", "primary_school", "", "", "pending", "", ""],
        ["L-10", "2016-05-01", "no", "2016-05-02", "school", "", "", "", "", ""],
        ["L-9", "2016-05-01", "yes", "", "health", "", "", "", "", ""],
    ]
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(bad_rows, newline="\n", bom=False))
    result = cli("import", "lado", str(bad))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert all(PROBLEM_LINE.fullmatch(line) for line in lines), result.stderr
    codes = ", ".join(SECTOR_CODES)
    assert lines == [
        "row 3, column contact_date: '2016-13-45' is not a real date",
        f"row 4, column employer_sector: 'school' is not a known code; use one of: {codes}",
        "row 5, column outcome: is required when threshold_met is yes "
        "(use pending while the case is open)",
        "row 5, column reference: 'L-9' already appears in row 3",
    ]
    assert "4 problem(s): nothing was imported" in result.stdout
    assert everything(cli.database) == before

    report = cli("report", "lado", "--year", "2016-17", "--format", "json")
    assert report.returncode == 0, report.stderr
    figures = json.loads(report.stdout)
    assert figures["contacts"] == {"Q1": 2, "Q2": 1, "Q3": 0, "Q4": 1, "total": 4}
    assert figures["referrals"] == {"Q1": 1, "Q2": 1, "Q3": 0, "Q4": 1, "total": 3}
    assert figures["strategy_meetings"] == {"Q1": 1, "Q2": 0, "Q3": 0, "Q4": 0, "total": 1}
    assert figures["substantiated"]["total"] == 1
    assert figures["outcomes"]["total"] == figures["referrals"]["total"]
    assert figures["outcomes_by_sector"]["health"]["total"] == 2
