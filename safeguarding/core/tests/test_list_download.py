"""An officer downloads the register list they are looking at (core/register_views.py:
list_download): the same filters and search as the page, every page of it, with the page's
columns as the page shows them (text, without HTML), as CSV or XLSX.

Officers and managers only (they see every record of the module): a contributor's list is
one agency's slice and is not copied out; readers see figures only. Each download is
written to the access log (the register and the number of rows, never the search).
"""

from __future__ import annotations

import csv
import datetime as dt
import html as htmllib
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_user
from safeguarding.core import register_views, registers
from safeguarding.core.models import AccessEvent, User
from safeguarding.core.permissions import ROLE_FROM

from . import test_example_register as example

# The example register's module, people and accounts (test_example_register.py).
example_module, people = example.example_module, example.people
officer, contributor, reader = example.officer, example.contributor, example.reader
joined = example.joined

CSV_URL = "/example/list.csv"
XLSX_URL = "/example/list.xlsx"


def rows_of(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(content, newline="")))


def text_of(fragment: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def page_headers(page: str) -> list[str]:
    head = re.search(r"<thead[^>]*>(.*?)</thead>", page, flags=re.S).group(1)
    return [text_of(h) for h in re.findall(r"<th\b[^>]*>(.*?)</th>", head, flags=re.S)]


def page_rows(page: str) -> list[list[str]]:
    body = re.search(r"<tbody[^>]*>(.*?)</tbody>", page, flags=re.S).group(1)
    return [
        [text_of(c) for c in re.findall(r"<td\b[^>]*>(.*?)</td>", row, flags=re.S)]
        for row in re.findall(r"<tr\b[^>]*>(.*?)</tr>", body, flags=re.S)
    ]


@pytest.mark.urls("safeguarding.core.tests.example.urls")
class TestTheExampleRegister:
    def test_the_list_page_offers_the_download_with_its_filters(self, client_for, officer, people):
        html = client_for(officer).get("/example/?year=2016-17&page=1").content.decode()
        assert f'<a class="govuk-link" href="{CSV_URL}?year=2016-17" download>' in html
        assert "Download this list (CSV)</a>" in html
        assert f'<a class="govuk-link" href="{XLSX_URL}?year=2016-17" download>' in html
        assert "Download this list (XLSX)</a>" in html

    def test_the_csv_has_the_pages_columns_and_filtered_rows(self, client_for, officer, people):
        client = client_for(officer)
        page = client.get("/example/?year=2016-17").content.decode()
        response = client.get(CSV_URL + "?year=2016-17")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        today = dt.date.today().isoformat()
        assert response["Content-Disposition"] == (
            f'attachment; filename="example-people-list-{today}.csv"'
        )
        rows = rows_of(response)
        assert rows[0] == page_headers(page) == ["Name", "Joined", "Agency"]
        assert rows[1:] == page_rows(page)  # as the page shows them, without HTML
        assert [r[0] for r in rows[1:]] == ["ada", "bea"]  # 2016-17 only
        assert rows[1] == ["ada", "3 May 2016", "Children's Social Care"]

    def test_the_search_kept_in_the_session_applies(self, client_for, officer, people):
        client = client_for(officer)
        client.post("/example/", {"q": "be"})
        assert [r[0] for r in rows_of(client.get(CSV_URL))[1:]] == ["bea"]
        client.post(reverse("example:search_clear"))
        assert len(rows_of(client.get(CSV_URL))) > 2

    def test_every_page_of_the_list_is_downloaded(self, client_for, officer, people):
        records = example.REGISTER.records
        object.__setattr__(records, "page_size", 1)  # a page of one person
        try:
            client = client_for(officer)
            page = client.get("/example/?year=2016-17&page=2").content.decode()
            assert page_rows(page) == [["bea", "20 Nov 2016", "Brockley Rise Primary School"]]
            assert f'href="{CSV_URL}?year=2016-17" download>' in page  # not the page number
            rows = rows_of(client.get(CSV_URL + "?year=2016-17&page=2"))
        finally:
            object.__setattr__(records, "page_size", 50)
        assert [r[0] for r in rows[1:]] == ["ada", "bea"]

    def test_the_download_is_access_logged_without_the_search(self, client_for, officer, people):
        client = client_for(officer)
        client.post("/example/", {"q": "bea"})
        rows_of(client.get(CSV_URL + "?year=2016-17"))
        client.get(XLSX_URL)
        logged = list(
            AccessEvent.objects.filter(kind="export")
            .order_by("pk")
            .values_list("module", "user", "detail")
        )
        assert logged == [
            ("example", officer.pk, "example-people list: 1 row as CSV (filtered, searched)"),
            ("example", officer.pk, "example-people list: 1 row as XLSX (searched)"),
        ]
        assert not any("bea" in detail for *_, detail in logged)

    def test_the_xlsx_has_the_same_columns_and_rows(self, client_for, officer, people):
        response = client_for(officer).get(XLSX_URL + "?year=2016-17")
        assert response["Content-Type"] == (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        assert sheet.title == "People who work with the partne"  # 31 characters
        rows = list(sheet.iter_rows())
        assert [c.value for c in rows[0]] == ["Name", "Joined", "Agency"]
        assert all(c.font.bold for c in rows[0])
        assert [[c.value for c in row] for row in rows[1:]] == [
            ["ada", "3 May 2016", "Children's Social Care"],
            ["bea", "20 Nov 2016", "Brockley Rise Primary School"],
        ]

    def test_formulas_in_records_are_neutralised(self, client_for, officer, people):
        evil = User.objects.get(email="ada@example.org")
        evil.full_name = '=HYPERLINK("http://evil.example","x")'
        evil.save()
        client = client_for(officer)
        rows = rows_of(client.get(CSV_URL + "?year=2016-17"))
        assert '\'=HYPERLINK("http://evil.example","x")' in [r[0] for r in rows]
        sheet = load_workbook(io.BytesIO(client.get(XLSX_URL + "?year=2016-17").content)).active
        cells = [row[0] for row in sheet.iter_rows(min_row=2)]
        assert all(c.data_type == "s" for c in cells)
        assert cells[0].value == '\'=HYPERLINK("http://evil.example","x")'

    def test_a_contributor_a_reader_and_the_anonymous_get_no_download(
        self, client_for, contributor, reader, people
    ):
        for user in (contributor, reader):
            for url in (CSV_URL, XLSX_URL):
                assert client_for(user).get(url).status_code == 403
        assert "Download this list" not in client_for(contributor).get("/example/").content.decode()
        response = client_for(None).get(CSV_URL + "?year=2016-17")
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/?next=/example/list.csv")
        assert not AccessEvent.objects.filter(kind="export").exists()

    def test_an_unknown_format_or_method_is_refused(self, client_for, officer):
        assert client_for(officer).get("/example/list.pdf").status_code == 404
        assert client_for(officer).post(CSV_URL).status_code == 405

    def test_a_list_longer_than_the_limit_asks_for_a_filter(
        self, client_for, officer, people, monkeypatch
    ):
        monkeypatch.setattr(register_views, "MAX_LIST_DOWNLOAD_ROWS", 2)
        client = client_for(officer)
        message = "This list has 4 records: filter it to 2 or fewer to download it"
        page = client.get("/example/").content.decode()
        assert message + "." in page and "Download this list" not in page
        response = client.get(CSV_URL)
        assert response.status_code == 400
        assert response.content.decode() == message + ".\n"
        assert not AccessEvent.objects.filter(kind="export").exists()
        assert client.get(CSV_URL + "?year=2016-17").status_code == 200  # filtered: 2 rows


# ---- every register with a records list ------------------------------------------------------

LISTS = sorted(
    (r for r in registers.REGISTERS.values() if r.records is not None), key=lambda r: r.slug
)


def _officer_of(reg, agency):
    module = ROLE_FROM.get(reg.module, (reg.module,))[0]
    return make_user(f"officer-{reg.slug}@example.org", agency, {module: "officer"})


@pytest.fixture
def partnership(generate_years):
    from safeguarding.core.generate import module_generators

    for _label, generator in module_generators():
        generate_years(generator, scale=0.02, seed=11)


@pytest.mark.parametrize("reg", LISTS, ids=[r.slug for r in LISTS])
def test_every_registers_list_downloads_as_its_page_shows_it(reg, client_for, council, partnership):
    client = client_for(_officer_of(reg, council))
    page = client.get(reverse(f"{reg.ns}:list")).content.decode()
    count = int(re.search(r"<p class=\"govuk-body\">(\d+) records?</p>", page).group(1))
    assert count, f"{reg.slug}: the generated partnership has no records to list"
    url = reverse(f"{reg.ns}:list_download", args=["csv"])
    assert url == reverse(f"{reg.ns}:list") + "list.csv"
    assert f'href="{url}" download>Download this list (CSV)</a>' in page
    rows = rows_of(client.get(url))
    assert rows[0] == page_headers(page)
    assert len(rows) == count + 1
    downloaded = [[" ".join(cell.split()) for cell in row] for row in rows[1:]]
    for row in page_rows(page):  # the page's first page, cell for cell, in the download
        assert row in downloaded, (reg.slug, row)
    xlsx = client.get(reverse(f"{reg.ns}:list_download", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == rows[0]
    assert sheet.max_row == count + 1
    assert AccessEvent.objects.filter(kind="export", module=reg.module).count() == 2


@pytest.mark.parametrize("reg", LISTS, ids=[r.slug for r in LISTS])
def test_a_contributor_may_not_download_a_registers_list(reg, client_for, council):
    module = ROLE_FROM.get(reg.module, (reg.module,))[0]
    user = make_user(f"contributor-{reg.slug}@example.org", council, {module: "contributor"})
    client = client_for(user)
    assert client.get(reverse(f"{reg.ns}:list")).status_code == 200
    assert "Download this list" not in client.get(reverse(f"{reg.ns}:list")).content.decode()
    for fmt in ("csv", "xlsx"):
        assert client.get(reverse(f"{reg.ns}:list_download", args=[fmt])).status_code == 403
