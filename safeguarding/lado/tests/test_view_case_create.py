"""Recording a LADO contact: who may, what is saved, and clear errors for bad dates."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from safeguarding.core.models import AuditEvent
from safeguarding.lado.models import Case

URL = reverse("lado:create")


def date_parts(name: str, day=None, month=None, year=None) -> dict:
    return {f"{name}_0": day or "", f"{name}_1": month or "", f"{name}_2": year or ""}


def referral(**changes) -> dict:
    data = {
        **date_parts("contact_date", 3, 5, 2016),
        "received_via": "phone",
        "employer_name": "Brockley Rise Primary School",
        "employer_sector": "primary_school",
        **date_parts("employer_aware_date", 3, 5, 2016),
        "subject_name": "Zebedee Quartermaine",
        "subject_role": "Class teacher",
        **date_parts("subject_date_of_birth"),
        "children": "AB (7)",
        "summary": "Pushed a child against a wall",
        "threshold_met": "yes",
        "harm_test": "harmed",
        "allegation_category": "physical",
        **date_parts("referral_date", 4, 5, 2016),
    }
    data.update(changes)
    return data


def error_summary(response) -> list[tuple[str, str]]:
    """(link target, message) for each entry of the GOV.UK error summary."""
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page
    found = re.findall(r'<li><a href="#([^"]*)">([^<]*)</a></li>', page)
    # A date's link may go to the group or to its day box: both name the field.
    return [(re.sub(r"_[012]$", "", target), html.unescape(text)) for target, text in found]


# --- who may ---------------------------------------------------------------------------


def test_an_officer_gets_the_lados_form_with_the_decision(client_for, officer):
    response = client_for(officer).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Record a contact" in html
    assert 'name="threshold_met"' in html and 'name="harm_test"' in html


def test_a_contributor_gets_the_referral_form_without_the_decision(client_for, owner):
    """A partner refers; the threshold and the harm test are the LADO's (test_view_referral)."""
    response = client_for(owner).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Refer an allegation to the LADO" in html
    assert "Record a contact" not in html
    for decision in ("threshold_met", "harm_test", "outcome", "referral_date", "contact_date"):
        assert f'name="{decision}' not in html


def test_officer_records_a_referral(client_for, officer, council):
    response = client_for(officer).post(URL, referral())
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("lado:detail", args=[case.pk])
    assert case.subject_name == "Zebedee Quartermaine"
    assert case.contact_date == dt.date(2016, 5, 3)
    assert case.referral_date == dt.date(2016, 5, 4)
    assert case.threshold_met and case.is_open and case.outcome == "pending"
    assert case.reference == "LADO-2016-17-0001"
    assert case.owning_agency == council


def test_a_contributors_record_belongs_to_their_agency(client_for, owner, outsider, school):
    client_for(owner).post(URL, referral())
    case = Case.objects.get()
    assert case.owning_agency == school
    # ...so the contributor sees it, and another agency's contributor does not.
    assert client_for(owner).get(reverse("lado:detail", args=[case.pk])).status_code == 200
    assert client_for(outsider).get(reverse("lado:detail", args=[case.pk])).status_code == 404


def test_a_contributor_cannot_file_a_record_for_another_agency(client_for, owner, other_school):
    client_for(owner).post(URL, referral(owning_agency=other_school.pk))
    assert Case.objects.get().owning_agency_id == owner.agency_id


def test_creating_writes_an_audit_row(client_for, officer):
    client_for(officer).post(URL, referral())
    case = Case.objects.get()
    event = AuditEvent.objects.get(object_type="lado.case")
    assert (event.actor, event.action, event.object_id) == (officer, "create", str(case.pk))
    assert event.changes["subject_name"] == [None, "Zebedee Quartermaine"]


def test_advice_only_contact(client_for, officer):
    response = client_for(officer).post(
        URL, referral(threshold_met="no", harm_test="", **date_parts("referral_date"))
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert not case.threshold_met and not case.is_open
    assert case.referral_date is None and case.outcome == ""


def test_referral_date_defaults_to_the_contact_date(client_for, officer):
    client_for(officer).post(URL, referral(**date_parts("referral_date")))
    assert Case.objects.get().referral_date == dt.date(2016, 5, 3)


@pytest.mark.parametrize("who", ["reader", "admin"])
def test_reader_and_administrator_get_403(client_for, who, request):
    client = client_for(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, referral()).status_code == 403
    assert not Case.objects.exists()


def test_anonymous_is_sent_to_sign_in_and_nothing_is_saved(client_for, db):
    client = client_for(None)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={URL}"
    posted = client.post(URL, referral())
    assert posted.status_code == 302 and posted["Location"].startswith("/sign-in/")
    assert "Zebedee" not in posted["Location"]
    assert not Case.objects.exists()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_wrong_method_gets_405(client_for, officer, method):
    assert getattr(client_for(officer), method)(URL).status_code == 405


# --- clear errors, nothing saved -------------------------------------------------------


def test_an_impossible_date_is_named_in_the_error_summary(client_for, officer):
    response = client_for(officer).post(URL, referral(**date_parts("contact_date", 45, 13, 2016)))
    assert response.status_code == 200
    assert ("id_contact_date", "Date of the contact must be a real date") in error_summary(response)
    assert "<title>Error: " in response.content.decode()
    assert not Case.objects.exists()
    assert not AuditEvent.objects.filter(object_type="lado.case").exists()


def test_31_february_is_not_a_date(client_for, officer):
    response = client_for(officer).post(URL, referral(**date_parts("referral_date", 31, 2, 2017)))
    assert ("id_referral_date", "Date of the referral must be a real date") in error_summary(
        response
    )
    assert not Case.objects.exists()


def test_letters_in_a_date_are_refused(client_for, officer):
    response = client_for(officer).post(URL, referral(**date_parts("contact_date", "x", 5, 2016)))
    assert ("id_contact_date", "Date of the contact must be a real date") in error_summary(response)


def test_a_missing_contact_date_is_named(client_for, officer):
    response = client_for(officer).post(URL, referral(**date_parts("contact_date")))
    assert ("id_contact_date", "Enter date of the contact") in error_summary(response)
    assert not Case.objects.exists()


def test_a_referral_before_the_contact_is_refused(client_for, officer):
    response = client_for(officer).post(URL, referral(**date_parts("referral_date", 1, 5, 2016)))
    assert response.status_code == 200
    assert (
        "id_referral_date",
        "The referral cannot be before the contact date",
    ) in error_summary(response)
    assert not Case.objects.exists()


def test_the_employer_cannot_become_aware_after_the_contact(client_for, officer):
    response = client_for(officer).post(
        URL, referral(**date_parts("employer_aware_date", 10, 5, 2016))
    )
    assert (
        "id_employer_aware_date",
        "The employer cannot have become aware after contacting the LADO",
    ) in error_summary(response)
    assert not Case.objects.exists()


def test_a_date_in_the_future_is_refused(client_for, officer):
    future = dt.date.today() + dt.timedelta(days=30)
    response = client_for(officer).post(
        URL, referral(**date_parts("contact_date", future.day, future.month, future.year))
    )
    messages = dict(error_summary(response))
    assert messages["id_contact_date"].endswith("is in the future")
    assert not Case.objects.exists()


def test_a_referral_needs_the_harm_test(client_for, officer):
    response = client_for(officer).post(URL, referral(harm_test=""))
    assert ("id_harm_test", "Select which part of the harm test was met") in error_summary(response)
    assert not Case.objects.exists()


def test_a_missing_sector_and_decision_are_named(client_for, officer):
    response = client_for(officer).post(URL, referral(employer_sector="", threshold_met=""))
    summary = error_summary(response)
    assert ("id_employer_sector", "Choose the employer's sector") in summary
    assert ("id_threshold_met", "Choose advice only or LADO referral") in summary


def test_the_form_keeps_what_was_typed_after_an_error(client_for, officer):
    response = client_for(officer).post(URL, referral(**date_parts("referral_date", 1, 5, 2016)))
    assert 'value="Zebedee Quartermaine"' in response.content.decode()
