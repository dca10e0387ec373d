"""An episode's page: scope, the 72-hour flag, the access log."""

import datetime as dt

from django.utils import timezone

from safeguarding.core.models import AccessEvent
from safeguarding.missing import services

from .fixtures import CHILD_NAME, assert_refuses_others


def url(episode):
    return f"/missing/{episode.pk}/"


def test_officer_and_owner_see_the_episode(client_for, met_officer, met_owner, episode):
    for user in (met_officer, met_owner):
        response = client_for(user).get(url(episode))
        assert response.status_code == 200
        assert CHILD_NAME in response.content.decode()
    assert AccessEvent.objects.filter(object_id=str(episode.pk)).count() == 2


def test_an_interview_never_offered_is_flagged(client_for, met_officer, episode):
    html = client_for(met_officer).get(url(episode)).content.decode()
    assert "was not offered within 72 hours" in html


def test_a_recent_return_shows_the_deadline(client_for, met_officer, child, school):
    now = timezone.now()
    recent = services.episode_create(
        acting_user=met_officer,
        owning_agency=school,
        child=child,
        looked_after=True,
        episode_type="missing",
        start=now - dt.timedelta(hours=10),
        end=now - dt.timedelta(hours=2),
    )
    html = client_for(met_officer).get(url(recent)).content.decode()
    assert "must be offered by" in html


def test_an_interview_offered_late_is_tagged(client_for, met_officer, episode):
    services.interview_save(
        acting_user=met_officer,
        episode=episode,
        expected_version=episode.version,
        offered_at=episode.end + dt.timedelta(hours=80),
    )
    assert "Later than 72 hours" in client_for(met_officer).get(url(episode)).content.decode()


def test_other_agency_gets_404(client_for, met_outsider, episode):
    response = client_for(met_outsider).get(url(episode))
    assert response.status_code == 404
    assert CHILD_NAME not in response.content.decode()


def test_reader_anonymous_and_wrong_method(client_for, met_reader, episode):
    assert assert_refuses_others(client_for, url(episode), reader=met_reader)
