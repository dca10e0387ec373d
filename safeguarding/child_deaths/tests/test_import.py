"""The import contract: exit 2 with `row N, column C: message`, nothing written; a valid
file written in one go; a re-import is a no-op."""

import datetime as dt

import pytest
from django.core.management import call_command

from safeguarding.child_deaths import reports
from safeguarding.child_deaths.models import Death
from safeguarding.core.models import AuditEvent
from safeguarding.core.periods import FinancialYear

HEADER = (
    "reference,date_of_birth,date_of_death,sex,ethnicity,notification_date,expected,"
    "review_date,category,modifiable_factors"
)
GOOD = [
    "CD-1,2016-01-01,2016-01-10,male,BAFR,2016-01-11,yes,2016-06-01,8,no",
    "CD-2,2005-03-01,2016-07-01,female,WBRI,2016-07-02,no,,,",
    "CD-3,2016-02-29,2016-04-01,unknown,NOBT,2016-04-01,no,2016-10-01,10,insufficient",
]


def write(tmp_path, lines, name="deaths.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return str(path)


def run(path, *extra):
    call_command("import", "child-deaths", path, *extra)


def rejected(tmp_path, capsys, lines) -> list[str]:
    with pytest.raises(SystemExit) as exit_info:
        run(write(tmp_path, lines))
    assert exit_info.value.code == 2
    assert not Death.objects.exists()
    return capsys.readouterr().err.strip().splitlines()


def test_a_valid_file_is_imported_and_counts_in_the_report(db, tmp_path):
    run(write(tmp_path, GOOD))
    assert Death.objects.count() == 3
    d1 = Death.objects.get(reference="CD-1")
    assert (d1.age_band, d1.category, d1.modifiable_factors, d1.expected) == (
        "under_28_days", "8", "no", True,
    )  # fmt: skip
    report = reports.year_report(FinancialYear(2016))
    assert (report["notified"], report["reviewed"]) == (2, 2)  # CD-1 notified 2015-16
    assert report["category"]["10"] == 1


def test_a_reimport_changes_nothing_and_an_edit_updates_in_place(db, tmp_path):
    path = write(tmp_path, GOOD)
    run(path)
    events = AuditEvent.objects.count()
    run(path)
    assert Death.objects.count() == 3
    assert AuditEvent.objects.count() == events
    changed = GOOD[:1] + ["CD-2,2005-03-01,2016-07-01,female,WBRI,2016-07-02,no,2016-12-01,3,yes"]
    run(write(tmp_path, changed, "again.csv"))
    d2 = Death.objects.get(reference="CD-2")
    assert (d2.review_date, d2.category, d2.version) == (dt.date(2016, 12, 1), "3", 2)
    assert Death.objects.count() == 3


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("CD-9,2016-05-01,2016-04-01,male,BAFR,2016-05-02,no,,,", "row 2, column date_of_death:"),
        ("CD-9,1998-01-01,2016-04-01,male,BAFR,2016-04-02,no,,,", "row 2, column date_of_death:"),
        ("CD-9,2016-01-01,2016-04-01,male,BAFR,2016-03-31,no,,,",
         "row 2, column notification_date:"),
        ("CD-9,2016-01-01,2016-04-01,male,BAFR,2016-04-02,no,2016-04-01,8,no",
         "row 2, column review_date:"),
        ("CD-9,2016-01-01,2016-04-01,male,BAFR,2016-04-02,no,,8,", "row 2, column category:"),
        ("CD-9,2016-01-01,2016-04-01,male,BAFR,2016-04-02,no,2016-05-01,,no",
         "row 2, column category:"),
        ("CD-9,2016-01-01,2016-04-01,male,BAFR,2016-04-02,no,2016-05-01,11,no",
         "row 2, column category:"),
        ("CD-9,2016-01-01,2016-04-01,male,XXXX,2016-04-02,no,,,", "row 2, column ethnicity:"),
        ("CD-9,2016-01-01,2016-04-01,boy,BAFR,2016-04-02,no,,,", "row 2, column sex:"),
        ("CD-9,2016-01-01,2016-04-01,male,BAFR,2016-04-02,maybe,,,", "row 2, column expected:"),
        ("CD-9,2016-01-01,2099-04-01,male,BAFR,2099-04-02,no,,,", "row 2, column date_of_death:"),
        (",2016-01-01,2016-04-01,male,BAFR,2016-04-02,no,,,", "row 2, column reference:"),
        ("CD-9,2016-01-01,2016-04-01,male,BAFR,2016-04-02,no,,,yes",
         "row 2, column modifiable_factors:"),
    ],
)  # fmt: skip
def test_each_bad_row_is_named_and_nothing_is_written(db, tmp_path, capsys, line, expected):
    lines = rejected(tmp_path, capsys, [line])
    assert any(error.startswith(expected) for error in lines), lines


def test_one_bad_row_among_good_ones_writes_nothing_and_names_its_line(db, tmp_path, capsys):
    bad = "CD-4,2016-05-01,2016-04-01,male,BAFR,2016-05-02,no,,,"
    lines = rejected(tmp_path, capsys, [*GOOD, bad, GOOD[0]])
    assert any(line.startswith("row 5, column date_of_death:") for line in lines)
    assert any(line.startswith("row 6, column reference:") for line in lines)  # duplicate


def test_dry_run_writes_nothing(db, tmp_path):
    run(write(tmp_path, GOOD), "--dry-run")
    assert not Death.objects.exists()
