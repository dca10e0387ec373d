"""The case review import schema (documented in docs/imports/case-reviews.md)."""

from __future__ import annotations

from safeguarding.core.imports import (
    CellError,
    Column,
    ImportSchema,
    code,
    date_value,
    text,
    yes_no,
)

from .codes import PUBLICATION_DECISIONS
from .models import Referral, ReviewType
from .rules import referral_problems
from .services import referrals_import


def review_type_code(value: str) -> str:
    known = list(ReviewType.objects.values_list("code", flat=True))
    if value not in known:
        raise CellError(f"'{value}' is not a known review type; use one of: {', '.join(known)}")
    return value


class CaseReviewImport(ImportSchema):
    register = "case-reviews"
    key = "reference"
    columns = [
        Column("reference", text(40), required=True, help="Unique reference of the referral"),
        Column("title", text(100), help="Case name, e.g. Case RSW (no real names)"),
        Column("referral_date", date_value, required=True, help="YYYY-MM-DD"),
        Column("la_aware_date", date_value, help="YYYY-MM-DD: the local authority became aware"),
        Column("abuse_or_neglect", yes_no, help="yes or no"),
        Column("child_died", yes_no, help="yes or no"),
        Column("seriously_harmed", yes_no, help="yes or no"),
        Column("looked_after", yes_no, help="yes or no"),
        Column("outside_england", yes_no, help="yes or no: the incident happened outside England"),
        Column("notification_date", date_value, help="YYYY-MM-DD"),
        Column("rapid_review_date", date_value, help="YYYY-MM-DD"),
        Column("decision", review_type_code, help="Review type code"),
        Column("decision_date", date_value, help="YYYY-MM-DD; required with a decision"),
        Column("review_start_date", date_value, help="YYYY-MM-DD"),
        Column(
            "publication_decision",
            code(PUBLICATION_DECISIONS),
            help="pending, publish, not_publish",
        ),
        Column("published_date", date_value, help="YYYY-MM-DD; needs publication_decision publish"),
    ]

    def check_row(self, row):
        return referral_problems(
            referral_date=row["referral_date"],
            la_aware_date=row["la_aware_date"],
            notification_date=row["notification_date"],
            rapid_review_date=row["rapid_review_date"],
            decision_code=row["decision"],
            decision_date=row["decision_date"],
            review_start_date=row["review_start_date"],
            published_date=row["published_date"],
            publication_decision=row["publication_decision"],
        )

    def existing_keys(self, keys):
        return set(Referral.objects.filter(reference__in=keys).values_list("reference", flat=True))

    def save_batch(self, rows, *, acting_user):
        return referrals_import(acting_user=acting_user, rows=rows)
