"""safeguarding demo: a ready partnership, so the first page a newcomer opens is alive."""

from django.conf import settings
from django.core.management.base import BaseCommand

from safeguarding.core.demo import DEMO_PASSWORD, SIGN_IN_NOTE, load


class Command(BaseCommand):
    help = "Load the demo partnership: agencies, one user per role, and records in every register."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2017)

    def handle(self, seed=2017, **options):
        users = load(seed=seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo partnership loaded. Sign in at {settings.SITE_URL.rstrip('/')}/ as any of:"
            )
        )
        for email, description in users:
            self.stdout.write(f"  {email:<40} {description}")
        self.stdout.write(f"Password for every demo user: {DEMO_PASSWORD}   (demo only)")
        self.stdout.write(SIGN_IN_NOTE)
