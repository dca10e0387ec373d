"""What every register owes, tested once against all of them (core/registers.py).

- its import's documentation (docs/imports/<slug>.md) names exactly the schema's columns,
  in its order, and says "yes" for exactly the required ones;
- its generic pages answer only with the module's permission (anonymous: sign in; no
  grant: 403; the wrong method: 405);
- every upload path refuses a file over IMPORT_MAX_UPLOAD_BYTES and imports nothing;
- a register's generic list (and its download), import, report, chart and download all exist
  where declared.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeguarding.core import registers
from safeguarding.core.models import AuditEvent, ImportJob
from safeguarding.core.periods import FinancialYear

DOCS = Path(__file__).resolve().parents[3] / "docs" / "imports"
REGISTERS = sorted(registers.REGISTERS.values(), key=lambda r: r.slug)
IMPORTS = [r for r in REGISTERS if r.import_schema is not None]
WEB_IMPORTS = [r for r in IMPORTS if r.web_import]


def doc_columns(slug: str) -> list[tuple[str, bool]]:
    """(column, required) from the first column table of docs/imports/<slug>.md."""
    rows = []
    for line in (DOCS / f"{slug}.md").read_text().splitlines():
        m = re.match(r"\|\s*`([a-z_0-9]+)`\s*\|\s*([^|]*)\|", line)
        if m:
            rows.append((m.group(1), m.group(2).strip().lower().startswith("yes")))
        elif rows and not line.startswith("|"):
            break
    return rows


def test_every_register_with_an_import_is_found():
    assert {r.slug for r in IMPORTS} >= {"lado"}
    assert all((DOCS / f"{r.slug}.md").exists() for r in IMPORTS), "an import without docs"


@pytest.mark.parametrize("reg", IMPORTS, ids=[r.slug for r in IMPORTS])
def test_the_import_docs_name_the_schemas_columns(reg):
    schema = [(c.name, c.required) for c in reg.import_schema.columns]
    assert doc_columns(reg.slug) == schema, (
        f"docs/imports/{reg.slug}.md and {reg.import_schema.__name__} disagree"
    )


@pytest.mark.parametrize("reg", IMPORTS, ids=[r.slug for r in IMPORTS])
def test_every_import_column_is_a_field_of_the_record_or_says_where_it_goes(reg):
    """Adding a field to a register touches the model, the import and its docs: they must
    agree. A column is a field of the register's record, or is declared ``elsewhere``."""
    schema = reg.import_schema
    fields = {f.name for f in reg.model._meta.get_fields()}
    strays = [c.name for c in schema.columns if c.name not in fields | set(schema.elsewhere)]
    assert not strays, f"{schema.__name__}: not fields of {reg.model.__name__}: {strays}"
    assert set(schema.elsewhere) <= {c.name for c in schema.columns}


@pytest.mark.parametrize("reg", IMPORTS, ids=[r.slug for r in IMPORTS])
def test_coded_columns_take_only_the_records_codes_and_the_docs_list_them(reg):
    fields = {f.name: f for f in reg.model._meta.get_fields()}
    docs = (DOCS / f"{reg.slug}.md").read_text()
    for column in reg.import_schema.columns:
        codes = getattr(column.parse, "codes", None)
        if not codes:
            continue
        field = fields.get(column.name)
        if field is not None and getattr(field, "choices", None):
            known = {str(value) for value, _label in field.choices}
            assert set(codes) <= known, f"{column.name}: codes the record does not know"
        row = next(line for line in docs.splitlines() if line.startswith(f"| `{column.name}`"))
        missing = [c for c in codes if f"`{c}`" not in row and f" {c}" not in row]
        assert not missing, f"docs/imports/{reg.slug}.md, {column.name}: {missing}"


def _generic_urls(reg) -> list[tuple[str, str]]:
    """(url, method) of each generic page the register declares. The year: the current one,
    which every report offers (an empty register's too)."""
    year = FinancialYear.current().label
    urls = []
    if reg.records is not None:
        urls.append((reverse(f"{reg.ns}:list"), "get"))
        for fmt in ("csv", "xlsx"):
            urls.append((reverse(f"{reg.ns}:list_download", args=[fmt]), "get"))
    if reg.web_import:
        urls.append((reverse(f"{reg.ns}:import"), "get"))
    if reg.web_report:
        urls.append((reverse(f"{reg.ns}:report") + f"?year={year}", "get"))
        urls.append((reverse(f"{reg.ns}:report_year", args=[year]), "get"))
        for fmt in ("csv", "xlsx"):
            urls.append((reverse(f"{reg.ns}:report_download", args=[year, fmt]), "get"))
        for chart in reg.figures.charts:
            urls.append((reverse(f"{reg.ns}:report_chart", args=[year, chart.name]), "get"))
    return urls


WEB_REGISTERS = [r for r in REGISTERS if _generic_urls(r)]


@pytest.mark.parametrize("reg", WEB_REGISTERS, ids=[r.slug for r in WEB_REGISTERS])
def test_the_generic_pages_answer_only_with_the_modules_permission(reg, client_for, council):
    from conftest import make_user

    manager = make_user(f"m-{reg.slug}@example.org", council, {reg.module: "manager"})
    other = "actions" if reg.module != "actions" else "lado"
    stranger = make_user(f"s-{reg.slug}@example.org", council, {other: "manager"})
    for url, _method in _generic_urls(reg):
        assert client_for(None).get(url).status_code == 302, url
        assert client_for(stranger).get(url).status_code == 403, url
        assert client_for(manager).get(url).status_code == 200, url
        assert client_for(manager).delete(url).status_code == 405, url


@pytest.mark.parametrize("reg", WEB_IMPORTS, ids=[r.slug for r in WEB_IMPORTS])
def test_every_register_upload_refuses_an_oversized_file(reg, client_for, council, settings):
    from conftest import make_user

    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    manager = make_user(f"u-{reg.slug}@example.org", council, {reg.module: "manager"})
    header = ",".join(c.name for c in reg.import_schema.columns)
    big = SimpleUploadedFile("big.csv", (header + "\n" + "x," * 600).encode(), "text/csv")
    client = client_for(manager)
    audit_rows = AuditEvent.objects.count()
    response = client.post(reverse(f"{reg.ns}:import"), {"file": big})
    assert response.status_code == 200
    assert "The file is larger than 1,000 bytes" in response.content.decode()
    assert AuditEvent.objects.count() == audit_rows and not ImportJob.objects.exists()


SOURCES = [
    p
    for p in (Path(__file__).resolve().parents[2]).rglob("*.py")
    if "tests" not in p.parts and "migrations" not in p.parts
]


def test_every_upload_goes_through_core_import_form():
    """Core's ImportForm checks the size of every upload: a module that declared its own
    file field, or read request.FILES into anything else, would skip that check."""
    readers = []
    for path in SOURCES:
        source = path.read_text()
        where = path.relative_to(path.parents[2])
        if path.name != "forms.py" or path.parent.name != "core":
            assert "FileField(" not in source, f"{where}: use core.forms.ImportForm"
        if "request.FILES" in source:
            readers.append(where)
            uses_core = (
                "from safeguarding.core.forms import" in source or path.parent.name == "core"
            )
            assert uses_core and "ImportForm(" in source, f"{where}: read uploads with ImportForm"
    assert readers, "the scan found no upload at all"


def test_every_upload_is_held_to_the_limit_by_the_upload_handler(settings):
    """Beneath the form: no request can make the server keep more than the limit on disk."""
    assert "safeguarding.core.imports.LimitedUploadHandler" in settings.FILE_UPLOAD_HANDLERS


# ---- key figures: what a reader sees first, and the board pack's headline ------------------

WITH_FIGURES = [r for r in REGISTERS if r.figures is not None]


@pytest.mark.parametrize("reg", WITH_FIGURES, ids=[r.slug for r in WITH_FIGURES])
def test_every_register_with_figures_declares_key_figures_that_exist(reg, db):
    assert reg.figures.key, f"{reg.slug}: declare Figures(key=(KeyFigure(...), ...))"
    report = reg.figures.year_report(FinancialYear(2016))
    for key in reg.figures.key:
        for path in filter(None, (key.path, key.of)):
            value = registers.KeyFigure("", path).value(report)[0]
            assert isinstance(value, int | float), f"{reg.slug}: {path} is not a figure"
