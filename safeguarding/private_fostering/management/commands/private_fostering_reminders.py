"""Email each private fostering officer a digest of statutory visits due or overdue.

Run daily from cron: `safeguarding private_fostering_reminders`. It first ends the
arrangements whose child has reached 16 (18 if disabled). The email names
records by reference and due date only (no child's name: email is not a safe place
for personal data); the link opens the worklist after sign-in.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.urls import reverse

from safeguarding.core.models import User
from safeguarding.private_fostering import conf, queries, services

MODULE = "private_fostering"


def digest_for(user, today: dt.date) -> str | None:
    visits = list(queries.visit_worklist(user=user, today=today))
    if not visits:
        return None
    overdue = [v for v in visits if v.due_date < today]
    due = [v for v in visits if v.due_date >= today]
    lines = [
        f"Private fostering statutory visits on {today:%d %B %Y}:",
        f"{len(overdue)} overdue, {len(due)} due in the next {conf.reminder_days_ahead()} days.",
        "",
    ]
    if overdue:
        lines.append("Overdue:")
        lines += [
            f"- {v.notification.reference}: visit {v.sequence} was due by {v.due_date:%d/%m/%Y} "
            f"({(today - v.due_date).days} days ago)"
            for v in overdue
        ]
        lines.append("")
    if due:
        lines.append("Due:")
        lines += [
            f"- {v.notification.reference}: visit {v.sequence} due by {v.due_date:%d/%m/%Y}"
            for v in due
        ]
        lines.append("")
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    lines.append(f"Worklist: {base}{reverse('private_fostering:worklist')}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Email officers the private fostering visits that are due or overdue."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="as if today were this date (YYYY-MM-DD)")

    def handle(self, *args, date=None, **options):
        today = dt.date.fromisoformat(date) if date else dt.date.today()
        # First, arrangements that stopped being private fostering on the child's 16th
        # (18th) birthday are ended, so that their visits are no longer chased.
        ended = services.arrangements_end_at_age(today=today)
        if ended:
            self.stdout.write(
                f"{len(ended)} arrangement{'s' if len(ended) != 1 else ''} ended: "
                "the child reached the age limit"
            )
        officers = User.objects.filter(
            is_active=True, grants__module=MODULE, grants__role__in=["officer", "manager"]
        ).distinct()
        sent = 0
        for user in officers:
            body = digest_for(user, today)
            if body is None:
                continue
            send_mail(
                subject="Private fostering: visits due and overdue",
                message=body,
                from_email=None,
                recipient_list=[user.email],
            )
            sent += 1
        self.stdout.write(f"{sent} reminder email{'s' if sent != 1 else ''} sent")
