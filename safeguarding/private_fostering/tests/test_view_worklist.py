"""The visits worklist: due and overdue visits of arrangements in place."""

import pytest
from django.urls import reverse

URL = reverse("private_fostering:worklist")


@pytest.mark.django_db
def test_officer_sees_overdue_visit(client_for, pf_officer, notification):
    page = client_for(pf_officer).get(URL).content.decode()
    assert notification.reference in page and "Overdue by" in page


@pytest.mark.django_db
def test_other_agency_does_not_see_it(client_for, pf_owner, pf_outsider, notification):
    assert notification.reference in client_for(pf_owner).get(URL).content.decode()
    page = client_for(pf_outsider).get(URL).content.decode()
    assert notification.reference not in page and "No visits are due" in page


@pytest.mark.django_db
def test_reader_anonymous_wrong_method(client_for, pf_reader, pf_officer):
    assert client_for(pf_reader).get(URL).status_code == 403
    assert client_for(None).get(URL)["Location"].startswith("/sign-in/")
    assert client_for(pf_officer).post(URL).status_code == 405
