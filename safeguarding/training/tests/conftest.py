"""Training fixtures: the training lead (officer), agency coordinators, a reader,
courses and sessions, and a helper to book delegates."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from conftest import user_fixture
from safeguarding.training import services
from safeguarding.training.models import Course, Session

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _immediate_tasks_and_clean_cache(settings):
    settings.TASKS = IMMEDIATE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    yield
    cache.clear()


lead = user_fixture("lead@example.org", "council", {"training": "officer"})
coordinator = user_fixture("coordinator@example.org", "school", {"training": "contributor"})
other_coordinator = user_fixture("other@example.org", "other_school", {"training": "contributor"})
figures_reader = user_fixture("figures@example.org", "council", {"training": "reader"})


@pytest.fixture
def course(db):
    return Course.objects.create(
        title="Neglect: an analytical approach",
        level="level_3",
        learning_outcomes="Recognise neglect\nUse the neglect toolkit",
        duration="1 day",
        trainer="A. Trainer",
        stage3_follow_up=True,
    )


def make_session(course, *, days=10, capacity=2, cancellation_days=3, published=True):
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=days)
    return Session.objects.create(
        course=course,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=6),
        venue="Civic Centre",
        capacity=capacity,
        cancellation_days=cancellation_days,
        is_published=published,
    )


@pytest.fixture
def session(course):
    return make_session(course)


_counter = {"n": 0}


def apply(session, *, name=None, email=None, agency=None, notify=True, **extra):
    _counter["n"] += 1
    n = _counter["n"]
    return services.booking_apply(
        acting_user=None,
        session=session,
        full_name=name or f"Delegate Number{n}",
        email=email or f"delegate{n}@example.org",
        job_role="Social worker",
        owning_agency=agency,
        agency_other="" if agency else "Independent",
        confidence=[4] * len(session.course.outcomes),
        notify=notify,
        **extra,
    )


def backdate(session, days_ago: int):
    """Move a session into the past (bookings are made while it is still upcoming)."""
    starts = timezone.now().replace(microsecond=0) - dt.timedelta(days=days_ago)
    Session.objects.filter(pk=session.pk).update(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=6)
    )
    session.refresh_from_db()
    return session
