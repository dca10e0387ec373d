"""The register list, search and a death's page: scope, flags, no leaks."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguarding.core.models import AccessEvent

from .conftest import CHILD, notify

LIST = "/child-deaths/"


def detail(death):
    return reverse("child_deaths:detail", args=[death.pk])


def test_coordinator_sees_the_register_with_flags(client_for, coordinator, death):
    html = client_for(coordinator).get(LIST).content.decode()
    assert CHILD in html and death.reference in html
    assert "No joint agency response" in html and "Overdue" in html


def test_contributor_sees_only_deaths_their_agency_notified(
    client_for, asked, hospital, coordinator, death
):
    own = notify(coordinator, owning_agency=hospital, child_name="Barnaby Quince")
    html = client_for(asked).get(LIST).content.decode()
    assert own.reference in html and CHILD not in html
    assert client_for(asked).get(detail(death)).status_code == 404


def test_detail_for_coordinator_shows_panel_sections_and_history(client_for, coordinator, death):
    html = client_for(coordinator).get(detail(death)).content.decode()
    assert CHILD in html and "Agency reporting forms" in html and "Change history" in html
    assert "no joint agency response has been recorded" in html
    assert AccessEvent.objects.filter(kind="view", module="child_deaths").exists()


def test_contributor_of_another_agency_gets_404(client_for, not_asked, death):
    response = client_for(not_asked).get(detail(death))
    assert response.status_code == 404 and CHILD not in response.content.decode()


@pytest.mark.parametrize("url", [LIST, "detail"])
def test_reader_gets_403_without_personal_data(client_for, cdop_reader, death, url):
    response = client_for(cdop_reader).get(detail(death) if url == "detail" else url)
    assert response.status_code == 403 and CHILD not in response.content.decode()


@pytest.mark.parametrize("url", [LIST, "detail"])
def test_anonymous_is_sent_to_sign_in(client_for, death, url):
    response = client_for(None).get(detail(death) if url == "detail" else url)
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_wrong_methods_get_405(client_for, coordinator, death):
    client = client_for(coordinator)
    assert client.post(detail(death)).status_code == 405
    assert client.delete(LIST).status_code == 405
    assert client.get(reverse("child_deaths:search_clear")).status_code == 405


def test_search_is_kept_in_the_session_not_the_url(client_for, coordinator, death):
    client = client_for(coordinator)
    notify(coordinator, child_name="Barnaby Quince")
    response = client.post(LIST, {"q": "Featherstone"})
    assert response.status_code == 302 and "Featherstone" not in response["Location"]
    html = client.get(LIST).content.decode()
    assert CHILD in html and "Barnaby Quince" not in html
    client.post(reverse("child_deaths:search_clear"))
    assert "Barnaby Quince" in client.get(LIST).content.decode()


def test_filters_by_reviewed_and_category(client_for, coordinator, death):
    import datetime as dt

    reviewed = notify(
        coordinator, child_name="Barnaby Quince", review_date=dt.date(2016, 9, 1), category="4",
        modifiable_factors="no",
    )  # fmt: skip
    client = client_for(coordinator)
    html = client.get(LIST + "?reviewed=yes&category=4").content.decode()
    assert reviewed.reference in html and death.reference not in html
    assert death.reference in client.get(LIST + "?reviewed=no").content.decode()


def test_list_uses_a_constant_number_of_queries(client_for, coordinator, death):
    client = client_for(coordinator)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for _ in range(5):
        notify(coordinator)
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    assert len(many) == len(few)


def _buttons(html: str) -> list[str]:
    import re

    group = html.split('<div class="govuk-button-group">', 1)[1].split("</div>", 1)[0]
    return re.findall(r">([^<>]+)</a>", group)


def test_coordinator_has_every_button_a_contributor_only_theirs(
    client_for, coordinator, asked, death
):
    assert _buttons(client_for(coordinator).get(LIST).content.decode()) == [
        "Notify a death",
        "Agency reporting forms",
        "Panel meeting",
        "Figures",
        "Import a file",
    ]
    assert _buttons(client_for(asked).get(LIST).content.decode()) == [
        "Notify a death",
        "Agency reporting forms",
        "Figures",
    ]


def test_columns_show_forms_returned_and_a_review_not_yet_due(
    client_for, coordinator, form_request
):
    import datetime as dt

    recent = notify(coordinator, date_of_death=dt.date.today(), notification_date=dt.date.today(),
                    date_of_birth=dt.date.today() - dt.timedelta(days=400), expected=True)  # fmt: skip
    html = client_for(coordinator).get(LIST).content.decode()
    headers = ["Reference", "Child", "Date of death", "Age", "Type", "Forms returned",
               "Panel review"]  # fmt: skip
    assert all(f'class="govuk-table__header">{h}</th>' in html for h in headers)
    row = html.split(recent.reference, 1)[1].split("</tr>", 1)[0]
    assert "Awaiting review" in row and "Expected" in row and "1 to 4 years" in row
    row = html.split(form_request.death.reference, 1)[1].split("</tr>", 1)[0]
    assert "0 of 1" in row and "Overdue" in row and "1 Jun 2016" in row
