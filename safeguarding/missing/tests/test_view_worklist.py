"""The worklist of interviews to offer, with the time left."""

import datetime as dt

from django.utils import timezone

from safeguarding.missing import services

from .fixtures import CHILD_NAME, assert_refuses_others

URL = "/missing/worklist/"


def _returned(user, child, school, *, hours_ago, away_hours=10):
    """A missing episode whose child came back ``hours_ago`` hours ago."""
    now = timezone.now()
    return services.episode_create(
        acting_user=user,
        owning_agency=school,
        child=child,
        looked_after=True,
        episode_type="missing",
        start=now - dt.timedelta(hours=hours_ago + away_hours),
        end=now - dt.timedelta(hours=hours_ago),
    )


def test_lists_returns_awaiting_an_offer_with_time_left(
    client_for, met_officer, child, school, episode
):
    recent = _returned(met_officer, child, school, hours_ago=20)
    overdue = _returned(met_officer, child, school, hours_ago=19 * 24, away_hours=24)
    html = client_for(met_officer).get(URL).content.decode()
    assert recent.reference in html and overdue.reference in html
    assert "Overdue" in html  # returned 19 days ago
    assert "51 hours 59 minutes" in html or "52 hours 0 minutes" in html
    # A return of 2016 never offered an interview is history, not work: the page reads the
    # recent returns through the index, whatever the years behind them (issue 16).
    assert episode.reference not in html
    assert "older ones never offered an interview are counted in the year" in html


def test_still_missing_children_are_listed(client_for, met_officer, open_episode):
    html = client_for(met_officer).get(URL).content.decode()
    assert "missing since" in html and open_episode.reference in html


def test_offered_episodes_leave_the_list(client_for, met_officer, child, school):
    episode = _returned(met_officer, child, school, hours_ago=20)
    assert episode.reference in client_for(met_officer).get(URL).content.decode()
    services.interview_save(
        acting_user=met_officer,
        episode=episode,
        expected_version=episode.version,
        offered_at=episode.end + dt.timedelta(hours=3),
    )
    assert episode.reference not in client_for(met_officer).get(URL).content.decode()


def test_contributors_see_only_their_agencys(
    client_for, met_officer, met_owner, met_outsider, child, school
):
    episode = _returned(met_officer, child, school, hours_ago=20)
    assert episode.reference in client_for(met_owner).get(URL).content.decode()
    html = client_for(met_outsider).get(URL).content.decode()
    assert episode.reference not in html and CHILD_NAME not in html


def test_reader_anonymous_and_wrong_method(client_for, met_reader, episode):
    assert assert_refuses_others(client_for, URL, reader=met_reader, wrong_method="post")


def test_the_home_worklist_lists_offers_due_and_just_overdue_by_reference(
    met_officer, met_owner, met_outsider, child, school, episode
):
    """Returns of the last weeks awaiting an interview offer (missing, not absent), the
    overdue flagged; references only; scoped; years-old episodes left to the module's page."""
    from safeguarding.core import registers

    now = timezone.now()

    def returned(hours_ago, kind="missing"):
        return services.episode_create(
            acting_user=met_officer,
            owning_agency=school,
            child=child,
            looked_after=True,
            episode_type=kind,
            start=now - dt.timedelta(hours=hours_ago + 2),
            end=now - dt.timedelta(hours=hours_ago),
        )

    due, overdue, absence = returned(20), returned(100), returned(50, "absent")
    items = [i for i in registers.worklist_for(met_officer) if i.module == "missing"]
    assert [(i.reference, i.overdue) for i in items] == [
        (overdue.reference, True),
        (due.reference, False),
    ]
    assert items[1].due == timezone.localdate(due.end + dt.timedelta(hours=72))
    assert items[1].url == f"/missing/{due.pk}/"
    assert "72 hours" in items[1].rule and "go missing from home or care" in items[1].rule
    assert CHILD_NAME not in " ".join(f"{i.label} {i.reference}" for i in items)
    assert absence.reference not in {i.reference for i in items}
    assert episode.reference not in {i.reference for i in items}  # 2016: on the page only
    assert {i.reference for i in registers.worklist_for(met_owner)} >= {due.reference}
    assert not [i for i in registers.worklist_for(met_outsider) if i.module == "missing"]
