"""`safeguarding report performance --period`: values, RAG, benchmarks; computed indicators
agree with their module's own report for the same period."""

import datetime as dt
import json
from decimal import Decimal

from django.core.management import call_command

from safeguarding.core.periods import FinancialYear
from safeguarding.core.writes import RecordInvalid
from safeguarding.lado import reports as lado_reports
from safeguarding.lado import services as lado_services
from safeguarding.performance import services

from .conftest import enter_value


def report(period, capsys):
    call_command("report", "performance", "--period", period, "--format", "json")
    return json.loads(capsys.readouterr().out)


def test_period_report_gives_value_target_rag_and_benchmarks(lead, cgas, trust, capsys):
    enter_value(
        lead, cgas, period="2016-05", value=None, numerator=Decimal(460), denominator=Decimal(471)
    )
    services.benchmark_save(
        acting_user=lead, indicator=cgas, year="2016-17", kind="england", value=Decimal("93.5")
    )
    data = report("2016-Q1", capsys)
    row = data["indicators"]["CAMHS-2"]
    assert data["period"] == "2016-Q1"
    assert row["value"] == 97.7
    assert row["target"] == 95
    assert row["rag"] == "green"
    assert row["variance"] == 2.7
    assert row["benchmarks"] == {"statistical_neighbours": None, "england": 93.5}
    assert row["values"] == {"2016-04": None, "2016-05": 97.7, "2016-06": None}


def test_computed_indicator_matches_the_lado_report(lead, group, council, capsys):
    officer = lead
    for day, met in [
        (dt.date(2016, 4, 5), True),
        (dt.date(2016, 5, 9), True),
        (dt.date(2016, 6, 1), False),
        (dt.date(2016, 7, 1), True),
    ]:
        lado_services.case_create(
            acting_user=officer,
            contact_date=day,
            employer_sector="health",
            threshold_met=met,
            harm_test="harmed" if met else "",
        )
    services.indicator_save(
        acting_user=lead,
        indicator=None,
        reference="LADO-1",
        name="LADO referrals",
        group=group,
        owning_agency=council,
        frequency="quarterly",
        source="computed",
        polarity="none",
        computed_value="lado:referrals.{quarter}",
    )
    services.indicator_save(
        acting_user=lead,
        indicator=None,
        reference="LADO-2",
        name="Threshold met",
        group=group,
        owning_agency=council,
        frequency="quarterly",
        unit="percent",
        source="computed",
        polarity="none",
        computed_numerator="lado:referrals.{quarter}",
        computed_denominator="lado:contacts.{quarter}",
    )
    expected = lado_reports.year_report(FinancialYear(2016))
    for quarter in ("Q1", "Q2"):
        data = report(f"2016-{quarter}", capsys)["indicators"]
        assert data["LADO-1"]["value"] == expected["referrals"][quarter]
        assert data["LADO-2"]["numerator"] == expected["referrals"][quarter]
        assert data["LADO-2"]["denominator"] == expected["contacts"][quarter]
    assert report("2016-Q1", capsys)["indicators"]["LADO-2"]["value"] == 66.7


def test_a_computed_path_to_an_unknown_register_is_refused(lead, group, council):
    import pytest

    with pytest.raises(RecordInvalid) as exc:
        services.indicator_save(
            acting_user=lead,
            indicator=None,
            reference="X-1",
            name="X",
            group=group,
            owning_agency=council,
            frequency="yearly",
            source="computed",
            computed_value="nowhere:figure",
        )
    assert exc.value.problems[0][0] == "computed_value"


def test_bad_period_is_refused(capsys):
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a period"):
        call_command("report", "performance", "--period", "2016-Q5")


def test_the_html_report_for_a_period_is_the_board_pack(lead, cgas, trust, capsys):
    """`report performance --period ... --format html` renders the board pack through the
    register's period_context (it was declared as report_context, which the command does
    not read for a period: the command said the register had no HTML report)."""
    enter_value(
        lead, cgas, period="2016-05", value=Decimal("97.7"), commentary="Recording improved"
    )
    call_command("report", "performance", "--period", "2016-Q1", "--format", "html")
    html = capsys.readouterr().out
    assert "Performance framework: board pack 2016-Q1" in html
    assert "CAMHS-2 Paired CGAS recorded (2016-05)" in html and "97.7%" in html
    assert "Recording improved" in html
