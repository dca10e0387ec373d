"""The web import page: the same engine and contract as the command."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeguarding.private_fostering.models import Notification

URL = reverse("private_fostering:import")
HEADER = (
    b"reference,notification_date,child_date_of_birth,child_disabled,carer_relationship,"
    b"arrangement_start_date,arrangement_end_date,category\n"
)


@pytest.mark.django_db
def test_officer_imports(client_for, pf_officer):
    f = SimpleUploadedFile(
        "pf.csv", HEADER + b"W1,2016-05-01,2004-01-01,no,host_family,2016-05-02,,language_student\n"
    )
    r = client_for(pf_officer).post(URL, {"file": f}, follow=True)
    assert "1 were created" in r.content.decode()
    assert Notification.objects.get().owning_agency == pf_officer.agency


@pytest.mark.django_db
def test_errors_are_listed_and_nothing_written(client_for, pf_officer):
    f = SimpleUploadedFile(
        "pf.csv", HEADER + b"W1,2016-05-01,2004-01-01,no,sibling,2016-05-02,,language_student\n"
    )
    page = client_for(pf_officer).post(URL, {"file": f}).content.decode()
    assert "row 2, column arrangement_start_date" in page
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_permissions(client_for, pf_owner, pf_reader, pf_officer):
    assert client_for(pf_owner).get(URL).status_code == 403
    assert client_for(pf_reader).get(URL).status_code == 403
    assert client_for(None).get(URL)["Location"].startswith("/sign-in/")
    assert client_for(pf_officer).put(URL).status_code == 405
