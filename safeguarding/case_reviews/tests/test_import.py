"""The case-reviews import: all-or-nothing, row and column named, re-import a no-op."""

import datetime as dt

import pytest
from django.core.management import call_command

from safeguarding.case_reviews.models import Referral
from safeguarding.core.models import AuditEvent

HEADER = "reference,title,referral_date,la_aware_date,abuse_or_neglect,seriously_harmed,notification_date,decision,decision_date\n"


def _write(tmp_path, body):
    path = tmp_path / "reviews.csv"
    path.write_text(HEADER + body)
    return path


def test_valid_file_imported_once(db, tmp_path, capsys):
    path = _write(
        tmp_path,
        "CR-1,Case A,2019-06-10,2019-06-07,yes,yes,2019-06-12,lcspr,2019-07-01\n"
        "CR-2,Case B,2016-09-01,,no,no,,no_review,2016-09-20\n"
        "CR-3,Case C,2016-06-06,2016-06-03,yes,yes,2016-06-08,scr,2016-07-01\n",
    )
    call_command("import", "case-reviews", str(path))
    assert Referral.objects.count() == 3
    a = Referral.objects.get(reference="CR-1")
    assert a.notification_due == dt.date(2019, 6, 14)
    assert a.rapid_review_due == dt.date(2019, 7, 3)
    assert a.decision.code == "lcspr"
    # A 2016 serious case review: no Panel notification or rapid review clock then.
    c = Referral.objects.get(reference="CR-3")
    assert (c.notification_due, c.rapid_review_due) == (None, None)
    events = AuditEvent.objects.count()
    call_command("import", "case-reviews", str(path))
    assert Referral.objects.count() == 3
    assert AuditEvent.objects.count() == events  # nothing changed, nothing recorded


def test_invalid_rows_exit_2_and_write_nothing(db, tmp_path, capsys):
    path = _write(
        tmp_path,
        "CR-1,Case A,2016-06-06,2016-06-03,yes,yes,2016-06-01,scr,2016-07-01\n"
        "CR-2,Case B,2016-09-01,,no,no,,weekly_chat,2016-09-20\n",
    )
    with pytest.raises(SystemExit) as exc:
        call_command("import", "case-reviews", str(path))
    assert exc.value.code == 2
    err = capsys.readouterr()
    text = err.out + err.err
    assert "row 2, column notification_date:" in text
    assert "row 3, column decision: 'weekly_chat' is not a known review type" in text
    assert Referral.objects.count() == 0


def test_an_incident_outside_england_is_recorded(db, tmp_path):
    """Children Act 2004 s16C(1)(b): still notifiable, so recordable, with its clocks."""
    path = tmp_path / "outside.csv"
    path.write_text(
        "reference,referral_date,la_aware_date,child_died,abuse_or_neglect,outside_england\n"
        "CR-OUT-1,2019-03-01,2019-02-22,yes,yes,yes\n"
        "CR-IN-1,2019-03-01,2019-02-22,yes,yes,\n"
    )
    call_command("import", "case-reviews", str(path))
    outside = Referral.objects.get(reference="CR-OUT-1")
    assert outside.outside_england is True
    assert outside.notification_due == dt.date(2019, 3, 1)  # 5 working days from Friday 22 Feb
    assert Referral.objects.get(reference="CR-IN-1").outside_england is False
