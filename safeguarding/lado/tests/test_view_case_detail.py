"""A LADO record's page: scope (404 outside it), the access log, the change history."""

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.core.models import AccessEvent
from safeguarding.lado import services

NAME = "Zebedee Quartermaine"


def url(case) -> str:
    return reverse("lado:detail", args=[case.pk])


@pytest.mark.parametrize("who", ["officer", "manager", "owner"])
def test_officers_and_the_owning_agencys_contributor_see_the_record(
    client_for, lado_case, who, request
):
    response = client_for(request.getfixturevalue(who)).get(url(lado_case))
    assert response.status_code == 200
    html = response.content.decode()
    assert NAME in html
    assert lado_case.reference in html
    assert "Pushed a child against a wall" in html


def test_only_officers_are_offered_the_change_buttons(client_for, officer, owner, lado_case):
    assert "Change details" in client_for(officer).get(url(lado_case)).content.decode()
    assert "Change details" not in client_for(owner).get(url(lado_case)).content.decode()


def test_contributor_of_another_agency_gets_404(client_for, outsider, lado_case):
    response = client_for(outsider).get(url(lado_case))
    assert response.status_code == 404
    assert NAME not in response.content.decode()
    assert lado_case.reference not in response.content.decode()


def test_a_missing_record_and_someone_elses_record_look_the_same(client_for, outsider, lado_case):
    client = client_for(outsider)
    theirs = client.get(url(lado_case))
    missing = client.get(reverse("lado:detail", args=[lado_case.pk + 1000]))
    assert theirs.status_code == missing.status_code == 404


@pytest.mark.parametrize("who", ["reader", "admin"])
def test_reader_and_administrator_get_403_and_no_personal_data(client_for, lado_case, who, request):
    response = client_for(request.getfixturevalue(who)).get(url(lado_case))
    assert response.status_code == 403
    assert NAME not in response.content.decode()
    assert not AccessEvent.objects.exists()


def test_anonymous_is_sent_to_sign_in(client_for, lado_case):
    response = client_for(None).get(url(lado_case))
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={url(lado_case)}"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_wrong_method_gets_405(client_for, officer, lado_case, method):
    assert getattr(client_for(officer), method)(url(lado_case)).status_code == 405


def test_viewing_the_record_writes_an_access_event(client_for, owner, lado_case):
    client_for(owner).get(url(lado_case))
    event = AccessEvent.objects.get()
    assert (event.user, event.kind, event.module) == (owner, "view", "lado")
    assert (event.object_type, event.object_id) == ("lado.case", str(lado_case.pk))


def test_a_refused_view_writes_no_access_event(client_for, outsider, lado_case):
    client_for(outsider).get(url(lado_case))
    assert not AccessEvent.objects.exists()


def test_the_page_shows_the_change_history(client_for, officer, lado_case):
    services.case_update(
        acting_user=officer,
        case=lado_case,
        expected_version=lado_case.version,
        subject_role="Teaching assistant",
    )
    html = client_for(officer).get(url(lado_case)).content.decode()
    assert "Change history" in html
    assert "Referral recorded" in html
    assert "Record changed" in html
    assert "Class teacher → Teaching assistant" in html
    assert "officer@example.org" in html


def test_the_page_shows_meetings_and_the_resolution_targets(client_for, officer, lado_case):
    from safeguarding.lado.models import MeetingType

    services.meeting_add(
        acting_user=officer,
        case=lado_case,
        meeting_type=MeetingType.objects.create(name="Allegation management meeting"),
        date=dt.date(2016, 5, 10),
        decisions="Suspend pending police enquiry",
    )
    html = client_for(officer).get(url(lado_case)).content.decode()
    assert "Allegation management meeting on 10 May 2016" in html
    assert "Suspend pending police enquiry" in html
    assert "Resolved within one month" in html


@pytest.mark.parametrize(
    "referral_date, late",
    [
        # Aware on Friday 29 April 2016; Monday 2 May was a bank holiday.
        (dt.date(2016, 5, 3), False),  # the next working day
        (dt.date(2016, 5, 4), True),  # two working days later
    ],
)
def test_a_late_referral_is_flagged_counting_working_days(
    client_for, officer, school, referral_date, late
):
    case = services.case_create(
        acting_user=officer,
        owning_agency=school,
        contact_date=referral_date,
        employer_sector="primary_school",
        employer_aware_date=dt.date(2016, 4, 29),
        threshold_met=True,
        harm_test="harmed",
    )
    html = client_for(officer).get(url(case)).content.decode()
    assert ("Referred late: 2 working days" in html) is late
    assert ("Referred late" in html) is late
