"""Edits of a shown copy are saved only from that copy's version: a course, a session, a
booking's decision and its move. A form without its version, or made from an older copy,
is refused and the colleague's change stays (these were saved before: the services checked
the version only when one was given)."""

import pytest
from django.urls import reverse

from safeguarding.core.writes import StaleRecord
from safeguarding.training import services
from safeguarding.training.models import Booking, Course, Session

from .conftest import apply, make_session

pytestmark = pytest.mark.django_db

MISSING_TEXT = "does not say which copy of the record"
STALE_TEXT = "Someone else changed this record after you opened it"


@pytest.fixture
def waiting(session, school):
    for _ in range(2):
        apply(session, agency=school)
    return apply(session, agency=school)  # the session holds 2: this one waits


@pytest.fixture
def later(course):
    return make_session(course, days=30, capacity=5)


# ---- the services -------------------------------------------------------------------------


def _edit_course(lead, course, version):
    services.course_save(
        acting_user=lead, course=course, expected_version=version, title="Neglect (revised)"
    )


def _edit_session(lead, session, version):
    services.session_save(acting_user=lead, session=session, expected_version=version, capacity=9)


def test_course_edit_without_or_from_an_old_version_is_refused(lead, course):
    with pytest.raises(StaleRecord, match="does not say which copy"):
        _edit_course(lead, course, None)
    services.course_save(acting_user=lead, course=course, expected_version=1, trainer="A colleague")
    with pytest.raises(StaleRecord, match="Someone else changed"):
        _edit_course(lead, course, 1)
    course.refresh_from_db()
    assert (course.title, course.trainer, course.version) == (
        "Neglect: an analytical approach",
        "A colleague",
        2,
    )


def test_session_edit_without_or_from_an_old_version_is_refused(lead, session):
    with pytest.raises(StaleRecord, match="does not say which copy"):
        _edit_session(lead, session, None)
    services.session_save(acting_user=lead, session=session, expected_version=1, capacity=4)
    with pytest.raises(StaleRecord, match="Someone else changed"):
        _edit_session(lead, session, 1)
    session.refresh_from_db()
    assert (session.capacity, session.version) == (4, 2)


def test_a_new_course_or_session_needs_no_version(lead, course):
    added = services.course_save(
        acting_user=lead, course=None, title="Safer Recruitment", learning_outcomes="One"
    )
    assert added.pk and added.version == 1
    session = make_session(course)
    copy = services.session_save(
        acting_user=lead,
        session=None,
        course=course,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        venue="Library",
        capacity=8,
    )
    assert copy.pk != session.pk and copy.version == 1


def test_decision_without_or_from_an_old_version_is_refused(lead, waiting, later):
    with pytest.raises(StaleRecord, match="does not say which copy"):
        services.booking_decide(
            acting_user=lead, booking=waiting, decision="decline", expected_version=None
        )
    seen = waiting.version
    services.booking_move(
        acting_user=lead, booking=waiting, to_session=later, expected_version=seen
    )
    with pytest.raises(StaleRecord, match="Someone else changed"):
        services.booking_decide(
            acting_user=lead, booking=waiting, decision="decline", expected_version=seen
        )
    waiting.refresh_from_db()
    assert (waiting.session_id, waiting.status) == (later.pk, "booked")


def test_move_without_or_from_an_old_version_is_refused(lead, waiting, later):
    applied_for = waiting.session_id
    with pytest.raises(StaleRecord, match="does not say which copy"):
        services.booking_move(
            acting_user=lead, booking=waiting, to_session=later, expected_version=None
        )
    seen = waiting.version
    services.booking_decide(
        acting_user=lead, booking=waiting, decision="decline", expected_version=seen
    )
    with pytest.raises(StaleRecord, match="Someone else changed"):
        services.booking_move(
            acting_user=lead, booking=waiting, to_session=later, expected_version=seen
        )
    waiting.refresh_from_db()
    assert (waiting.session_id, waiting.status) == (applied_for, "declined")


# ---- the pages ----------------------------------------------------------------------------


def _course_post(course, **extra):
    return {
        "title": "Neglect (revised)",
        "level": course.level,
        "learning_outcomes": course.learning_outcomes,
        "price": "0",
        "stage3_follow_up": "yes",
        "is_active": "on",
        **extra,
    }


def _session_post(session, **extra):
    return {
        "course": session.course_id,
        "date_0": session.date.day,
        "date_1": session.date.month,
        "date_2": session.date.year,
        "start_time": "09:30",
        "end_time": "16:00",
        "venue": "Civic Centre",
        "capacity": "9",
        "cancellation_days": "3",
        "is_published": "on",
        **extra,
    }


def _refused(page, text):
    body = page.content.decode()
    assert page.status_code == 200
    assert text in body and "There is a problem" in body
    return body


# (edit page, its form's values, what is stored, before, after a good save)
CATALOGUE = {
    "course": (
        "training:course_edit",
        _course_post,
        lambda course: Course.objects.get(pk=course.pk).title,
        "Neglect: an analytical approach",
        "Neglect (revised)",
    ),
    "session": (
        "training:session_edit",
        _session_post,
        lambda session: Session.objects.get(pk=session.pk).capacity,
        2,
        9,
    ),
}


@pytest.mark.parametrize("version, text", [(None, MISSING_TEXT), (0, STALE_TEXT)])
@pytest.mark.parametrize("record", sorted(CATALOGUE))
def test_catalogue_pages_refuse_a_form_without_its_version_or_from_an_old_copy(
    client_for, lead, request, record, version, text
):
    name, values, stored, before, _after = CATALOGUE[record]
    obj = request.getfixturevalue(record)
    data = values(obj) | ({} if version is None else {"version": version})
    _refused(client_for(lead).post(reverse(name, args=[obj.pk]), data), text)
    assert stored(obj) == before


@pytest.mark.parametrize("record", sorted(CATALOGUE))
def test_catalogue_pages_save_from_the_version_they_showed(client_for, lead, request, record):
    name, values, stored, _before, after = CATALOGUE[record]
    obj = request.getfixturevalue(record)
    lead_client = client_for(lead)
    url = reverse(name, args=[obj.pk])
    assert 'name="version" value="1"' in lead_client.get(url).content.decode()
    assert lead_client.post(url, values(obj, version=1)).status_code == 302
    assert stored(obj) == after


@pytest.mark.parametrize("version, text", [(None, MISSING_TEXT), (0, STALE_TEXT)])
@pytest.mark.parametrize("name", ["training:booking_decide", "training:booking_move"])
def test_booking_pages_refuse_a_form_without_its_version_or_from_an_old_copy(
    client_for, lead, waiting, later, name, version, text
):
    """Neither the decision nor the move is made: the booking still waits where it was."""
    data = {"decision": "decline", "to_session": later.pk}
    if version is not None:
        data["version"] = version
    page = client_for(lead).post(reverse(name, args=[waiting.pk]), data)
    _refused(page, text)
    stored = Booking.objects.get(pk=waiting.pk)
    assert (stored.session_id, stored.status) == (waiting.session_id, "waiting")
