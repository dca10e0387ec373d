"""Defect: an edit posted without its ``version`` was saved over a colleague's change.

Every action form (edit, progress, close) now carries the version it was made from; a post
without one, or with an old one, is refused with a message and nothing is saved."""

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.actions import services
from safeguarding.actions.models import Action
from safeguarding.core.models import AuditEvent
from safeguarding.core.writes import RecordInvalid, StaleRecord

NO_VERSION = "does not say which copy of the record it was made from"
STALE = "Someone else changed this record after you opened it"


def _date(prefix: str, day: dt.date) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


@pytest.fixture
def colleague_changed(unit, police_action):
    """A colleague changes the due date after the form was opened (version 1 -> 2)."""
    return services.action_edit(
        acting_user=unit,
        action=police_action,
        expected_version=police_action.version,
        description=police_action.description,
        measure="Every officer briefed by March",
        owning_agency=police_action.owning_agency,
        owner_person="",
        due_date=dt.date(2017, 3, 31),
    )


def _edit_post(action: Action, **extra) -> dict:
    return {
        "description": "Brief some officers",
        "measure": "",
        "owning_agency": action.owning_agency_id,
        "owner_person": "",
        **_date("due_date", dt.date(2016, 12, 1)),
        **extra,
    }


def _progress_post(**extra) -> dict:
    return {"status": "at_risk", "note": "Slipping", **_date("date", dt.date(2016, 10, 1)), **extra}


def _close_post(**extra) -> dict:
    return {"evidence": "Attendance list", **_date("date", dt.date(2017, 1, 5)), **extra}


PAGES = [
    ("edit", _edit_post),
    ("progress", lambda a: _progress_post()),
    ("close", lambda a: _close_post()),
]


@pytest.mark.parametrize("name, data", PAGES, ids=[p[0] for p in PAGES])
def test_a_post_without_its_version_does_not_overwrite_a_colleagues_change(
    client_for, unit, police_action, colleague_changed, name, data
):
    events = AuditEvent.objects.filter(object_id=str(police_action.pk)).count()
    response = client_for(unit).post(
        reverse(f"actions:{name}", args=[police_action.pk]), data(police_action)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and NO_VERSION in page
    stored = Action.objects.get(pk=police_action.pk)
    assert stored.version == colleague_changed.version
    assert (stored.description, stored.measure, stored.due_date, stored.status) == (
        "Brief all officers on the learning",
        "Every officer briefed by March",
        dt.date(2017, 3, 31),
        "not_started",
    )
    assert not stored.updates.exists()
    assert AuditEvent.objects.filter(object_id=str(police_action.pk)).count() == events


@pytest.mark.parametrize("name, data", PAGES, ids=[p[0] for p in PAGES])
def test_a_post_from_an_old_copy_is_refused(
    client_for, unit, police_action, colleague_changed, name, data
):
    response = client_for(unit).post(
        reverse(f"actions:{name}", args=[police_action.pk]),
        {**data(police_action), "version": police_action.version},
    )
    assert response.status_code == 200
    assert STALE in response.content.decode()
    assert Action.objects.get(pk=police_action.pk).status == "not_started"


@pytest.mark.parametrize("name, data", PAGES, ids=[p[0] for p in PAGES])
def test_a_post_from_the_current_copy_is_saved(
    client_for, unit, police_action, colleague_changed, name, data
):
    response = client_for(unit).post(
        reverse(f"actions:{name}", args=[police_action.pk]),
        {**data(police_action), "version": colleague_changed.version},
    )
    assert response.status_code == 302
    stored = Action.objects.get(pk=police_action.pk)
    assert stored.version == colleague_changed.version + 1


def test_the_forms_carry_the_version(client_for, unit, police_action):
    c = client_for(unit)
    for name in ("edit", "progress", "close"):
        page = c.get(reverse(f"actions:{name}", args=[police_action.pk])).content.decode()
        assert 'type="hidden" name="version" value="1"' in page, name


def test_the_services_refuse_a_missing_version(unit, police_action):
    with pytest.raises(StaleRecord):
        services.action_close(
            acting_user=unit,
            action=police_action,
            expected_version=None,
            evidence="Checked",
            date=dt.date(2017, 1, 5),
        )
    assert Action.objects.get(pk=police_action.pk).status == "not_started"


def test_the_old_exception_name_still_works(unit, police_action):
    """ActionInvalid is core's RecordInvalid: callers catching either still catch it."""
    assert services.ActionInvalid is RecordInvalid
    with pytest.raises(services.ActionInvalid):
        services.action_create(
            acting_user=unit,
            source=police_action,
            source_label="x",
            description=" ",
            owning_agency=police_action.owning_agency,
            due_date=dt.date(2017, 1, 1),
        )


def test_a_stale_copy_is_said_with_the_other_problems(client_for, unit, police_action):
    """The version is checked with the fields: a copy from before a colleague's change and
    a missing note are both shown at once, and nothing is saved."""
    services.action_update_progress(
        acting_user=unit,
        action=police_action,
        expected_version=police_action.version,
        status="on_track",
        note="Started",
        date=dt.date(2016, 10, 1),
    )
    response = client_for(unit).post(
        reverse("actions:progress", args=[police_action.pk]),
        _progress_post(note="", version=police_action.version),
    )
    page = response.content.decode()
    assert STALE in page and "Enter what progress has been made" in page
    assert Action.objects.get(pk=police_action.pk).updates.count() == 1
