"""The training worklist: waiting-list applications to decide before their session, and
registers not yet taken; each user sees only their scope, and never a delegate's name.
The clocks at their edges, across weekends and bank holidays: test_clocks.py."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.registers import get, worklist_for
from safeguarding.training import services
from safeguarding.training.rules import ATTENDANCE_REGISTER

from .conftest import apply, backdate, make_session

pytestmark = pytest.mark.django_db


def _items(user):
    return [i for i in worklist_for(user) if i.module == "training"]


@pytest.fixture
def full(session, school, other_school):
    """A session of two places: two booked, one waiting from each school."""
    for _ in range(2):
        apply(session, agency=school)
    mine = apply(session, name="Wanda Waiting", agency=school)
    theirs = apply(session, name="Otto Other", agency=other_school)
    return mine, theirs


def test_the_lead_decides_waiting_applications_before_the_session(lead, session, full):
    mine, theirs = full
    items = _items(lead)
    assert [i.reference for i in items] == [mine.reference, theirs.reference]
    first = items[0]
    assert first.label.startswith("Accept or decline the waiting-list application")
    assert session.course.title in first.label
    assert first.url == reverse("training:booking", args=[mine.pk])
    assert first.due == session.date and not first.overdue
    text = " ".join(f"{i.label} {i.reference}" for i in items)
    assert "Wanda" not in text and "Otto" not in text and "@" not in text


def test_a_decided_application_leaves_the_worklist(lead, full):
    mine, theirs = full
    services.booking_decide(
        acting_user=lead, booking=mine, decision="decline", expected_version=mine.version
    )
    assert [i.reference for i in _items(lead)] == [theirs.reference]


def test_waiting_applications_of_a_session_held_are_not_listed(lead, session, full):
    backdate(session, 2)
    assert not any(i.url.startswith("/training/bookings/") for i in _items(lead))


def test_a_coordinator_sees_only_their_agencys_waiting_bookings(coordinator, full):
    mine, _theirs = full
    items = _items(coordinator)
    assert [i.reference for i in items] == [mine.reference]
    assert items[0].label.startswith("On the waiting list")


def test_a_reader_has_no_training_worklist(figures_reader, full):
    assert _items(figures_reader) == []


def test_the_lead_takes_registers_of_sessions_held(lead, coordinator, course, school):
    held = make_session(course, days=5)
    booked = apply(held, agency=school)
    backdate(held, 10)  # more than 1 working day ago, whatever the holidays
    backdate(make_session(course, days=5), 2)  # held, but nobody booked
    long_ago = make_session(course, days=5)
    apply(long_ago, agency=school)
    backdate(long_ago, 200)  # outside the worklist's 90 days
    items = _items(lead)
    assert [i.url for i in items] == [reverse("training:attendance", args=[held.pk])]
    item = items[0]
    assert item.label == "Take the attendance register"
    assert item.due == ATTENDANCE_REGISTER.due(held.date) and item.overdue
    assert course.title in item.reference
    assert _items(coordinator) == []  # the lead takes registers

    services.attendance_record(acting_user=lead, session=held, marks={booked.pk: "attended"})
    assert _items(lead) == []


def test_the_worklist_reads_a_constant_number_of_rows(lead, course, school):
    def queries():
        user = type(lead).objects.get(pk=lead.pk)
        with CaptureQueriesContext(connection) as captured:
            items = get("training").worklist(user, timezone.localdate())
        return len(captured), len(items)

    session = make_session(course, days=3, capacity=1)
    for _ in range(3):
        apply(session, agency=school, notify=False)
    few = queries()
    for days in range(4, 10):
        more = make_session(course, days=days, capacity=1)
        for _ in range(12):
            apply(more, agency=school, notify=False)
    held = make_session(course, days=1)
    apply(held, agency=school, notify=False)
    backdate(held, 1)
    many = queries()
    assert few[1] == 2
    assert many[0] == few[0] and many[1] == 50 + 1  # the waiting list is cut at 50


def test_a_register_just_held_is_due_the_next_working_day(lead, course, school):
    held = make_session(course, days=1)
    apply(held, agency=school)
    starts = timezone.now() - dt.timedelta(minutes=30)
    type(held).objects.filter(pk=held.pk).update(starts_at=starts, ends_at=starts)
    item = _items(lead)[0]
    assert item.due == ATTENDANCE_REGISTER.due(timezone.localdate(starts))
    assert item.due > timezone.localdate(starts) and not item.overdue
