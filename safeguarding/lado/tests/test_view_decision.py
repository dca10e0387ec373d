"""The LADO's threshold decision (lado:decision): officers only, from the version shown, and
the referrer told by email with no personal data in it."""

import datetime as dt
import html
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.models import AuditEvent
from safeguarding.core.writes import NO_VERSION_MESSAGE
from safeguarding.lado import services
from safeguarding.lado.models import Case

NAME = "Zebedee Quartermaine"
CHILDREN = "AB (7), CD (9)"
WHAT = "Pushed a child against a wall in the playground"


@pytest.fixture
def waiting(owner):
    """A school's referral, received on Good Friday 2024 (Easter Monday a bank holiday too)."""
    return services.referral_make(
        acting_user=owner,
        contact_date=dt.date(2024, 3, 29),
        employer_name="Brockley Rise Primary School",
        employer_sector="primary_school",
        employer_aware_date=dt.date(2024, 3, 28),
        subject_name=NAME,
        subject_role="Class teacher",
        children=CHILDREN,
        summary=WHAT,
    )


def url(case) -> str:
    return reverse("lado:decision", args=[case.pk])


def date_parts(name: str, day) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def decision(case, **changes) -> dict:
    data = {
        "version": case.version,
        "threshold_met": "yes",
        "harm_test": "harmed",
        "allegation_category": "physical",
        **date_parts("decided_on", dt.date(2024, 4, 2)),
        "next_steps": "Strategy meeting on Thursday; the school to consider suspension.",
    }
    data.update(changes)
    return data


def decide(client, case, **changes):
    return client.post(url(case), decision(case, **changes))


def errors(response) -> dict[str, str]:
    page = response.content.decode()
    found = re.findall(r'<li><a href="#([^"]*)">([^<]*)</a></li>', page)
    return {re.sub(r"_[012]$", "", t): html.unescape(m) for t, m in found}


# ---- who may ---------------------------------------------------------------------------------


def test_an_officer_gets_the_decision_form_with_the_clock(client_for, officer, waiting):
    response = client_for(officer).get(url(waiting))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert f"Decide on {waiting.reference}" in page
    assert "The decision is due by 2 April 2024: 1 working day" in page
    assert 'name="version"' in page and 'name="threshold_met"' in page
    assert 'name="next_steps"' in page


@pytest.mark.parametrize("who", ["owner", "outsider", "reader", "admin"])
def test_only_the_lados_officers_decide(client_for, waiting, who, request, mailoutbox):
    """The referrer cannot see the decision form, nor can anyone else but the LADO."""
    client = client_for(request.getfixturevalue(who))
    assert client.get(url(waiting)).status_code == 403
    assert decide(client, waiting).status_code == 403
    waiting.refresh_from_db()
    assert waiting.awaiting_decision and waiting.version == 1 and not mailoutbox


def test_anonymous_is_sent_to_sign_in(client_for, waiting):
    response = decide(client_for(None), waiting)
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    assert Case.objects.get().awaiting_decision


def test_a_missing_case_is_404(client_for, officer, waiting):
    assert (
        client_for(officer).get(reverse("lado:decision", args=[waiting.pk + 99])).status_code == 404
    )


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_wrong_method_gets_405(client_for, officer, waiting, method):
    assert getattr(client_for(officer), method)(url(waiting)).status_code == 405


# ---- the decision --------------------------------------------------------------------------


def test_the_officer_decides_and_the_referrer_is_emailed_without_personal_data(
    client_for, officer, owner, waiting, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://safeguarding.example.org/"
    client = client_for(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, waiting)
    assert response.status_code == 302
    assert response["Location"] == reverse("lado:detail", args=[waiting.pk])
    case = Case.objects.get()
    assert not case.awaiting_decision and case.threshold_met and case.is_open
    assert (case.harm_test, case.allegation_category, case.outcome) == (
        "harmed",
        "physical",
        "pending",
    )
    assert case.decided_on == dt.date(2024, 4, 2)
    assert case.referral_date == dt.date(2024, 3, 29)  # received: the resolution clock starts
    assert case.open_since == dt.date(2024, 3, 29)
    assert case.next_steps.startswith("Strategy meeting on Thursday")
    assert case.version == waiting.version + 1
    event = AuditEvent.objects.filter(object_type="lado.case").latest("id")
    assert (event.actor, event.summary) == (officer, "Threshold decision recorded")
    assert event.changes["threshold_met"] == [False, True]
    assert event.changes["awaiting_decision"] == [True, False]
    page = client.get(response["Location"]).content.decode()
    assert f"Decision recorded for {case.reference}: the referrer is told by email" in page

    (email,) = mail.outbox
    assert email.to == [owner.email]
    assert email.from_email == settings.DEFAULT_FROM_EMAIL
    assert email.subject == f"LADO decision on referral {case.reference}"
    link = f"https://safeguarding.example.org/lado/{case.pk}/"
    assert link in email.body and case.reference in email.body
    assert "29 March 2024" in email.body
    everything = email.subject + email.body
    for personal in (
        NAME,
        "Zebedee",
        "Quartermaine",
        "Class teacher",
        "AB (7)",
        "CD (9)",
        WHAT,
        "playground",
        "Strategy meeting",  # the next steps: only for those who sign in
        "harm",
        "Harmed",
        "physical",
        "Physical",
        "referral: the",
    ):
        assert personal not in everything, personal


def test_advice_only_closes_the_contact_and_tells_the_referrer(
    client_for, officer, waiting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decide(
            client_for(officer),
            waiting,
            threshold_met="no",
            harm_test="",
            next_steps="Advice: handle it under the staff code of conduct.",
        )
    case = Case.objects.get()
    assert not case.awaiting_decision and not case.threshold_met and not case.is_open
    assert case.harm_test == "" and case.referral_date is None and case.open_since is None
    assert case.status_label == "Advice given"
    assert len(mail.outbox) == 1 and "recorded a decision on" in mail.outbox[0].body


def test_a_changed_decision_is_told_and_an_unchanged_one_is_not(
    client_for, officer, waiting, django_capture_on_commit_callbacks
):
    client = client_for(officer)
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, waiting, threshold_met="no", harm_test="")
    case = Case.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, case)  # new information: now a referral
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.threshold_met and case.is_open
    assert AuditEvent.objects.filter(summary="Threshold decision changed").count() == 1
    assert len(mail.outbox) == 2 and "changed the decision on" in mail.outbox[1].body
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, case)  # saved again as it stands
    assert len(mail.outbox) == 2
    assert Case.objects.get().version == case.version


def test_a_referrer_who_has_left_is_not_emailed(
    client_for, officer, owner, waiting, django_capture_on_commit_callbacks
):
    owner.is_active = False
    owner.save()
    with django_capture_on_commit_callbacks(execute=True):
        decide(client_for(officer), waiting)
    assert not Case.objects.get().awaiting_decision
    assert mail.outbox == []


def test_a_contact_the_lado_recorded_tells_nobody(
    client_for, officer, lado_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client_for(officer), lado_case, harm_test="unsuitable")
    assert response.status_code == 302
    assert Case.objects.get().harm_test == "unsuitable"
    assert mail.outbox == []


# ---- refused, nothing saved, nobody told -------------------------------------------------------


def test_a_decision_without_its_version_or_from_a_stale_copy_is_refused(
    client_for, officer, waiting, django_capture_on_commit_callbacks
):
    client = client_for(officer)
    with django_capture_on_commit_callbacks(execute=True):
        missing = decide(client, waiting, version="")
        stale = decide(client, waiting, version=waiting.version + 1)
    assert NO_VERSION_MESSAGE.split(":")[0] in html.unescape(missing.content.decode())
    assert "Someone else changed this record" in html.unescape(stale.content.decode())
    assert Case.objects.get().awaiting_decision and mail.outbox == []


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"threshold_met": ""}, "id_threshold_met", "Choose advice only or LADO referral"),
        ({"harm_test": ""}, "id_harm_test", "Select which part of the harm test was met"),
        ({"next_steps": ""}, "id_next_steps", "Enter the next steps"),
        (
            date_parts("decided_on", dt.date(2024, 3, 28)),
            "id_decided_on",
            "The decision cannot be before the referral was received",
        ),
        (
            date_parts("decided_on", timezone.localdate() + dt.timedelta(days=2)),
            "id_decided_on",
            "is in the future",
        ),
    ],
)
def test_a_decision_breaking_a_rule_is_refused(
    client_for, officer, waiting, changes, field, message
):
    response = decide(client_for(officer), waiting, **changes)
    assert response.status_code == 200
    assert message in errors(response)[field]
    case = Case.objects.get()
    assert case.awaiting_decision and case.version == waiting.version


def test_a_referral_with_meetings_cannot_become_advice(client_for, officer, lado_case):
    from safeguarding.lado.models import MeetingType

    services.meeting_add(
        acting_user=officer,
        case=lado_case,
        meeting_type=MeetingType.objects.create(name="Strategy meeting"),
        date=dt.date(2016, 5, 10),
    )
    lado_case.refresh_from_db()
    response = decide(client_for(officer), lado_case, threshold_met="no", harm_test="")
    assert response.status_code == 200
    assert "must be blank when the threshold is not met" in response.content.decode()
    assert Case.objects.get().threshold_met
