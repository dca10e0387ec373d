"""Adding information to a case (lado:note_create): the referring agency at any time (after
the LADO's decision too) and the LADO's officers; dated, audited, shown on the case page,
never changing what is recorded (so it needs no version)."""

import datetime as dt
import html

import pytest
from django.urls import reverse

from safeguarding.core.models import AuditEvent
from safeguarding.lado import services
from safeguarding.lado.models import Case, Note

NAME = "Zebedee Quartermaine"
MORE = "The adult has now been suspended; a second child has spoken to the head."


@pytest.fixture
def waiting(owner):
    return services.referral_make(
        acting_user=owner,
        contact_date=dt.date(2024, 3, 29),
        employer_name="Brockley Rise Primary School",
        employer_sector="primary_school",
        employer_aware_date=dt.date(2024, 3, 28),
        subject_name=NAME,
        subject_role="Class teacher",
        summary="Pushed a child against a wall",
    )


@pytest.fixture
def decided(officer, waiting):
    return services.decision_record(
        acting_user=officer,
        case=waiting,
        expected_version=waiting.version,
        threshold_met=True,
        harm_test="harmed",
        allegation_category="physical",
        decided_on=dt.date(2024, 4, 2),
        next_steps="Strategy meeting on Thursday; the school to consider suspension.",
        notify=False,
    )


def url(case) -> str:
    return reverse("lado:note_create", args=[case.pk])


def detail(case) -> str:
    return reverse("lado:detail", args=[case.pk])


def test_the_referrer_adds_information_after_the_decision_and_sees_the_decision(
    client_for, owner, school, decided
):
    client = client_for(owner)
    page = client.get(url(decided))
    assert page.status_code == 200
    assert f"Add information to {decided.reference}" in page.content.decode()
    assert 'name="version"' not in page.content.decode()  # it adds: no copy to be stale

    response = client.post(url(decided), {"text": MORE})
    assert response.status_code == 302
    assert response["Location"] == detail(decided) + "#notes"
    note = Note.objects.get()
    assert (note.case, note.text, note.written_by, note.agency) == (decided, MORE, owner, school)
    assert Case.objects.get().version == decided.version  # nothing recorded was changed
    event = AuditEvent.objects.filter(object_type="lado.case").latest("id")
    assert (event.actor, event.summary, event.changes) == (
        owner,
        "Note added",
        {"note": [None, MORE]},
    )

    case_page = client.get(detail(decided)).content.decode()
    assert f"Information added to {decided.reference}" in case_page
    assert MORE in case_page and f"owner, {school.name}" in case_page
    # The referrer sees the LADO's decision and the outcome of their own referral.
    assert "LADO referral: the harm test is met" in case_page
    assert "Harmed, or may have harmed, a child" in case_page
    assert "Strategy meeting on Thursday" in case_page
    assert "2 April 2024" in case_page  # decided on
    assert "Pending" in case_page  # the outcome so far
    assert "Add information" in case_page
    assert "Change the decision" not in case_page and "Record the outcome" not in case_page


def test_the_referrer_can_add_information_while_the_referral_waits(client_for, owner, waiting):
    client = client_for(owner)
    assert client.post(url(waiting), {"text": MORE}).status_code == 302
    page = html.unescape(client.get(detail(waiting)).content.decode())
    assert "Awaiting the LADO's decision, due by 2 April 2024" in page and MORE in page
    assert "Record the decision" not in page


def test_an_officer_adds_a_note_too(client_for, officer, council, decided):
    response = client_for(officer).post(url(decided), {"text": "Police will not investigate."})
    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.written_by, note.agency) == (officer, council)


def test_an_empty_note_is_refused(client_for, owner, waiting):
    response = client_for(owner).post(url(waiting), {"text": "   "})
    assert response.status_code == 200
    assert "Enter the information to add" in response.content.decode()
    assert not Note.objects.exists()


def test_another_agencys_contributor_gets_404_and_adds_nothing(client_for, outsider, decided):
    client = client_for(outsider)
    assert client.get(url(decided)).status_code == 404
    response = client.post(url(decided), {"text": MORE})
    assert response.status_code == 404
    assert NAME not in response.content.decode()
    assert not Note.objects.exists()
    assert client.get(detail(decided)).status_code == 404


@pytest.mark.parametrize("who", ["reader", "admin"])
def test_readers_and_administrators_get_403(client_for, decided, who, request):
    client = client_for(request.getfixturevalue(who))
    assert client.get(url(decided)).status_code == 403
    assert client.post(url(decided), {"text": MORE}).status_code == 403
    assert not Note.objects.exists()


def test_anonymous_is_sent_to_sign_in(client_for, decided):
    response = client_for(None).post(url(decided), {"text": MORE})
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    assert MORE not in response["Location"]
    assert not Note.objects.exists()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_wrong_method_gets_405(client_for, owner, decided, method):
    assert getattr(client_for(owner), method)(url(decided)).status_code == 405


def test_the_case_page_reads_a_constant_number_of_rows_whatever_the_notes(
    client_for, owner, officer, decided
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(owner)
    services.note_add(acting_user=owner, case=decided, text="One")
    client.get(detail(decided))

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(detail(decided)).status_code == 200
        return len(captured)

    few = count()
    for i in range(10):
        services.note_add(acting_user=officer if i % 2 else owner, case=decided, text=f"Note {i}")
    assert count() == few
