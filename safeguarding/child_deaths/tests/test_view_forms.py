"""Agency reporting forms: the asked agency sees only its requests and the child's minimum
details, returns the form in the app; overdue forms are chased by email."""

import datetime as dt

from django.core import mail
from django.urls import reverse

from safeguarding.child_deaths import services

from .conftest import CHILD

LIST = "/child-deaths/forms/"


def detail(form):
    return reverse("child_deaths:form_detail", args=[form.pk])


def test_asked_agency_sees_its_request_with_minimum_details_only(
    client_for, asked, form_request, coordinator, death
):
    services.review_record(
        acting_user=coordinator, death=death, expected_version=death.version,
        review_date=dt.date(2016, 9, 1), category="8", modifiable_factors="no",
        learning_points="Secret panel learning",
    )  # fmt: skip
    client = client_for(asked)
    assert death.reference in client.get(LIST).content.decode()
    html = client.get(detail(form_request)).content.decode()
    assert CHILD in html and "9434765919" in html
    assert "Secret panel learning" not in html and "Change history" not in html


def test_asked_agency_returns_the_form(client_for, asked, form_request):
    response = client_for(asked).post(
        detail(form_request),
        {"information": "Born at 24 weeks", "involvement": "NICU", "version": 1},
    )
    assert response.status_code == 302
    form_request.refresh_from_db()
    assert form_request.is_returned and form_request.information == "Born at 24 weeks"


def test_an_empty_return_is_refused(client_for, asked, form_request):
    response = client_for(asked).post(detail(form_request), {"information": "", "version": 1})
    assert "Enter the information for the panel" in response.content.decode()
    form_request.refresh_from_db()
    assert not form_request.is_returned


def test_another_agency_sees_no_requests_and_gets_404(client_for, not_asked, form_request):
    client = client_for(not_asked)
    assert CHILD not in client.get(LIST + "?status=all").content.decode()
    response = client.get(detail(form_request))
    assert response.status_code == 404 and CHILD not in response.content.decode()
    assert client.post(detail(form_request), {"information": "x"}).status_code == 404


def test_reader_and_anonymous(client_for, cdop_reader, form_request):
    for url in (LIST, detail(form_request)):
        response = client_for(cdop_reader).get(url)
        assert response.status_code == 403 and CHILD not in response.content.decode()
        assert client_for(None).get(url).status_code == 302


def test_wrong_methods(client_for, coordinator, form_request):
    client = client_for(coordinator)
    assert client.post(LIST).status_code == 405
    assert client.put(detail(form_request)).status_code == 405
    assert client.get(reverse("child_deaths:forms_chase")).status_code == 405


def test_coordinator_chases_overdue_forms(client_for, coordinator, asked, form_request):
    client = client_for(coordinator)
    html = client.get(LIST + "?status=overdue").content.decode()
    assert death_ref(form_request) in html and "Chase overdue forms by email" in html
    response = client.post(reverse("child_deaths:forms_chase"), follow=True)
    assert "1 overdue form chased by email" in response.content.decode()
    assert mail.outbox[0].to == [asked.email]


def test_contributors_cannot_chase(client_for, asked, form_request):
    assert client_for(asked).post(reverse("child_deaths:forms_chase")).status_code == 403
    assert not mail.outbox


def death_ref(form):
    return form.death.reference
