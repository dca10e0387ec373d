"""``safeguarding audit verify``: walk the hash chains of the audit and access logs.

Exit status 0 when both chains hold; 1, with the first broken link of each broken log,
when a row has been changed, removed or slipped in."""

from django.core.management.base import BaseCommand, CommandError

from safeguarding.core import chain


class Command(BaseCommand):
    help = "Check the audit and access logs for tampering (verify)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"], help="verify: walk both hash chains")

    def handle(self, *args, action, **options):
        verdicts = chain.verify_all()
        for verdict in verdicts:
            (self.stdout if verdict.intact else self.stderr).write(str(verdict))
        if not all(v.intact for v in verdicts):
            raise CommandError("the logs have been tampered with", returncode=1)
