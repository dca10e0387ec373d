"""Run daily from cron: enqueue the three-month (stage 3) surveys and their reminders."""

from django.core.management.base import BaseCommand

from safeguarding.training.services import surveys_enqueue_due


class Command(BaseCommand):
    help = "Enqueue due three-month training surveys and two-week reminders (run daily)."

    def handle(self, *args, **options):
        sent, reminded = surveys_enqueue_due()
        self.stdout.write(f"{sent} survey(s) and {reminded} reminder(s) queued")
