"""CSV and XLSX downloads. Every cell goes through safe_cell() (formula injection).

- ``csv_response`` / ``xlsx_response``: a header and rows (a register's figures, dotted keys);
- ``csv_stream_response``: a long list, written as it is read (a register's records list);
- ``html_tables`` and ``xlsx_tables_bytes``: the tables of a rendered page, a sheet each,
  laid out as the page shows them (caption, header cells, rows; numbers and percentages as
  numbers), so that the XLSX report is the report page, not a list of keys.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser

from django.http import HttpResponse, StreamingHttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that a spreadsheet would run as a formula is prefixed with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_cell(value):
    """safe_cell(), and a carriage return made a line feed: the csv module quotes a field
    only for the characters of its line terminator ("\n"), so a bare "\r" would be left
    unquoted and end the row in a spreadsheet, starting a new cell after it ("\r=1+1")."""
    if value is None:
        return ""
    value = safe_cell(value)
    if isinstance(value, str) and "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue()


def xlsx_bytes(sheets: dict[str, tuple[Sequence[str], Iterable[Sequence]]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([safe_cell(h) for h in header])
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_response(filename: str, header, rows) -> HttpResponse:
    response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(filename: str, sheets) -> HttpResponse:
    return xlsx_content_response(filename, xlsx_bytes(sheets))


def xlsx_content_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Line:
    """A file-like object that hands back what the csv module writes to it."""

    def write(self, text: str) -> str:
        return text


def csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text of csv_text(), a line at a time (nothing is held but the current row)."""
    writer = csv.writer(_Line(), lineterminator="\n")
    yield writer.writerow([_csv_cell(h) for h in header])
    for row in rows:
        yield writer.writerow([_csv_cell(v) for v in row])


def csv_stream_response(filename: str, header, rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """A CSV download written while the rows are read (a long list, not held in memory)."""
    response = StreamingHttpResponse(
        (line.encode() for line in csv_lines(header, rows)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---- the tables of a page ------------------------------------------------------------------


@dataclass
class HtmlTable:
    """One <table> of a page: its caption (or, without one, the heading above it), its
    header rows (<thead>) and its body rows, each cell (text, is a <th>)."""

    caption: str
    head: list[list[str]] = field(default_factory=list)
    body: list[list[tuple[str, bool]]] = field(default_factory=list)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
SKIPPED = {"script", "style", "template"}
NOT_PRINTED = "sg-no-print"  # a page's controls (a "Change" link): not part of the figures


def _tidy(text: str) -> str:
    """Whitespace as a browser shows it: runs made one space; a <br> kept as a line break."""
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


class _Reader(HTMLParser):
    """Collects the text of a page; subclasses say where it goes. The text of a script or
    style, and of a page's controls (``sg-no-print``), is left out: to the end of the element
    that started it, counted by its own tag name (an unclosed <p> inside cannot unbalance it).
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self._skip_tag = ""  # the element whose text is left out
        self._skip_depth = 0

    def handle_starttag(self, tag, attrs):
        if self._skip_tag:
            self._skip_depth += tag == self._skip_tag
            return
        if tag in VOID:
            if tag == "br":
                self.text("\n")
            return
        classes = (dict(attrs).get("class") or "").split()
        if tag in SKIPPED or NOT_PRINTED in classes:
            self._skip_tag, self._skip_depth = tag, 1
            return
        self.start(tag, dict(attrs))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self._skip_tag:
            if tag == self._skip_tag:
                self._skip_depth -= 1
                if not self._skip_depth:
                    self._skip_tag = ""
            return
        if tag not in VOID:
            self.end(tag)

    def handle_data(self, data):
        if not self._skip_tag:
            self.text(data)

    def start(self, tag: str, attrs: dict) -> None:
        pass

    def end(self, tag: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass


class _TextReader(_Reader):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def text(self, data):
        self.parts.append(data)


def html_text(html: str) -> str:
    """The text a page shows for a fragment of HTML (a list cell), without its markup."""
    if "<" not in html and "&" not in html:
        return _tidy(html)
    reader = _TextReader()
    reader.feed(html)
    reader.close()
    return _tidy("".join(reader.parts))


class _TableReader(_Reader):
    def __init__(self):
        super().__init__()
        self.tables: list[HtmlTable] = []
        self._table: HtmlTable | None = None
        self._nested = 0  # a table inside a cell: its text belongs to the cell
        self._section = "tbody"
        self._row: list[tuple[str, bool, int]] | None = None
        self._cell: list[str] | None = None
        self._cell_is_header = False
        self._colspan = 1
        self._caption: list[str] | None = None
        self._heading: list[str] | None = None
        self._last_heading = ""

    def start(self, tag, attrs):
        if tag == "table":
            if self._table is not None:
                self._nested += 1
                return
            self._table = HtmlTable(caption="")
            self._section = "tbody"
        elif self._table is None:
            if re.fullmatch(r"h[1-6]", tag):
                self._heading = []
        elif self._nested:
            return
        elif tag == "caption":
            self._caption = []
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = tag
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            if self._row is None:
                self._row = []
            self._cell, self._cell_is_header = [], tag == "th"
            try:
                self._colspan = max(1, min(int(attrs.get("colspan") or 1), 100))
            except ValueError:
                self._colspan = 1

    def end(self, tag):
        if tag == "table":
            if self._nested:
                self._nested -= 1
                return
            if self._table is not None:
                self._end_row()
                if not self._table.caption:
                    self._table.caption = self._last_heading
                self.tables.append(self._table)
            self._table = None
        elif self._table is None:
            if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
                self._last_heading = _tidy("".join(self._heading)).replace("\n", " ")
                self._heading = None
        elif self._nested:
            return
        elif tag == "caption" and self._caption is not None:
            self._table.caption = _tidy("".join(self._caption)).replace("\n", " ")
            self._caption = None
        elif tag in ("td", "th"):
            self._end_cell()
        elif tag == "tr":
            self._end_row()
        elif tag in ("thead", "tbody", "tfoot"):
            self._end_row()
            self._section = "tbody"

    def text(self, data):
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)
        elif self._heading is not None:
            self._heading.append(data)

    def _end_cell(self):
        if self._cell is None:
            return
        self._row.append((_tidy("".join(self._cell)), self._cell_is_header, self._colspan))
        self._cell = None

    def _end_row(self):
        self._end_cell()
        if self._row is None or self._table is None:
            return
        cells: list[tuple[str, bool]] = []
        for text, is_header, span in self._row:
            cells += [(text, is_header)] + [("", is_header)] * (span - 1)
        if self._section == "thead":
            self._table.head.append([text for text, _ in cells])
        else:
            self._table.body.append(cells)
        self._row = None


def html_tables(html: str) -> list[HtmlTable]:
    """Every <table> of a page, in the page's order."""
    reader = _TableReader()
    reader.feed(html)
    reader.close()
    return reader.tables


_PLAIN = r"-?(?:0|[1-9]\d*)(?:\.\d+)?"  # 12, 0.5, -3 (not 007: a code, kept as text)
_GROUPED = r"-?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?"  # 1,234
NUMBER = re.compile(rf"(?:{_PLAIN}|{_GROUPED})")


def cell_value(text: str) -> tuple[object, str | None]:
    """A cell as a spreadsheet should hold it, and its number format: "12" a number, "1,234"
    a number shown with its thousands, "12.5%" the fraction 0.125 shown as a percentage with
    the page's decimals; anything else the page's text (the writer puts every cell through
    safe_cell)."""
    shown = text.strip()
    percent = shown.endswith("%")
    number = shown[:-1].rstrip() if percent else shown
    if not NUMBER.fullmatch(number):
        return text, None
    decimals = len(number.partition(".")[2])
    places = "." + "0" * decimals if decimals else ""
    value = Decimal(number.replace(",", ""))
    if percent:
        return float(value / 100), f"0{places}%"
    grouped = "," in number
    if not decimals and not grouped:
        return int(value), None
    return (int(value) if not decimals else float(value)), ("#,##0" if grouped else "0") + places


SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text: str, number: int | None = None) -> str:
    """A sheet's name from a caption (31 characters at most, none of the characters a sheet's
    name may not hold), after the table's number when it has one."""
    name = " ".join(SHEET_FORBIDDEN.sub(" ", text).split()).strip("'")
    if number is not None:
        name = f"{number} {name}" if name else f"Table {number}"
    if len(name) > 31:
        name = name[:31].rstrip(" ,;.-(")
    return name or "Sheet"


def xlsx_tables_bytes(
    tables: Sequence[HtmlTable],
    last: dict[str, tuple[Sequence[str], Iterable[Sequence]]],
    *,
    title: str = "",
) -> bytes:
    """A sheet per table, in the page's order (the caption in bold above the table's header
    cells, then its rows, numbers and percentages as numbers), then the ``last`` sheets
    (header and rows, as xlsx_bytes()). ``title``: the workbook's document title."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    workbook.properties.title = title or None
    bold, heading = Font(bold=True), Font(bold=True, size=12)
    wrap = Alignment(wrap_text=True, vertical="top")

    def cell(sheet, value, *, font=None, number_format=None):
        found = WriteOnlyCell(sheet, value=safe_cell(value))
        if font is not None:
            found.font = font
        if number_format:
            found.number_format = number_format
        if isinstance(value, str) and "\n" in value:
            found.alignment = wrap
        return found

    for number, table in enumerate(tables, start=1):
        sheet = workbook.create_sheet(title=sheet_title(table.caption, number))
        rows = [*table.head, *([text for text, _ in row] for row in table.body)]
        widths: dict[int, int] = {}
        for row in rows:
            for i, text in enumerate(row):
                longest = max((len(line) for line in text.split("\n")), default=0)
                widths[i] = max(widths.get(i, 0), longest)
        for i, width in widths.items():
            sheet.column_dimensions[get_column_letter(i + 1)].width = min(max(width + 2, 8), 60)
        sheet.freeze_panes = f"A{2 + len(table.head)}"
        sheet.append([cell(sheet, table.caption, font=heading)])
        for row in table.head:
            sheet.append([cell(sheet, text, font=bold) for text in row])
        for row in table.body:
            out = []
            for text, is_header in row:
                if is_header:
                    out.append(cell(sheet, text, font=bold))
                else:
                    value, number_format = cell_value(text)
                    out.append(cell(sheet, value, number_format=number_format))
            sheet.append(out)
    for title, (header, rows) in last.items():
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([safe_cell(h) for h in header])
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_list_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """A list (a register's records) as one sheet: its header in bold, its rows as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title))
    sheet.freeze_panes = "A2"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    heads = []
    for text in header:
        head = WriteOnlyCell(sheet, value=safe_cell(text))
        head.font = bold
        heads.append(head)
    sheet.append(heads)
    for row in rows:
        cells = []
        for value in row:
            found = WriteOnlyCell(sheet, value=safe_cell(value))
            if isinstance(value, str) and "\n" in value:
                found.alignment = wrap
            cells.append(found)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
