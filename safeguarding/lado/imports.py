"""The LADO import schema (issue 2 contract; documented in docs/imports/lado.md)."""

from __future__ import annotations

from safeguarding.core.imports import Column, ImportSchema, code, date_value, text, yes_no

from .codes import ALLEGATION_CATEGORIES, EMPLOYER_OUTCOMES, EMPLOYER_SECTORS, OUTCOMES
from .models import Case
from .rules import case_problems
from .services import cases_import


class LadoImport(ImportSchema):
    register = "lado"
    elsewhere = {"strategy_meeting_date": "the date of the referral's first meeting"}
    key = "reference"
    columns = [
        Column("reference", text(40), required=True, help="Unique reference of the contact"),
        Column("contact_date", date_value, required=True, help="YYYY-MM-DD"),
        Column("threshold_met", yes_no, required=True, help="yes or no"),
        Column(
            "referral_date",
            date_value,
            help="YYYY-MM-DD; blank means the contact date when threshold_met is yes",
        ),
        Column("employer_sector", code(EMPLOYER_SECTORS), required=True, help="Code"),
        Column("allegation_category", code(ALLEGATION_CATEGORIES), help="Code, optional"),
        Column("strategy_meeting_date", date_value, help="YYYY-MM-DD, the first meeting"),
        Column("outcome", code(OUTCOMES), help="Code; blank for advice-only contacts"),
        Column("outcome_date", date_value, help="YYYY-MM-DD; blank when pending"),
        Column(
            "employer_outcome",
            code(EMPLOYER_OUTCOMES),
            help='Code, optional; only when the outcome is "no_further_action"',
        ),
        Column("subject_role", text(200), help="The adult's role, optional"),
    ]

    def check_row(self, row):
        problems = []
        if row.get("threshold_met") is None:
            problems.append(("threshold_met", "is required: yes or no"))
        if row.get("employer_sector") is None:
            problems.append(("employer_sector", "is required"))
        if row.get("threshold_met") and not row.get("outcome"):
            problems.append(
                (
                    "outcome",
                    "is required when threshold_met is yes (use pending while the case is open)",
                )
            )
        problems += case_problems(
            contact_date=row["contact_date"],
            threshold_met=row.get("threshold_met"),
            referral_date=row["referral_date"],
            strategy_meeting_date=row["strategy_meeting_date"],
            outcome=row["outcome"],
            outcome_date=row["outcome_date"],
            employer_outcome=row.get("employer_outcome"),
        )
        return problems

    def existing_keys(self, keys):
        return set(Case.objects.filter(reference__in=keys).values_list("reference", flat=True))

    def save_batch(self, rows, *, acting_user):
        return cases_import(acting_user=acting_user, rows=rows)
