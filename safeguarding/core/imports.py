"""The import engine: every register's CSV/XLSX import goes through run_import().

Contract (design.md): every row is validated before anything is written; any problem
-> ImportRejected with one RowError per problem ("row N, column C: message", N being
the line in the file with the header as row 1); a valid file is written in one
transaction, in batches, updating a reference already present instead of duplicating it.
The file is streamed twice (validate, then write) so memory stays flat for big files.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.db import connections, models, router, transaction

BATCH_SIZE = 1000
NO_COLUMN = "-"


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


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
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
            yield start, [c.strip() for c in cells]
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


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportRejected(
            [RowError(1, NO_COLUMN, "this is not a readable .xlsx workbook")]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(v) for v in values]
    finally:
        workbook.close()


def read_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix == ".xlsx":
        return _xlsx_rows(path)
    raise ImportRejected(
        [
            RowError(
                1, NO_COLUMN, f"the file must be .csv or .xlsx, not '{suffix or 'no extension'}'"
            )
        ]
    )


def _records(
    schema: ImportSchema, path: Path, errors: list[RowError]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yields (row number, {column: raw text}); header problems are added to errors."""
    rows = read_rows(path)
    header = None
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


def _parse(
    schema: ImportSchema, number: int, raw: dict[str, str]
) -> tuple[dict[str, Any], list[RowError]]:
    """Each cell through its column's parser (no cross-field rules: see _check)."""
    parsed: dict[str, Any] = {}
    problems: list[RowError] = []
    for col in schema.columns:
        value = raw.get(col.name, "")
        if value == "":
            if col.required:
                problems.append(RowError(number, col.name, "is required"))
            else:
                parsed[col.name] = None
            continue
        try:
            parsed[col.name] = col.parse(value)
        except CellError as exc:
            problems.append(RowError(number, col.name, str(exc)))
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

    for number, raw in _records(schema, path, errors):
        count += 1
        parsed, problems = _parse(schema, number, raw)
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
    if progress:
        progress("writing", count)
    with transaction.atomic():
        batch: list[dict[str, Any]] = []
        done = 0
        for number, raw in _records(schema, path, errors):
            # The cross-field rules passed in the first pass; only a file changed between
            # the passes can fail to parse now.
            parsed, problems = _parse(schema, number, raw)
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
