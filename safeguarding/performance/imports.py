"""Indicator values import (issue 8): indicator, period, agency, value, numerator,
denominator, commentary. Documented in docs/imports/indicator-values.md."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from safeguarding.core.imports import CellError, Column, ImportSchema, text
from safeguarding.core.models import Agency
from safeguarding.core.periods import Period

from . import rules
from .models import PERIOD_KIND, DataReturn, Indicator
from .services import values_import


def decimal_value(value: str) -> Decimal:
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise CellError(f"'{value}' is not a number") from None
    if not number.is_finite():
        raise CellError(f"'{value}' is not a number")
    return number


def period_value(value: str) -> Period:
    try:
        return Period.parse(value)
    except ValueError as exc:
        raise CellError(str(exc)) from None


class IndicatorValueImport(ImportSchema):
    register = "indicator-values"
    elsewhere = {"agency": "the value's owning agency, by its name"}
    key = "indicator"
    columns = [
        Column("indicator", text(40), required=True, help="Indicator reference"),
        Column(
            "period",
            period_value,
            required=True,
            help="2016-04 (month), 2016-Q1 (quarter) or 2016-17 (year)",
        ),
        Column("agency", text(200), required=True, help="The agency's name as in the system"),
        Column("value", decimal_value, help="The value (or give numerator and denominator)"),
        Column("numerator", decimal_value),
        Column("denominator", decimal_value),
        Column("commentary", text(5000), help="Analysis of the figures"),
    ]

    def __init__(self, *, only_agency: Agency | None = None, data_return: DataReturn | None = None):
        self.only_agency = only_agency
        self.data_return = data_return
        self.indicators = {i.reference: i for i in Indicator.objects.all()}
        self.agencies = {a.name.lower(): a for a in Agency.objects.all()}

    def row_key(self, row):
        if row.get("indicator") is None or row.get("period") is None:
            return None
        return (row["indicator"], row["period"].label, (row.get("agency") or "").lower())

    def check_row(self, row):
        problems = []
        indicator = self.indicators.get(row["indicator"])
        agency = self.agencies.get(row["agency"].lower())
        if indicator is None:
            return [("indicator", f"'{row['indicator']}' is not an indicator reference")]
        if agency is None:
            problems.append(("agency", f"'{row['agency']}' is not an agency in the system"))
        elif self.only_agency is not None and agency != self.only_agency:
            problems.append(("agency", f"you can only enter values for {self.only_agency}"))
        elif agency.pk != indicator.owning_agency_id:
            problems.append(
                (
                    "agency",
                    f"{indicator.reference} is submitted by "
                    f"{indicator.owning_agency}, not {agency}",
                )
            )
        if indicator.source == "computed":
            problems.append(("indicator", f"{indicator.reference} is computed by the system"))
        if row["period"].kind != PERIOD_KIND[indicator.frequency]:
            problems.append(
                (
                    "period",
                    f"{indicator.reference} is {indicator.frequency}: "
                    f"'{row['period'].label}' is not such a period",
                )
            )
        if self.data_return is not None and row["period"].label != self.data_return.period:
            problems.append(("period", f"this return is for {self.data_return.period}"))
        problems += rules.value_problems(
            indicator.unit, row["value"], row["numerator"], row["denominator"]
        )
        return problems

    def save_batch(self, rows, *, acting_user):
        return values_import(
            acting_user=acting_user,
            rows=[
                {
                    **row,
                    "indicator": self.indicators[row["indicator"]],
                    "agency": self.agencies[row["agency"].lower()],
                }
                for row in rows
            ],
            data_return=self.data_return,
        )
