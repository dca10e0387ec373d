"""The child death import schema (issue 3 contract; documented in docs/imports/child-deaths.md)."""

from __future__ import annotations

from safeguarding.core.codes import ETHNICITIES, SEXES
from safeguarding.core.imports import Column, ImportSchema, code, date_value, text, yes_no

from .codes import CATEGORY_CODES, MODIFIABLE_CODES
from .models import Death
from .rules import death_problems
from .services import deaths_import


class ChildDeathImport(ImportSchema):
    register = "child-deaths"
    key = "reference"
    columns = [
        Column("reference", text(40), required=True, help="Unique reference of the death"),
        Column("date_of_birth", date_value, required=True, help="YYYY-MM-DD"),
        Column("date_of_death", date_value, required=True, help="YYYY-MM-DD"),
        Column("sex", code(SEXES), help="male, female or unknown (blank: unknown)"),
        Column("ethnicity", code(ETHNICITIES), help="DfE ethnicity code (blank: NOBT)"),
        Column("notification_date", date_value, required=True, help="YYYY-MM-DD"),
        Column("expected", yes_no, required=True, help="yes (expected) or no (unexpected)"),
        Column("review_date", date_value, help="YYYY-MM-DD; blank = not yet reviewed"),
        Column(
            "category",
            code(CATEGORY_CODES),
            help="1-10, the panel's category of death; required when review_date is set",
        ),
        Column(
            "modifiable_factors",
            code(MODIFIABLE_CODES),
            help="yes, no or insufficient; blank when not reviewed",
        ),
    ]

    def check_row(self, row):
        problems = death_problems(
            date_of_birth=row["date_of_birth"],
            date_of_death=row["date_of_death"],
            notification_date=row["notification_date"],
            review_date=row["review_date"],
            category=row["category"],
            modifiable_factors=row["modifiable_factors"],
        )
        # Required columns are already reported by the engine; keep the rule messages only.
        return [(f, m) for f, m in problems if not m.startswith("Enter ")]

    def existing_keys(self, keys):
        return set(Death.objects.filter(reference__in=keys).values_list("reference", flat=True))

    def save_batch(self, rows, *, acting_user):
        return deaths_import(acting_user=acting_user, rows=rows)
