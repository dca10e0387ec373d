"""Recording a strategy or allegation-management meeting on a referral."""

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.core.models import AuditEvent
from safeguarding.lado import services
from safeguarding.lado.models import Meeting, MeetingType

NAME = "Zebedee Quartermaine"


@pytest.fixture
def strategy(db):
    return MeetingType.objects.create(name="Strategy meeting")


def url(case) -> str:
    return reverse("lado:meeting_create", args=[case.pk])


def meeting(meeting_type, day: dt.date, **extra) -> dict:
    return {
        "meeting_type": meeting_type.pk,
        "date_0": day.day,
        "date_1": day.month,
        "date_2": day.year,
        "decisions": "Police to lead; suspension reviewed",
        **extra,
    }


def test_officer_gets_the_form_with_the_configured_types(client_for, officer, lado_case, strategy):
    MeetingType.objects.create(name="Retired type", is_active=False)
    response = client_for(officer).get(url(lado_case))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Strategy meeting" in html
    assert "Retired type" not in html


def test_officer_records_a_meeting_and_it_is_audited(
    client_for, officer, lado_case, strategy, school, council
):
    response = client_for(officer).post(
        url(lado_case), meeting(strategy, dt.date(2016, 5, 10), agencies=[school.pk, council.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("lado:detail", args=[lado_case.pk])
    saved = Meeting.objects.get()
    assert (saved.case, saved.date, saved.meeting_type) == (
        lado_case,
        dt.date(2016, 5, 10),
        strategy,
    )
    assert set(saved.agencies.all()) == {school, council}
    lado_case.refresh_from_db()
    assert lado_case.version == 2
    event = AuditEvent.objects.get(object_id=str(lado_case.pk), summary="Strategy meeting recorded")
    assert event.actor == officer
    assert event.changes["meeting"] == [None, "Strategy meeting on 10/05/2016"]


def test_any_number_of_meetings(client_for, officer, lado_case, strategy):
    client = client_for(officer)
    for day in (dt.date(2016, 5, 10), dt.date(2016, 6, 10), dt.date(2016, 7, 10)):
        assert client.post(url(lado_case), meeting(strategy, day)).status_code == 302
    assert lado_case.meetings.count() == 3


def test_a_meeting_before_the_referral_is_refused(client_for, officer, lado_case, strategy):
    response = client_for(officer).post(url(lado_case), meeting(strategy, dt.date(2016, 5, 1)))
    assert response.status_code == 200
    assert "The first meeting cannot be before the referral date" in response.content.decode()
    assert not Meeting.objects.exists()


def test_an_impossible_meeting_date_is_named(client_for, officer, lado_case, strategy):
    data = meeting(strategy, dt.date(2016, 5, 10))
    data.update(date_0=45, date_1=13)
    response = client_for(officer).post(url(lado_case), data)
    assert response.status_code == 200
    assert "Date of the meeting must be a real date" in response.content.decode()
    assert not Meeting.objects.exists()


def test_advice_only_contacts_have_no_meetings(client_for, officer, school, strategy):
    advice = services.case_create(
        acting_user=officer,
        owning_agency=school,
        contact_date=dt.date(2016, 6, 1),
        employer_sector="early_years",
        threshold_met=False,
    )
    assert client_for(officer).get(url(advice)).status_code == 404


@pytest.mark.parametrize("who", ["owner", "outsider"])
def test_contributors_cannot_record_meetings(client_for, lado_case, strategy, who, request):
    client = client_for(request.getfixturevalue(who))
    response = client.post(url(lado_case), meeting(strategy, dt.date(2016, 5, 10)))
    missing = client.get(reverse("lado:meeting_create", args=[lado_case.pk + 1000]))
    assert response.status_code == missing.status_code == 403
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("who", ["reader", "admin"])
def test_reader_and_administrator_get_403_and_no_personal_data(client_for, lado_case, who, request):
    response = client_for(request.getfixturevalue(who)).get(url(lado_case))
    assert response.status_code == 403
    assert NAME not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client_for, lado_case, strategy):
    client = client_for(None)
    response = client.get(url(lado_case))
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={url(lado_case)}"
    client.post(url(lado_case), meeting(strategy, dt.date(2016, 5, 10)))
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("method", ["put", "delete"])
def test_wrong_method_gets_405(client_for, officer, lado_case, method):
    assert getattr(client_for(officer), method)(url(lado_case)).status_code == 405
