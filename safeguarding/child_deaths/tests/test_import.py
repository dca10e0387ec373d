"""The import contract: exit 2 with `row N, column C: message`, nothing written; a valid
file written in one go; a re-import is a no-op."""

import datetime as dt

import pytest
from django.core.management import call_command

from safeguarding.child_deaths import reports
from safeguarding.child_deaths.models import Death
from safeguarding.core.models import AuditEvent
from safeguarding.core.periods import FinancialYear

HEADER = (
    "reference,date_of_birth,date_of_death,sex,ethnicity,notification_date,expected,"
    "review_date,category,modifiable_factors"
)
GOOD = [
    "CD-1,2016-01-01,2016-01-10,male,BAFR,2016-01-11,yes,2016-06-01,8,no",
    "CD-2,2005-03-01,2016-07-01,female,WBRI,2016-07-02,no,,,",
    "CD-3,2016-02-29,2016-04-01,unknown,NOBT,2016-04-01,no,2016-10-01,10,insufficient",
]


def write(tmp_path, lines, name="deaths.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return str(path)


def run(path, *extra):
    call_command("import", "child-deaths", path, *extra)


def rejected(tmp_path, capsys, lines) -> list[str]:
    with pytest.raises(SystemExit) as exit_info:
        run(write(tmp_path, lines))
    assert exit_info.value.code == 2
    assert not Death.objects.exists()
    return capsys.readouterr().err.strip().splitlines()


def test_a_valid_file_is_imported_and_counts_in_the_report(db, tmp_path):
    run(write(tmp_path, GOOD))
    assert Death.objects.count() == 3
    d1 = Death.objects.get(reference="CD-1")
    assert (d1.age_band, d1.category, d1.modifiable_factors, d1.expected) == (
        "under_28_days", "8", "no", True,
    )  # fmt: skip
    report = reports.year_report(FinancialYear(2016))
    assert (report["notified"], report["reviewed"]) == (2, 2)  # CD-1 notified 2015-16
    assert report["category"]["10"] == 1


def test_a_reimport_changes_nothing_and_an_edit_updates_in_place(db, tmp_path):
    path = write(tmp_path, GOOD)
    run(path)
    events = AuditEvent.objects.count()
    run(path)
    assert Death.objects.count() == 3
    assert AuditEvent.objects.count() == events
    changed = GOOD[:1] + ["CD-2,2005-03-01,2016-07-01,female,WBRI,2016-07-02,no,2016-12-01,3,yes"]
    run(write(tmp_path, changed, "again.csv"))
    d2 = Death.objects.get(reference="CD-2")
    assert (d2.review_date, d2.category, d2.version) == (dt.date(2016, 12, 1), "3", 2)
    assert Death.objects.count() == 3


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("CD-9,2016-05-01,2016-04-01,male,BAFR,2016-05-02,no,,,", "row 2, column date_of_death:"),
        ("CD-9,1998-01-01,2016-04-01,male,BAFR,2016-04-02,no,,,", "row 2, column date_of_death:"),
        ("CD-9,2016-01-01,2016-04-01,male,BAFR,2016-03-31,no,,,",
         "row 2, column notification_date:"),
        ("CD-9,2016-01-01,2016-04-01,male,BAFR,2016-04-02,no,2016-04-01,8,no",
         "row 2, column review_date:"),
        ("CD-9,2016-01-01,2016-04-01,male,BAFR,2016-04-02,no,,8,", "row 2, column category:"),
        ("CD-9,2016-01-01,2016-04-01,male,BAFR,2016-04-02,no,2016-05-01,,no",
         "row 2, column category:"),
        ("CD-9,2016-01-01,2016-04-01,male,BAFR,2016-04-02,no,2016-05-01,11,no",
         "row 2, column category:"),
        ("CD-9,2016-01-01,2016-04-01,male,XXXX,2016-04-02,no,,,", "row 2, column ethnicity:"),
        ("CD-9,2016-01-01,2016-04-01,boy,BAFR,2016-04-02,no,,,", "row 2, column sex:"),
        ("CD-9,2016-01-01,2016-04-01,male,BAFR,2016-04-02,maybe,,,", "row 2, column expected:"),
        ("CD-9,2016-01-01,2099-04-01,male,BAFR,2099-04-02,no,,,", "row 2, column date_of_death:"),
        (",2016-01-01,2016-04-01,male,BAFR,2016-04-02,no,,,", "row 2, column reference:"),
        ("CD-9,2016-01-01,2016-04-01,male,BAFR,2016-04-02,no,,,yes",
         "row 2, column modifiable_factors:"),
    ],
)  # fmt: skip
def test_each_bad_row_is_named_and_nothing_is_written(db, tmp_path, capsys, line, expected):
    lines = rejected(tmp_path, capsys, [line])
    assert any(error.startswith(expected) for error in lines), lines


def test_one_bad_row_among_good_ones_writes_nothing_and_names_its_line(db, tmp_path, capsys):
    bad = "CD-4,2016-05-01,2016-04-01,male,BAFR,2016-05-02,no,,,"
    lines = rejected(tmp_path, capsys, [*GOOD, bad, GOOD[0]])
    assert any(line.startswith("row 5, column date_of_death:") for line in lines)
    assert any(line.startswith("row 6, column reference:") for line in lines)  # duplicate


def test_dry_run_writes_nothing(db, tmp_path):
    run(write(tmp_path, GOOD), "--dry-run")
    assert not Death.objects.exists()


# ---- the optional columns of the analysis form's domains, the review meeting and the NCMD ---

FULL_HEADER = (
    HEADER + ",factors_child,factors_social_environment,factors_physical_environment,"
    "factors_service_provision,review_meeting_date,child_protection_plan_at_death,"
    "looked_after_at_death,ncmd_notified_date"
)
ROW = "CD-5,2016-01-01,2016-04-01,male,BAFR,2016-04-02,no,2016-09-01,10,yes"


def write_full(tmp_path, lines, name="full.csv"):
    path = tmp_path / name
    path.write_text("\n".join([FULL_HEADER, *lines]) + "\n", encoding="utf-8")
    return str(path)


def test_the_new_columns_are_imported(db, tmp_path):
    run(write_full(tmp_path, [
        ROW + ",none,possible,significant,,2016-08-01,yes,no,2016-04-03",
        "CD-6,2005-03-01,2016-07-01,female,WBRI,2016-07-02,no,,,,,,,,,,,",
    ]))  # fmt: skip
    d5 = Death.objects.get(reference="CD-5")
    assert (d5.factors_child, d5.factors_social_environment, d5.factors_physical_environment,
            d5.factors_service_provision) == ("none", "possible", "significant", "")  # fmt: skip
    assert d5.review_meeting_date == dt.date(2016, 8, 1)
    assert (d5.child_protection_plan_at_death, d5.looked_after_at_death) == (True, False)
    assert d5.ncmd_notified_date == dt.date(2016, 4, 3)
    d6 = Death.objects.get(reference="CD-6")
    assert (d6.child_protection_plan_at_death, d6.looked_after_at_death) == (None, None)
    assert (d6.review_meeting_date, d6.ncmd_notified_date, d6.factors_child) == (None, None, "")
    report = reports.year_report(FinancialYear(2016))
    assert report["modifiable_factor_domains"]["factors_physical_environment"]["significant"] == 1
    assert report["ncmd"] == {"child_protection_plan": 1, "looked_after": 0, "notified": 1}


def test_a_changed_domain_is_an_audited_update(db, tmp_path):
    run(write_full(tmp_path, [ROW + ",none,possible,significant,,,,,"]))
    run(write_full(tmp_path, [ROW + ",none,significant,significant,,,,,"], "again.csv"))
    death = Death.objects.get(reference="CD-5")
    assert (death.factors_social_environment, death.version) == ("significant", 2)
    event = AuditEvent.objects.filter(object_id=str(death.pk)).first()
    assert event.changes["factors_social_environment"] == ["possible", "significant"]


TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (",high,,,,,,,", "row 2, column factors_child: 'high' is not a known code"),
        (",,,,none2,,,,", "row 2, column factors_service_provision:"),
        (",none,none,none,none,,,,", "row 2, column modifiable_factors:"),  # yes, all none
        (",,,,,2016-03-31,,,", "row 2, column review_meeting_date:"),  # before the death
        (",,,,,2016-09-02,,,", "row 2, column review_meeting_date:"),  # after the panel
        (f",,,,,{TOMORROW},,,", "row 2, column review_meeting_date:"),
        (",,,,,,maybe,,", "row 2, column child_protection_plan_at_death: 'maybe' must be yes"),
        (",,,,,,,unknown,", "row 2, column looked_after_at_death:"),
        (",,,,,,,,2016-03-31", "row 2, column ncmd_notified_date:"),  # before the death
        (f",,,,,,,,{TOMORROW}", "row 2, column ncmd_notified_date:"),
        (",,,,,,,,2016-4-3", "row 2, column ncmd_notified_date: '2016-4-3' is not a date"),
    ],
)  # fmt: skip
def test_each_bad_new_cell_is_named_and_nothing_is_written(db, tmp_path, capsys, cells, expected):
    row = ROW  # reviewed, modifiable factors: yes
    with pytest.raises(SystemExit) as exit_info:
        run(write_full(tmp_path, [row + cells]))
    assert exit_info.value.code == 2
    assert not Death.objects.exists()
    lines = capsys.readouterr().err.strip().splitlines()
    assert any(line.startswith(expected) for line in lines), lines


def test_a_significant_social_factor_contradicts_no_modifiable_factors(db, tmp_path, capsys):
    row = ROW.replace(",10,yes", ",10,no") + ",none,significant,none,none,,,,"
    with pytest.raises(SystemExit):
        run(write_full(tmp_path, [row]))
    err = capsys.readouterr().err
    assert "row 2, column modifiable_factors: The panel recorded significant factors" in err
    assert not Death.objects.exists()


def test_domains_wait_for_the_review(db, tmp_path, capsys):
    row = "CD-7,2005-03-01,2016-07-01,female,WBRI,2016-07-02,no,,,,possible,,,,,,,"
    with pytest.raises(SystemExit):
        run(write_full(tmp_path, [row]))
    err = capsys.readouterr().err
    assert "row 2, column factors_child: " in err and "until the death has been reviewed" in err
