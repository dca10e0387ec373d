"""What the missing module adds to the shared child record through children.hooks: its
events in the chronology, its tags and buttons, the episode count, the merge check."""

import datetime as dt

import pytest

from safeguarding.children import hooks, queries
from safeguarding.children import services as child_services
from safeguarding.children.models import Child
from safeguarding.core.models import AccessEvent, AuditEvent
from safeguarding.core.writes import RecordInvalid
from safeguarding.missing import child_record, services
from safeguarding.missing.models import Episode

from .fixtures import at


def twin(acting_user, **extra):
    values = dict(
        first_name="tallulah ", last_name="FEATHERSTONEHAUGH", date_of_birth=dt.date(2003, 2, 1)
    )
    values.update(extra)
    return child_services.child_create(acting_user=acting_user, **values)


def absence(user, child, start: str, end: str) -> Episode:
    return services.episode_create(
        acting_user=user,
        child=child,
        looked_after=False,
        episode_type="absent",
        start=at(start),
        end=at(end),
    )


def test_the_module_registers_its_hooks_at_start_up():
    assert services.overlapping_episodes in hooks.merge_checks
    assert child_record.events in hooks.timelines
    assert child_record.summary in hooks.summaries
    assert ("Episodes", "missing_episodes") in hooks.counts


def test_the_chronology_brings_everything_together(
    client_for, met_officer, child, episode, met_entry, school
):
    for day in (10, 20):
        absence(met_officer, child, f"2016-05-{day} 10:00", f"2016-05-{day} 12:00")
    services.interview_save(
        acting_user=met_officer,
        episode=episode,
        expected_version=episode.version,
        offered_at=at("2016-05-04 10:00"),
        offered_by="Runaways",
        response="accepted",
        completed_on=dt.date(2016, 5, 6),
    )
    services.screening_add(
        acting_user=met_officer,
        child=child,
        date=dt.date(2016, 8, 30),
        exploitation_type="sexual",
        tool="CSE toolkit",
        score=20,
        level="",
        owning_agency=school,
    )
    html = client_for(met_officer).get(f"/children/{child.pk}/").content.decode()
    for text in (
        "Repeat missing",
        "Interview offered",
        "Interview completed",
        "Screening",
        "Added to the MET list",
        episode.reference,
        "On the MET list",
        "Remove from the MET list",
        "Record a screening",
    ):
        assert text in html
    assert html.index("Added to the MET list") < html.index(episode.reference)  # newest first
    assert AccessEvent.objects.filter(object_type="children.child", module="children").exists()


def test_a_contributor_sees_no_met_buttons(client_for, met_owner, child):
    html = client_for(met_owner).get(f"/children/{child.pk}/").content.decode()
    assert "Record a screening" in html
    assert "Add to the MET list" not in html and "Change details" not in html


def test_the_children_lists_count_episodes(client_for, met_officer, met_manager, child, episode):
    assert queries.child_list(user=met_officer).get().missing_episodes_count == 1
    html = client_for(met_officer).get("/children/").content.decode()
    assert "<th" in html and ">Episodes</th>" in html
    twin(met_manager)
    html = client_for(met_manager).get("/children/duplicates/").content.decode()
    assert ">Episodes</th>" in html and '<td class="govuk-table__cell sg-num">1</td>' in html


def test_merge_moves_every_record_and_is_audited(child, episode, met_entry, met_manager):
    other = twin(met_manager, external_reference="")
    moved = absence(met_manager, other, "2016-07-01 10:00", "2016-07-01 12:00")
    kept = child_services.child_merge(acting_user=met_manager, keep=child, duplicate=other)
    assert kept == child
    assert Episode.objects.get(pk=moved.pk).child_id == child.pk
    other.refresh_from_db()
    assert other.merged_into_id == child.pk
    events = AuditEvent.objects.filter(action="merge")
    assert {e.object_id for e in events} == {str(child.pk), str(other.pk)}
    assert {e.module for e in events} == {"children"}
    assert "episodes" in events.get(object_id=str(child.pk)).changes["records moved"][1]


def test_a_merge_that_would_make_episodes_overlap_changes_nothing(child, episode, met_manager):
    other = twin(met_manager)
    absence(met_manager, other, "2016-05-04 01:00", "2016-05-04 03:00")
    with pytest.raises(RecordInvalid) as caught:
        child_services.child_merge(acting_user=met_manager, keep=child, duplicate=other)
    assert caught.value.problems == [
        (
            "duplicate",
            f"Episodes {episode.reference} and {Episode.objects.get(child=other).reference} "
            "would overlap: correct them first",
        )
    ]
    assert Episode.objects.filter(child=other).count() == 1
    assert Child.objects.get(pk=other.pk).merged_into_id is None
    assert not AuditEvent.objects.filter(action="merge").exists()


def test_the_merge_page_shows_the_overlap(client_for, child, episode, met_manager):
    other = twin(met_manager)
    absence(met_manager, other, "2016-05-04 01:00", "2016-05-04 03:00")
    response = client_for(met_manager).post(f"/children/{child.pk}/merge/", {"keep": child.pk})
    assert response.status_code == 200 and "would overlap" in response.content.decode()
    assert Child.objects.get(pk=other.pk).merged_into_id is None


def test_two_children_both_on_the_met_list_are_not_merged(child, met_entry, met_manager):
    other = twin(met_manager)
    services.met_add(
        acting_user=met_manager,
        child=other,
        owning_agency=met_entry.owning_agency,
        risk_level="low",
        added_on=dt.date(2016, 9, 1),
    )
    with pytest.raises(RecordInvalid):
        child_services.child_merge(acting_user=met_manager, keep=child, duplicate=other)
    assert other.met_entries.count() == 1


def test_missing_writes_about_a_child_are_in_the_childs_history(child, met_entry):
    """The MET list entry is audited on the child record (module "children", like every
    row about a child), so the child's page shows it in its history."""
    event = AuditEvent.objects.get(summary="Added to the MET list")
    assert (event.object_type, event.object_id) == ("children.child", str(child.pk))
    assert event.module == "children"


def test_a_contributor_sees_only_their_agencys_part_of_the_chronology(
    client_for, met_owner, met_officer, child, episode, other_school
):
    """The child is the school's to see (its episode); another school's episode and MET
    entry on the same child are not shown, counted or named."""
    theirs = services.episode_create(
        acting_user=met_officer,
        owning_agency=other_school,
        child=child,
        looked_after=False,
        episode_type="absent",
        start=at("2016-06-01 10:00"),
        end=at("2016-06-01 11:00"),
    )
    services.met_add(
        acting_user=met_officer,
        child=child,
        owning_agency=other_school,
        risk_level="high",
        added_on=dt.date(2016, 9, 1),
    )
    html = client_for(met_owner).get(f"/children/{child.pk}/").content.decode()
    assert episode.reference in html
    assert theirs.reference not in html and "MET list" not in html
    assert other_school.name not in html
    assert queries.child_list(user=met_owner).get().missing_episodes_count == 1
    officer_html = client_for(met_officer).get(f"/children/{child.pk}/").content.decode()
    assert theirs.reference in officer_html and "On the MET list" in officer_html


def test_the_duplicates_page_leaves_out_children_of_other_modules(
    client_for, met_manager, child, episode, council
):
    """A child named only by a case review is not the missing register managers' to see:
    nor is it a possible duplicate on their page. A manager of both registers sees both."""
    from conftest import make_user
    from safeguarding.case_reviews import services as case_reviews

    reviewer = make_user("cr.only@example.org", council, {"case_reviews": "officer"})
    both = make_user("both@example.org", council, {"case_reviews": "manager", "missing": "manager"})
    case_reviews.referral_create(
        acting_user=reviewer,
        owning_agency=council,
        referral_date=dt.date(2016, 6, 6),
        children=[
            {
                "first_name": "Tallulah",
                "last_name": "Featherstonehaugh",
                "date_of_birth": dt.date(2003, 2, 1),
            }
        ],
    )
    named = Child.objects.exclude(pk=child.pk).get()  # the reviewer could not see `child`
    html = client_for(met_manager).get("/children/duplicates/").content.decode()
    assert "No possible duplicates" in html and f"Record {named.pk}" not in html
    html = client_for(both).get("/children/duplicates/").content.decode()
    assert f"Record {named.pk}" in html and f"Record {child.pk}" in html
