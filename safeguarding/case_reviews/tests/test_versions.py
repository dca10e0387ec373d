"""Defect: a case review edit posted without its ``version`` was saved and overwrote a
colleague's change. Every edit of a referral (details, clocks and decision, review) and the
chronology return now carry the version they were made from; without it, or with an old
one, nothing is saved and the page says why."""

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.case_reviews import services
from safeguarding.case_reviews.models import Chronology, Referral
from safeguarding.core.models import AuditEvent
from safeguarding.core.writes import StaleRecord

NO_VERSION = "does not say which copy of the record it was made from"
STALE = "Someone else changed this record after you opened it"


def _date(prefix: str, day: dt.date) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


@pytest.fixture
def colleague_changed(unit, referral):
    """A colleague records the notification after the form was opened (version 1 -> 2)."""
    return services.referral_update(
        acting_user=unit,
        referral=referral,
        expected_version=referral.version,
        notification_date=dt.date(2016, 6, 8),
    )


EDITS = {
    "edit": {
        "title": "Case Q renamed",
        "abuse_or_neglect": "yes",
        "child_died": "no",
        "seriously_harmed": "yes",
        "looked_after": "no",
        **_date("referral_date", dt.date(2016, 6, 6)),
    },
    "panel": {
        "decision_reasons": "Overwrites the notification",
        **_date("decision_date", dt.date(2016, 7, 1)),
    },
    "review": {"reviewer": "Someone", "publication_decision": "pending"},
}


@pytest.mark.parametrize("name", EDITS)
def test_an_edit_without_its_version_keeps_the_colleagues_change(
    client_for, unit, referral, colleague_changed, types, name
):
    data = dict(EDITS[name])
    if name == "panel":
        data["decision"] = types["scr"].pk
    events = AuditEvent.objects.filter(object_id=str(referral.pk)).count()
    response = client_for(unit).post(reverse(f"case_reviews:{name}", args=[referral.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and NO_VERSION in page
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.version == colleague_changed.version
    assert stored.notification_date == dt.date(2016, 6, 8)  # the colleague's change stands
    assert (stored.title, stored.decision_id, stored.reviewer) == ("Case Q", None, "")
    assert AuditEvent.objects.filter(object_id=str(referral.pk)).count() == events


@pytest.mark.parametrize("name", EDITS)
def test_an_edit_from_an_old_copy_is_refused(
    client_for, unit, referral, colleague_changed, types, name
):
    data = {**EDITS[name], "version": referral.version}
    if name == "panel":
        data["decision"] = types["scr"].pk
    response = client_for(unit).post(reverse(f"case_reviews:{name}", args=[referral.pk]), data)
    assert response.status_code == 200
    assert STALE in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).notification_date == dt.date(2016, 6, 8)


def test_an_edit_from_the_current_copy_is_saved(client_for, unit, referral, colleague_changed):
    response = client_for(unit).post(
        reverse("case_reviews:review", args=[referral.pk]),
        {**EDITS["review"], "version": colleague_changed.version},
    )
    assert response.status_code == 302
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.reviewer, stored.notification_date) == ("Someone", dt.date(2016, 6, 8))
    assert stored.version == colleague_changed.version + 1


def test_the_details_are_saved_from_the_current_copy(client_for, unit, referral):
    """The details page used to fail on every save: its "what happened" field (summary)
    collided with the service's audit summary."""
    response = client_for(unit).post(
        reverse("case_reviews:edit", args=[referral.pk]),
        {**EDITS["edit"], "summary": "Injury found at a routine check", "version": 1},
    )
    assert response.status_code == 302
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.title, stored.summary) == ("Case Q renamed", "Injury found at a routine check")
    event = AuditEvent.objects.filter(object_id=str(referral.pk)).order_by("id").last()
    assert event.summary == "Details changed"
    assert event.changes["summary"] == [
        "Serious injury to an infant",
        "Injury found at a routine check",
    ]


def test_the_edit_forms_carry_the_version(client_for, unit, referral):
    c = client_for(unit)
    for name in EDITS:
        page = c.get(reverse(f"case_reviews:{name}", args=[referral.pk])).content.decode()
        assert 'type="hidden" name="version" value="1"' in page, name


@pytest.fixture
def chronology(unit, referral, hospital):
    return services.chronology_request(
        acting_user=unit, referral=referral, agency=hospital, requested_date=dt.date(2016, 7, 1)
    )


def test_a_chronology_return_without_its_version_is_refused(
    client_for, unit, health_user, chronology
):
    # The business unit records the return first...
    services.chronology_return(
        acting_user=unit,
        chronology=chronology,
        expected_version=chronology.version,
        returned_date=dt.date(2016, 7, 20),
        note="Received by email",
    )
    # ...then the agency's form, opened earlier and posted without a version.
    response = client_for(health_user).post(
        reverse("case_reviews:chronology_return", args=[chronology.pk]),
        {**_date("returned_date", dt.date(2016, 7, 22)), "note": ""},
    )
    assert response.status_code == 200
    assert NO_VERSION in response.content.decode()
    stored = Chronology.objects.get(pk=chronology.pk)
    assert (stored.returned_date, stored.note) == (dt.date(2016, 7, 20), "Received by email")


def test_a_chronology_return_is_saved_from_its_version(client_for, health_user, unit, chronology):
    url = reverse("case_reviews:chronology_return", args=[chronology.pk])
    c = client_for(health_user)
    assert 'name="version" value="1"' in c.get(url).content.decode()
    response = c.post(url, {**_date("returned_date", dt.date(2016, 7, 22)), "version": 1})
    assert response.status_code == 302
    stored = Chronology.objects.get(pk=chronology.pk)
    assert (stored.returned_date, stored.version) == (dt.date(2016, 7, 22), 2)
    event = AuditEvent.objects.get(object_type="case_reviews.chronology")
    assert event.summary == "Chronology from Riverside Hospital returned"
    assert event.changes == {"returned_date": [None, "2016-07-22"]}
    detail = client_for(unit).get(reverse("case_reviews:detail", args=[chronology.referral_id]))
    assert "Chronology from Riverside Hospital returned" in detail.content.decode()


def test_the_services_refuse_a_missing_version(unit, referral):
    with pytest.raises(StaleRecord):
        services.referral_update(
            acting_user=unit, referral=referral, expected_version=None, title="Changed"
        )
    assert Referral.objects.get(pk=referral.pk).title == "Case Q"


def test_adding_under_a_referral_needs_no_version(client_for, unit, referral, police):
    """A child, a chronology request or an action is added, never overwriting anything."""
    c = client_for(unit)
    response = c.post(
        reverse("case_reviews:child_add", args=[referral.pk]),
        {"first_name": "Yusuf", "last_name": "Quillfeather"},
    )
    assert response.status_code == 302
    response = c.post(
        reverse("case_reviews:action_add", args=[referral.pk]),
        {
            "description": "Share the learning",
            "owning_agency": police.pk,
            **_date("due_date", dt.date(2017, 1, 1)),
        },
    )
    assert response.status_code == 302
    detail = c.get(reverse("case_reviews:detail", args=[referral.pk])).content.decode()
    assert "Yusuf Quillfeather" in detail and "Share the learning" in detail
