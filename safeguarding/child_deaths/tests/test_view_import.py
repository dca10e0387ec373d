"""The import page: officers only; bad rows listed, nothing written."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeguarding.child_deaths.models import Death

from .test_import import GOOD, HEADER

URL = reverse("child_deaths:import")


def upload(lines):
    return SimpleUploadedFile("d.csv", ("\n".join([HEADER, *lines]) + "\n").encode())


def test_officer_imports_a_file(client_for, coordinator):
    response = client_for(coordinator).post(URL, {"file": upload(GOOD)}, follow=True)
    assert "3 were created" in response.content.decode()
    assert Death.objects.count() == 3


def test_bad_rows_are_listed_and_nothing_is_written(client_for, coordinator):
    bad = "CD-9,2016-05-01,2016-04-01,male,BAFR,2016-05-02,no,,,"
    response = client_for(coordinator).post(URL, {"file": upload([*GOOD, bad])})
    assert "row 5, column date_of_death:" in response.content.decode()
    assert not Death.objects.exists()


def test_contributor_reader_anonymous_wrong_method(client_for, asked, cdop_reader, coordinator):
    assert client_for(asked).get(URL).status_code == 403
    assert client_for(cdop_reader).get(URL).status_code == 403
    assert client_for(None).get(URL).status_code == 302
    assert client_for(coordinator).put(URL).status_code == 405
