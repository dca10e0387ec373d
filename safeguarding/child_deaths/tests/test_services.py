"""Writes: audit in the same transaction, optimistic locking, recommendations become
tracked actions, overdue forms are chased by email (naming no child)."""

import datetime as dt

import pytest
from django.core import mail

from safeguarding.actions.services import actions_for
from safeguarding.child_deaths import services
from safeguarding.core.audit import history_for
from safeguarding.core.writes import RecordInvalid, StaleRecord

from .conftest import CHILD, notify


def test_notifying_gives_a_reference_and_an_audit_row(death):
    assert death.reference == "CDR-2016-17-0001"
    assert death.age_band == "28_to_364_days"
    (event,) = history_for(death)
    assert event.summary == "Death notified"


def test_a_death_of_an_18_year_old_is_refused_and_nothing_is_saved(coordinator):
    with pytest.raises(RecordInvalid) as exc:
        notify(coordinator, date_of_birth=dt.date(1998, 5, 31))
    assert exc.value.problems[0][0] == "date_of_death"
    assert not services.Death.objects.exists()


def test_a_stale_copy_cannot_overwrite_a_newer_one(death, coordinator):
    services.death_update(acting_user=coordinator, death=death, expected_version=1, home_area="X")
    with pytest.raises(StaleRecord):
        services.death_update(
            acting_user=coordinator, death=death, expected_version=1, home_area="Y"
        )


def test_review_and_recommendation_become_a_tracked_action(death, coordinator, hospital):
    with pytest.raises(RecordInvalid):
        services.recommendation_add(
            acting_user=coordinator, death=death, description="x", owning_agency=hospital,
            due_date=dt.date(2017, 1, 1),
        )  # fmt: skip
    death = services.review_record(
        acting_user=coordinator, death=death, expected_version=death.version,
        review_date=dt.date(2016, 11, 1), category="10", modifiable_factors="yes",
        learning_points="Safer sleep",
    )  # fmt: skip
    assert death.is_reviewed and not death.review_overdue(dt.date(2017, 1, 1))
    action = services.recommendation_add(
        acting_user=coordinator, death=death, description="Safer sleep advice at every visit",
        owning_agency=hospital, due_date=dt.date(2017, 1, 1),
    )  # fmt: skip
    (listed,) = actions_for(death)
    assert listed == action
    assert listed.source_label == f"Child death review {death.reference}"
    assert listed.owning_agency == hospital


def test_review_overdue_after_six_months_configurable(death, settings):
    assert not death.review_overdue(dt.date(2016, 12, 1))
    assert death.review_overdue(dt.date(2016, 12, 2))
    settings.CHILD_DEATHS_REVIEW_MONTHS = 12
    assert not death.review_overdue(dt.date(2016, 12, 2))


def test_joint_agency_response_is_flagged_until_recorded(death, coordinator):
    assert death.jar_missing
    death = services.jar_record(
        acting_user=coordinator, death=death, expected_version=death.version,
        jar_date=dt.date(2016, 6, 2), jar_attendees="Paediatrician",
    )  # fmt: skip
    assert not death.jar_missing


def test_chasing_emails_the_asked_agency_without_naming_the_child(
    form_request, coordinator, asked, not_asked
):
    chased, nobody = services.forms_chase(
        acting_user=coordinator, form_requests=[form_request], today=dt.date(2016, 7, 2)
    )
    assert (chased, nobody) == (1, 0)
    (message,) = mail.outbox
    assert message.to == [asked.email]
    assert form_request.death.reference in message.subject
    assert CHILD not in message.subject + message.body
    form_request.refresh_from_db()
    assert form_request.chase_count == 1


def test_a_form_not_yet_due_is_not_chased(form_request, coordinator, asked):
    assert services.forms_chase(
        acting_user=coordinator, form_requests=[form_request], today=dt.date(2016, 7, 1)
    ) == (0, 0)
    assert not mail.outbox


def test_returning_a_form_records_who_and_when(form_request, asked):
    services.form_return(
        acting_user=asked, form_request=form_request, expected_version=form_request.version,
        involvement="Birth and NICU", information="Born at 24 weeks",
    )  # fmt: skip
    form_request.refresh_from_db()
    assert form_request.returned_by == asked and form_request.returned_date == dt.date.today()


def test_the_new_fields_are_in_the_history(death, coordinator):
    death = services.review_meeting_record(
        acting_user=coordinator, death=death, expected_version=death.version,
        review_meeting_date=dt.date(2016, 7, 1),
    )  # fmt: skip
    event = history_for(death)[0]
    assert event.summary == "Child death review meeting recorded"
    assert event.changes == {"review_meeting_date": [None, "2016-07-01"]}
    death = services.death_update(
        acting_user=coordinator, death=death, expected_version=death.version,
        looked_after_at_death=True, ncmd_notified_date=dt.date(2016, 6, 5),
    )  # fmt: skip
    assert set(history_for(death)[0].changes) == {"looked_after_at_death", "ncmd_notified_date"}
    death = services.review_record(
        acting_user=coordinator, death=death, expected_version=death.version,
        review_date=dt.date(2016, 9, 1), category="10", modifiable_factors="yes",
        factors_social_environment="significant",
    )  # fmt: skip
    assert history_for(death)[0].changes["factors_social_environment"] == ["", "significant"]


def test_a_review_meeting_after_the_panel_is_refused(death, coordinator):
    death = services.review_record(
        acting_user=coordinator, death=death, expected_version=death.version,
        review_date=dt.date(2016, 9, 1), category="8", modifiable_factors="no",
    )  # fmt: skip
    with pytest.raises(RecordInvalid) as exc:
        services.review_meeting_record(
            acting_user=coordinator, death=death, expected_version=death.version,
            review_meeting_date=dt.date(2016, 9, 2),
        )  # fmt: skip
    assert [f for f, _ in exc.value.problems] == ["review_meeting_date"]
    death.refresh_from_db()
    assert death.review_meeting_date is None
