"""The dashboard at ten years (issue 16): it reads the periods it shows, never the years
behind them, and a computed indicator from its stored period values."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.periods import Period
from safeguarding.lado import services as lado_services
from safeguarding.performance import computed, reports, services
from safeguarding.performance.models import ComputedValue, IndicatorValue

from .conftest import enter_value

URL = reverse("performance:dashboard") + "?period=2016-Q1"


@pytest.fixture
def lado_referrals(lead, group, council):
    return services.indicator_save(
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


def _years_of_values(indicator, first_year, years):
    """Approved values (no return) of every month of ``years`` financial years."""
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator=indicator,
            period=f"{year + (month < 4)}-{month:02d}",
            owning_agency=indicator.owning_agency,
            numerator=Decimal(90 + month),
            denominator=Decimal(100),
        )
        for year in range(first_year, first_year + years)
        for month in range(1, 13)
    )


def _queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_the_dashboards_queries_do_not_grow_with_years_of_values(
    client_for, board, lead, cgas, lado_referrals
):
    enter_value(lead, cgas, period="2016-04", value=None, numerator=90, denominator=100)
    client = client_for(board)
    client.get(URL)  # the computed figures stored
    before = _queries(client)
    _years_of_values(cgas, 2005, 10)
    _years_of_values(cgas, 2017, 8)
    assert _queries(client) == before


def test_a_periods_figures_do_not_change_with_values_of_far_off_periods(lead, cgas, lado_referrals):
    enter_value(lead, cgas, period="2016-05", value=None, numerator=460, denominator=471)
    lado_services.case_create(
        acting_user=lead,
        contact_date=dt.date(2016, 4, 5),
        employer_sector="health",
        threshold_met=True,
        harm_test="harmed",
    )
    period = Period.parse("2016-Q1")

    def figures():
        return [
            {k: v for k, v in row.items() if k != "indicator"}
            for row in reports.indicator_rows(period)
        ]

    before = figures()
    _years_of_values(cgas, 2005, 10)
    _years_of_values(cgas, 2017, 8)
    ComputedValue.objects.create(
        indicator=lado_referrals,
        period="2010-Q1",
        indicator_version=lado_referrals.version,
        value="999",
    )
    assert figures() == before
    assert before == [
        {k: v for k, v in row.items() if k != "indicator"}
        for row in reports.indicator_rows(period, fresh=True)
    ]


def test_a_computed_figure_is_read_from_its_stored_value_and_refreshed_when_stale(
    lead, lado_referrals, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    period = Period.parse("2016-Q1")

    def value():
        (row,) = reports.indicator_rows(period)
        return row["value"]

    assert value() == 0
    lado_services.case_create(
        acting_user=lead,
        contact_date=dt.date(2016, 4, 5),
        employer_sector="health",
        threshold_met=True,
        harm_test="harmed",
    )
    assert value() == 0  # stored a moment ago: shown as stored
    ComputedValue.objects.update(
        computed_at=timezone.now() - dt.timedelta(seconds=computed.STORED_SECONDS + 1)
    )
    from django.core.cache import cache

    cache.clear()  # the year reports' shared minute
    value()  # stale: shown, and refreshed behind it
    assert value() == 1
    # An indicator changed (its paths) never reads figures stored for its old version.
    changed = services.indicator_save(
        acting_user=lead,
        indicator=lado_referrals,
        expected_version=lado_referrals.version,
        computed_value="lado:contacts.{quarter}",
        reference="LADO-1",
        name="LADO contacts",
        group=lado_referrals.group,
        owning_agency=lado_referrals.owning_agency,
        frequency="quarterly",
        source="computed",
        polarity="none",
    )
    assert value() == 1
    stored = ComputedValue.objects.get(indicator=changed, period="2016-Q1")
    assert stored.indicator_version == changed.version != 1
