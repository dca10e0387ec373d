"""The import engine (core/imports.py), independent of any one register.

A small schema importing partner agencies stands in for a register, so that the
engine's contract - read, validate every row, write all or nothing - is tested on
its own. The LADO tests cover the same contract through the real command.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from safeguarding.core import imports as engine
from safeguarding.core.imports import (
    Column,
    ImportRejected,
    ImportResult,
    ImportSchema,
    RowError,
    code,
    date_value,
    datetime_value,
    integer,
    read_rows,
    run_import,
    text,
    yes_no,
)
from safeguarding.core.models import AGENCY_SECTORS, Agency


class AgencyImport(ImportSchema):
    register = "agencies"
    key = "name"
    columns = [
        Column("name", text(50), required=True),
        Column("sector", code(AGENCY_SECTORS), required=True),
        Column("active", yes_no),
    ]

    def check_row(self, row):
        if row["sector"] == "police" and row["active"] is False:
            return [("active", "the police cannot be inactive")]
        return []

    def save_batch(self, rows, *, acting_user):
        created = updated = unchanged = 0
        for row in rows:
            active = row["active"] if row["active"] is not None else True
            agency = Agency.objects.filter(name=row["name"]).first()
            if agency is None:
                Agency.objects.create(name=row["name"], sector=row["sector"], is_active=active)
                created += 1
            elif (agency.sector, agency.is_active) != (row["sector"], active):
                agency.sector, agency.is_active = row["sector"], active
                agency.save()
                updated += 1
            else:
                unchanged += 1
        return created, updated, unchanged


def write(tmp_path, content: str | bytes, name="agencies.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)
    return path


def problems(path) -> list[str]:
    with pytest.raises(ImportRejected) as exc:
        run_import(AgencyImport(), path, acting_user=None)
    return [str(e) for e in exc.value.errors]


def agencies():
    return sorted(Agency.objects.values_list("name", "sector", "is_active"))


# ---- parsers ----------------------------------------------------------------------------


def test_date_value():
    assert date_value("2016-02-29") == dt.date(2016, 2, 29)
    for bad, message in [
        ("2017-02-29", "'2017-02-29' is not a real date"),
        ("2016-13-45", "'2016-13-45' is not a real date"),
        ("31/02/2017", "'31/02/2017' is not a date in the form YYYY-MM-DD"),
        ("2016-2-3", "'2016-2-3' is not a date in the form YYYY-MM-DD"),
        ("20160203", "'20160203' is not a date in the form YYYY-MM-DD"),
        ("2016-02-03T10:00", "is not a date in the form YYYY-MM-DD"),
        ("\u0662\u0660\u0661\u0666-02-03", "is not a date in the form YYYY-MM-DD"),
    ]:
        with pytest.raises(engine.CellError, match=message):
            date_value(bad)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(engine.CellError, match="is in the future"):
        date_value(tomorrow.isoformat())
    assert date_value(dt.date.today().isoformat()) == dt.date.today()


def test_datetime_value():
    assert datetime_value("2016-05-03T14:30") == dt.datetime(2016, 5, 3, 14, 30)
    assert datetime_value("2016-05-03 14:30:15") == dt.datetime(2016, 5, 3, 14, 30, 15)
    with pytest.raises(engine.CellError, match="not a real date and time"):
        datetime_value("2016-05-03T25:00")
    with pytest.raises(engine.CellError, match="form YYYY-MM-DDTHH:MM"):
        datetime_value("2016-05-03")
    with pytest.raises(engine.CellError, match="in the future"):
        datetime_value(f"{dt.date.today() + dt.timedelta(days=1)}T00:00")


def test_yes_no_code_integer_and_text():
    assert [yes_no(v) for v in ("yes", "Y", "TRUE", "no", "n", "False")] == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    with pytest.raises(engine.CellError, match="'1' must be yes or no"):
        yes_no("1")
    sectors = code(AGENCY_SECTORS)
    assert sectors("police") == "police"
    with pytest.raises(engine.CellError, match="'Police' is not a known code; use one of: "):
        sectors("Police")
    assert code(["a", "b"])("b") == "b"
    count = integer(minimum=0, maximum=10)
    assert count("7") == 7
    with pytest.raises(engine.CellError, match="'7.5' is not a whole number"):
        count("7.5")
    with pytest.raises(engine.CellError, match="-1 is below 0"):
        count("-1")
    with pytest.raises(engine.CellError, match="11 is above 10"):
        count("11")
    assert text(3)("abc") == "abc"
    with pytest.raises(engine.CellError, match="is longer than 3 characters"):
        text(3)("abcd")


def test_problem_lines_and_summaries():
    assert str(RowError(12, "contact_date", "is required")) == (
        "row 12, column contact_date: is required"
    )
    assert ImportResult(rows=3, created=1, updated=1, unchanged=1).summary() == (
        "3 rows checked: 1 were created, 1 were updated, 1 unchanged"
    )
    assert ImportResult(rows=2, created=2, dry_run=True).summary() == (
        "2 rows checked: 2 would be created, 0 would be updated, 0 unchanged"
    )


# ---- reading ----------------------------------------------------------------------------


def test_csv_rows_are_numbered_by_the_line_they_start_on(tmp_path):
    path = write(tmp_path, 'a,b\r\n\r\n"two\r\nlines",x\r\nlast , row \r\n')
    assert list(read_rows(path)) == [
        (1, ["a", "b"]),
        (2, []),
        (3, ["two\r\nlines", "x"]),
        (5, ["last", "row"]),
    ]


def test_old_mac_line_endings_are_lines_too(tmp_path):
    path = write(tmp_path, "a,b\r1,2\r3,4\r")
    assert list(read_rows(path)) == [(1, ["a", "b"]), (2, ["1", "2"]), (3, ["3", "4"])]


def test_unicode_line_separators_stay_inside_their_cell(tmp_path):
    path = write(tmp_path, "a,b\nx\u2028y,p\x0cq\u0085r\nlast,row\n")
    assert list(read_rows(path)) == [
        (1, ["a", "b"]),
        (2, ["x\u2028y", "p\x0cq\u0085r"]),
        (3, ["last", "row"]),
    ]


def test_a_byte_order_mark_is_not_part_of_the_first_column(tmp_path):
    path = write(tmp_path, b"\xef\xbb\xbfname,sector\n")
    assert list(read_rows(path)) == [(1, ["name", "sector"])]


def test_a_byte_that_is_not_utf8_is_named_by_its_line(tmp_path):
    lines = ["name,sector"] + [f"Agency {i},police" for i in range(3000)]
    lines[2500] = "Caf\xe9,police"
    path = write(tmp_path, "\r\n".join(lines).encode("latin-1"))
    assert problems(path) == [
        "row 2501, column -: the file is not UTF-8 text (save it as CSV UTF-8)"
    ]


def test_a_cell_too_big_for_the_csv_reader_is_a_problem_not_a_crash(tmp_path, db):
    path = write(tmp_path, "name,sector\nA,police\n" + "B" * 200_000 + ",police\n")
    (found,) = problems(path)
    assert found.startswith("row 3, column -: unreadable CSV: field larger than field limit")
    assert agencies() == []


def test_xlsx_cells_are_read_as_text(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "when", "count", "ratio", "flag", None])
    sheet.append([" Padded ", dt.datetime(2016, 5, 3, 0, 0), 5.0, 2.5, True, None])
    sheet.append(["Timed", dt.datetime(2016, 5, 3, 14, 30), 7, None, False, None])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    rows = list(read_rows(path))
    assert rows[0] == (1, ["name", "when", "count", "ratio", "flag", ""])
    assert rows[1] == (2, ["Padded", "2016-05-03", "5", "2.5", "True", ""])
    assert rows[2] == (3, ["Timed", "2016-05-03T14:30", "7", "", "False", ""])


@pytest.mark.parametrize("name", ["a.txt", "a.xls", "a.json", "a"])
def test_only_csv_and_xlsx_are_read(tmp_path, name):
    path = write(tmp_path, "name,sector\n", name)
    with pytest.raises(ImportRejected) as exc:
        read_rows(path)
    assert "the file must be .csv or .xlsx" in str(exc.value.errors[0])


# ---- all or nothing ---------------------------------------------------------------------


def test_a_valid_file_is_written_and_a_reimport_changes_nothing(tmp_path, db):
    path = write(tmp_path, "Name,SECTOR,active\nPolice,police,yes\nSchool,education,\n")
    result = run_import(AgencyImport(), path, acting_user=None)
    assert (result.rows, result.created, result.updated, result.unchanged) == (2, 2, 0, 0)
    assert agencies() == [("Police", "police", True), ("School", "education", True)]
    again = run_import(AgencyImport(), path, acting_user=None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_one_bad_row_writes_nothing(tmp_path, db):
    Agency.objects.create(name="School", sector="education")
    before = agencies()
    path = write(tmp_path, "name,sector,active\nPolice,police,yes\nSchool,health,no\nX,pub,\n")
    assert problems(path) == [
        "row 4, column sector: 'pub' is not a known code; use one of: "
        + ", ".join(c for c, _ in AGENCY_SECTORS)
    ]
    assert agencies() == before


def test_rules_across_columns_run_only_on_rows_that_parse(tmp_path, db):
    path = write(tmp_path, "name,sector,active\nA,police,no\nB,police,maybe\n")
    assert problems(path) == [
        "row 2, column active: the police cannot be inactive",
        "row 3, column active: 'maybe' must be yes or no",
    ]


def test_a_key_twice_in_the_file_is_refused(tmp_path, db):
    path = write(tmp_path, "name,sector\nA,police\nB,police\nA,health\n")
    assert problems(path) == ["row 4, column name: 'A' already appears in row 2"]
    assert agencies() == []


def test_header_problems_stop_before_the_rows(tmp_path, db):
    path = write(tmp_path, "\n\nnombre,sector,sector\nA,nowhere\n")
    assert problems(path) == [
        "row 3, column nombre: unknown column 'nombre'; expected: name, sector, active",
        "row 3, column sector: this column appears twice",
        "row 3, column name: required column is missing",
    ]


def test_empty_and_header_only_files(tmp_path, db):
    assert problems(write(tmp_path, "")) == [
        "row 1, column -: the file is empty: expected a header row"
    ]
    assert problems(write(tmp_path, "name,sector\n\n")) == [
        "row 2, column -: the file has a header but no rows"
    ]


def test_a_dry_run_rolls_back_and_counts_like_the_import(tmp_path, db):
    Agency.objects.create(name="Same", sector="police")
    Agency.objects.create(name="Changed", sector="police")
    path = write(tmp_path, "name,sector\nSame,police\nChanged,health\nNew,faith\n")
    result = run_import(AgencyImport(), path, acting_user=None, dry_run=True)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert result.summary() == "3 rows checked: 1 would be created, 1 would be updated, 1 unchanged"
    assert agencies() == [("Changed", "police", True), ("Same", "police", True)]


def test_rows_are_written_in_batches_in_one_transaction(tmp_path, db, monkeypatch):
    monkeypatch.setattr(engine, "BATCH_SIZE", 2)
    seen = []
    schema = AgencyImport()
    original = schema.save_batch

    def save_batch(rows, *, acting_user):
        seen.append([r["name"] for r in rows])
        if len(seen) == 3:
            raise RuntimeError("the database went away")
        return original(rows, acting_user=acting_user)

    schema.save_batch = save_batch
    path = write(tmp_path, "name,sector\n" + "".join(f"A{i},police\n" for i in range(5)))
    with pytest.raises(RuntimeError):
        run_import(schema, path, acting_user=None)
    assert seen == [["A0", "A1"], ["A2", "A3"], ["A4"]]
    assert agencies() == []  # the first two batches were undone too


def test_progress_is_reported_while_writing(tmp_path, db, monkeypatch):
    monkeypatch.setattr(engine, "BATCH_SIZE", 2)
    calls = []
    path = write(tmp_path, "name,sector\n" + "".join(f"A{i},police\n" for i in range(5)))
    run_import(AgencyImport(), path, acting_user=None, progress=lambda *a: calls.append(a))
    assert calls == [("writing", 5), ("written", 2), ("written", 4), ("written", 5)]
    assert len(agencies()) == 5


def test_a_file_changed_between_the_two_passes_writes_nothing(tmp_path, db, monkeypatch):
    path = write(tmp_path, "name,sector\nA,police\nB,police\n")
    real_validate = engine.validate

    def validate_then_edit(schema, file, progress=None):
        found = real_validate(schema, file, progress)
        file.write_text("name,sector\nA,police\nB,nowhere\n")
        return found

    monkeypatch.setattr(engine, "validate", validate_then_edit)
    assert problems(path)[0].startswith("row 3, column sector: 'nowhere' is not a known code")
    assert agencies() == []
