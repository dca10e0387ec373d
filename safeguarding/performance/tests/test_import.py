"""`safeguarding import indicator-values FILE`: the platform import contract."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from safeguarding.core.models import AuditEvent
from safeguarding.performance.models import IndicatorValue

HEADER = "indicator,period,agency,value,numerator,denominator,commentary\n"


def run(tmp_path, text, name="values.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    try:
        call_command("import", "indicator-values", str(path))
    except SystemExit as exc:
        return exc.code
    return 0


def test_valid_file_writes_values_and_reimport_changes_nothing(tmp_path, cgas, capsys):
    text = HEADER + (
        "CAMHS-2,2016-04,CAMHS Trust,98.4,,,Above target\nCAMHS-2,2016-05,CAMHS Trust,,977,1000,\n"
    )
    assert run(tmp_path, text) == 0
    values = {v.period: v for v in IndicatorValue.objects.all()}
    assert values["2016-04"].value == Decimal("98.4")
    assert values["2016-05"].numerator == Decimal(977)
    events = AuditEvent.objects.count()
    assert run(tmp_path, text) == 0
    assert "2 unchanged" in capsys.readouterr().out
    assert IndicatorValue.objects.count() == 2
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("NOPE,2016-04,CAMHS Trust,1,,,", "row 2, column indicator: 'NOPE' is not an indicator"),
        ("CAMHS-2,2016-Q1,CAMHS Trust,90,,,", "row 2, column period: CAMHS-2 is monthly"),
        ("CAMHS-2,April,CAMHS Trust,90,,,", "row 2, column period: 'April' is not a period"),
        ("CAMHS-2,2016-04,Nobody,90,,,", "row 2, column agency: 'Nobody' is not an agency"),
        ("CAMHS-2,2016-04,CAMHS Trust,101,,,", "row 2, column value: a percentage must be"),
        ("CAMHS-2,2016-04,CAMHS Trust,,11,10,", "row 2, column numerator: must not be more"),
        ("CAMHS-2,2016-04,CAMHS Trust,-5,,,", "row 2, column value: must not be negative"),
        ("CAMHS-2,2016-04,CAMHS Trust,abc,,,", "row 2, column value: 'abc' is not a number"),
    ],
)
def test_bad_rows_exit_2_naming_row_and_column_and_write_nothing(
    tmp_path, cgas, capsys, row, expected
):
    text = HEADER + row + "\n"
    assert run(tmp_path, text) == 2
    assert expected in capsys.readouterr().err
    assert IndicatorValue.objects.count() == 0


def test_a_value_for_another_agency_is_refused(tmp_path, cgas, police, capsys):
    assert run(tmp_path, HEADER + "CAMHS-2,2016-04,Police,90,,,\n") == 2
    assert "row 2, column agency: CAMHS-2 is submitted by CAMHS Trust" in capsys.readouterr().err


def test_the_same_indicator_period_and_agency_twice_is_refused(tmp_path, cgas, capsys):
    text = HEADER + "CAMHS-2,2016-04,CAMHS Trust,90,,,\nCAMHS-2,2016-04,CAMHS Trust,91,,,\n"
    assert run(tmp_path, text) == 2
    assert "row 3, column indicator:" in capsys.readouterr().err
    assert IndicatorValue.objects.count() == 0


def test_a_changed_value_is_corrected_once_with_its_history(tmp_path, cgas, capsys):
    assert run(tmp_path, HEADER + "CAMHS-2,2016-04,CAMHS Trust,98.4,,,\n") == 0
    assert run(tmp_path, HEADER + "CAMHS-2,2016-04,CAMHS Trust,97.9,,,Checked\n") == 0
    assert "0 were created, 1 were updated" in capsys.readouterr().out
    value = IndicatorValue.objects.get()
    assert value.value == Decimal("97.9") and value.version == 2
    event = AuditEvent.objects.filter(object_type="performance.indicatorvalue").first()
    assert event.changes == {"value": ["98.4000", "97.9000"], "commentary": ["", "Checked"]}
