"""The XLSX report is laid out like the report page (core/register_views.py: report_xlsx).

A sheet per table of the page, in the page's order: the table's caption above its header
cells and its rows, numbers as numbers and percentages as percentages; then every figure by
its dotted key on a last sheet named as the single-sheet download was ("LADO 2016-17"), as
the CSV has them. Tested on every register
with a report, against its page, with a small partnership's generated records.
"""

from __future__ import annotations

import html as htmllib
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import GENERATED_YEARS, make_user
from safeguarding.core import registers
from safeguarding.core.exports import (
    cell_value,
    html_tables,
    html_text,
    sheet_title,
    xlsx_tables_bytes,
)
from safeguarding.core.register_views import download_rows, figures_sheet

ALL_FIGURES = "All figures"  # the name a plain sheet is given in the writer's own tests

REPORTS = sorted(
    (r for r in registers.REGISTERS.values() if r.web_report), key=lambda r: r.slug
)  # fmt: skip
YEAR = GENERATED_YEARS[-1]


@pytest.fixture
def partnership(generate_years):
    """Two years (2019-20, 2020-21) of every module's records, at a small scale."""
    from safeguarding.core.generate import module_generators

    for _label, generator in module_generators():
        generate_years(generator, scale=0.02, seed=7)


def text_of(fragment: str) -> str:
    """What a browser shows of a fragment (tags dropped, entities read, spaces collapsed)."""
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def page_tables(page: str) -> list[tuple[str, list[str], list[str]]]:
    """(caption, header cells, body cells) of each table of the page, read with regular
    expressions (not the parser the download uses)."""
    main = page[page.index("<main") :]
    found = []
    for table in re.findall(r"<table\b.*?</table>", main, flags=re.S):
        caption = re.search(r"<caption[^>]*>(.*?)</caption>", table, flags=re.S)
        head = re.search(r"<thead[^>]*>(.*?)</thead>", table, flags=re.S)
        heads = re.findall(r"<th\b[^>]*>(.*?)</th>", head.group(1), flags=re.S) if head else []
        cells = re.findall(r"<td\b[^>]*>(.*?)</td>", table, flags=re.S)
        found.append(
            (
                text_of(caption.group(1)) if caption else "",
                [text_of(h) for h in heads],
                [text_of(c) for c in cells],
            )
        )
    return found


PERCENT = re.compile(r"\d+(?:\.\d+)?%")
COUNT = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*")


@pytest.mark.parametrize("reg", REPORTS, ids=[r.slug for r in REPORTS])
def test_the_workbook_has_a_sheet_per_table_of_the_page(reg, client_for, council, partnership):
    reader = make_user(f"reader-{reg.slug}@example.org", council, {reg.module: "reader"})
    client = client_for(reader)
    page = client.get(reverse(f"{reg.ns}:report_year", args=[YEAR.label]))
    assert page.status_code == 200
    tables = page_tables(page.content.decode())
    assert tables, f"{reg.slug}: the page shows no table"

    response = client.get(reverse(f"{reg.ns}:report_download", args=[YEAR.label, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{reg.slug}-{YEAR}.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[-1] == figures_sheet(reg, YEAR)  # the old single sheet's name
    assert len(book.sheetnames) == len(tables) + 1
    assert book.properties.title == f"{reg.figures.sheet or reg.label} {YEAR}"

    percentages = 0
    for number, (sheet, (caption, heads, cells)) in enumerate(
        zip(book.worksheets, tables, strict=False), start=1
    ):
        assert sheet.title == sheet_title(caption, number)
        rows = list(sheet.iter_rows())
        assert rows[0][0].value == caption and rows[0][0].font.bold
        if heads:
            assert [c.value for c in rows[1]][: len(heads)] == heads, sheet.title
            assert all(c.font.bold for c in rows[1][: len(heads)])
        # Every cell that is a percentage on the page is a number shown as a percentage.
        shown = [c for c in cells if PERCENT.fullmatch(c)]
        numeric = [c for row in rows for c in row if (c.number_format or "").endswith("%")]
        assert len(numeric) == len(shown), sheet.title
        for cell, text in zip(numeric, shown, strict=True):
            # (A workbook stores 0% and 100% as 0 and 1: read back as whole numbers.)
            assert isinstance(cell.value, int | float), (sheet.title, cell.coordinate)
            assert cell.value == pytest.approx(float(text[:-1]) / 100)
        percentages += len(numeric)
        # And every count is a number.
        counts = [int(c.replace(",", "")) for c in cells if COUNT.fullmatch(c)]
        body = [c for row in rows[1 + bool(heads) :] for c in row if c not in numeric]
        ints = [c.value for c in body if isinstance(c.value, int) and c.value > 0]
        assert sorted(ints) == sorted(counts), sheet.title

    figures = list(book[figures_sheet(reg, YEAR)].iter_rows(values_only=True))
    header, rows = download_rows(reg, YEAR)
    assert figures[0] == tuple(header)
    assert len(figures) == len(rows) + 1


def test_some_register_shows_a_percentage_and_the_workbook_keeps_it_numeric(
    client_for, council, partnership
):
    """The walk above checks each register's percentages; this one makes sure it met some."""
    reg = registers.get("lado")
    reader = make_user("pct-reader@example.org", council, {reg.module: "reader"})
    client = client_for(reader)
    url = reverse(f"{reg.ns}:report_download", args=[YEAR.label, "xlsx"])
    book = load_workbook(io.BytesIO(client.get(url).content))
    cells = [
        c
        for sheet in book.worksheets[:-1]
        for row in sheet.iter_rows()
        for c in row
        if (c.number_format or "").endswith("%")
    ]
    assert cells and all(isinstance(c.value, int | float) and 0 <= c.value <= 1 for c in cells)
    assert any(0 < c.value < 1 for c in cells)
    assert {c.number_format for c in cells} == {"0.0%"}


# ---- the parts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, number_format",
    [
        ("12", 12, None),
        ("0", 0, None),
        ("-3", -3, None),
        ("1,234", 1234, "#,##0"),
        ("1,234.5", 1234.5, "#,##0.0"),
        ("7.25", 7.25, "0.00"),
        ("12%", 0.12, "0%"),
        ("12.5%", 0.125, "0.0%"),
        ("100.0%", 1.0, "0.0%"),
        (" 40 ", 40, None),
        ("–", "–", None),
        ("007", "007", None),  # a code, not a number
        ("3 (25.0%)", "3 (25.0%)", None),  # two figures in a cell: the page's text
        ("2016-17", "2016-17", None),
        ("Q1", "Q1", None),
        ("", "", None),
    ],
)
def test_cells_are_numbers_percentages_or_the_pages_text(text, value, number_format):
    assert cell_value(text) == (value, number_format)


PAGE = """
<h2 class="govuk-heading-m">Table 1: contacts</h2>
<table class="govuk-table">
  <caption class="govuk-table__caption govuk-visually-hidden">Contacts  by
     quarter</caption>
  <thead><tr><th>Quarter</th><th>2016-17 <span class="sg-nowrap">(this year)</span></th></tr></thead>
  <tbody>
  <tr><th scope="row">Q1</th><td>12</td></tr>
  <tr><th scope="row">Total</th><td><strong>1,234</strong></td></tr>
  <tr><td colspan="2">No more &amp; nothing else</td></tr>
  </tbody>
</table>
<p>Text between tables is not a table.</p>
<h2>Outcomes by sector</h2>
<table><tr><th>Outcome</th><th>%</th></tr>
<tr><th>Substantiated</th><td>25.0%</td></tr>
<tr><td>Line one<br>line two <a class="sg-no-print" href="/x">Change<span> this</span></a></td></tr>
</table>
"""


def test_the_tables_of_a_page_are_read_with_their_captions_headers_and_cells():
    first, second = html_tables(PAGE)
    assert first.caption == "Contacts by quarter"
    assert first.head == [["Quarter", "2016-17 (this year)"]]
    assert first.body == [
        [("Q1", True), ("12", False)],
        [("Total", True), ("1,234", False)],
        [("No more & nothing else", False), ("", False)],  # a colspan keeps the columns
    ]
    assert second.caption == "Outcomes by sector"  # no caption: the heading above it
    assert second.head == []
    assert second.body[0] == [("Outcome", True), ("%", True)]
    assert second.body[2] == [("Line one\nline two", False)]  # controls are not figures


def test_a_workbook_of_tables_neutralises_formulas_and_keeps_numbers():
    tables = html_tables(
        "<table><caption>=HYPERLINK(&quot;http://evil.example&quot;)</caption>"
        "<thead><tr><th>@SUM(A1)</th><th>+1</th></tr></thead>"
        "<tr><th>-2+3</th><td>=1+1</td><td>-4</td><td>50%</td></tr></table>"
    )
    content = xlsx_tables_bytes(tables, {ALL_FIGURES: (["figure", "=x"], [("a", "=2")])})
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ['1 =HYPERLINK("http evil.example', ALL_FIGURES]
    rows = list(book.worksheets[0].iter_rows())
    assert rows[0][0].value == '\'=HYPERLINK("http://evil.example")'
    assert [c.value for c in rows[1]][:2] == ["'@SUM(A1)", "'+1"]
    assert [c.value for c in rows[2]] == ["'-2+3", "'=1+1", -4, 0.5]
    assert rows[2][3].number_format == "0%"
    assert all(c.data_type != "f" for row in rows for c in row)
    assert list(book[ALL_FIGURES].iter_rows(values_only=True)) == [
        ("figure", "'=x"),
        ("a", "'=2"),
    ]


def test_sheet_names_are_short_numbered_and_legal():
    assert sheet_title("Referrals by quarter, with strategy meetings and more", 2) == (
        "2 Referrals by quarter, with st"
    )
    assert sheet_title("What: [this]/that? *", 3) == "3 What this that"
    assert sheet_title("", 4) == "Table 4"
    assert len(sheet_title("x" * 100, 12)) == 31


@pytest.mark.parametrize(
    "fragment, text",
    [
        ("Children&#x27;s Social Care", "Children's Social Care"),
        ("Zebedee Quartermaine<br>\n  <span class=\"govuk-body-s\">Class teacher</span>", (
            "Zebedee Quartermaine\nClass teacher"
        )),
        ('<strong class="govuk-tag govuk-tag--red">  Late </strong>', "Late"),
        ('a <span class="sg-no-print"><p>unclosed <span>x</span></span> b', "a b"),
        ("a<script>var x = '<b>';</script> b<br/>", "a b"),
        ("–", "–"),
    ],
)  # fmt: skip
def test_a_cells_text_is_what_the_page_shows(fragment, text):
    assert html_text(fragment) == text
