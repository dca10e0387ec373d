"""`safeguarding import lado FILE`: the import contract, through the real command.

Any invalid row -> exit status 2, one stderr line per problem `row N, column C: message`
(N = line in the file, header = 1) and an unchanged database. A valid file is written
in one transaction; a reference already present is updated, never duplicated.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguarding.core import imports as engine
from safeguarding.core.audit import history_for
from safeguarding.core.models import AuditEvent
from safeguarding.lado import services
from safeguarding.lado.codes import (
    ALLEGATION_CATEGORIES,
    FINAL_OUTCOMES,
    OUTCOME_CODES,
    SECTOR_CODES,
)
from safeguarding.lado.models import Case, Meeting, MeetingType

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
CATEGORY_CODES = [c for c, _ in ALLEGATION_CATEGORIES]
PROBLEM_LINE = re.compile(r"row (\d+), column ([^:]+): (.+)")


def referral_row(reference="L-0001", /, **values) -> dict[str, str]:
    row = {
        "reference": reference,
        "contact_date": "2016-05-03",
        "threshold_met": "yes",
        "referral_date": "2016-05-04",
        "employer_sector": "primary_school",
        "allegation_category": "physical",
        "strategy_meeting_date": "2016-05-10",
        "outcome": "substantiated",
        "outcome_date": "2016-06-01",
        "subject_role": "Class teacher",
    }
    row.update(values)
    return row


def advice_row(reference="A-0001", /, **values) -> dict[str, str]:
    row = {
        "reference": reference,
        "contact_date": "2016-07-01",
        "threshold_met": "no",
        "referral_date": "",
        "employer_sector": "faith",
        "allegation_category": "",
        "strategy_meeting_date": "",
        "outcome": "",
        "outcome_date": "",
        "subject_role": "Youth leader",
    }
    row.update(values)
    return row


def csv_text(rows, columns=COLUMNS, newline="\n") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue()


def write_csv(tmp_path, rows, columns=COLUMNS, name="lado.csv", newline="\n", bom=False) -> Path:
    path = tmp_path / name
    path.write_bytes((("\ufeff" if bom else "") + csv_text(rows, columns, newline)).encode())
    return path


def write_xlsx(tmp_path, header, rows, name="lado.xlsx") -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text typed as text, not a formula
    path = tmp_path / name
    workbook.save(path)
    return path


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    @property
    def errors(self) -> list[str]:
        return [line for line in self.err.splitlines() if line]

    @property
    def problems(self) -> list[tuple[int, str, str]]:
        found = []
        for line in self.errors:
            match = PROBLEM_LINE.fullmatch(line)
            assert match, f"not a 'row N, column C: message' line: {line!r}"
            found.append((int(match[1]), match[2], match[3]))
        return found


def run(path, *args) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", "lado", str(path), *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return Outcome(exc.code, out.getvalue(), err.getvalue())
    return Outcome(0, out.getvalue(), err.getvalue())


def state():
    """Everything an import could change, to prove that nothing was."""
    cases = list(Case.objects.order_by("reference").values())
    meetings = list(Meeting.objects.order_by("id").values())
    return cases, meetings, AuditEvent.objects.count()


def rejected(result: Outcome, before) -> list[tuple[int, str, str]]:
    """The problems of a refused import, after checking the contract around them."""
    assert result.code == 2, result.out + result.err
    assert result.problems, "exit 2 must come with at least one problem line"
    assert f"{len(result.problems)} problem(s): nothing was imported" in result.out
    assert state() == before
    return result.problems


@pytest.fixture
def existing(db, tmp_path_factory):
    """A referral already in the register, which a refused import must not touch."""
    row = referral_row(
        "OLD-1", outcome="pending", outcome_date="", strategy_meeting_date="", subject_role="Coach"
    )
    assert run(write_csv(tmp_path_factory.mktemp("existing"), [row])).code == 0
    case = Case.objects.get(reference="OLD-1")
    assert case.outcome == "pending"
    return case


# ---- a valid file -----------------------------------------------------------------------


def test_a_valid_file_writes_every_row(tmp_path, db):
    rows = [
        referral_row("L-1"),
        referral_row(
            "L-2", referral_date="", outcome="pending", outcome_date="", strategy_meeting_date=""
        ),
        advice_row("A-1"),
    ]
    result = run(write_csv(tmp_path, rows))
    assert result.code == 0, result.err
    assert result.err == ""
    assert result.out.strip() == "3 rows checked: 3 were created, 0 were updated, 0 unchanged"
    cases = {c.reference: c for c in Case.objects.all()}
    assert set(cases) == {"L-1", "L-2", "A-1"}

    closed = cases["L-1"]
    assert closed.contact_date == dt.date(2016, 5, 3)
    assert closed.referral_date == dt.date(2016, 5, 4)
    assert closed.threshold_met is True
    assert (closed.employer_sector, closed.allegation_category) == ("primary_school", "physical")
    assert (closed.outcome, closed.outcome_date) == ("substantiated", dt.date(2016, 6, 1))
    assert closed.subject_role == "Class teacher"
    assert closed.is_open is False
    assert [m.date for m in closed.meetings.all()] == [dt.date(2016, 5, 10)]

    pending = cases["L-2"]
    assert pending.referral_date == pending.contact_date  # blank: the contact date
    assert pending.is_open is True
    assert pending.meetings.count() == 0

    advice = cases["A-1"]
    assert advice.threshold_met is False
    assert (advice.referral_date, advice.outcome) == (None, "")
    assert advice.is_open is False

    events = AuditEvent.objects.filter(action="import")
    assert events.count() == 3
    assert history_for(closed).get().changes["outcome"] == [None, "substantiated"]


def test_importing_the_same_file_twice_changes_nothing(tmp_path, db):
    path = write_csv(tmp_path, [referral_row("L-1"), referral_row("L-2"), advice_row("A-1")])
    assert run(path).code == 0
    before = state()
    again = run(path)
    assert again.code == 0
    assert again.out.strip() == "3 rows checked: 0 were created, 0 were updated, 3 unchanged"
    assert state() == before  # no duplicate, no new history, no version bump


def test_a_reference_already_present_is_updated_with_its_history(tmp_path, existing):
    events = history_for(existing).count()
    path = write_csv(
        tmp_path,
        [
            referral_row(
                "OLD-1",
                outcome="unfounded",
                outcome_date="2016-06-10",
                strategy_meeting_date="",
                subject_role="Coach",
            ),
            referral_row("NEW-1"),
        ],
    )
    result = run(path)
    assert result.code == 0, result.err
    assert result.out.strip() == "2 rows checked: 1 were created, 1 were updated, 0 unchanged"
    assert Case.objects.filter(reference="OLD-1").count() == 1
    case = Case.objects.get(reference="OLD-1")
    assert (case.outcome, case.outcome_date, case.is_open) == (
        "unfounded",
        dt.date(2016, 6, 10),
        False,
    )
    assert case.version == existing.version + 1
    event = history_for(case).first()
    assert history_for(case).count() == events + 1
    assert event.action == "import"
    assert event.summary == "Updated by import"
    assert event.changes == {
        "outcome": ["pending", "unfounded"],
        "outcome_date": [None, "2016-06-10"],
    }


def test_an_import_update_keeps_what_was_recorded_in_the_app(tmp_path, officer, lado_case):
    row = referral_row(
        lado_case.reference,
        contact_date="2016-05-03",
        referral_date="2016-05-04",
        allegation_category="physical",
        strategy_meeting_date="",
        outcome="pending",
        outcome_date="",
        subject_role="Class teacher",
    )
    result = run(write_csv(tmp_path, [row]))
    assert result.out.strip() == "1 rows checked: 0 were created, 0 were updated, 1 unchanged"
    case = Case.objects.get(pk=lado_case.pk)
    assert case.harm_test == "harmed"
    assert case.subject_name == "Zebedee Quartermaine"
    assert case.owning_agency == lado_case.owning_agency


def test_importing_a_referral_awaiting_the_lados_decision_decides_it(tmp_path, owner):
    """docs/imports/lado.md: a row says the threshold, so it records the LADO's decision."""
    case = services.referral_make(
        acting_user=owner,
        contact_date=dt.date(2016, 5, 3),
        employer_sector="primary_school",
        subject_name="Zebedee Quartermaine",
        subject_role="Class teacher",
        summary="Pushed a child against a wall",
    )
    row = referral_row(
        case.reference,
        contact_date="2016-05-03",
        referral_date="2016-05-03",
        strategy_meeting_date="",
        outcome="pending",
        outcome_date="",
    )
    assert run(write_csv(tmp_path, [row])).code == 0
    case.refresh_from_db()
    assert not case.awaiting_decision and case.threshold_met and case.is_open
    assert case.decided_on == dt.date(2016, 5, 3) and case.open_since == dt.date(2016, 5, 3)
    assert case.subject_name == "Zebedee Quartermaine"  # what the school said is kept
    assert run(write_csv(tmp_path, [row], name="again.csv")).out.strip().endswith("1 unchanged")


def test_an_import_moves_the_first_meeting(tmp_path, existing):
    path = write_csv(
        tmp_path,
        [
            referral_row(
                "OLD-1",
                outcome="pending",
                outcome_date="",
                strategy_meeting_date="2016-05-09",
                subject_role="Coach",
            )
        ],
    )
    assert run(path).code == 0
    assert [m.date for m in Meeting.objects.filter(case=existing)] == [dt.date(2016, 5, 9)]
    moved = path.read_text().replace("2016-05-09", "2016-05-12")
    path.write_text(moved)
    result = run(path)
    assert result.out.strip() == "1 rows checked: 0 were created, 1 were updated, 0 unchanged"
    assert [m.date for m in Meeting.objects.filter(case=existing)] == [dt.date(2016, 5, 12)]
    event = history_for(existing).first()
    assert event.changes == {"first meeting": ["2016-05-09", "2016-05-12"]}
    # A blank meeting date leaves the recorded meeting alone.
    path.write_text(moved.replace("2016-05-12", ""))
    assert "1 unchanged" in run(path).out
    assert Meeting.objects.filter(case=existing).count() == 1


def test_imported_meetings_use_the_first_active_meeting_type(tmp_path, db):
    MeetingType.objects.create(name="Retired type", is_active=False, order=0)
    MeetingType.objects.create(name="Allegation management meeting", order=1)
    assert run(write_csv(tmp_path, [referral_row("L-1")])).code == 0
    meeting = Meeting.objects.get()
    assert meeting.meeting_type.name == "Allegation management meeting"


def test_columns_come_in_any_order_and_any_case(tmp_path, db):
    shuffled = list(reversed(COLUMNS))
    path = tmp_path / "lado.csv"
    text = csv_text([referral_row("L-1"), advice_row("A-1")], shuffled)
    header, rest = text.split("\n", 1)
    header = ",".join(f" {name.upper()} " for name in header.split(","))
    path.write_text(header + "\n" + rest)
    result = run(path)
    assert result.code == 0, result.err
    assert Case.objects.get(reference="L-1").outcome == "substantiated"
    assert Case.objects.get(reference="A-1").employer_sector == "faith"


def test_optional_columns_may_be_left_out(tmp_path, db):
    columns = ["reference", "contact_date", "threshold_met", "employer_sector", "outcome"]
    rows = [referral_row("L-1", outcome="pending"), advice_row("A-1")]
    result = run(write_csv(tmp_path, rows, columns))
    assert result.code == 0, result.err
    case = Case.objects.get(reference="L-1")
    assert (case.referral_date, case.outcome, case.is_open) == (case.contact_date, "pending", True)


@pytest.mark.parametrize(
    "value, stored",
    [("YES", True), ("y", True), ("True", True), ("No", False), ("n", False), ("false", False)],
)
def test_threshold_met_accepts_yes_and_no_forms(tmp_path, db, value, stored):
    row = referral_row("L-1", threshold_met=value)
    if not stored:
        row = advice_row("L-1", threshold_met=value)
    assert run(write_csv(tmp_path, [row])).code == 0
    assert Case.objects.get().threshold_met is stored


def test_blank_lines_are_ignored_but_still_counted(tmp_path, db):
    text = csv_text([referral_row("L-1"), referral_row("L-2", employer_sector="school")])
    lines = text.splitlines()
    path = tmp_path / "lado.csv"
    path.write_text("\n".join([lines[0], "", lines[1], ",,,", "", lines[2]]) + "\n")
    result = run(path)
    assert result.problems[0][:2] == (6, "employer_sector")


def test_a_cell_spanning_lines_is_one_row_and_later_rows_keep_their_line_number(tmp_path, db):
    rows = [
        referral_row("L-1", subject_role="Teacher\nand sports coach"),
        referral_row("L-2", outcome="proven"),
    ]
    result = run(write_csv(tmp_path, rows))
    assert result.problems == [
        (4, "outcome", f"'proven' is not a known code; use one of: {', '.join(OUTCOME_CODES)}"),
    ]
    rows[1]["outcome"] = "unfounded"
    assert run(write_csv(tmp_path, rows)).code == 0
    assert Case.objects.get(reference="L-1").subject_role == "Teacher\nand sports coach"


def test_a_unicode_line_separator_inside_a_cell_does_not_split_the_row(tmp_path, db):
    role = "Teacher\u2028coach\u0085mentor"
    rows = [referral_row("L-1", subject_role=role), referral_row("L-2", outcome="proven")]
    result = run(write_csv(tmp_path, rows))
    assert [(n, c) for n, c, _ in result.problems] == [(3, "outcome")]
    rows[1]["outcome"] = "false"
    assert run(write_csv(tmp_path, rows)).code == 0
    assert Case.objects.get(reference="L-1").subject_role == role


def test_a_utf8_byte_order_mark_is_accepted(tmp_path, db):
    result = run(write_csv(tmp_path, [referral_row("L-1", subject_role="Café worker")], bom=True))
    assert result.code == 0, result.err
    assert Case.objects.get(reference="L-1").subject_role == "Café worker"


def test_windows_line_endings_are_accepted(tmp_path, db):
    path = write_csv(tmp_path, [referral_row("L-1"), advice_row("A-1")], newline="\r\n")
    assert b"\r\n" in path.read_bytes()
    result = run(path)
    assert result.code == 0, result.err
    assert Case.objects.count() == 2
    assert Case.objects.get(reference="A-1").subject_role == "Youth leader"  # no stray \r


def test_windows_line_endings_keep_row_numbers(tmp_path, db):
    rows = [referral_row("L-1"), advice_row("A-1"), advice_row("A-2", contact_date="2016-02-30")]
    result = run(write_csv(tmp_path, rows, newline="\r\n", bom=True))
    assert [(n, c) for n, c, _ in result.problems] == [(4, "contact_date")]


def test_trailing_empty_header_cells_are_ignored(tmp_path, db):
    text = csv_text([referral_row("L-1")])
    lines = text.splitlines()
    path = tmp_path / "lado.csv"
    path.write_text(lines[0] + ",,\n" + lines[1] + ",,\n")
    result = run(path)
    assert result.code == 0, result.err
    assert Case.objects.count() == 1


def test_dry_run_writes_nothing_and_reports_what_would_happen(tmp_path, existing):
    before = state()
    rows = [
        referral_row(
            "OLD-1",
            outcome="pending",
            outcome_date="",
            strategy_meeting_date="",
            subject_role="Coach",
        ),
        referral_row("NEW-1"),
        referral_row("NEW-2"),
    ]
    path = write_csv(tmp_path, rows)
    result = run(path, "--dry-run")
    assert result.code == 0, result.err
    assert (
        result.out.strip() == "3 rows checked: 2 would be created, 0 would be updated, 1 unchanged"
    )
    assert state() == before
    rows[0]["subject_role"] = "Head coach"
    result = run(write_csv(tmp_path, rows), "--dry-run")
    assert "2 would be created, 1 would be updated, 0 unchanged" in result.out
    assert state() == before


def test_dry_run_of_a_bad_file_reports_the_problems(tmp_path, existing):
    before = state()
    result = run(write_csv(tmp_path, [referral_row("L-1", outcome="proven")]), "--dry-run")
    assert rejected(result, before) == [
        (2, "outcome", f"'proven' is not a known code; use one of: {', '.join(OUTCOME_CODES)}"),
    ]


def test_the_importing_user_owns_the_records_and_signs_the_history(tmp_path, owner, school):
    result = run(write_csv(tmp_path, [referral_row("L-1")]), "--user", "OWNER@example.org")
    assert result.code == 0, result.err
    case = Case.objects.get()
    assert case.owning_agency == school
    event = history_for(case).get()
    assert event.actor == owner
    assert event.changes["owning_agency"] == [None, school.name]


def test_an_unknown_user_is_refused(tmp_path, db):
    with pytest.raises(CommandError, match="no user with the email"):
        run(write_csv(tmp_path, [referral_row("L-1")]), "--user", "nobody@example.org")
    assert Case.objects.count() == 0


def test_without_a_user_the_history_says_system(tmp_path, db):
    assert run(write_csv(tmp_path, [referral_row("L-1")])).code == 0
    event = AuditEvent.objects.get(action="import")
    assert (event.actor, event.actor_label) == (None, "system")
    assert Case.objects.get().owning_agency is None


def test_progress_never_mixes_with_the_problem_lines(tmp_path, db, monkeypatch):
    """A big file reports progress; a program reading stderr must still see only problems."""
    import importlib

    command = importlib.import_module("safeguarding.core.management.commands.import")

    def big_run(schema, path, *, acting_user, dry_run, progress):
        for count in (5000, 50000, 100000):
            progress("checked", count)
        raise engine.ImportRejected([engine.RowError(100001, "outcome", "is required")])

    monkeypatch.setattr(command, "run_import", big_run)
    result = run(write_csv(tmp_path, [referral_row("L-1")]))
    assert result.code == 2
    assert result.errors == ["row 100001, column outcome: is required"]


def test_an_unknown_register_is_refused(tmp_path, db):
    with pytest.raises(CommandError, match="unknown register 'lad'"):
        call_command("import", "lad", str(write_csv(tmp_path, [referral_row()])))


def test_import_queries_do_not_grow_with_the_rows(
    tmp_path, officer, lado_case, django_assert_max_num_queries
):
    rows = [referral_row(f"L-{i}", subject_role=f"Role {i}") for i in range(60)]
    rows.append(
        referral_row(
            lado_case.reference,
            strategy_meeting_date="",
            outcome="pending",
            outcome_date="",
            subject_role="Head",
        )
    )
    path = write_csv(tmp_path, rows)
    with django_assert_max_num_queries(30):
        result = run(path, "--user", officer.email)
    assert result.code == 0, result.err
    assert Case.objects.count() == 61
    assert Meeting.objects.count() == 60


def test_an_import_larger_than_a_batch_is_all_or_nothing(tmp_path, existing, monkeypatch):
    monkeypatch.setattr(engine, "BATCH_SIZE", 3)
    rows = [referral_row(f"L-{i:02d}") for i in range(10)]
    path = write_csv(tmp_path, rows)
    result = run(path)
    assert result.out.strip() == "10 rows checked: 10 were created, 0 were updated, 0 unchanged"
    assert Case.objects.filter(reference__startswith="L-").count() == 10
    assert "10 unchanged" in run(path).out

    # A failure while writing the last batch undoes the earlier batches too.
    before = state()
    rows = [referral_row(f"M-{i:02d}") for i in range(10)]
    calls = []
    real = services.cases_import

    def failing(*, acting_user, rows):
        calls.append(len(rows))
        if len(calls) == 4:
            raise RuntimeError("disk full")
        return real(acting_user=acting_user, rows=rows)

    monkeypatch.setattr("safeguarding.lado.imports.cases_import", failing)
    with pytest.raises(RuntimeError):
        run(write_csv(tmp_path, rows))
    assert calls == [3, 3, 3, 1]
    assert state() == before


# ---- bad input: the header --------------------------------------------------------------


@pytest.mark.parametrize(
    "missing", ["reference", "contact_date", "threshold_met", "employer_sector"]
)
def test_a_missing_required_column_is_named(tmp_path, existing, missing):
    before = state()
    columns = [c for c in COLUMNS if c != missing]
    result = run(write_csv(tmp_path, [referral_row("L-1")], columns))
    assert rejected(result, before) == [(1, missing, "required column is missing")]


def test_an_unknown_column_is_named(tmp_path, existing):
    before = state()
    result = run(write_csv(tmp_path, [referral_row("L-1")], COLUMNS + ["Colour"]))
    ((row, column, message),) = rejected(result, before)
    assert (row, column) == (1, "colour")
    assert message.startswith("unknown column 'colour'; expected: reference, contact_date")


def test_a_column_given_twice_is_refused(tmp_path, existing):
    before = state()
    result = run(write_csv(tmp_path, [referral_row("L-1")], COLUMNS + ["outcome"]))
    assert rejected(result, before) == [(1, "outcome", "this column appears twice")]


def test_a_column_without_a_name_is_refused(tmp_path, existing):
    before = state()
    columns = COLUMNS[:3] + [""] + COLUMNS[3:]
    result = run(write_csv(tmp_path, [referral_row("L-1")], columns))
    assert rejected(result, before) == [(1, "-", "a column has no name")]


def test_every_header_problem_is_reported_at_once(tmp_path, existing):
    before = state()
    columns = [c for c in COLUMNS if c not in ("reference", "outcome")] + ["colour", "size"]
    result = run(write_csv(tmp_path, [referral_row("L-1")], columns))
    problems = rejected(result, before)
    assert sorted((n, c) for n, c, _ in problems) == [
        (1, "colour"),
        (1, "reference"),
        (1, "size"),
    ]


# ---- bad input: the file itself ---------------------------------------------------------


def test_an_empty_file_is_refused(tmp_path, existing):
    before = state()
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert rejected(run(path), before) == [(1, "-", "the file is empty: expected a header row")]


def test_a_file_of_blank_lines_is_empty(tmp_path, existing):
    before = state()
    path = tmp_path / "blank.csv"
    path.write_text("\n\r\n,,,\n")
    assert rejected(run(path), before) == [(1, "-", "the file is empty: expected a header row")]


def test_a_header_without_rows_is_refused(tmp_path, existing):
    before = state()
    assert rejected(run(write_csv(tmp_path, [])), before) == [
        (2, "-", "the file has a header but no rows")
    ]


@pytest.mark.parametrize(
    "name, shown",
    [
        ("lado.txt", ".txt"),
        ("lado", "no extension"),
        ("lado.csv.zip", ".zip"),
        ("lado.xls", ".xls"),
    ],
)
def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(tmp_path, existing, name, shown):
    before = state()
    path = tmp_path / name
    path.write_text(csv_text([referral_row("L-1")]))
    assert rejected(run(path), before) == [
        (1, "-", f"the file must be .csv or .xlsx, not '{shown}'")
    ]


def test_the_extension_is_not_case_sensitive(tmp_path, db):
    path = write_csv(tmp_path, [referral_row("L-1")], name="LADO.CSV")
    assert run(path).code == 0
    assert Case.objects.count() == 1


def test_an_xlsx_that_is_really_text_is_refused(tmp_path, existing):
    before = state()
    path = tmp_path / "lado.xlsx"
    path.write_text(csv_text([referral_row("L-1")]))
    assert rejected(run(path), before) == [(1, "-", "this is not a readable .xlsx workbook")]


def test_a_workbook_saved_as_csv_is_refused(tmp_path, existing):
    before = state()
    xlsx = write_xlsx(tmp_path, COLUMNS, [list(referral_row("L-1").values())])
    path = tmp_path / "lado.csv"
    path.write_bytes(xlsx.read_bytes())
    assert rejected(run(path), before) == [(1, "-", "this is not a text CSV file")]


def test_a_file_that_is_not_utf8_names_the_line(tmp_path, existing):
    before = state()
    rows = [referral_row(f"L-{i}") for i in range(400)]
    rows.append(referral_row("L-café", subject_role="Café worker"))
    path = tmp_path / "lado.csv"
    path.write_bytes(csv_text(rows).encode("latin-1"))
    problems = rejected(run(path), before)
    assert problems == [(402, "-", "the file is not UTF-8 text (save it as CSV UTF-8)")]


def test_a_missing_file_is_refused(tmp_path, existing):
    before = state()
    result = run(tmp_path / "nowhere.csv")
    assert result.code == 2
    assert result.problems == [(1, "-", f"no such file: {tmp_path / 'nowhere.csv'}")]
    assert state() == before


def test_a_row_with_more_values_than_the_header_is_refused(tmp_path, existing):
    before = state()
    text = csv_text([referral_row("L-1"), referral_row("L-2")])
    lines = text.splitlines()
    lines[2] += ",surplus"
    path = tmp_path / "lado.csv"
    path.write_text("\n".join(lines) + "\n")
    assert rejected(run(path), before) == [
        (3, "-", f"this row has {len(COLUMNS) + 1} values but the header has {len(COLUMNS)}")
    ]


def test_a_row_with_fewer_values_reads_the_rest_as_blank(tmp_path, db):
    text = csv_text([advice_row("A-1")])
    header, row = text.splitlines()
    path = tmp_path / "lado.csv"
    short = ",".join(row.split(",")[:5])  # up to employer_sector
    path.write_text(header + "\n" + short + "\n")
    result = run(path)
    assert result.code == 0, result.err
    assert Case.objects.get().subject_role == ""


# ---- bad input: values ------------------------------------------------------------------


@pytest.mark.parametrize(
    "values, column, message",
    [
        ({"employer_sector": "school"}, "employer_sector", "'school' is not a known code"),
        ({"outcome": "proven"}, "outcome", "'proven' is not a known code"),
        ({"outcome": "Substantiated"}, "outcome", "'Substantiated' is not a known code"),
        ({"allegation_category": "verbal"}, "allegation_category", "'verbal' is not a known"),
        ({"threshold_met": "maybe"}, "threshold_met", "'maybe' must be yes or no"),
        ({"contact_date": "2016-13-45"}, "contact_date", "'2016-13-45' is not a real date"),
        ({"contact_date": "2017-02-29"}, "contact_date", "'2017-02-29' is not a real date"),
        (
            {"referral_date": "31/02/2017"},
            "referral_date",
            "'31/02/2017' is not a date in the form YYYY-MM-DD",
        ),
        (
            {"outcome_date": "1 June 2016"},
            "outcome_date",
            "'1 June 2016' is not a date in the form YYYY-MM-DD",
        ),
        (
            {"contact_date": "\u0662\u0660\u0661\u0666-05-03"},  # Arabic-Indic digits
            "contact_date",
            "is not a date in the form YYYY-MM-DD",
        ),
        ({"reference": "R" * 41}, "reference", "is longer than 40 characters"),
        ({"subject_role": "x" * 201}, "subject_role", "is longer than 200 characters"),
        ({"reference": ""}, "reference", "is required"),
        ({"contact_date": ""}, "contact_date", "is required"),
        ({"threshold_met": ""}, "threshold_met", "is required"),
        ({"employer_sector": ""}, "employer_sector", "is required"),
    ],
)
def test_a_bad_value_is_named_by_row_and_column(tmp_path, existing, values, column, message):
    before = state()
    rows = [referral_row("L-1"), referral_row("L-2", **values), advice_row("A-1")]
    problems = rejected(run(write_csv(tmp_path, rows)), before)
    assert [(n, c) for n, c, _ in problems] == [(3, column)]
    assert message in problems[0][2]


def test_an_unknown_code_message_lists_the_codes(tmp_path, existing):
    result = run(write_csv(tmp_path, [referral_row("L-1", employer_sector="school")]))
    message = result.problems[0][2]
    assert all(code in message for code in SECTOR_CODES)


@pytest.mark.parametrize(
    "values, column",
    [
        ({"contact_date": "2016-05-05"}, "referral_date"),  # referral before contact
        ({"strategy_meeting_date": "2016-05-03"}, "strategy_meeting_date"),  # before referral
        ({"referral_date": "", "strategy_meeting_date": "2016-05-02"}, "strategy_meeting_date"),
        ({"outcome_date": "2016-05-09"}, "outcome_date"),  # before the first meeting
        ({"strategy_meeting_date": "", "outcome_date": "2016-05-03"}, "outcome_date"),
    ],
)
def test_dates_out_of_order_name_the_later_column(tmp_path, existing, values, column):
    before = state()
    rows = [referral_row("L-1", **values)]
    problems = rejected(run(write_csv(tmp_path, rows)), before)
    assert [(n, c) for n, c, _ in problems] == [(2, column)]


@pytest.mark.parametrize(
    "column, value",
    [
        ("referral_date", "2016-07-02"),
        ("strategy_meeting_date", "2016-07-02"),
        ("outcome", "substantiated"),
        ("outcome_date", "2016-07-02"),
    ],
)
def test_advice_only_rows_must_not_carry_referral_details(tmp_path, existing, column, value):
    before = state()
    problems = rejected(run(write_csv(tmp_path, [advice_row("A-1", **{column: value})])), before)
    assert problems == [
        (2, column, "must be blank when the threshold is not met (advice only)"),
    ]


def test_a_referral_needs_an_outcome(tmp_path, existing):
    before = state()
    rows = [referral_row("L-1", outcome="", outcome_date="")]
    assert rejected(run(write_csv(tmp_path, rows)), before) == [
        (2, "outcome", "is required when threshold_met is yes (use pending while the case is open)")
    ]


def test_an_outcome_date_needs_a_final_outcome(tmp_path, existing):
    before = state()
    rows = [referral_row("L-1", outcome="pending", outcome_date="2016-06-01")]
    assert rejected(run(write_csv(tmp_path, rows)), before) == [
        (2, "outcome_date", "must be blank while the outcome is pending")
    ]


@pytest.mark.parametrize(
    "column", ["contact_date", "referral_date", "strategy_meeting_date", "outcome_date"]
)
def test_a_date_in_the_future_is_refused(tmp_path, existing, column):
    before = state()
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    values = {"contact_date": "2016-05-03"}
    values[column] = tomorrow
    problems = rejected(run(write_csv(tmp_path, [referral_row("L-1", **values)])), before)
    assert problems == [(2, column, f"{tomorrow} is in the future")]


def test_today_is_accepted(tmp_path, db):
    today = dt.date.today().isoformat()
    row = referral_row(
        "L-1",
        contact_date=today,
        referral_date=today,
        strategy_meeting_date=today,
        outcome_date=today,
    )
    assert run(write_csv(tmp_path, [row])).code == 0


def test_a_reference_twice_in_the_file_is_refused(tmp_path, existing):
    before = state()
    rows = [referral_row("L-1"), advice_row("A-1"), referral_row("L-1"), referral_row("L-1")]
    problems = rejected(run(write_csv(tmp_path, rows)), before)
    assert problems == [
        (4, "reference", "'L-1' already appears in row 2"),
        (5, "reference", "'L-1' already appears in row 2"),
    ]


def test_a_reference_twice_counts_even_when_the_first_row_is_bad(tmp_path, existing):
    before = state()
    rows = [referral_row("L-1", outcome="proven"), referral_row("L-1")]
    problems = rejected(run(write_csv(tmp_path, rows)), before)
    assert [(n, c) for n, c, _ in problems] == [(2, "outcome"), (3, "reference")]


def test_every_problem_in_the_file_is_reported_in_row_order(tmp_path, existing):
    before = state()
    rows = [
        referral_row("L-1", employer_sector="school", contact_date="2016-13-45"),
        referral_row("L-2"),  # a good row between bad ones
        advice_row("A-1", outcome="pending"),
        referral_row("OLD-1", outcome="pending", outcome_date="2016-06-01"),
    ]
    problems = rejected(run(write_csv(tmp_path, rows)), before)
    assert [(n, c) for n, c, _ in problems] == [
        (2, "contact_date"),
        (2, "employer_sector"),
        (4, "outcome"),
        (5, "outcome_date"),
    ]


def test_a_bad_row_refuses_the_updates_in_the_same_file(tmp_path, existing):
    before = state()
    rows = [
        referral_row("OLD-1", outcome="substantiated", subject_role="Changed"),
        referral_row("NEW-1"),
        referral_row("NEW-2", outcome="proven"),
    ]
    rejected(run(write_csv(tmp_path, rows)), before)
    existing.refresh_from_db()
    assert (existing.outcome, existing.subject_role, existing.version) == ("pending", "Coach", 1)


# ---- XLSX -------------------------------------------------------------------------------


def test_an_xlsx_workbook_with_real_dates_and_text_dates_imports(tmp_path, db):
    header = [
        "Reference",
        "contact_date",
        "threshold_met",
        "referral_date",
        "employer_sector",
        "outcome",
        "outcome_date",
        "strategy_meeting_date",
    ]
    rows = [
        # Excel dates (written as real dates / datetimes by openpyxl)
        [
            1001,
            dt.date(2016, 5, 3),
            "yes",
            dt.datetime(2016, 5, 4),
            "health",
            "malicious",
            dt.date(2016, 6, 1),
            None,
        ],
        # dates typed as text
        ["X-2", "2016-07-01", "no", None, "police", None, None, None],
        # a boolean cell for threshold_met and a real date for the meeting
        [
            "X-3",
            "2017-01-03",
            True,
            "2017-01-03",
            "transport",
            "pending",
            None,
            dt.date(2017, 1, 4),
        ],
    ]
    result = run(write_xlsx(tmp_path, header, rows))
    assert result.code == 0, result.err
    assert result.out.strip() == "3 rows checked: 3 were created, 0 were updated, 0 unchanged"
    first = Case.objects.get(reference="1001")
    assert (first.contact_date, first.referral_date, first.outcome_date) == (
        dt.date(2016, 5, 3),
        dt.date(2016, 5, 4),
        dt.date(2016, 6, 1),
    )
    assert first.is_open is False
    assert Case.objects.get(reference="X-2").threshold_met is False
    third = Case.objects.get(reference="X-3")
    assert [m.date for m in third.meetings.all()] == [dt.date(2017, 1, 4)]
    assert "3 unchanged" in run(tmp_path / "lado.xlsx").out


def test_xlsx_problems_are_named_by_spreadsheet_row(tmp_path, existing):
    before = state()
    header = ["reference", "contact_date", "threshold_met", "employer_sector", "outcome"]
    rows = [
        ["X-1", dt.date(2016, 5, 3), "yes", "health", "pending"],
        [None, None, None, None, None],  # an empty row
        ["X-2", "2016-13-45", "yes", "health", "pending"],
        ["X-3", dt.datetime(2016, 5, 3, 14, 30), "yes", "health", "pending"],
        ["X-4", dt.date.today() + dt.timedelta(days=3), "yes", "health", "pending"],
    ]
    problems = rejected(run(write_xlsx(tmp_path, header, rows)), before)
    assert [(n, c) for n, c, _ in problems] == [
        (4, "contact_date"),
        (5, "contact_date"),
        (6, "contact_date"),
    ]
    assert "is in the future" in problems[2][2]


def test_an_xlsx_with_only_a_header_is_refused(tmp_path, existing):
    before = state()
    path = write_xlsx(tmp_path, COLUMNS, [])
    assert rejected(run(path), before) == [(2, "-", "the file has a header but no rows")]


def test_an_xlsx_with_an_unknown_column_is_refused(tmp_path, existing):
    before = state()
    path = write_xlsx(tmp_path, COLUMNS + ["notes"], [list(referral_row("L-1").values()) + ["x"]])
    problems = rejected(run(path), before)
    assert [(n, c) for n, c, _ in problems] == [(1, "notes")]


# ---- 10 MB ------------------------------------------------------------------------------

BIG_ROLE = "Residential child care worker on the night rota " * 4  # 196 characters


def big_rows(count: int):
    sectors = SECTOR_CODES
    for i in range(count):
        day = dt.date(2016, 4, 1) + dt.timedelta(days=i % 360)
        iso = day.isoformat()
        if i % 3 == 0:
            yield advice_row(
                f"BIG-{i:07d}-{'x' * 28}",
                contact_date=iso,
                employer_sector=sectors[i % len(sectors)],
                subject_role=BIG_ROLE,
            )
        else:
            yield referral_row(
                f"BIG-{i:07d}-{'x' * 28}",
                contact_date=iso,
                referral_date=iso,
                strategy_meeting_date=iso if i % 3 == 1 else "",
                employer_sector=sectors[i % len(sectors)],
                allegation_category=CATEGORY_CODES[i % len(CATEGORY_CODES)],
                outcome=OUTCOME_CODES[i % len(OUTCOME_CODES)],
                outcome_date=iso if OUTCOME_CODES[i % len(OUTCOME_CODES)] != "pending" else "",
                subject_role=BIG_ROLE,
            )


def write_big(path: Path, megabytes: float = 10, bad_at_end: bool = False) -> int:
    """Writes rows until the file is `megabytes` big; returns the number of data rows."""
    target = int(megabytes * 1024 * 1024)
    written = 0
    rows = 0
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for row in big_rows(10**7):
            if bad_at_end and written > target - 2000 and rows % 7 == 3:
                row = dict(row, employer_sector="not_a_sector")
                bad_at_end = False
            writer.writerow([row[c] for c in COLUMNS])
            rows += 1
            written = f.tell()
            if written >= target:
                return rows
    return rows


def test_a_10mb_file_with_one_bad_row_near_the_end_writes_nothing(tmp_path, existing):
    before = state()
    path = tmp_path / "big.csv"
    rows = write_big(path, bad_at_end=True)
    assert path.stat().st_size >= 10 * 1024 * 1024
    bad_line = next(
        n for n, line in enumerate(path.read_text().splitlines(), start=1) if "not_a_sector" in line
    )
    assert bad_line > rows * 0.99  # near the end
    problems = rejected(run(path), before)
    assert [(n, c) for n, c, _ in problems] == [(bad_line, "employer_sector")]


def test_a_valid_10mb_file_imports_every_row(tmp_path, db):
    path = tmp_path / "big.csv"
    rows = write_big(path)
    assert path.stat().st_size >= 10 * 1024 * 1024
    result = run(path)
    assert result.code == 0, result.err
    assert result.out.strip() == (
        f"{rows} rows checked: {rows} were created, 0 were updated, 0 unchanged"
    )
    assert Case.objects.count() == rows
    expected_referrals = sum(1 for r in big_rows(rows) if r["threshold_met"] == "yes")
    assert Case.objects.filter(threshold_met=True).count() == expected_referrals
    expected_meetings = sum(1 for r in big_rows(rows) if r["strategy_meeting_date"])
    assert Meeting.objects.count() == expected_meetings
    assert AuditEvent.objects.filter(action="import").count() == rows


# ---- property: random valid rows round-trip --------------------------------------------

LATEST = dt.date.today() - dt.timedelta(days=200)
text_alphabet = st.characters(
    codec="utf-8", exclude_categories=["Cs", "Cc", "Zl", "Zp"], exclude_characters="\ufeff"
)


@st.composite
def lado_rows(draw):
    contact = draw(st.dates(min_value=dt.date(2010, 1, 1), max_value=LATEST))
    gap = st.integers(min_value=0, max_value=60)
    row = {
        "contact_date": contact.isoformat(),
        "employer_sector": draw(st.sampled_from(SECTOR_CODES)),
        "allegation_category": draw(st.sampled_from(["", *CATEGORY_CODES])),
        "subject_role": draw(st.text(text_alphabet, max_size=30)).strip(),
        "referral_date": "",
        "strategy_meeting_date": "",
        "outcome": "",
        "outcome_date": "",
    }
    if not draw(st.booleans()):
        row["threshold_met"] = draw(st.sampled_from(["no", "No", "n", "false"]))
        return row
    row["threshold_met"] = draw(st.sampled_from(["yes", "YES", "y", "true"]))
    referral = contact + dt.timedelta(days=draw(gap))
    if draw(st.booleans()):
        row["referral_date"] = referral.isoformat()
    else:
        referral = contact
    last = referral
    if draw(st.booleans()):
        last = referral + dt.timedelta(days=draw(gap))
        row["strategy_meeting_date"] = last.isoformat()
    row["outcome"] = draw(st.sampled_from(OUTCOME_CODES))
    if row["outcome"] in FINAL_OUTCOMES and draw(st.booleans()):
        row["outcome_date"] = (last + dt.timedelta(days=draw(gap))).isoformat()
    return row


references = st.text(
    st.characters(codec="ascii", categories=["L", "N", "P"]), min_size=1, max_size=40
)
files = st.lists(
    st.tuples(references, lado_rows()), min_size=1, max_size=15, unique_by=lambda t: t[0]
)


def expected_case(row):
    yes = row["threshold_met"].lower() in ("yes", "y", "true")
    day = dt.date.fromisoformat
    referral = day(row["referral_date"] or row["contact_date"]) if yes else None
    outcome = row["outcome"] if yes else ""
    return {
        "contact_date": day(row["contact_date"]),
        "threshold_met": yes,
        "referral_date": referral,
        "employer_sector": row["employer_sector"],
        "allegation_category": row["allegation_category"],
        "outcome": outcome,
        "outcome_date": day(row["outcome_date"]) if row["outcome_date"] else None,
        "subject_role": row["subject_role"],
        "is_open": yes and outcome not in FINAL_OUTCOMES,
    }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=files, xlsx=st.booleans())
def test_random_valid_rows_round_trip(tmp_path, db, data, xlsx):
    Case.objects.all().delete()
    audited_before = AuditEvent.objects.count()  # audit rows are never deleted
    rows = [dict(row, reference=ref) for ref, row in data]
    if xlsx:
        path = write_xlsx(tmp_path, COLUMNS, [[r[c] or None for c in COLUMNS] for r in rows])
    else:
        path = write_csv(tmp_path, rows)
    result = run(path)
    assert result.code == 0, result.err
    n = len(rows)
    assert result.out.strip() == f"{n} rows checked: {n} were created, 0 were updated, 0 unchanged"
    fields = list(expected_case(rows[0]))
    stored = {c["reference"]: c for c in Case.objects.values("reference", *fields)}
    assert set(stored) == {r["reference"] for r in rows}
    for row in rows:
        assert {f: stored[row["reference"]][f] for f in fields} == expected_case(row)
        meetings = list(
            Meeting.objects.filter(case__reference=row["reference"]).values_list("date", flat=True)
        )
        expected = (
            [dt.date.fromisoformat(row["strategy_meeting_date"])]
            if row["strategy_meeting_date"]
            else []
        )
        assert meetings == expected
    events = AuditEvent.objects.count() - audited_before
    assert events == n

    before = state()
    again = run(path)
    assert again.out.strip() == f"{n} rows checked: 0 were created, 0 were updated, {n} unchanged"
    assert state() == before
