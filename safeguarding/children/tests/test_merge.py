"""Duplicate detection on name + date of birth, and the audited merge."""

import datetime as dt

import pytest

from safeguarding.children import queries, services
from safeguarding.children.models import Child
from safeguarding.core.models import AuditEvent
from safeguarding.missing import services as missing_services
from safeguarding.missing.models import Episode
from safeguarding.missing.tests.fixtures import at


def twin(acting_user, **extra):
    values = dict(
        first_name="tallulah ", last_name="FEATHERSTONEHAUGH", date_of_birth=dt.date(2003, 2, 1)
    )
    values.update(extra)
    return services.child_create(acting_user=acting_user, **values)


def test_duplicates_match_name_in_any_case_and_date_of_birth(child, met_officer):
    other = twin(met_officer)
    found = services.duplicates_of(
        first_name="TALLULAH", last_name="featherstonehaugh", date_of_birth=dt.date(2003, 2, 1)
    )
    assert set(found) == {child, other}
    assert not services.duplicates_of(
        first_name="Tallulah", last_name="Featherstonehaugh", date_of_birth=dt.date(2003, 2, 2)
    ).exists()
    assert [set(g) for g in queries.duplicate_groups()] == [{child, other}]


def test_merge_moves_every_record_and_is_audited(child, episode, met_entry, met_manager):
    other = twin(met_manager, external_reference="")
    moved = missing_services.episode_create(
        acting_user=met_manager,
        child=other,
        looked_after=False,
        episode_type="absent",
        start=at("2016-07-01 10:00"),
        end=at("2016-07-01 12:00"),
    )
    kept = services.child_merge(acting_user=met_manager, keep=child, duplicate=other)
    assert kept == child
    assert Episode.objects.get(pk=moved.pk).child_id == child.pk
    other.refresh_from_db()
    assert other.merged_into_id == child.pk
    assert queries.duplicate_groups() == []
    events = AuditEvent.objects.filter(action="merge")
    assert {e.object_id for e in events} == {str(child.pk), str(other.pk)}
    assert "episodes" in events.get(object_id=str(child.pk)).changes["records moved"][1]


def test_a_merge_that_would_make_episodes_overlap_changes_nothing(child, episode, met_manager):
    other = twin(met_manager)
    missing_services.episode_create(
        acting_user=met_manager,
        child=other,
        looked_after=False,
        episode_type="absent",
        start=at("2016-05-04 01:00"),
        end=at("2016-05-04 03:00"),
    )
    with pytest.raises(services.RecordInvalid) as caught:
        services.child_merge(acting_user=met_manager, keep=child, duplicate=other)
    assert "would overlap" in caught.value.problems[0][1]
    assert Episode.objects.filter(child=other).count() == 1
    assert Child.objects.get(pk=other.pk).merged_into_id is None
    assert not AuditEvent.objects.filter(action="merge").exists()


def test_two_children_both_on_the_met_list_are_not_merged(child, met_entry, met_manager):
    other = twin(met_manager)
    missing_services.met_add(
        acting_user=met_manager,
        child=other,
        owning_agency=met_entry.owning_agency,
        risk_level="low",
        added_on=dt.date(2016, 9, 1),
    )
    with pytest.raises(services.RecordInvalid):
        services.child_merge(acting_user=met_manager, keep=child, duplicate=other)
    assert other.met_entries.count() == 1


def test_a_merged_child_cannot_be_merged_again(child, met_manager):
    other = twin(met_manager)
    services.child_merge(acting_user=met_manager, keep=child, duplicate=other)
    with pytest.raises(services.RecordInvalid):
        services.child_merge(acting_user=met_manager, keep=other, duplicate=child)


def test_child_update_uses_the_version(child, met_officer):
    services.child_update(
        acting_user=met_officer, child=child, expected_version=1, home_area="Catford"
    )
    with pytest.raises(services.StaleRecord):
        services.child_update(
            acting_user=met_officer, child=child, expected_version=1, home_area="X"
        )
    assert Child.objects.get(pk=child.pk).home_area == "Catford"
