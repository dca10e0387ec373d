import datetime as dt

import pytest

from safeguarding.core.periods import FinancialYear, add_months


def test_financial_year_quarters_start_in_april():
    year = FinancialYear.parse("2016-17")
    assert (year.start, year.end) == (dt.date(2016, 4, 1), dt.date(2017, 3, 31))
    assert [q[0] for q in year.quarters()] == ["Q1", "Q2", "Q3", "Q4"]
    assert year.quarters()[0][1:] == (dt.date(2016, 4, 1), dt.date(2016, 6, 30))
    assert year.quarters()[3][1:] == (dt.date(2017, 1, 1), dt.date(2017, 3, 31))


@pytest.mark.parametrize("text", ["2016-17", "2016/17", "2016-2017", "2016"])
def test_year_forms_accepted(text):
    assert FinancialYear.parse(text).label == "2016-17"


@pytest.mark.parametrize("text", ["2016-18", "16-17", "next year", ""])
def test_bad_year_refused(text):
    with pytest.raises(ValueError):
        FinancialYear.parse(text)


def test_year_containing_a_date():
    assert FinancialYear.containing(dt.date(2017, 3, 31)).label == "2016-17"
    assert FinancialYear.containing(dt.date(2017, 4, 1)).label == "2017-18"


def test_add_months_clips_to_month_end():
    assert add_months(dt.date(2016, 1, 31), 1) == dt.date(2016, 2, 29)
    assert add_months(dt.date(2016, 11, 30), 3) == dt.date(2017, 2, 28)
