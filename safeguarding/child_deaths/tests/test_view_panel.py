"""The panel-meeting view: unreviewed cases whose forms are all back, with the forms."""

import datetime as dt

from django.urls import reverse

from safeguarding.child_deaths import services

from .conftest import CHILD, notify

URL = reverse("child_deaths:panel")


def test_ready_cases_are_listed_with_their_returned_forms(
    client_for, coordinator, asked, form_request, death
):
    waiting = notify(coordinator, child_name="Barnaby Quince")
    html = client_for(coordinator).get(URL).content.decode()
    assert "No cases are ready for review" in html and waiting.reference in html
    services.form_return(
        acting_user=asked, form_request=form_request, expected_version=form_request.version,
        involvement="", information="Born at 24 weeks",
    )  # fmt: skip
    html = client_for(coordinator).get(URL).content.decode()
    assert CHILD in html and "Born at 24 weeks" in html
    services.review_record(
        acting_user=coordinator, death=death, expected_version=death.version,
        review_date=dt.date.today(), category="8", modifiable_factors="no",
    )  # fmt: skip
    assert CHILD not in client_for(coordinator).get(URL).content.decode()


def test_contributors_readers_anonymous_and_wrong_method(
    client_for, coordinator, asked, cdop_reader, death
):
    assert client_for(asked).get(URL).status_code == 403
    response = client_for(cdop_reader).get(URL)
    assert response.status_code == 403 and CHILD not in response.content.decode()
    assert client_for(None).get(URL).status_code == 302
    assert client_for(coordinator).post(URL).status_code == 405
