"""The import contract: all rows checked first, row/column messages, idempotent upserts."""

import datetime as dt

import pytest
from django.core.management import call_command

from safeguarding.children.models import Child
from safeguarding.core.imports import ImportRejected, run_import
from safeguarding.core.models import AuditEvent
from safeguarding.missing.imports import MissingEpisodesImport
from safeguarding.missing.models import Episode, ReturnInterview

from .fixtures import at

HEADER = "reference,child_reference,looked_after,episode_type,start,end,return_interview_offered\n"


def write(tmp_path, body: str, name="episodes.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def run(path, user=None, dry_run=False):
    return run_import(MissingEpisodesImport(), path, acting_user=user, dry_run=dry_run)


VALID = (
    "E1,C-1,yes,missing,2016-05-03T21:30,2016-05-04T02:15,2016-05-04T10:00\n"
    "E2,C-1,yes,absent,2016-05-10T18:00,2016-05-10T23:00,\n"
    "E3,C-2,no,missing,2016-06-01T08:00,,\n"
)


def test_a_valid_file_creates_episodes_children_and_interviews(db, tmp_path, met_officer):
    result = run(write(tmp_path, VALID), met_officer)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert Child.objects.filter(external_reference__in=["C-1", "C-2"]).count() == 2
    e1 = Episode.objects.get(reference="E1")
    assert e1.start == at("2016-05-03 21:30")  # local time, stored as an aware instant
    assert e1.looked_after and e1.child.external_reference == "C-1"
    assert e1.owning_agency_id == met_officer.agency_id
    assert ReturnInterview.objects.get(episode=e1).offered_at == at("2016-05-04 10:00")
    assert Episode.objects.get(reference="E3").end is None
    assert AuditEvent.objects.filter(action="import", object_type="missing.episode").count() == 3
    created = AuditEvent.objects.filter(action="import", object_type="children.child")
    assert created.count() == 2  # the new children, through children.services
    assert {e.module for e in created} == {"children"}
    assert {e.summary for e in created} == {"Created by the missing episodes import"}


def test_reimporting_the_same_file_changes_nothing(db, tmp_path, met_officer):
    path = write(tmp_path, VALID)
    run(path, met_officer)
    again = run(path, met_officer)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Episode.objects.count() == 3 and Child.objects.count() == 2


def test_a_changed_row_updates_the_episode_and_its_interview(db, tmp_path, met_officer):
    run(write(tmp_path, VALID), met_officer)
    changed = VALID.replace("2016-05-04T10:00", "2016-05-08T10:00").replace(
        "2016-06-01T08:00,,", "2016-06-01T08:00,2016-06-01T12:00,"
    )
    result = run(write(tmp_path, changed), met_officer)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    assert ReturnInterview.objects.get(episode__reference="E1").offered_at == at("2016-05-08 10:00")
    assert Episode.objects.get(reference="E3").end == at("2016-06-01 12:00")
    assert Episode.objects.get(reference="E3").version == 2


def test_every_problem_is_reported_by_row_and_column_and_nothing_is_written(db, tmp_path):
    body = (
        "E1,C-1,yes,missing,2016-05-03T21:30,2016-05-03T20:00,\n"  # end before start
        "E2,,maybe,lost,03/05/2016,,\n"  # missing child, bad yes/no, code, date-time
        "E3,C-3,no,absent,2016-05-03T21:30,2016-05-03T22:00,2016-05-03T21:45\n"  # offer < end
        "E4,C-4,no,missing,2016-05-03T21:30,,2016-05-04T10:00\n"  # offer while missing
        "E1,C-5,no,missing,2016-05-03T21:30,,\n"  # duplicate reference
    )
    with pytest.raises(ImportRejected) as caught:
        run(write(tmp_path, body))
    lines = [str(e) for e in caught.value.errors]
    assert "row 2, column end: The end cannot be before the start" in lines
    assert "row 3, column child_reference: is required" in lines
    assert "row 3, column looked_after: 'maybe' must be yes or no" in lines
    assert any(line.startswith("row 3, column episode_type:") for line in lines)
    assert any(line.startswith("row 3, column start:") for line in lines)
    assert any(line.startswith("row 4, column return_interview_offered:") for line in lines)
    assert any(line.startswith("row 5, column return_interview_offered:") for line in lines)
    assert "row 6, column reference: 'E1' already appears in row 2" in lines
    assert Episode.objects.count() == 0 and Child.objects.count() == 0


def test_overlapping_episodes_of_one_child_in_the_same_file_are_refused(db, tmp_path):
    body = (
        "E1,C-1,yes,missing,2016-05-03T21:30,2016-05-04T02:15,\n"
        "E2,C-2,yes,missing,2016-05-03T22:00,2016-05-04T01:00,\n"  # other child: fine
        "E3,C-1,yes,absent,2016-05-04T01:00,2016-05-04T03:00,\n"
    )
    with pytest.raises(ImportRejected) as caught:
        run(write(tmp_path, body))
    lines = [str(e) for e in caught.value.errors]
    assert len(lines) == 1
    assert lines[0].startswith("row 4, column start: overlaps episode E1 of the same child")
    assert Episode.objects.count() == 0


def test_an_episode_overlapping_one_already_stored_is_refused(db, tmp_path, episode):
    body = f"NEW,{episode.child.external_reference},yes,absent,2016-05-04T01:00,2016-05-04T05:00,\n"
    with pytest.raises(ImportRejected) as caught:
        run(write(tmp_path, body))
    assert str(caught.value.errors[0]).startswith(
        f"row 2, column start: overlaps episode {episode.reference}"
    )


def test_a_second_open_episode_for_a_child_is_refused(db, tmp_path):
    body = (
        "E1,C-1,no,missing,2016-05-03T21:30,,\n"
        "E2,C-1,no,missing,2016-07-03T21:30,2016-07-04T21:30,\n"
    )
    with pytest.raises(ImportRejected) as caught:
        run(write(tmp_path, body))
    assert "overlaps episode E1" in str(caught.value.errors[0])


def test_the_child_reference_of_a_merged_child_links_to_the_record_kept(db, tmp_path, met_manager):
    from safeguarding.children import services

    keep = services.child_create(acting_user=met_manager, external_reference="KEEP")
    gone = services.child_create(acting_user=met_manager, external_reference="GONE")
    services.child_merge(acting_user=met_manager, keep=keep, duplicate=gone)
    run(write(tmp_path, "E1,GONE,no,missing,2016-05-03T21:30,2016-05-04T02:15,\n"))
    assert Episode.objects.get(reference="E1").child_id == keep.pk


def test_dry_run_counts_without_writing(db, tmp_path, episode):
    body = VALID + f"{episode.reference},C-1001,yes,missing,2016-05-03T21:30,2016-05-04T02:15,\n"
    result = run(write(tmp_path, body), dry_run=True)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 1)
    assert Episode.objects.count() == 1


def test_the_command_line_exits_2_and_names_rows(db, tmp_path, capsys):
    path = write(tmp_path, "E1,C-1,yes,missing,2016-05-03T21:30,2016-05-03T20:00,\n")
    with pytest.raises(SystemExit) as exited:
        call_command("import", "missing-episodes", str(path))
    assert exited.value.code == 2
    output = capsys.readouterr()
    assert "row 2, column end: The end cannot be before the start" in output.out + output.err
    assert Episode.objects.count() == 0


def test_the_command_line_imports_a_valid_file(db, tmp_path, capsys):
    call_command("import", "missing-episodes", str(write(tmp_path, VALID)))
    assert Episode.objects.count() == 3


def test_an_xlsx_file_is_read_like_a_csv(db, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(
        [
            "X1",
            "C-9",
            "no",
            "absent",
            dt.datetime(2016, 8, 1, 23, 0),
            dt.datetime(2016, 8, 2, 1, 0),
            None,
        ]
    )
    path = tmp_path / "episodes.xlsx"
    book.save(path)
    run(path)
    assert Episode.objects.get(reference="X1").end == at("2016-08-02 01:00")
