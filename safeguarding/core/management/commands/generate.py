"""safeguarding generate --scale large|national --years 10 [--seed N]."""

import sys
import time

from django.core.management.base import BaseCommand
from django.db import connection

from safeguarding.core import generate


class Command(BaseCommand):
    help = "Fill the database with synthetic but realistic records of a large partnership."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(generate.SCALES), default="large")
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, scale, years, seed, **options):
        started = time.perf_counter()

        def progress(message):
            sys.stderr.write(f"{time.perf_counter() - started:7.1f}s  {message}\n")
            sys.stderr.flush()

        timings = generate.run(scale=scale, years=years, seed=seed, progress=progress)
        if connection.vendor == "postgresql":
            # Bulk inserts leave the planner's statistics behind until autovacuum gets to
            # them; a real database has them, so the pages are measured with them.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        total = time.perf_counter() - started
        self.stdout.write(
            f"Generated {scale} data for {years} years in {total:.0f} s "
            f"({', '.join(f'{k} {v:.0f} s' for k, v in timings.items())})"
        )
