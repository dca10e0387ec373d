"""The private fostering import schema (issue 4; documented in docs/imports/private-fostering.md)."""

from __future__ import annotations

from safeguarding.core.imports import Column, ImportSchema, code, date_value, text, yes_no

from . import rules
from .codes import CARER_RELATIONSHIPS, CATEGORIES, EXCLUSIONS
from .models import Notification
from .services import notifications_import


class PrivateFosteringImport(ImportSchema):
    register = "private-fostering"
    key = "reference"
    elsewhere = {"authority_aware_date": "the notification's aware_date"}
    columns = [
        Column("reference", text(40), required=True, help="Unique reference of the notification"),
        Column("notification_date", date_value, required=True, help="YYYY-MM-DD"),
        Column("child_date_of_birth", date_value, help="YYYY-MM-DD"),
        Column("child_disabled", yes_no, help="yes or no"),
        Column("carer_relationship", code(CARER_RELATIONSHIPS), help="Code"),
        Column(
            "arrangement_start_date",
            date_value,
            help="YYYY-MM-DD; blank when no arrangement began",
        ),
        Column(
            "arrangement_end_date",
            date_value,
            help="YYYY-MM-DD; blank while it continues; not before the start",
        ),
        Column("category", code(CATEGORIES), help="Code: the kind of arrangement"),
        Column(
            "authority_aware_date",
            date_value,
            help="YYYY-MM-DD: when the authority became aware of the arrangement, if before "
            "the notification; blank means the notification date",
        ),
        Column(
            "exclusion",
            code(EXCLUSIONS),
            help="Code: the Children Act 1989 Schedule 8 exemption that applies, if any",
        ),
    ]

    def check_row(self, row):
        start = row.get("arrangement_start_date")
        decision = rules.definition(
            child_date_of_birth=row.get("child_date_of_birth"),
            child_disabled=row.get("child_disabled"),
            carer_relationship=row.get("carer_relationship"),
            start=start or row.get("notification_date"),
            arrangement_start_date=start,
            arrangement_end_date=row.get("arrangement_end_date"),
            exclusion=row.get("exclusion"),
        )
        problems = rules.notification_problems(
            notification_date=row.get("notification_date"),
            child_date_of_birth=row.get("child_date_of_birth"),
            arrangement_start_date=start,
            arrangement_end_date=row.get("arrangement_end_date"),
            aware_date=row.get("authority_aware_date"),
            decision=decision,
        )
        # The rules name the model's field; the file's column is authority_aware_date.
        return [
            ("authority_aware_date" if name == "aware_date" else name, message)
            for name, message in problems
        ]

    def existing_keys(self, keys):
        return set(
            Notification.objects.filter(reference__in=keys).values_list("reference", flat=True)
        )

    def save_batch(self, rows, *, acting_user):
        return notifications_import(acting_user=acting_user, rows=rows)
