"""Files that lie about their size, or are too big, through the real LADO import.

An XLSX sheet declares its size in `<dimension ref="A1:F30"/>`, which any program can
write wrongly: the import reads a sheet by the cells it really holds, so a spoofed larger
dimension costs nothing and a spoofed smaller one drops no row or column (all rows or
none). Rows, columns and the length of a cell are capped (IMPORT_MAX_ROWS,
IMPORT_MAX_COLUMNS, IMPORT_MAX_CELL_CHARS), with a problem line naming the limit and
nothing written.
"""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from safeguarding.lado.models import Case
from safeguarding.lado.tests.test_import import (
    COLUMNS,
    advice_row,
    referral_row,
    rejected,
    run,
    state,
    write_csv,
    write_xlsx,
)
from safeguarding.training.models import ELearningCompletion

SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def existing_case(db, tmp_path_factory):
    """A record already in the register, which a refused import must not touch."""
    path = write_csv(tmp_path_factory.mktemp("existing"), [advice_row("OLD-1")])
    assert run(path).code == 0
    return Case.objects.get()


def rows_of(references: list[str]) -> list[list[str]]:
    return [list(referral_row(r).values()) for r in references]


def rewrite_sheet(path: Path, change) -> Path:
    """The workbook with its first sheet's XML passed through change(xml) -> xml."""
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            if info.filename == SHEET:
                data = change(data.decode()).encode()
            target.writestr(info, data)
    return path


def declare_dimension(path: Path, ref: str) -> Path:
    def change(xml: str) -> str:
        changed, count = re.subn(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', xml)
        assert count == 1, "the sheet declares no dimension to rewrite"
        return changed

    return rewrite_sheet(path, change)


def end_sheet_at_row(path: Path, number: int) -> Path:
    """An empty <row> at the end of the sheet, as a formatted row far down is saved."""
    return rewrite_sheet(
        path, lambda xml: xml.replace("</sheetData>", f'<row r="{number}"/></sheetData>')
    )


def declared(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return re.search(r'<dimension ref="([^"]*)"', book.read(SHEET).decode())[1]


# ---- the declared dimension is not trusted ----------------------------------------------


def test_a_spoofed_larger_dimension_costs_nothing(tmp_path, db):
    path = write_xlsx(tmp_path, COLUMNS, rows_of(["L-1", "L-2", "L-3"]))
    declare_dimension(path, "A1:XFD30000")
    end_sheet_at_row(path, 30000)
    assert declared(path) == "A1:XFD30000"
    assert path.stat().st_size < 10_000
    started = time.monotonic()
    result = run(path)
    elapsed = time.monotonic() - started
    assert result.code == 0, result.err
    assert result.out.strip() == "3 rows checked: 3 were created, 0 were updated, 0 unchanged"
    assert elapsed < 5, f"the import took {elapsed:.1f} s"
    assert Case.objects.count() == 3


def test_a_spoofed_larger_dimension_on_a_dry_run_is_quick_too(tmp_path, db):
    path = declare_dimension(
        write_xlsx(tmp_path, COLUMNS, rows_of(["L-1", "L-2"])), "A1:XFD1048576"
    )
    end_sheet_at_row(path, 1048576)
    started = time.monotonic()
    result = run(path, "--dry-run")
    assert time.monotonic() - started < 5
    assert (
        result.out.strip() == "2 rows checked: 2 would be created, 0 would be updated, 0 unchanged"
    )
    assert Case.objects.count() == 0


def test_a_spoofed_smaller_dimension_drops_no_row(tmp_path, db):
    references = ["L-1", "L-2", "L-3", "L-4"]
    path = declare_dimension(write_xlsx(tmp_path, COLUMNS, rows_of(references)), "A1:B2")
    result = run(path)
    assert result.code == 0, result.err
    assert result.out.strip() == "4 rows checked: 4 were created, 0 were updated, 0 unchanged"
    assert sorted(Case.objects.values_list("reference", flat=True)) == references
    # every column was read too, not only A:B
    case = Case.objects.get(reference="L-4")
    assert (case.outcome, case.subject_role) == ("substantiated", "Class teacher")


def test_a_spoofed_smaller_dimension_still_finds_a_bad_last_row(tmp_path, existing_case):
    before = state()
    rows = rows_of(["L-1", "L-2"]) + [list(referral_row("L-3", outcome="proven").values())]
    path = declare_dimension(write_xlsx(tmp_path, COLUMNS, rows), "A1:B2")
    problems = rejected(run(path), before)
    assert [(n, c) for n, c, _ in problems] == [(4, "outcome")]


def test_a_sheet_without_a_dimension_is_read_whole(tmp_path, db):
    path = write_xlsx(tmp_path, COLUMNS, rows_of(["L-1", "L-2", "L-3"]))
    rewrite_sheet(path, lambda xml: re.sub(r'<dimension ref="[^"]*"\s*/>', "", xml))
    result = run(path)
    assert result.code == 0, result.err
    assert Case.objects.count() == 3


def test_rows_far_down_the_sheet_keep_their_row_number(tmp_path, db):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    sheet.append(list(referral_row("L-1").values()))
    for column, value in enumerate(referral_row("L-2", outcome="proven").values(), start=1):
        sheet.cell(row=40000, column=column, value=value)
    path = tmp_path / "far.xlsx"
    workbook.save(path)
    declare_dimension(path, "A1:XFD40000")
    started = time.monotonic()
    result = run(path)
    assert time.monotonic() - started < 5
    assert result.code == 2
    assert [(n, c) for n, c, _ in result.problems] == [(40000, "outcome")]
    assert Case.objects.count() == 0


def test_an_empty_styled_cell_far_to_the_right_is_ignored(tmp_path, db):
    from openpyxl import load_workbook

    path = write_xlsx(tmp_path, COLUMNS, rows_of(["L-1", "L-2"]))
    workbook = load_workbook(path)
    workbook.active.cell(row=2, column=16384).number_format = "0.00"  # formatted, no value
    workbook.save(path)
    assert declared(path) == "A1:XFD3"
    result = run(path)
    assert result.code == 0, result.err
    assert Case.objects.count() == 2


def test_a_row_listed_twice_in_the_sheet_is_refused_not_dropped(tmp_path, existing_case):
    before = state()
    path = write_xlsx(tmp_path, COLUMNS, rows_of(["L-1", "L-2", "L-3"]))

    def repeat_row_3(xml: str) -> str:
        # the fourth row claims to be row 3 again, and its cells say so
        xml = xml.replace('<row r="4"', '<row r="3"')
        return re.sub(r'<c r="([A-Z]+)4"', r'<c r="\g<1>3"', xml)

    rewrite_sheet(path, repeat_row_3)
    assert rejected(run(path), before) == [
        (
            3,
            "-",
            "the workbook lists row 3 more than once or out of order; "
            "open it in a spreadsheet program and save it again",
        )
    ]


def test_a_cell_listed_twice_in_a_row_is_refused_not_overwritten(tmp_path, existing_case):
    before = state()
    path = write_xlsx(tmp_path, COLUMNS, rows_of(["L-1", "L-2"]))
    rewrite_sheet(path, lambda xml: xml.replace('<c r="B3"', '<c r="A3"', 1))
    assert rejected(run(path), before) == [
        (
            3,
            "-",
            "the workbook lists cell A3 more than once or out of order; "
            "open it in a spreadsheet program and save it again",
        )
    ]


def test_a_damaged_sheet_is_refused_naming_the_row(tmp_path, existing_case):
    before = state()
    path = write_xlsx(tmp_path, COLUMNS, rows_of(["L-1", "L-2"]))
    rewrite_sheet(
        path, lambda xml: re.sub(r'<c r="A3"[^>]*>.*?</c>', '<c r="A3" t="s"><v>999</v></c>', xml)
    )
    assert rejected(run(path), before) == [(3, "-", "this is not a readable .xlsx workbook")]


# ---- caps on rows and columns -----------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_over_the_row_cap_is_refused_naming_the_limit(
    tmp_path, existing_case, settings, kind
):
    settings.IMPORT_MAX_ROWS = 3
    before = state()
    references = ["L-1", "L-2", "L-3", "L-4", "L-5"]
    if kind == "csv":
        path = write_csv(tmp_path, [referral_row(r) for r in references])
    else:
        path = write_xlsx(tmp_path, COLUMNS, rows_of(references))
    assert rejected(run(path), before) == [
        (5, "-", "the file has more than 3 rows; split it into files of at most 3 rows")
    ]


def test_the_row_cap_counts_rows_of_data_only(tmp_path, db, settings):
    settings.IMPORT_MAX_ROWS = 3
    lines = write_csv(tmp_path, [referral_row(r) for r in ["L-1", "L-2", "L-3"]]).read_text()
    header, *rows = lines.splitlines()
    path = tmp_path / "gaps.csv"
    path.write_text("\n".join(["", "", header, *(f"{row}\n,,," for row in rows)]) + "\n")
    result = run(path)
    assert result.code == 0, result.err
    assert result.out.startswith("3 rows checked")


def test_the_default_row_cap_is_a_million(tmp_path, db):
    from safeguarding.core.imports import limits

    assert limits().max_rows == 1_000_000


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_over_the_column_cap_is_refused_naming_the_limit(
    tmp_path, existing_case, settings, kind
):
    settings.IMPORT_MAX_COLUMNS = 12
    before = state()
    rows = rows_of(["L-1", "L-2"])
    rows[1] += ["", "", "surplus"]  # column 13
    if kind == "csv":
        path = tmp_path / "wide.csv"
        path.write_text(
            "\n".join(",".join(map(str, r)) for r in [COLUMNS, *rows]) + "\n", encoding="utf-8"
        )
        where = "column 13"
    else:
        path = write_xlsx(tmp_path, COLUMNS, rows)
        where = "column M"
    assert rejected(run(path), before) == [
        (
            3,
            "-",
            f"the file has more than 12 columns (a value in {where}); "
            "remove the columns the import does not use",
        )
    ]


def test_a_value_in_the_last_xlsx_column_is_refused_quickly(tmp_path, existing_case):
    from openpyxl import load_workbook

    before = state()
    path = write_xlsx(tmp_path, COLUMNS, rows_of(["L-1", "L-2"]))
    workbook = load_workbook(path)
    workbook.active.cell(row=3, column=16384, value="x")
    workbook.save(path)
    declare_dimension(path, "A1:XFD30000")
    started = time.monotonic()
    problems = rejected(run(path), before)
    assert time.monotonic() - started < 5
    assert problems == [
        (
            3,
            "-",
            "the file has more than 200 columns (a value in column XFD); "
            "remove the columns the import does not use",
        )
    ]


def test_empty_cells_past_the_column_cap_are_ignored(tmp_path, db, settings):
    settings.IMPORT_MAX_COLUMNS = 12
    text = write_csv(tmp_path, [referral_row("L-1")]).read_text()
    path = tmp_path / "trailing.csv"
    path.write_text("".join(line + "," * 40 + "\n" for line in text.splitlines()))
    result = run(path)
    assert result.code == 0, result.err
    assert Case.objects.count() == 1


# ---- the length of a cell ---------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_over_long_cell_is_refused_naming_row_and_column(tmp_path, existing_case, kind):
    before = state()
    rows = [
        referral_row("L-1"),
        referral_row("L-2", outcome="x" * 10_001),
        referral_row("L-3", subject_role="y" * 4_000_000),
    ]
    if kind == "csv":
        path = write_csv(tmp_path, rows[:2])  # the csv reader itself refuses 4 MB fields
    else:
        path = write_xlsx(tmp_path, COLUMNS, [list(r.values()) for r in rows])
    problems = rejected(run(path), before)
    expected = [(3, "outcome", "is longer than 10,000 characters")]
    if kind == "xlsx":
        expected.append((4, "subject_role", "is longer than 200 characters"))
    assert problems == expected


def test_the_cell_cap_is_a_setting(tmp_path, existing_case, settings):
    settings.IMPORT_MAX_CELL_CHARS = 20
    before = state()
    path = write_csv(tmp_path, [referral_row("L-1", threshold_met="y" * 21)])
    assert rejected(run(path), before) == [(2, "threshold_met", "is longer than 20 characters")]


def test_an_over_long_column_name_is_refused_without_repeating_it(tmp_path, existing_case):
    before = state()
    path = write_xlsx(tmp_path, COLUMNS + ["z" * 20_000], rows_of(["L-1"]))
    result = run(path)
    assert rejected(result, before) == [(1, "-", "a column name is longer than 10,000 characters")]
    assert len(result.err) < 1000


def test_a_value_longer_than_its_field_is_refused_not_truncated(tmp_path, db, capsys):
    email = "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "org"  # a valid address of 312 characters
    path = tmp_path / "elearning.csv"
    path.write_text(
        "reference,learner_name,email,agency,course,completed_date\n"
        f"EL1,Ann Lee,{email},,Safeguarding Level 1,2016-05-01\n"
    )
    with pytest.raises(SystemExit) as exc:
        call_command("import", "elearning", str(path))
    assert exc.value.code == 2
    assert capsys.readouterr().err.splitlines() == [
        "row 2, column email: is longer than 254 characters"
    ]
    assert not ELearningCompletion.objects.exists()
