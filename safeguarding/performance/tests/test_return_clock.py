"""The data return's clock (rules.DATA_RETURN) at its edges: due
PERFORMANCE_RETURN_WORKING_DAYS (15) working days after the period ends, weekends and
England and Wales bank holidays skipped; late from the day after the due date, never on it,
alike in the worklist, the late returns the business unit chases, and the record."""

import datetime as dt
from decimal import Decimal

import pytest

from safeguarding.core.clocks import DECLARED, Unit
from safeguarding.core.periods import Period
from safeguarding.core.registers import worklist_for
from safeguarding.performance import services
from safeguarding.performance.models import DataReturn
from safeguarding.performance.rules import DATA_RETURN, return_due

DAY = dt.timedelta(days=1)
RULE = (
    "15 working days from the end of the period "
    "(local procedure: the partnership's data-sharing agreement)"
)

# April 2021 ends on Friday 30 April, before the early May bank holiday (Monday 3 May):
# 15 working days are 4-7, 10-14, 17-21 and 24 May (21 May without the holiday).
# The first quarter of 2024-25 ends on Sunday 30 June 2024: 15 working days are 1-5, 8-12
# and 15-19 July, so the return is due on Friday 19 July and late on Saturday 20 July.
EDGES = [
    ("2021-04", "monthly", dt.date(2021, 5, 24)),
    ("2024-Q1", "quarterly", dt.date(2024, 7, 19)),
]


def test_the_clock_is_declared_with_its_source_and_length():
    assert DATA_RETURN in DECLARED
    assert DATA_RETURN.unit == Unit.WORKING_DAYS and DATA_RETURN.amount == 15
    assert DATA_RETURN.effective is None  # a local rule: every return is held to it
    assert DATA_RETURN.rule == RULE


@pytest.mark.parametrize("label, _frequency, due", EDGES)
def test_the_due_date_skips_the_weekend_and_the_bank_holiday(label, _frequency, due):
    period = Period.parse(label)
    assert period.end.weekday() in (4, 6)  # a Friday, a Sunday
    assert services.return_due_date(period) == due == return_due(period.end)


def test_the_length_is_the_setting(settings):
    settings.PERFORMANCE_RETURN_WORKING_DAYS = 1
    # Friday 30 April 2021 -> Tuesday 4 May (Monday 3 May is the bank holiday).
    assert services.return_due_date(Period.parse("2021-04")) == dt.date(2021, 5, 4)
    # Sunday 30 June 2024 -> Monday 1 July.
    assert services.return_due_date(Period.parse("2024-Q1")) == dt.date(2024, 7, 1)
    assert DATA_RETURN.rule.startswith("1 working day from the end of the period")


@pytest.fixture
def open_return(lead, group, trust):
    """Open the trust's return of a period (an indicator of that frequency first)."""

    def opened(label: str, frequency: str) -> DataReturn:
        services.indicator_save(
            acting_user=lead,
            indicator=None,
            reference=f"CAMHS-{frequency}",
            name=f"A {frequency} figure",
            group=group,
            owning_agency=trust,
            frequency=frequency,
            unit="count",
            polarity="higher",
            target=Decimal(10),
            tolerance=Decimal(0),
        )
        (data_return,) = services.returns_open(acting_user=lead, period=Period.parse(label))
        return data_return

    return opened


def _work(user, today):
    return [
        (i.label, i.reference, i.due, i.overdue, i.rule)
        for i in worklist_for(user, today)
        if i.module == "performance"
    ]


@pytest.mark.parametrize("label, frequency, due", EDGES)
def test_a_return_is_late_from_the_day_after_its_due_date(
    trust_user, bu_officer, open_return, label, frequency, due
):
    data_return = open_return(label, frequency)
    assert data_return.due_date == due
    enter = "Enter and submit the data return"
    reference = f"{label} CAMHS Trust"
    # The agency: the return to enter, due the day before and on the day, late the day after.
    assert _work(trust_user, due - DAY) == [(enter, reference, due, False, RULE)]
    assert _work(trust_user, due) == [(enter, reference, due, False, RULE)]
    assert _work(trust_user, due + DAY) == [(enter, reference, due, True, RULE)]
    # The business unit: nothing to chase until the day after the due date.
    assert _work(bu_officer, due - DAY) == []
    assert _work(bu_officer, due) == []
    chase = "Chase the late data return"
    assert _work(bu_officer, due + DAY) == [(chase, reference, due, True, RULE)]
    # The late returns list and the record agree with the worklist.
    for today, late in ((due - DAY, False), (due, False), (due + DAY, True)):
        assert list(services.late_returns(today)) == ([data_return] if late else [])
        assert data_return.is_late(today) is late
