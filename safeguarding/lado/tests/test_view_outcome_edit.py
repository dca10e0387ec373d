"""Recording the outcome of a referral: officers only, dated, audited, never stale."""

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.core.models import AuditEvent
from safeguarding.lado import services

NAME = "Zebedee Quartermaine"


def url(case) -> str:
    return reverse("lado:outcome", args=[case.pk])


def outcome(code: str, day: dt.date | None, version: int = 1) -> dict:
    return {
        "version": version,
        "outcome": code,
        "outcome_date_0": day.day if day else "",
        "outcome_date_1": day.month if day else "",
        "outcome_date_2": day.year if day else "",
    }


def test_officer_gets_the_form(client_for, officer, lado_case):
    response = client_for(officer).get(url(lado_case))
    assert response.status_code == 200
    assert "Substantiated" in response.content.decode()


def test_a_final_outcome_closes_the_case_and_is_audited(client_for, officer, lado_case):
    response = client_for(officer).post(
        url(lado_case), outcome("substantiated", dt.date(2016, 7, 1))
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("lado:detail", args=[lado_case.pk])
    lado_case.refresh_from_db()
    assert (lado_case.outcome, lado_case.outcome_date) == ("substantiated", dt.date(2016, 7, 1))
    assert not lado_case.is_open
    event = AuditEvent.objects.get(object_id=str(lado_case.pk), action="update")
    assert event.actor == officer
    assert event.changes["outcome"] == ["pending", "substantiated"]


def test_a_final_outcome_needs_its_date(client_for, officer, lado_case):
    response = client_for(officer).post(url(lado_case), outcome("unfounded", None))
    assert response.status_code == 200
    assert "Enter the date of the outcome" in response.content.decode()
    lado_case.refresh_from_db()
    assert lado_case.is_open and lado_case.outcome == "pending"


def test_pending_takes_no_date(client_for, officer, lado_case):
    response = client_for(officer).post(url(lado_case), outcome("pending", dt.date(2016, 7, 1)))
    assert response.status_code == 200
    assert "Leave the date blank while the outcome is pending" in response.content.decode()


def test_an_outcome_before_the_referral_is_refused(client_for, officer, lado_case):
    response = client_for(officer).post(url(lado_case), outcome("false", dt.date(2016, 5, 1)))
    assert response.status_code == 200
    assert "The outcome cannot be before the referral date" in response.content.decode()
    lado_case.refresh_from_db()
    assert lado_case.outcome == "pending"


def test_an_outcome_before_the_first_meeting_is_refused(client_for, officer, lado_case):
    from safeguarding.lado.models import MeetingType

    services.meeting_add(
        acting_user=officer,
        case=lado_case,
        meeting_type=MeetingType.objects.create(name="Strategy meeting"),
        date=dt.date(2016, 6, 1),
    )
    response = client_for(officer).post(
        url(lado_case), outcome("unfounded", dt.date(2016, 5, 20), version=2)
    )
    assert response.status_code == 200
    assert "The outcome cannot be before the first meeting" in response.content.decode()


def test_a_stale_outcome_is_refused_and_changes_nothing(client_for, officer, manager, lado_case):
    services.outcome_record(
        acting_user=manager,
        case=lado_case,
        expected_version=1,
        outcome="unsubstantiated",
        outcome_date=dt.date(2016, 8, 1),
    )
    client = client_for(officer)
    events = AuditEvent.objects.count()
    response = client.post(url(lado_case), outcome("substantiated", dt.date(2016, 7, 1), 1))
    assert response.status_code == 200
    assert "Someone else changed this record after you opened it" in response.content.decode()
    lado_case.refresh_from_db()
    assert lado_case.outcome == "unsubstantiated"
    assert AuditEvent.objects.count() == events


def test_advice_only_contacts_have_no_outcome_page(client_for, officer, school):
    advice = services.case_create(
        acting_user=officer,
        owning_agency=school,
        contact_date=dt.date(2016, 6, 1),
        employer_sector="early_years",
        threshold_met=False,
    )
    assert client_for(officer).get(url(advice)).status_code == 404


@pytest.mark.parametrize("who", ["owner", "outsider"])
def test_contributors_cannot_record_outcomes(client_for, lado_case, who, request):
    client = client_for(request.getfixturevalue(who))
    response = client.post(url(lado_case), outcome("substantiated", dt.date(2016, 7, 1)))
    missing = client.get(reverse("lado:outcome", args=[lado_case.pk + 1000]))
    assert response.status_code == missing.status_code == 403
    lado_case.refresh_from_db()
    assert lado_case.outcome == "pending"


@pytest.mark.parametrize("who", ["reader", "admin"])
def test_reader_and_administrator_get_403_and_no_personal_data(client_for, lado_case, who, request):
    response = client_for(request.getfixturevalue(who)).get(url(lado_case))
    assert response.status_code == 403
    assert NAME not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client_for, lado_case):
    response = client_for(None).get(url(lado_case))
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={url(lado_case)}"


@pytest.mark.parametrize("method", ["put", "delete"])
def test_wrong_method_gets_405(client_for, officer, lado_case, method):
    assert getattr(client_for(officer), method)(url(lado_case)).status_code == 405
