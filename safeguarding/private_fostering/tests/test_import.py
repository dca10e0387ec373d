"""`safeguarding import private-fostering FILE`: all rows or none, re-import is a no-op."""

import datetime as dt

import pytest
from django.core.management import call_command

from safeguarding.core.models import AuditEvent
from safeguarding.private_fostering.models import Notification

HEADER = (
    "reference,notification_date,child_date_of_birth,child_disabled,carer_relationship,"
    "arrangement_start_date,arrangement_end_date,category\n"
)
GOOD = (
    "PF1,2016-05-01,2003-02-01,no,host_family,2016-05-10,2016-12-20,language_student\n"
    "PF2,2016-06-01,2012-02-01,no,family_friend,2016-06-01,,parent_ill_health\n"
    "PF3,2016-07-01,2008-02-01,no,grandparent,,,family_breakdown\n"
)


def run(tmp_path, text, *args):
    path = tmp_path / "pf.csv"
    path.write_text(text)
    call_command("import", "private-fostering", str(path), *args)


@pytest.mark.django_db
def test_valid_file_is_written_and_reimport_changes_nothing(tmp_path, capsys):
    run(tmp_path, HEADER + GOOD)
    assert Notification.objects.count() == 3
    pf3 = Notification.objects.get(reference="PF3")
    assert pf3.decision == "not_private_fostering"
    assert "close relative" in pf3.decision_reason
    assert Notification.objects.get(reference="PF2").status == "active"
    events = AuditEvent.objects.count()
    run(tmp_path, HEADER + GOOD)
    assert Notification.objects.count() == 3
    assert AuditEvent.objects.count() == events
    assert "3 unchanged" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_changed_row_updates_the_record(tmp_path):
    run(tmp_path, HEADER + GOOD)
    pf2 = Notification.objects.get(reference="PF2")
    assert AuditEvent.objects.filter(summary="Created by import").count() == 3
    run(tmp_path, HEADER + GOOD.replace("2016-06-01,,parent", "2016-06-01,2016-09-01,parent"))
    changed = Notification.objects.get(reference="PF2")
    assert changed.arrangement_end_date == dt.date(2016, 9, 1)
    assert changed.status == "ended" and changed.version == pf2.version + 1
    event = AuditEvent.objects.get(object_id=str(pf2.pk), summary="Updated by import")
    assert event.action == "import"
    assert event.changes["arrangement_end_date"] == [None, "2016-09-01"]
    assert Notification.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "row,column,words",
    [
        (
            "PF9,2016-05-01,2003-02-01,no,aunt_uncle,2016-05-10,,other",
            "arrangement_start_date",
            "not private fostering",
        ),
        (
            "PF9,2016-05-01,2000-05-10,no,host_family,2016-05-10,,other",
            "arrangement_start_date",
            "16 or over",
        ),
        (
            "PF9,2016-05-01,1998-05-10,yes,host_family,2016-05-10,,other",
            "arrangement_start_date",
            "18 or over",
        ),
        (
            "PF9,2016-05-01,2003-02-01,no,host_family,2016-05-10,2016-05-01,other",
            "arrangement_end_date",
            "before the start",
        ),
        (
            "PF9,2016-05-01,2003-02-01,no,cousin,2016-05-10,,other",
            "carer_relationship",
            "not a known code",
        ),
        ("PF9,,2003-02-01,no,host_family,,,other", "notification_date", "is required"),
        ("PF9,2016-05-01,2003-02-01,maybe,host_family,,,other", "child_disabled", "yes or no"),
    ],
)
def test_an_invalid_row_is_named_and_nothing_is_written(tmp_path, capsys, row, column, words):
    with pytest.raises(SystemExit) as exit_info:
        run(tmp_path, HEADER + GOOD + row + "\n")
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert f"row 5, column {column}:" in err
    assert words in err
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_a_disabled_17_year_old_may_carry_arrangement_dates(tmp_path):
    run(tmp_path, HEADER + "PF1,2016-05-01,1999-02-01,yes,host_family,2016-05-10,,other\n")
    assert Notification.objects.get().decision == "private_fostering"


@pytest.mark.django_db
def test_dry_run_writes_nothing(tmp_path, capsys):
    run(tmp_path, HEADER + GOOD, "--dry-run")
    assert Notification.objects.count() == 0
    assert "3 would be created" in capsys.readouterr().out
