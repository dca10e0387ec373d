"""A register declared in one place gets every generic page (core/registers.py).

The example register (example/register.py) is a declaration and nothing else: no views,
no URLs of its own, no list, import or report templates. Declared, it has a records list
with search and filters, an import (small files at once, big ones in the task queue behind
a progress page), a report page with its chart and downloads, worklist items and an
annual-report chapter, each behind the module's permission.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from safeguarding.core import permissions, registers
from safeguarding.core.models import AccessEvent, ImportJob, User
from safeguarding.core.periods import FinancialYear

from .example.register import REGISTER

pytestmark = pytest.mark.urls("safeguarding.core.tests.example.urls")
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def example_module(settings):
    """The module and its register exist for these tests only."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [Path(__file__).parent / "example" / "templates"]}
    ]
    settings.TASKS = IMMEDIATE
    permissions.register_module("example", "People", records_url="example:list")
    registers.register(REGISTER)
    yield
    registers.REGISTERS.pop(REGISTER.slug)
    permissions.MODULES.pop("example")
    permissions.MODULE_LINKS.pop("example")


def joined(user: User, day: dt.date) -> User:
    user.date_joined = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    user.save()
    return user


@pytest.fixture
def people(council, school):
    joined(make_user("ada@example.org", council), dt.date(2016, 5, 3))
    joined(make_user("bea@example.org", school), dt.date(2016, 11, 20))
    joined(make_user("cy@example.org", council), dt.date(2015, 7, 1))


@pytest.fixture
def officer(council):
    return joined(
        make_user("officer@example.org", council, {"example": "officer"}), dt.date(2014, 1, 1)
    )


@pytest.fixture
def contributor(school):
    return joined(
        make_user("contrib@example.org", school, {"example": "contributor"}), dt.date(2014, 1, 2)
    )


@pytest.fixture
def reader(council):
    return joined(
        make_user("reader@example.org", council, {"example": "reader"}), dt.date(2014, 1, 3)
    )


def test_the_list_shows_the_declared_columns_and_is_access_logged(client_for, officer, people):
    html = client_for(officer).get(reverse("example:list")).content.decode()
    assert '<h1 class="govuk-heading-l">People who work with the partnership</h1>' in html
    assert ">Name</th>" in html and ">Joined</th>" in html and ">Agency</th>" in html
    assert "3 May 2016" in html and "Children&#x27;s Social Care" in html
    assert "Import a file" in html  # officers import
    assert AccessEvent.objects.filter(module="example", kind="list").exists()


def test_the_list_is_scoped_filtered_and_searched_without_the_text_in_the_url(
    client_for, contributor, people
):
    client = client_for(contributor)
    html = client.get(reverse("example:list")).content.decode()
    assert "bea@example.org" in html or "bea" in html  # the school's people
    assert "ada" not in html  # the council's people are not the school's
    assert "Import a file" not in html  # contributors do not import
    response = client.post(reverse("example:list"), {"q": "contrib"})
    assert response.status_code == 302 and "contrib" not in response["Location"]
    html = client.get(reverse("example:list")).content.decode()
    assert "1 record" in html and "Clear search" in html
    client.post(reverse("example:search_clear"))
    assert "2 records" in client.get(reverse("example:list")).content.decode()
    html = client.get(reverse("example:list") + "?year=2016-17").content.decode()
    assert "1 record" in html


def test_a_reader_gets_figures_but_not_the_list(client_for, reader, people):
    client = client_for(reader)
    assert client.get(reverse("example:list")).status_code == 403
    response = client.get(reverse("example:report") + "?year=2016-17")
    assert response.status_code == 200
    html = response.content.decode()
    assert "People joining the partnership: 2016-17" in html
    assert '<td class="govuk-table__cell" id="joined-total">2</td>' in html
    assert '<td class="govuk-table__cell" id="joined-before">1</td>' in html
    chart = reverse("example:report_chart", kwargs={"year": "2016-17", "chart": "joined"})
    assert f'src="{chart}"' in html
    svg = client.get(chart)
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert client.get(chart.replace("joined", "other")).status_code == 404


def test_the_report_defaults_to_the_last_ended_year_with_records_and_offers_this_year(
    client_for, reader, people
):
    html = client_for(reader).get(reverse("example:report")).content.decode()
    current = FinancialYear.current()
    assert f'<option value="{current}"' in html  # the current year can be reached
    assert "People joining the partnership: " in html


def test_the_downloads_hold_this_year_beside_the_previous(client_for, reader, people):
    client = client_for(reader)
    url = reverse("example:report_download", kwargs={"year": "2016-17", "fmt": "csv"})
    response = client.get(url)
    assert response["Content-Disposition"] == 'attachment; filename="example-people-2016-17.csv"'
    lines = response.content.decode().splitlines()
    assert lines[0] == "figure,2016-17,2015-16"
    assert "total,2,1" in lines
    from openpyxl import load_workbook

    xlsx = client.get(url.replace(".csv", ".xlsx"))
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["1 People who joined, 2016-17", "People 2016-17"]
    assert list(book.worksheets[0].iter_rows(values_only=True)) == [
        ("People who joined, 2016-17", None, None),
        ("Joined", 2, 1),
    ]
    assert ("total", 2, 1) in list(book["People 2016-17"].iter_rows(values_only=True))
    assert client.get(url.replace(".csv", ".pdf")).status_code == 404
    bad = reverse("example:report_download", kwargs={"year": "2016-99", "fmt": "csv"})
    response = client.get(bad)
    assert response.status_code == 404
    assert response.content.decode().startswith("That is not a financial year: choose a year")


def upload(text: str, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_a_small_import_is_done_at_once_and_a_bad_one_lists_every_problem(client_for, officer):
    client = client_for(officer)
    page = client.get(reverse("example:import")).content.decode()
    assert '<h1 class="govuk-heading-l">Import people</h1>' in page and "joined (required)" in page
    bad = client.post(
        reverse("example:import"),
        {"file": upload("email,full_name,joined\nx@example.org,X,2016-13-01\n,Y,2016-01-01\n")},
    )
    html = bad.content.decode()
    assert "row 2, column joined: &#x27;2016-13-01&#x27; is not a real date" in html
    assert "row 3, column email: is required" in html
    assert not User.objects.filter(email="x@example.org").exists()
    good = client.post(
        reverse("example:import"),
        {"file": upload("email,full_name,joined\nx@example.org,X,2016-06-01\n")},
    )
    assert good.status_code == 302
    assert User.objects.filter(email="x@example.org").exists()


def test_a_big_upload_runs_in_the_task_queue_behind_a_progress_page(
    client_for, officer, contributor, settings
):
    settings.IMPORT_BACKGROUND_BYTES = 100
    rows = "".join(f"p{i}@example.org,Person {i},2016-06-01\n" for i in range(20))
    client = client_for(officer)
    response = client.post(
        reverse("example:import"), {"file": upload("email,full_name,joined\n" + rows)}
    )
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("example:import_progress", kwargs={"job": job.pk})
    assert (job.status, job.rows, job.content) == ("done", 20, b"")  # the file is not kept
    html = client.get(response["Location"]).content.decode()
    assert "20 rows checked: 20 were created, 0 were updated, 0 unchanged" in html
    # Only the person who uploaded it sees the job; others get 404, as for a missing one.
    other = make_user("other.officer@example.org", officer.agency, {"example": "officer"})
    assert client_for(other).get(response["Location"]).status_code == 404
    assert client_for(contributor).get(response["Location"]).status_code == 403


def test_a_big_upload_with_problems_lists_every_one_and_imports_nothing(
    client_for, officer, settings
):
    settings.IMPORT_BACKGROUND_BYTES = 100
    rows = "".join(f"p{i}@example.org,Person {i},2016-02-30\n" for i in range(12))
    client = client_for(officer)
    response = client.post(
        reverse("example:import"), {"file": upload("email,full_name,joined\n" + rows)}
    )
    html = client.get(response["Location"]).content.decode()
    assert "There is a problem with the file: nothing was imported" in html
    assert html.count("is not a real date") == 12  # every error, not the first 200 only
    assert not User.objects.filter(email__startswith="p0@").exists()


def test_the_upload_refuses_a_file_over_the_limit(client_for, officer, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 50
    response = client_for(officer).post(
        reverse("example:import"), {"file": upload("email,full_name,joined\n" + "a" * 100)}
    )
    assert "The file is larger than 50 bytes" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_every_generic_page_declares_the_modules_permission(client, contributor):
    from django.urls import get_resolver

    pages = {p.name: p.callback for p in get_resolver().url_patterns[-1].url_patterns}
    assert set(pages) == {
        "list",
        "list_download",
        "search_clear",
        "import",
        "import_progress",
        "report",
        "report_year",
        "report_chart",
        "report_download",
    }
    for view in pages.values():
        assert view.requirement.module == "example"
    assert client.get(reverse("example:list")).status_code == 302  # anonymous: sign in


def test_worklist_items_come_from_the_declaration_and_follow_scope(contributor, officer, people):
    items = registers.worklist_for(officer, dt.date(2017, 1, 1))
    assert {i.reference for i in items} >= {
        f"person {u.pk}" for u in User.objects.filter(last_login__isnull=True)
    }
    assert all(i.overdue for i in items)
    school_items = registers.worklist_for(contributor, dt.date(2017, 1, 1))
    assert {i.reference for i in school_items} == {
        f"person {u.pk}" for u in User.objects.filter(agency=contributor.agency)
    }


def test_the_annual_report_chapter_comes_from_the_declaration(people):
    chapters = dict((reg.slug, chapter) for reg, chapter in registers.chapters())
    chapter = chapters["example-people"]
    assert (chapter.title, chapter.template) == ("Our people", "example/report_tables.html")
    from django.template.loader import render_to_string

    html = render_to_string(chapter.template, chapter.context(FinancialYear(2016)))
    assert 'id="joined-total">2<' in html and 'id="joined-before">1<' in html
