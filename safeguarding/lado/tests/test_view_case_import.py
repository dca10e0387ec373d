"""The web upload of a LADO file: every problem shown, nothing half-written."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeguarding.core.models import AuditEvent
from safeguarding.lado.models import Case

URL = reverse("lado:import")
NAME = "Zebedee Quartermaine"

HEADER = "reference,contact_date,threshold_met,referral_date,employer_sector,outcome,outcome_date"
GOOD = "\n".join(
    [
        HEADER,
        "IMP-1,2016-04-12,yes,2016-04-13,primary_school,substantiated,2016-06-01",
        "IMP-2,2016-05-02,no,,early_years,,",
        "IMP-3,2016-09-20,yes,,police,pending,",
    ]
)
BAD = "\n".join(
    [
        HEADER,
        "IMP-1,2016-13-45,yes,2016-04-13,primary_school,substantiated,2016-06-01",
        "IMP-2,2016-05-02,no,,spaceship,,",
        "IMP-3,2016-09-20,yes,2016-09-01,police,pending,",
        "IMP-1,2016-04-12,yes,,primary_school,pending,",
    ]
)


def upload(text: str | bytes, name: str = "lado.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text)


def xlsx(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_officer_gets_the_page_with_the_columns(client_for, officer):
    response = client_for(officer).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Import LADO records" in html
    assert "employer_sector" in html and "outcome_date" in html


def test_a_good_file_is_imported(client_for, officer, council):
    response = client_for(officer).post(URL, {"file": upload(GOOD)})
    assert response.status_code == 302
    assert response["Location"] == URL
    assert set(Case.objects.values_list("reference", flat=True)) == {"IMP-1", "IMP-2", "IMP-3"}
    first = Case.objects.get(reference="IMP-1")
    assert (first.outcome, first.is_open, first.owning_agency) == ("substantiated", False, council)
    assert Case.objects.get(reference="IMP-3").referral_date == dt.date(2016, 9, 20)
    assert AuditEvent.objects.filter(action="import", object_type="lado.case").count() == 3


def test_the_result_is_reported_after_the_redirect(client_for, officer):
    client = client_for(officer)
    page = client.post(URL, {"file": upload(GOOD)}, follow=True)
    assert "3 rows checked: 3 were created, 0 were updated, 0 unchanged" in page.content.decode()


def test_importing_the_same_file_twice_changes_nothing(client_for, officer):
    client = client_for(officer)
    client.post(URL, {"file": upload(GOOD)})
    events = AuditEvent.objects.count()
    page = client.post(URL, {"file": upload(GOOD)}, follow=True)
    assert "0 were created, 0 were updated, 3 unchanged" in page.content.decode()
    assert Case.objects.count() == 3
    assert AuditEvent.objects.count() == events


def test_a_bad_file_shows_every_problem_and_writes_nothing(client_for, officer, lado_case):
    client = client_for(officer)
    events = AuditEvent.objects.count()
    response = client.post(URL, {"file": upload(BAD)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem with the file: nothing was imported" in html
    assert "row 2, column contact_date: &#x27;2016-13-45&#x27; is not a real date" in html
    assert "row 3, column employer_sector: &#x27;spaceship&#x27; is not a known code" in html
    assert "row 4, column referral_date: The referral cannot be before the contact date" in html
    assert "row 5, column reference: &#x27;IMP-1&#x27; already appears in row 2" in html
    assert list(Case.objects.all()) == [lado_case]
    assert AuditEvent.objects.count() == events


def test_one_bad_row_among_good_ones_writes_nothing(client_for, officer):
    text = GOOD + "\nIMP-4,2016-10-01,maybe,,police,pending,"
    response = client_for(officer).post(URL, {"file": upload(text)})
    assert "row 5, column threshold_met: &#x27;maybe&#x27; must be yes or no" in (
        response.content.decode()
    )
    assert not Case.objects.exists()


def test_an_unknown_column_is_named(client_for, officer):
    response = client_for(officer).post(URL, {"file": upload(HEADER + ",shoe_size\n")})
    assert "row 1, column shoe_size: unknown column &#x27;shoe_size&#x27;" in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"", "lado.csv", "The submitted file is empty"),
        (b"\n\n", "lado.csv", "row 1, column -: the file is empty: expected a header row"),
        (HEADER.encode(), "lado.csv", "the file has a header but no rows"),
        (b"%PDF-1.4 \x00\x01", "lado.pdf", "the file must be .csv or .xlsx"),
        (b"not a workbook", "lado.xlsx", "this is not a readable .xlsx workbook"),
    ],
)
def test_files_that_cannot_be_read_are_refused(client_for, officer, content, name, message):
    response = client_for(officer).post(URL, {"file": upload(content, name)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Case.objects.exists()


def test_an_xlsx_file_is_imported(client_for, officer):
    content = xlsx(
        [
            ["reference", "contact_date", "threshold_met", "employer_sector", "outcome"],
            ["X-1", dt.datetime(2016, 6, 1), "yes", "health", "pending"],
        ]
    )
    response = client_for(officer).post(URL, {"file": upload(content, "lado.xlsx")})
    assert response.status_code == 302
    assert Case.objects.get().referral_date == dt.date(2016, 6, 1)


def test_a_csv_with_a_bom_and_windows_line_endings(client_for, officer):
    content = "\ufeff" + GOOD.replace("\n", "\r\n") + "\r\n"
    response = client_for(officer).post(URL, {"file": upload(content.encode("utf-8"))})
    assert response.status_code == 302
    assert Case.objects.count() == 3


def test_a_dry_run_checks_and_writes_nothing(client_for, officer):
    page = client_for(officer).post(URL, {"file": upload(GOOD), "dry_run": "on"}, follow=True)
    assert "3 rows checked: 3 would be created" in page.content.decode()
    assert not Case.objects.exists()


def test_a_post_without_a_file_is_an_error(client_for, officer):
    response = client_for(officer).post(URL, {"dry_run": "on"})
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in response.content.decode()


def test_a_file_over_the_upload_limit_is_refused(client_for, officer, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    response = client_for(officer).post(URL, {"file": upload(GOOD)})
    assert response.status_code == 200
    assert "The file is larger than" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize("who", ["owner", "outsider", "reader", "admin"])
def test_only_officers_import(client_for, who, request):
    client = client_for(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": upload(GOOD)}).status_code == 403
    assert not Case.objects.exists()


def test_anonymous_is_sent_to_sign_in(client_for, db):
    client = client_for(None)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={URL}"
    client.post(URL, {"file": upload(GOOD)})
    assert not Case.objects.exists()


@pytest.mark.parametrize("method", ["put", "delete"])
def test_wrong_method_gets_405(client_for, officer, method):
    assert getattr(client_for(officer), method)(URL).status_code == 405
