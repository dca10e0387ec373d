"""A partner agency refers an allegation to the LADO (lado:create as a contributor): what
happened, the adult, the employer, the children. The threshold decision, the harm test and
the outcome are the LADO's: the referral waits for the LADO's decision."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.models import AuditEvent
from safeguarding.lado import reports
from safeguarding.lado.models import Case

URL = reverse("lado:create")
NAME = "Zebedee Quartermaine"


def date_parts(name: str, day=None, month=None, year=None) -> dict:
    return {f"{name}_0": day or "", f"{name}_1": month or "", f"{name}_2": year or ""}


def today_parts(name: str) -> dict:
    today = timezone.localdate()
    return date_parts(name, today.day, today.month, today.year)


def referral(**changes) -> dict:
    data = {
        "employer_name": "Brockley Rise Primary School",
        "employer_sector": "primary_school",
        **today_parts("employer_aware_date"),
        "subject_name": NAME,
        "subject_role": "Class teacher",
        **date_parts("subject_date_of_birth"),
        "children": "AB (7)",
        "summary": "Pushed a child against a wall",
    }
    data.update(changes)
    return data


def error_summary(response) -> dict[str, str]:
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page
    found = re.findall(r'<li><a href="#([^"]*)">([^<]*)</a></li>', page)
    return {re.sub(r"_[012]$", "", target): html.unescape(text) for target, text in found}


def test_the_form_asks_what_happened_and_nothing_of_the_decision(client_for, owner, school):
    response = client_for(owner).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1" in page and "Refer an allegation to the LADO" in page
    assert "Send the referral" in page
    for asked in ("employer_name", "employer_sector", "subject_name", "children", "summary"):
        assert f'name="{asked}"' in page
    for decided in ("threshold_met", "harm_test", "allegation_category", "outcome"):
        assert f'name="{decided}"' not in page
    # The employer is the referrer's own agency, to start with.
    assert f'value="{school.name}"' in page


def test_a_contributor_refers_and_the_referral_waits_for_the_lado(client_for, owner, school):
    client = client_for(owner)
    response = client.post(URL, referral())
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("lado:detail", args=[case.pk])
    assert case.awaiting_decision
    assert case.owning_agency == school and case.referred_by == owner
    assert case.contact_date == timezone.localdate() and case.received_via == "online_form"
    assert (case.subject_name, case.subject_role, case.children) == (
        NAME,
        "Class teacher",
        "AB (7)",
    )
    assert not case.threshold_met and case.harm_test == "" and case.referral_date is None
    assert case.outcome == "" and case.decided_on is None and not case.is_open
    assert case.open_since == case.contact_date
    event = AuditEvent.objects.get(object_type="lado.case")
    assert (event.actor, event.action) == (owner, "create")
    assert event.summary == "Referral made: awaiting the LADO's decision"
    page = client.get(response["Location"]).content.decode()
    assert f"Referral {case.reference} sent to the LADO" in page
    assert "Awaiting LADO decision" in page


def test_the_decision_cannot_be_slipped_into_a_referral(client_for, owner):
    client_for(owner).post(
        URL,
        referral(
            threshold_met="yes",
            harm_test="harmed",
            allegation_category="physical",
            outcome="substantiated",
            **date_parts("referral_date", 3, 5, 2016),
            **date_parts("contact_date", 3, 5, 2016),
            owning_agency="1",
        ),
    )
    case = Case.objects.get()
    assert case.awaiting_decision and not case.threshold_met
    assert (case.harm_test, case.allegation_category, case.outcome) == ("", "", "")
    assert case.contact_date == timezone.localdate()
    assert case.owning_agency_id == owner.agency_id


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"summary": "  "}, "id_summary", "Say what happened"),
        ({"subject_name": ""}, "id_subject_name", "Enter the adult's name"),
        ({"subject_role": ""}, "id_subject_role", "Enter the adult's role"),
        ({"employer_sector": ""}, "id_employer_sector", "Choose the employer's sector"),
        (
            date_parts("employer_aware_date"),
            "id_employer_aware_date",
            "Enter date the organisation became aware",
        ),
        (
            date_parts("employer_aware_date", 31, 2, 2024),
            "id_employer_aware_date",
            "Date the organisation became aware must be a real date",
        ),
    ],
)
def test_a_referral_missing_something_is_refused_and_kept(
    client_for, owner, changes, field, message
):
    response = client_for(owner).post(URL, referral(**changes))
    assert response.status_code == 200
    assert error_summary(response)[field] == message
    assert "Pushed a child against a wall" in response.content.decode() or "summary" in changes
    assert not Case.objects.exists()


def test_the_organisation_cannot_become_aware_in_the_future(client_for, owner):
    future = timezone.localdate() + dt.timedelta(days=3)
    response = client_for(owner).post(
        URL, referral(**date_parts("employer_aware_date", future.day, future.month, future.year))
    )
    assert error_summary(response)["id_employer_aware_date"].endswith("is in the future")
    assert not Case.objects.exists()


@pytest.mark.parametrize("who", ["reader", "admin"])
def test_readers_and_administrators_cannot_refer(client_for, who, request):
    client = client_for(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, referral()).status_code == 403
    assert not Case.objects.exists()


def test_the_list_offers_a_contributor_a_referral_and_an_officer_a_contact(
    client_for, owner, officer
):
    theirs = client_for(owner).get(reverse("lado:list")).content.decode()
    assert "Refer an allegation to the LADO" in theirs and "Record a contact" not in theirs
    ours = client_for(officer).get(reverse("lado:list")).content.decode()
    assert "Record a contact" in ours and "Refer an allegation to the LADO" not in ours


def test_a_referral_awaiting_a_decision_is_a_contact_not_a_referral_in_the_figures(
    client_for, owner, officer
):
    """Contacts count every contact the LADO received; referrals, strategy meetings,
    substantiated allegations and outcomes count only referrals the LADO decided met the
    harm test, by their referral date (the contact date: the day the LADO received it)."""
    from safeguarding.core.periods import FinancialYear

    client_for(owner).post(URL, referral())
    case = Case.objects.get()
    year = FinancialYear.containing(case.contact_date)
    before = reports.year_report(year)
    assert before["contacts"]["total"] == 1
    assert before["referrals"]["total"] == 0
    assert before["outcomes"]["total"] == 0 and before["outcomes"]["pending"] == 0
    assert reports.open_case_ages(today=case.contact_date) == {
        "within one month": 0,
        "within three months": 0,
        "within twelve months": 0,
        "older": 0,
    }
    client_for(officer).post(
        reverse("lado:decision", args=[case.pk]),
        {
            "version": case.version,
            "threshold_met": "yes",
            "harm_test": "harmed",
            **today_parts("decided_on"),
            "next_steps": "Strategy meeting on Monday.",
        },
    )
    after = reports.year_report(year)
    assert after["contacts"]["total"] == 1
    assert after["referrals"]["total"] == 1
    assert after["outcomes"]["pending"] == 1 and after["outcomes"]["total"] == 1
    assert Case.objects.get().referral_date == case.contact_date
