"""A quarter or a year asked for is computed for that period from the indicator's own
values inside it (Indicator.aggregation): counts summed, rates as summed numerators over
summed denominators, snapshots at the period's end. RAG is judged on that figure."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from safeguarding.core.periods import Period
from safeguarding.performance import reports, services
from safeguarding.performance.models import Indicator

from .conftest import enter_value


def make(lead, group, agency, ref, frequency, unit="count", **kw):
    return services.indicator_save(
        acting_user=lead,
        indicator=None,
        reference=ref,
        name=ref,
        group=group,
        owning_agency=agency,
        frequency=frequency,
        unit=unit,
        **kw,
    )


def row(ref, period):
    rows = reports.indicator_rows(Period.parse(period))
    return next(r for r in rows if r["reference"] == ref)


def fill(lead, indicator, series):
    for period, figures in series.items():
        if isinstance(figures, tuple):
            enter_value(
                lead,
                indicator,
                period=period,
                value=None,
                numerator=Decimal(figures[0]),
                denominator=Decimal(figures[1]),
            )
        else:
            enter_value(lead, indicator, period=period, value=Decimal(figures))


def test_a_new_indicator_takes_its_units_usual_aggregation(lead, group, council, cgas):
    assert make(lead, group, council, "C-1", "monthly").aggregation == "sum"
    assert cgas.aggregation == "ratio"


def test_a_sum_of_a_percentage_is_refused(lead, group, council):
    from safeguarding.core.writes import RecordInvalid

    with pytest.raises(RecordInvalid) as exc:
        make(lead, group, council, "P-1", "monthly", unit="percent", aggregation="sum")
    assert exc.value.problems[0][0] == "aggregation"


def test_a_quarter_of_a_monthly_count_is_its_three_months_summed(lead, group, council):
    ind = make(lead, group, council, "C-1", "monthly", target=Decimal(30), polarity="higher")
    # March and July lie either side of Q1 (April to June) and are not counted.
    fill(lead, ind, {"2016-03": 100, "2016-04": 5, "2016-05": 10, "2016-06": 20, "2016-07": 100})
    r = row("C-1", "2016-Q1")
    assert (r["period"], r["aggregation"], r["value"], r["missing"]) == ("2016-Q1", "sum", 35, [])
    assert r["values"] == {"2016-04": 5, "2016-05": 10, "2016-06": 20}
    assert r["rag"] == "green"  # judged on 35, not on June's 20


def test_a_year_of_a_quarterly_count_is_its_four_quarters_summed(lead, group, council):
    ind = make(lead, group, council, "C-4", "quarterly")
    fill(lead, ind, {"2016-Q1": 1, "2016-Q2": 2, "2016-Q3": 3, "2016-Q4": 4, "2017-Q1": 50})
    fill(lead, ind, {"2015-Q4": 10})
    r = row("C-4", "2016-17")
    assert (r["period"], r["value"], r["missing"]) == ("2016-17", 10, [])
    assert r["same_period_last_year"] == 10  # 2015-16: only Q4 held
    assert row("C-4", "2016-Q4")["value"] == 4  # a quarter asked for is the quarter


def test_a_missing_month_is_left_out_and_listed(lead, group, council):
    ind = make(lead, group, council, "C-1", "monthly")
    fill(lead, ind, {"2016-04": 5, "2016-06": 20})
    r = row("C-1", "2016-Q1")
    assert (r["value"], r["missing"]) == (25, ["2016-05"])
    empty = row("C-1", "2016-Q2")
    assert (empty["value"], empty["rating"]) == (None, "no_data")


def test_a_rate_is_summed_numerators_over_summed_denominators(lead, group, council, cgas):
    fill(lead, cgas, {"2016-04": (1, 1), "2016-05": (9, 19), "2016-06": (90, 100)})
    r = row("CAMHS-2", "2016-Q1")
    # 100 of 120 = 83.3%, not the mean of 100%, 47.4% and 90% (79.1%).
    assert (r["value"], r["numerator"], r["denominator"]) == (83.3, 100, 120)
    assert r["rag"] == "red"  # target 95, tolerance 2


def test_a_year_of_quarterly_rates_with_a_missing_quarter(lead, group, council):
    ind = make(lead, group, council, "P-4", "quarterly", unit="percent")
    fill(lead, ind, {"2016-Q1": (10, 20), "2016-Q3": (30, 40)})
    r = row("P-4", "2016-17")
    assert (r["value"], r["missing"]) == (66.7, ["2016-Q2", "2016-Q4"])


def test_a_ratio_of_bare_percentages_shows_the_latest_for_its_own_month(lead, cgas):
    fill(lead, cgas, {"2016-04": 90, "2016-05": 97})
    r = row("CAMHS-2", "2016-Q1")
    assert (r["period"], r["aggregation"], r["value"]) == ("2016-05", "latest", 97)


def test_a_snapshot_is_the_value_at_31_march(lead, group, council):
    ind = make(lead, group, council, "LAC-1", "monthly", aggregation="snapshot")
    fill(lead, ind, {"2016-04": 468, "2017-02": 457, "2017-03": 459, "2017-04": 470})
    fill(lead, ind, {"2016-03": 463})
    r = row("LAC-1", "2016-17")
    assert (r["period"], r["aggregation"], r["value"]) == ("2016-17", "snapshot", 459)
    assert r["same_period_last_year"] == 463  # 31 March 2016
    assert row("LAC-1", "2016-Q4")["value"] == 459


def test_a_snapshot_without_the_periods_last_month_has_no_value(lead, group, council):
    ind = make(lead, group, council, "LAC-1", "monthly", aggregation="snapshot")
    fill(lead, ind, {"2017-01": 458, "2017-02": 457})
    r = row("LAC-1", "2016-Q4")
    assert (r["value"], r["missing"], r["rating"]) == (None, ["2017-03"], "no_data")


def test_latest_takes_the_latest_value_given(lead, group, council):
    ind = make(lead, group, council, "L-1", "monthly", aggregation="latest")
    fill(lead, ind, {"2016-04": 4, "2016-05": 6})
    r = row("L-1", "2016-Q1")
    assert (r["period"], r["value"]) == ("2016-05", 6)


def test_only_approved_values_are_aggregated(lead, trust_user, cgas, trust):
    (april,) = services.returns_open(acting_user=lead, period=Period.parse("2016-04"))
    enter_value(trust_user, cgas, april, value=None, numerator=Decimal(1), denominator=Decimal(2))
    services.return_submit(acting_user=trust_user, data_return=april)
    fill(lead, cgas, {"2016-05": (9, 10)})
    r = row("CAMHS-2", "2016-Q1")
    assert (r["value"], r["missing"]) == (90, ["2016-04", "2016-06"])


@pytest.fixture
def demo(db, monkeypatch):
    """The demo partnership with the LADO register and the performance framework (the
    other modules' demos add nothing these figures read)."""
    from safeguarding.core import demo as core_demo
    from safeguarding.lado import demo as lado_demo
    from safeguarding.performance import demo as performance_demo

    monkeypatch.setattr(core_demo, "_module_demos", lambda: iter([lado_demo, performance_demo]))
    core_demo.load()


def test_the_demo_year_is_the_year_not_its_last_quarter(demo, capsys):
    call_command("report", "performance", "--period", "2016-17", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == "2016-17"
    lado_1, lado_2 = data["indicators"]["LADO-1"], data["indicators"]["LADO-2"]
    assert (lado_1["period"], lado_1["value"]) == ("2016-17", 130)
    assert lado_1["values"]["2016-Q4"] == 47
    assert (lado_2["period"], lado_2["value"]) == ("2016-17", 60.5)
    assert (lado_2["numerator"], lado_2["denominator"]) == (130, 215)
    assert data["indicators"]["LAC-1"]["value"] == 459  # looked after on 31 March 2017
    assert Indicator.objects.get(reference="LAC-1").aggregation == "snapshot"
    assert data["indicators"]["LAC-3"]["value"] == 72.6  # 82 of 113 at 31 March 2017
    assert data["indicators"]["MET-1"]["missing"].startswith("2016-07, 2016-08")


def test_the_migration_gives_existing_indicators_a_sensible_aggregation(lead, group, council, cgas):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("safeguarding.performance.migrations.0003_indicator_aggregation")
    flows = make(lead, group, council, "C-1", "monthly")
    stock = make(lead, group, council, "LAC-1", "monthly")
    Indicator.objects.filter(reference="LAC-1").update(name="Looked after at the end of the month")
    Indicator.objects.update(aggregation="latest")
    migration.set_aggregation(apps, None)
    got = dict(Indicator.objects.values_list("reference", "aggregation"))
    assert got == {cgas.reference: "ratio", flows.reference: "sum", stock.reference: "snapshot"}


def test_the_dashboard_shows_the_quarters_figure_and_what_it_misses(client_for, board, lead, cgas):
    from django.urls import reverse

    fill(lead, cgas, {"2016-04": (1, 1), "2016-06": (90, 100)})
    page = client_for(board).get(reverse("performance:dashboard") + "?period=2016-Q1")
    html = page.content.decode()
    assert page.status_code == 200
    assert "2016-Q1 (no value for 2016-05)" in html
    assert "90.1%" in html  # 91 of 101
