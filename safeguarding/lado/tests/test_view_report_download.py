"""The CSV and XLSX downloads of the LADO figures, and formula-injection safety."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from safeguarding.core.exports import csv_response, csv_text, safe_cell, xlsx_bytes
from safeguarding.lado import services

NAME = "Zebedee Quartermaine"
CRAFTED = ['=HYPERLINK("http://evil.example")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.fixture
def figures(lado_case, officer, school):
    """2016-17: one pending primary-school referral; 2015-16: one substantiated."""
    services.case_create(
        acting_user=officer,
        owning_agency=school,
        contact_date=dt.date(2015, 10, 1),
        employer_sector="primary_school",
        threshold_met=True,
        harm_test="harmed",
        outcome="substantiated",
        outcome_date=dt.date(2015, 12, 1),
    )


def url(fmt: str, year: str = "2016-17") -> str:
    return reverse("lado:report_download", args=[year, fmt])


def test_csv_download_has_the_figures_and_the_previous_year(client_for, reader, figures):
    response = client_for(reader).get(url("csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="lado-2016-17.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["figure", "2016-17", "2015-16"]
    table = {name: (this, before) for name, this, before in rows[1:]}
    assert table["contacts.total"] == ("1", "1")
    assert table["referrals.Q1"] == ("1", "0")
    assert table["outcomes.pending"] == ("1", "0")
    assert table["outcomes.substantiated"] == ("0", "1")
    assert table["outcomes_by_sector.primary_school.total"] == ("1", "1")
    assert NAME not in response.content.decode()


def test_xlsx_download_opens_with_openpyxl(client_for, reader, figures):
    response = client_for(reader).get(url("xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="lado-2016-17.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["LADO 2016-17"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("figure", "2016-17", "2015-16")
    table = {name: (this, before) for name, this, before in rows[1:]}
    assert table["contacts.total"] == (1, 1)
    assert table["outcomes.substantiated"] == (0, 1)
    assert all(NAME not in str(cell) for row in rows for cell in row)


@pytest.mark.parametrize("fmt", ["pdf", "json", "csv.exe"])
def test_an_unknown_format_is_404(client_for, reader, fmt):
    assert client_for(reader).get(url(fmt)).status_code == 404


def test_a_year_that_is_not_a_year_is_404(client_for, reader):
    assert client_for(reader).get(url("csv", "20x6")).status_code == 404


def test_administrator_without_a_grant_gets_403(client_for, admin, figures):
    assert client_for(admin).get(url("csv")).status_code == 403
    assert client_for(admin).get(url("xlsx")).status_code == 403


def test_anonymous_is_sent_to_sign_in(client_for, db):
    response = client_for(None).get(url("csv"))
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={url('csv')}"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_wrong_method_gets_405(client_for, reader, method):
    assert getattr(client_for(reader), method)(url("csv")).status_code == 405


# --- formula injection: every export goes through safe_cell ----------------------------


@pytest.mark.parametrize("value", CRAFTED)
def test_safe_cell_neutralises_formula_prefixes(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Brockley Rise", "2016-17", "", "a=b", "x+1"])
def test_safe_cell_leaves_ordinary_text_alone(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [0, 7, -3, 1.5, None])
def test_safe_cell_leaves_numbers_alone(value):
    assert safe_cell(value) == value


def test_a_csv_export_containing_crafted_values_is_neutralised():
    response = csv_response("x.csv", ["=header", "name"], [(v, "ok") for v in CRAFTED])
    rows = list(csv.reader(io.StringIO(response.content.decode(), newline="")))
    assert rows[0][0] == "'=header"
    assert len(rows) == len(CRAFTED) + 1
    for value, row in zip(CRAFTED, rows[1:], strict=True):
        assert row == ["'" + value.replace("\r", "\n"), "ok"]
    for row in rows:
        assert not row[0].startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize(
    "value, cell",
    [
        ('x","=1+1', 'x","=1+1'),  # a quote cannot close the cell early
        ("x\r=1+1", "x\n=1+1"),  # nor can a carriage return start a new row
        ("x\r\n=1+1", "x\n=1+1"),
        ("x\n=1+1", "x\n=1+1"),
    ],
)
def test_a_crafted_value_cannot_break_out_of_its_csv_cell(value, cell):
    text = csv_text(["a", "b"], [[value, "=2"]])
    # Read as a spreadsheet would: any CR or LF outside quotes ends the row.
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["a", "b"], [cell, "'=2"]]
    unquoted = text.split('"')[::2]
    assert not any("\r" in part for part in unquoted)
    assert text.count("\n") - sum(part.count("\n") for part in text.split('"')[1::2]) == 2


def test_an_xlsx_export_containing_crafted_values_has_no_formulas():
    content = xlsx_bytes({"Sheet": (["=header"], [(v,) for v in CRAFTED])})
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [row[0] for row in sheet.iter_rows()]
    assert all(cell.data_type == "s" for cell in cells)
    # (XML stores a carriage return as a line feed: still text, still quoted.)
    values = [c.value.replace("\n", "\r") for c in cells]
    assert values == ["'=header"] + ["'" + v.replace("\n", "\r") for v in CRAFTED]
