"""Duplicate detection on name + date of birth, and the audited merge, with the checks
other modules register (children.hooks)."""

import datetime as dt

import pytest

from safeguarding.children import hooks, queries, services
from safeguarding.children.models import Child
from safeguarding.core.models import AuditEvent
from safeguarding.core.writes import RecordInvalid, StaleRecord


def twin(acting_user, **extra):
    values = dict(
        first_name="tallulah ", last_name="FEATHERSTONEHAUGH", date_of_birth=dt.date(2003, 2, 1)
    )
    values.update(extra)
    return services.child_create(acting_user=acting_user, **values)


def test_duplicates_match_name_in_any_case_and_date_of_birth(child, child_officer):
    other = twin(child_officer)
    found = services.duplicates_of(
        first_name="TALLULAH", last_name="featherstonehaugh", date_of_birth=dt.date(2003, 2, 1)
    )
    assert set(found) == {child, other}
    assert not services.duplicates_of(
        first_name="Tallulah", last_name="Featherstonehaugh", date_of_birth=dt.date(2003, 2, 2)
    ).exists()
    assert [set(g) for g in queries.duplicate_groups(user=child_officer)] == [{child, other}]


def test_merge_is_audited_in_both_records(child, child_manager):
    other = twin(child_manager, external_reference="", home_area="Catford")
    kept = services.child_merge(acting_user=child_manager, keep=child, duplicate=other)
    assert kept == child and kept.home_area == "Catford"  # blanks filled from the other
    other.refresh_from_db()
    assert other.merged_into_id == child.pk
    assert queries.duplicate_groups(user=child_manager) == []
    events = AuditEvent.objects.filter(action="merge")
    assert {e.object_id for e in events} == {str(child.pk), str(other.pk)}
    assert {e.module for e in events} == {"children"}


def test_a_registered_check_refuses_the_merge_and_nothing_changes(
    child, child_manager, monkeypatch
):
    """A module's rule on the merged records (e.g. episodes must not overlap) is a hook."""
    seen = []

    def check(kept):
        seen.append(kept.pk)
        return [("duplicate", "Records A and B would clash: correct them first")]

    monkeypatch.setattr(hooks, "merge_checks", [check])
    other = twin(child_manager)
    with pytest.raises(RecordInvalid) as caught:
        services.child_merge(acting_user=child_manager, keep=child, duplicate=other)
    assert caught.value.problems == [
        ("duplicate", "Records A and B would clash: correct them first")
    ]
    assert seen == [child.pk]
    assert Child.objects.get(pk=other.pk).merged_into_id is None
    assert Child.objects.get(pk=child.pk).version == child.version
    assert not AuditEvent.objects.filter(action="merge").exists()


def test_a_merged_child_cannot_be_merged_again(child, child_manager):
    other = twin(child_manager)
    services.child_merge(acting_user=child_manager, keep=child, duplicate=other)
    with pytest.raises(RecordInvalid):
        services.child_merge(acting_user=child_manager, keep=other, duplicate=child)


def test_child_update_uses_the_version(child, child_officer):
    services.child_update(
        acting_user=child_officer, child=child, expected_version=1, home_area="Catford"
    )
    with pytest.raises(StaleRecord):
        services.child_update(
            acting_user=child_officer, child=child, expected_version=1, home_area="X"
        )
    assert Child.objects.get(pk=child.pk).home_area == "Catford"


def test_child_update_without_a_version_is_refused(child, child_officer):
    with pytest.raises(StaleRecord):
        services.child_update(
            acting_user=child_officer, child=child, expected_version=None, home_area="X"
        )
    assert Child.objects.get(pk=child.pk).home_area == ""
