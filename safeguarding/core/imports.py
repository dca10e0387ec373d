"""The import engine: every register's CSV/XLSX import goes through run_import().

Contract (design.md): every row is validated before anything is written; any problem
-> ImportRejected with one RowError per problem ("row N, column C: message", N being
the line in the file with the header as row 1); a valid file is written in one
transaction, in batches, updating a reference already present instead of duplicating it.
The file is streamed twice (validate, then write) so memory stays flat for big files.

A file is read by what it really holds, never by what it says of itself (an XLSX sheet's
declared <dimension> can be wrong either way), and within limits that are settings:
IMPORT_MAX_ROWS rows of data, IMPORT_MAX_COLUMNS columns, and IMPORT_MAX_CELL_CHARS
characters in a cell of a column that has no text(max_length) of its own; a text value
longer than its record field's max_length is refused too. Over a limit, the file or the
cell is refused with a problem line naming the limit: nothing is ever cut short.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.db import connections, models, router, transaction

BATCH_SIZE = 1000
NO_COLUMN = "-"

# Defaults of the limits below; each is a setting of the same name with IMPORT_ in front.
MAX_ROWS = 1_000_000  # rows of data (blank rows and the header are not counted)
MAX_COLUMNS = 200  # a value further right than this is refused; empty cells are ignored
MAX_CELL_CHARS = 10_000  # for any column without a text(max_length) of its own


@dataclass(frozen=True)
class Limits:
    max_rows: int = MAX_ROWS
    max_columns: int = MAX_COLUMNS
    max_cell_chars: int = MAX_CELL_CHARS


def limits() -> Limits:
    """The import limits in force: settings.IMPORT_MAX_ROWS, IMPORT_MAX_COLUMNS and
    IMPORT_MAX_CELL_CHARS, each with the default above."""
    return Limits(
        max_rows=int(getattr(settings, "IMPORT_MAX_ROWS", MAX_ROWS)),
        max_columns=int(getattr(settings, "IMPORT_MAX_COLUMNS", MAX_COLUMNS)),
        max_cell_chars=int(getattr(settings, "IMPORT_MAX_CELL_CHARS", MAX_CELL_CHARS)),
    )


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) found; nothing was imported")


class CellError(ValueError):
    """Raised by a column parser; the message is shown to the user as is."""


# ---- column parsers -------------------------------------------------------------------

# ASCII digits only: \d would also accept other scripts' digits, which no date parser reads.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?")


def text(max_length: int = 200) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise CellError(f"is longer than {max_length} characters")
        return value

    parse.max_length = max_length  # the engine leaves the length check of this column to it
    return parse


def date_value(value: str) -> dt.date:
    if not _DATE.fullmatch(value):
        raise CellError(f"'{value}' is not a date in the form YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CellError(f"'{value}' is not a real date") from None
    if day > dt.date.today():
        raise CellError(f"{value} is in the future")
    return day


def datetime_value(value: str) -> dt.datetime:
    if not _DATETIME.fullmatch(value):
        raise CellError(f"'{value}' is not a date and time in the form YYYY-MM-DDTHH:MM")
    try:
        moment = dt.datetime.fromisoformat(value.replace(" ", "T"))
    except ValueError:
        raise CellError(f"'{value}' is not a real date and time") from None
    if moment.date() > dt.date.today():
        raise CellError(f"{value} is in the future")
    return moment


def yes_no(value: str) -> bool:
    v = value.lower()
    if v in {"yes", "y", "true"}:
        return True
    if v in {"no", "n", "false"}:
        return False
    raise CellError(f"'{value}' must be yes or no")


def code(choices) -> Callable[[str], str]:
    allowed = [str(c[0]) if isinstance(c, tuple | list) else str(c) for c in choices]

    def parse(value: str) -> str:
        if value not in allowed:
            raise CellError(f"'{value}' is not a known code; use one of: {', '.join(allowed)}")
        return value

    parse.codes = allowed
    return parse


def integer(minimum: int | None = None, maximum: int | None = None) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise CellError(f"'{value}' is not a whole number") from None
        if minimum is not None and number < minimum:
            raise CellError(f"{number} is below {minimum}")
        if maximum is not None and number > maximum:
            raise CellError(f"{number} is above {maximum}")
        return number

    return parse


# ---- schema ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[str], Any] = field(default_factory=lambda: text())
    required: bool = False
    help: str = ""


class ImportSchema:
    """Subclass per register: columns, cross-field rules and the batch writer."""

    register: str = ""
    columns: list[Column] = []
    # Columns that are not fields of the register's record, and where they go (a test
    # checks that every other column is one, with the same codes).
    elsewhere: dict[str, str] = {}
    key: str = "reference"
    # The register's record: a text value longer than its field's max_length is refused.
    # None: the model of the register named ``register``, if there is one.
    model: type[models.Model] | None = None
    batch_size: int | None = None  # rows per save_batch() / prepare_check(); None: BATCH_SIZE

    def row_key(self, row: dict[str, Any]):
        """What makes a row unique in the file (and in the register)."""
        return row.get(self.key)

    def prepare_check(self, rows: list[dict[str, Any]]) -> None:
        """Called before check_row() on each chunk of parsed rows (in file order), so a
        rule that needs stored records can fetch them for the chunk in one query rather
        than one per row. Rows that failed to parse are left out."""

    def check_row(self, row: dict[str, Any]) -> list[tuple[str, str]]:
        """Rules across fields: [(column, message)]. Absent keys failed to parse."""
        return []

    def existing_keys(self, keys: list[str]) -> set[str]:
        """Which of these keys are already stored (for dry-run counts)."""
        return set()

    def save_batch(self, rows: list[dict[str, Any]], *, acting_user) -> tuple[int, int, int]:
        """Write one batch inside the import's transaction: (created, updated, unchanged)."""
        raise NotImplementedError


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would be" if self.dry_run else "were"
        return (
            f"{self.rows} rows checked: {self.created} {verb} created, "
            f"{self.updated} {verb} updated, {self.unchanged} unchanged"
        )


# ---- reading --------------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _too_wide(number: int, max_columns: int, where: str) -> ImportRejected:
    return ImportRejected(
        [
            RowError(
                number,
                NO_COLUMN,
                f"the file has more than {max_columns:,} columns (a value in column {where}); "
                "remove the columns the import does not use",
            )
        ]
    )


def _csv_rows(path: Path, max_columns: int) -> Iterator[tuple[int, list[str]]]:
    """(line number where the record starts, cells). Handles a BOM and CRLF endings."""
    with open(path, "rb") as raw:
        head = raw.read(4096)
    if b"\x00" in head:
        raise ImportRejected([RowError(1, NO_COLUMN, "this is not a text CSV file")])
    # newline="": lines end only at \n, \r\n or \r (as the csv module expects), never at
    # characters such as U+2028 that str.splitlines() also treats as line breaks.
    with open(path, encoding="utf-8-sig", errors="strict", newline="") as stream:
        lines = _LineCounter(stream)
        reader = csv.reader(lines)
        start = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise ImportRejected(
                    [
                        RowError(
                            _undecodable_line(path),
                            NO_COLUMN,
                            "the file is not UTF-8 text (save it as CSV UTF-8)",
                        )
                    ]
                ) from None
            except csv.Error as exc:
                raise ImportRejected(
                    [RowError(lines.count, NO_COLUMN, f"unreadable CSV: {exc}")]
                ) from None
            cells = [c.strip() for c in cells]
            if len(cells) > max_columns:
                # empty cells past the last column are what spreadsheets save: dropped
                for index in range(max_columns, len(cells)):
                    if cells[index]:
                        raise _too_wide(start, max_columns, f"{index + 1:,}")
                del cells[max_columns:]
            yield start, cells
            start = lines.count + 1


def _undecodable_line(path: Path) -> int:
    """The line holding the first byte that is not UTF-8 (the text is decoded in chunks,
    so the reader's own line count can be behind)."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return len(re.findall(rb"\r\n|\r|\n", data[: exc.start])) + 1
    return 1


class _LineCounter:
    """Iterates over text lines, counting them, so rows are named by their line."""

    def __init__(self, stream):
        self.stream = stream
        self.count = 0

    def __iter__(self):
        return self

    def __next__(self):
        line = self.stream.readline()
        if not line:
            raise StopIteration
        self.count += 1
        return line


def _unreadable_xlsx(number: int = 1) -> ImportRejected:
    return ImportRejected([RowError(number, NO_COLUMN, "this is not a readable .xlsx workbook")])


def _misplaced(number: int, what: str) -> ImportRejected:
    """A row or cell the sheet gives twice, or out of order: reading one of them would drop
    the other, so the file is refused instead."""
    return ImportRejected(
        [
            RowError(
                number,
                NO_COLUMN,
                f"the workbook lists {what} more than once or out of order; "
                "open it in a spreadsheet program and save it again",
            )
        ]
    )


# What can go wrong reading a damaged or hand-made sheet: bad XML, a broken zip entry, a
# cell coordinate, number or shared-string index that is not one.
_XLSX_ERRORS = (
    ElementTree.ParseError,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    IndexError,
    KeyError,
    TypeError,
)


def _xlsx_rows(path: Path, max_columns: int) -> Iterator[tuple[int, list[str]]]:
    """(row number in the sheet, cells) of the first sheet, from the cells it really holds.

    openpyxl's read-only rows follow the sheet's declared <dimension>: a spoofed large one
    pads every row to 16,384 columns and every gap to empty rows (minutes for a 5 KB file),
    and a small one drops the rows and columns outside it. So the sheet's XML is streamed
    here, each cell read by openpyxl's own cell parser (types, dates, shared strings): time
    and memory follow the cells present. Rows missing from the sheet are not yielded; a
    row ends at its last non-empty cell, padded with "" only up to a declared width within
    the column limit."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise _unreadable_xlsx() from None
    try:
        try:
            sheet = workbook.worksheets[0]
        except IndexError:
            raise _unreadable_xlsx() from None
        declared = sheet.max_column  # from <dimension>, trusted for nothing else
        sheet.reset_dimensions()
        width = declared if declared and declared <= max_columns else 0
        yield from _sheet_rows(workbook, sheet, max_columns, width)
    finally:
        workbook.close()


def _sheet_rows(workbook, sheet, max_columns: int, width: int):
    from openpyxl.utils.cell import get_column_letter
    from openpyxl.worksheet._reader import CELL_TAG, DATA_TAG, ROW_TAG, WorkSheetParser
    from openpyxl.xml.functions import iterparse

    cells_of = WorkSheetParser(
        None,
        sheet._shared_strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    number = previous = 0  # the row being read, the row read before it
    data = row = None  # <sheetData>, and the <row> being read
    cells: list[str] = []
    last_column = 0
    try:
        with sheet._get_source() as source:
            for event, element in iterparse(source, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    if tag == ROW_TAG:
                        given = element.get("r")
                        number = int(given) if given is not None else previous + 1
                        if number <= previous:
                            raise _misplaced(number, f"row {number}")
                        cells_of.row_counter, cells_of.col_counter = number, 0
                        row, cells, last_column = element, [], 0
                    elif tag == DATA_TAG:
                        data = element
                elif tag == CELL_TAG and row is not None:
                    cell = cells_of.parse_cell(element)
                    column = cell["column"]
                    if column <= last_column:
                        coordinate = element.get("r") or f"{get_column_letter(column)}{number}"
                        raise _misplaced(number, f"cell {coordinate}")
                    last_column = column
                    value = _cell_text(cell["value"])
                    if value:
                        if column > max_columns:
                            raise _too_wide(number, max_columns, get_column_letter(column))
                        if column > len(cells) + 1:
                            cells.extend([""] * (column - 1 - len(cells)))
                        cells.append(value)
                    row.remove(element)  # memory stays flat however long the row
                elif tag == ROW_TAG and row is not None:
                    if len(cells) < width:
                        cells.extend([""] * (width - len(cells)))
                    yield number, cells
                    previous, row = number, None
                    if data is not None:
                        data.remove(element)
                    else:
                        element.clear()
                elif tag == DATA_TAG:
                    return  # nothing after the cells is read
    except _XLSX_ERRORS:
        raise _unreadable_xlsx(max(number, 1)) from None


def read_rows(path: Path, max_columns: int | None = None) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of a .csv or .xlsx file; a value beyond max_columns (by default
    the IMPORT_MAX_COLUMNS limit) refuses the file."""
    if max_columns is None:
        max_columns = limits().max_columns
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path, max_columns)
    if suffix == ".xlsx":
        return _xlsx_rows(path, max_columns)
    raise ImportRejected(
        [
            RowError(
                1, NO_COLUMN, f"the file must be .csv or .xlsx, not '{suffix or 'no extension'}'"
            )
        ]
    )


def _records(
    schema: ImportSchema, path: Path, errors: list[RowError], limit: Limits | None = None
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yields (row number, {column: raw text}); header problems are added to errors. A file
    with more than limit.max_rows rows of data is refused when its next row is reached."""
    limit = limit or limits()
    rows = read_rows(path, limit.max_columns)
    header = None
    count = 0
    for number, cells in rows:
        if header is None:
            if not any(cells):
                continue
            header = [c.strip().lower() for c in cells]
            while header and not header[-1]:  # spreadsheets often save empty trailing cells
                header.pop()
            header_row = number
            known = {c.name for c in schema.columns}
            seen = set()
            for name in header:
                if not name:
                    errors.append(RowError(header_row, NO_COLUMN, "a column has no name"))
                elif name not in known and len(name) > limit.max_cell_chars:
                    errors.append(  # not repeated back in the message
                        RowError(
                            header_row,
                            NO_COLUMN,
                            f"a column name is longer than {limit.max_cell_chars:,} characters",
                        )
                    )
                elif name not in known:
                    errors.append(
                        RowError(
                            header_row,
                            name,
                            f"unknown column '{name}'; "
                            f"expected: {', '.join(c.name for c in schema.columns)}",
                        )
                    )
                elif name in seen:
                    errors.append(RowError(header_row, name, "this column appears twice"))
                seen.add(name)
            for col in schema.columns:
                if col.required and col.name not in seen:
                    errors.append(RowError(header_row, col.name, "required column is missing"))
            if errors:
                return
            continue
        if not any(cells):
            continue
        count += 1
        if count > limit.max_rows:
            raise ImportRejected(
                [
                    RowError(
                        number,
                        NO_COLUMN,
                        f"the file has more than {limit.max_rows:,} rows; "
                        f"split it into files of at most {limit.max_rows:,} rows",
                    )
                ]
            )
        if len(cells) > len(header) and any(cells[len(header) :]):
            errors.append(
                RowError(
                    number,
                    NO_COLUMN,
                    f"this row has {len(cells)} values but the header has {len(header)}",
                )
            )
            continue
        yield number, dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False))
    if header is None:
        errors.append(RowError(1, NO_COLUMN, "the file is empty: expected a header row"))


# (column, the longest raw value read, the longest parsed text stored): see _length_checks().
LengthChecks = list[tuple[Column, int | None, int | None]]


def _length_checks(schema: ImportSchema, limit: Limits | None = None) -> LengthChecks:
    """Each column with the lengths its cells may have, worked out once per file.

    Before parsing, a cell longer than limit.max_cell_chars is refused, unless the column is
    a text(max_length) column, which checks its own length. After parsing, a text value
    longer than the record field's max_length is refused rather than cut (or failing in the
    database): e.g. an email address that is valid but longer than its EmailField."""
    limit = limit or limits()
    model = _model_of(schema)
    checks: LengthChecks = []
    for col in schema.columns:
        longest = None if hasattr(col.parse, "max_length") else limit.max_cell_chars
        stored = None
        if model is not None:
            try:
                model_field = model._meta.get_field(col.name)
            except FieldDoesNotExist:
                model_field = None
            if isinstance(model_field, models.CharField) and model_field.max_length:
                stored = model_field.max_length
        checks.append((col, longest, stored))
    return checks


def _model_of(schema: ImportSchema) -> type[models.Model] | None:
    if schema.model is not None:
        return schema.model
    from .registers import REGISTERS

    declared = REGISTERS.get(schema.register)
    return getattr(declared, "model", None)


def _parse(
    schema: ImportSchema,
    number: int,
    raw: dict[str, str],
    checks: LengthChecks | None = None,
) -> tuple[dict[str, Any], list[RowError]]:
    """Each cell through its column's parser (no cross-field rules: see _check)."""
    parsed: dict[str, Any] = {}
    problems: list[RowError] = []
    for col, longest, stored in checks if checks is not None else _length_checks(schema):
        value = raw.get(col.name, "")
        if value == "":
            if col.required:
                problems.append(RowError(number, col.name, "is required"))
            else:
                parsed[col.name] = None
            continue
        if longest is not None and len(value) > longest:
            problems.append(RowError(number, col.name, f"is longer than {longest:,} characters"))
            continue
        try:
            result = col.parse(value)
        except CellError as exc:
            problems.append(RowError(number, col.name, str(exc)))
            continue
        if stored is not None and isinstance(result, str) and len(result) > stored:
            problems.append(RowError(number, col.name, f"is longer than {stored} characters"))
            continue
        parsed[col.name] = result
    return parsed, problems


def validate(
    schema: ImportSchema, path: Path, progress: Callable[[str, int], None] | None = None
) -> tuple[int, list[str]]:
    """First pass: every problem in the file. Returns (row count, keys) or raises.

    Rows are checked in chunks so that schema.prepare_check() can fetch what the rules
    need for a whole chunk at once; problems are still reported in file order."""
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    count = 0
    chunk: list[tuple[int, dict[str, Any], list[RowError]]] = []
    size = schema.batch_size or BATCH_SIZE
    limit = limits()
    checks = _length_checks(schema, limit)

    def check_chunk() -> None:
        schema.prepare_check([parsed for _n, parsed, problems in chunk if not problems])
        for number, parsed, problems in chunk:
            errors.extend(problems)
            if not problems:
                errors.extend(RowError(number, c, m) for c, m in schema.check_row(parsed))
            key = schema.row_key(parsed)
            if key is not None:
                if key in seen:
                    shown = key if isinstance(key, str) else " / ".join(map(str, key))
                    errors.append(
                        RowError(
                            number, schema.key, f"'{shown}' already appears in row {seen[key]}"
                        )
                    )
                else:
                    seen[key] = number
        chunk.clear()

    for number, raw in _records(schema, path, errors, limit):
        count += 1
        parsed, problems = _parse(schema, number, raw, checks)
        chunk.append((number, parsed, problems))
        if len(chunk) >= size:
            check_chunk()
        if progress and count % 5000 == 0:
            progress("checked", count)
    check_chunk()
    if not errors and count == 0:
        errors.append(RowError(2, NO_COLUMN, "the file has a header but no rows"))
    if errors:
        raise ImportRejected(errors)
    return count, list(seen)


def run_import(
    schema: ImportSchema,
    path: str | Path,
    *,
    acting_user,
    dry_run: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> ImportResult:
    path = Path(path)
    count, _keys = validate(schema, path, progress)
    result = ImportResult(rows=count, dry_run=dry_run)
    # A dry run writes exactly as the import would, then rolls back: its created /
    # updated / unchanged counts are the real ones (an unchanged row is not "updated").
    errors: list[RowError] = []
    size = schema.batch_size or BATCH_SIZE
    limit = limits()
    checks = _length_checks(schema, limit)
    if progress:
        progress("writing", count)
    with transaction.atomic():
        batch: list[dict[str, Any]] = []
        done = 0
        for number, raw in _records(schema, path, errors, limit):
            # The cross-field rules passed in the first pass; only a file changed between
            # the passes can fail to parse now.
            parsed, problems = _parse(schema, number, raw, checks)
            if problems:
                raise ImportRejected(problems)
            batch.append(parsed)
            if len(batch) >= size:
                _write(schema, batch, acting_user, result)
                done += len(batch)
                batch = []
                if progress:
                    progress("written", done)
        if batch:
            _write(schema, batch, acting_user, result)
            if progress:
                progress("written", done + len(batch))
        if errors:
            raise ImportRejected(errors)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _write(schema, batch, acting_user, result: ImportResult) -> None:
    created, updated, unchanged = schema.save_batch(batch, acting_user=acting_user)
    result.created += created
    result.updated += updated
    result.unchanged += unchanged


# ---- fast writes for save_batch() ----------------------------------------------------------


def insert_rows(model: type[models.Model], names: list[str], rows: list[tuple]) -> None:
    """INSERT rows of model with one executemany: values in the order of names (field
    names, "child_id" style for foreign keys); every other field gets its default,
    computed once. For big imports: bulk_create builds and prepares a model instance
    per row, which costs several times the insert itself (bench/imports_missing.py).
    Values go to the database as given, except date-times and JSON, which are adapted."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    opts = model._meta
    fields = {f.attname: f for f in opts.concrete_fields}
    named = [fields[n] for n in names]
    others = [f for f in opts.concrete_fields if f.attname not in names and f is not opts.pk]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in others)
    adapters = [_adapter(f, connection) for f in named]
    if any(adapters):  # column by column: map() is much faster than a loop per value
        columns = [
            col if a is None else list(map(a, col))
            for a, col in zip(adapters, zip(*rows, strict=True), strict=True)
        ]
        rows = list(zip(*columns, strict=True))
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in named + others)
    sql = (
        f"INSERT INTO {quote(opts.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * (len(named) + len(others)))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [row + defaults for row in rows])


def _adapter(field, connection) -> Callable[[Any], Any] | None:
    """None when the value goes to the driver as it is (text, numbers, booleans, ids)."""
    if isinstance(field, models.DateTimeField):
        if connection.vendor == "sqlite" and settings.USE_TZ:
            # what SQLite's adapt_datetimefield_value() does, without its per-call checks
            tz = connection.timezone

            def adapt(value):
                return None if value is None else str(value.astimezone(tz).replace(tzinfo=None))

            return adapt
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.JSONField | models.DateField | models.DecimalField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


# ---- web uploads ------------------------------------------------------------------------------


def import_upload(
    schema: ImportSchema,
    upload,
    *,
    acting_user,
    dry_run: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> ImportResult:
    """run_import() on an uploaded file (core.forms.ImportForm has checked its size)."""
    import tempfile

    suffix = Path(upload.name).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        return run_import(
            schema, handle.name, acting_user=acting_user, dry_run=dry_run, progress=progress
        )


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Every upload in the project: keeps at most IMPORT_MAX_UPLOAD_BYTES of a file on disk
    and marks a bigger one ``too_large``, so no upload path can be made to store more."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.IMPORT_MAX_UPLOAD_BYTES:
            return None  # read, counted, and dropped
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size):
        upload = super().file_complete(file_size)
        upload.size = self.received
        upload.too_large = self.received > settings.IMPORT_MAX_UPLOAD_BYTES
        return upload
