"""The child death import schema (issue 3 contract; documented in docs/imports/child-deaths.md)."""

from __future__ import annotations

from safeguarding.core.codes import ETHNICITIES, SEXES
from safeguarding.core.imports import Column, ImportSchema, code, date_value, text, yes_no

from .codes import (
    CATEGORY_CODES,
    FACTOR_DOMAIN_CODES,
    FACTOR_DOMAINS,
    FACTOR_LEVELS,
    MODIFIABLE_CODES,
)
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
        # The analysis form's four domains (codes.FACTOR_DOMAINS), each at a level
        *(
            Column(
                domain,
                code(FACTOR_LEVELS),
                help=f"{label}: none, possible or significant; blank = not recorded or "
                "not reviewed",
            )
            for domain, label in FACTOR_DOMAINS
        ),
        Column(
            "review_meeting_date",
            date_value,
            help="YYYY-MM-DD, the child death review meeting; not before the death nor after "
            "the panel review",
        ),
        Column(
            "child_protection_plan_at_death",
            yes_no,
            help="yes or no: subject to a child protection plan at death; blank = not known",
        ),
        Column(
            "looked_after_at_death",
            yes_no,
            help="yes or no: looked after at death; blank = not known",
        ),
        Column(
            "ncmd_notified_date",
            date_value,
            help="YYYY-MM-DD, notified to the National Child Mortality Database; not before the "
            "death",
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
            review_meeting_date=row["review_meeting_date"],
            ncmd_notified_date=row["ncmd_notified_date"],
            **{domain: row[domain] for domain in FACTOR_DOMAIN_CODES},
        )
        # Required columns are already reported by the engine; keep the rule messages only.
        return [(f, m) for f, m in problems if not m.startswith("Enter ")]

    def existing_keys(self, keys):
        return set(Death.objects.filter(reference__in=keys).values_list("reference", flat=True))

    def save_batch(self, rows, *, acting_user):
        return deaths_import(acting_user=acting_user, rows=rows)
