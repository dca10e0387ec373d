"""Changing a LADO record: officers only, audited, and never over a colleague's change."""

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.core.models import AuditEvent
from safeguarding.lado import services
from safeguarding.lado.models import Case

NAME = "Zebedee Quartermaine"


def url(case) -> str:
    return reverse("lado:edit", args=[case.pk])


def date_parts(name: str, day: dt.date | None) -> dict:
    if day is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def form_data(case: Case, **changes) -> dict:
    """What the edit form posts back for this record, with some fields changed."""
    data = {
        "version": case.version,
        **date_parts("contact_date", case.contact_date),
        "received_via": case.received_via,
        "employer_name": case.employer_name,
        "employer_sector": case.employer_sector,
        **date_parts("employer_aware_date", case.employer_aware_date),
        "subject_name": case.subject_name,
        "subject_role": case.subject_role,
        **date_parts("subject_date_of_birth", case.subject_date_of_birth),
        "children": case.children,
        "summary": case.summary,
        "threshold_met": "yes" if case.threshold_met else "no",
        "harm_test": case.harm_test,
        "allegation_category": case.allegation_category,
        **date_parts("referral_date", case.referral_date),
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("who", ["officer", "manager"])
def test_officer_gets_the_form_filled_in(client_for, lado_case, who, request):
    response = client_for(request.getfixturevalue(who)).get(url(lado_case))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Change {lado_case.reference}" in html
    assert f'value="{NAME}"' in html
    assert 'name="version" value="1"' in html


def test_officer_changes_a_record_and_it_is_audited(client_for, officer, lado_case):
    response = client_for(officer).post(
        url(lado_case), form_data(lado_case, subject_role="Head of year")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("lado:detail", args=[lado_case.pk])
    lado_case.refresh_from_db()
    assert lado_case.subject_role == "Head of year"
    assert lado_case.version == 2
    event = AuditEvent.objects.filter(object_id=str(lado_case.pk), action="update").get()
    assert event.actor == officer
    assert event.changes == {"subject_role": ["Class teacher", "Head of year"]}


def test_saving_without_a_change_writes_no_audit_row(client_for, officer, lado_case):
    client = client_for(officer)
    before = AuditEvent.objects.count()
    client.post(url(lado_case), form_data(lado_case))
    assert AuditEvent.objects.count() == before
    lado_case.refresh_from_db()
    assert lado_case.version == 1


def test_a_stale_edit_is_refused_and_changes_nothing(client_for, officer, manager, lado_case):
    stale = form_data(lado_case, subject_role="Head of year")  # officer opened the form...
    services.case_update(  # ...then a colleague saved a change
        acting_user=manager, case=lado_case, expected_version=1, summary="Colleague's summary"
    )
    client = client_for(officer)
    events = AuditEvent.objects.count()

    response = client.post(url(lado_case), stale)

    assert response.status_code == 200
    assert "Someone else changed this record after you opened it" in response.content.decode()
    assert 'class="govuk-error-summary"' in response.content.decode()
    lado_case.refresh_from_db()
    assert lado_case.subject_role == "Class teacher"
    assert lado_case.summary == "Colleague's summary"
    assert lado_case.version == 2
    assert AuditEvent.objects.count() == events


def test_an_edit_without_a_version_is_refused(client_for, officer, lado_case):
    """A form that does not say which copy it was made from cannot be checked: refuse it."""
    data = form_data(lado_case, subject_role="Head of year")
    del data["version"]
    response = client_for(officer).post(url(lado_case), data)
    assert response.status_code == 200
    lado_case.refresh_from_db()
    assert lado_case.subject_role == "Class teacher"


def test_dates_out_of_order_are_refused_and_change_nothing(client_for, officer, lado_case):
    response = client_for(officer).post(
        url(lado_case),
        form_data(lado_case, **date_parts("referral_date", dt.date(2016, 4, 1))),
    )
    assert response.status_code == 200
    assert "The referral cannot be before the contact date" in response.content.decode()
    lado_case.refresh_from_db()
    assert lado_case.referral_date == dt.date(2016, 5, 4)


def test_a_date_moved_after_a_meeting_is_refused(client_for, officer, lado_case):
    from safeguarding.lado.models import MeetingType

    services.meeting_add(
        acting_user=officer,
        case=lado_case,
        meeting_type=MeetingType.objects.create(name="Strategy meeting"),
        date=dt.date(2016, 5, 10),
    )
    lado_case.refresh_from_db()
    response = client_for(officer).post(
        url(lado_case), form_data(lado_case, **date_parts("referral_date", dt.date(2016, 5, 20)))
    )
    assert response.status_code == 200
    assert "The first meeting cannot be before the referral date" in response.content.decode()
    lado_case.refresh_from_db()
    assert lado_case.referral_date == dt.date(2016, 5, 4)


@pytest.mark.parametrize("who", ["owner", "outsider"])
def test_contributors_cannot_edit(client_for, lado_case, who, request):
    """Contributors create records but never change them: the same 403 whoever owns the
    record, and for a record that does not exist, so the answer leaks nothing."""
    client = client_for(request.getfixturevalue(who))
    response = client.get(url(lado_case))
    missing = client.get(reverse("lado:edit", args=[lado_case.pk + 1000]))
    assert response.status_code == missing.status_code == 403
    assert NAME not in response.content.decode()
    client.post(url(lado_case), form_data(lado_case, subject_role="Changed"))
    lado_case.refresh_from_db()
    assert lado_case.subject_role == "Class teacher"


def test_an_officer_gets_404_for_a_record_that_does_not_exist(client_for, officer, lado_case):
    assert (
        client_for(officer).get(reverse("lado:edit", args=[lado_case.pk + 1000])).status_code == 404
    )


@pytest.mark.parametrize("who", ["reader", "admin"])
def test_reader_and_administrator_get_403_and_no_personal_data(client_for, lado_case, who, request):
    response = client_for(request.getfixturevalue(who)).get(url(lado_case))
    assert response.status_code == 403
    assert NAME not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client_for, lado_case):
    client = client_for(None)
    response = client.get(url(lado_case))
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={url(lado_case)}"
    client.post(url(lado_case), form_data(lado_case, subject_role="Changed"))
    lado_case.refresh_from_db()
    assert lado_case.subject_role == "Class teacher"


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_wrong_method_gets_405(client_for, officer, lado_case, method):
    assert getattr(client_for(officer), method)(url(lado_case)).status_code == 405


def test_a_referral_awaiting_a_decision_is_changed_without_deciding_it(client_for, officer, owner):
    """The decision has its own page (lado:decision), which tells the referrer: the details
    page of a referral awaiting it asks nothing of the threshold."""
    case = services.referral_make(
        acting_user=owner,
        contact_date=dt.date(2024, 3, 29),
        employer_sector="primary_school",
        subject_name=NAME,
        subject_role="Class teacher",
        summary="Pushed a child against a wall",
    )
    client = client_for(officer)
    page = client.get(url(case)).content.decode()
    assert 'name="threshold_met"' not in page and 'name="harm_test"' not in page
    data = form_data(
        case, subject_role="Teaching assistant", threshold_met="yes", harm_test="harmed"
    )
    response = client.post(url(case), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.subject_role == "Teaching assistant"
    assert case.awaiting_decision and not case.threshold_met and case.harm_test == ""
