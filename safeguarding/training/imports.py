"""The e-learning completions import (issue 7 contract; docs/imports/elearning.md)."""

from __future__ import annotations

from safeguarding.core.imports import Column, ImportSchema, date_value, text

from .models import ELearningCompletion
from .rules import completion_problems
from .services import completions_import


def email_value(value: str) -> str:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from safeguarding.core.imports import CellError

    try:
        validate_email(value)
    except ValidationError:
        raise CellError(f"'{value}' is not an email address") from None
    return value.lower()


class ELearningImport(ImportSchema):
    register = "elearning"
    key = "reference"
    columns = [
        Column("reference", text(60), required=True, help="Unique reference of the completion"),
        Column("learner_name", text(200), required=True, help="The learner's full name"),
        Column("email", email_value, help="The learner's work email, optional"),
        Column("agency", text(200), help="The learner's agency, as named in the system"),
        Column("course", text(200), required=True, help="The e-learning course's title"),
        Column("completed_date", date_value, required=True, help="YYYY-MM-DD"),
    ]

    def check_row(self, row):
        return completion_problems(completed_date=row.get("completed_date"))

    def existing_keys(self, keys):
        return set(
            ELearningCompletion.objects.filter(reference__in=keys).values_list(
                "reference", flat=True
            )
        )

    def save_batch(self, rows, *, acting_user):
        return completions_import(acting_user=acting_user, rows=rows)
