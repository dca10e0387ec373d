"""safeguarding import REGISTER FILE [--dry-run]: the platform import contract."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safeguarding.core import registers
from safeguarding.core.imports import ImportRejected, run_import
from safeguarding.core.models import User

EXIT_INVALID = 2


class ProgressBar:
    """Progress of a long import, drawn on a terminal only: when stderr is read by a
    program, every line on it is a "row N, column C: message" problem line."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.shown = stream.isatty()
        self.total = None

    def update(self, phase: str, count: int) -> None:
        if not self.shown:
            return
        if phase == "writing":
            self.total, phase = count, "written"
            count = 0
        if phase == "written" and self.total:
            filled = self.WIDTH * count // self.total
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            line = f"Saving   [{bar}] {count:,} of {self.total:,} rows"
        else:
            line = f"Checking {count:,} rows"
        self.stream.write("\r" + line, ending="", style_func=str)

    def finish(self) -> None:
        if self.shown:
            self.stream.write("", style_func=str)


class Command(BaseCommand):
    help = "Import a register's records from a .csv or .xlsx file (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("register", help="e.g. lado")
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument("--user", help="email of the user the import is recorded against")

    def handle(self, register, file, dry_run=False, user=None, **options):
        try:
            reg = registers.get(register)
        except KeyError as exc:
            raise CommandError(str(exc.args[0])) from None
        if reg.import_schema is None:
            raise CommandError(f"the {register} register has no import")
        path = Path(file)
        if not path.is_file():
            self.stderr.write(f"row 1, column -: no such file: {file}")
            sys.exit(EXIT_INVALID)
        acting_user = None
        if user:
            acting_user = User.objects.filter(email__iexact=user).first()
            if acting_user is None:
                raise CommandError(f"no user with the email {user}")

        bar = ProgressBar(self.stderr)

        try:
            result = run_import(
                reg.import_schema(),
                path,
                acting_user=acting_user,
                dry_run=dry_run,
                progress=bar.update,
            )
        except ImportRejected as exc:
            bar.finish()
            for error in exc.errors:
                self.stderr.write(str(error))
            # The count goes to stdout so that stderr holds only the problem lines.
            self.stdout.write(f"{len(exc.errors)} problem(s): nothing was imported")
            sys.exit(EXIT_INVALID)
        bar.finish()
        self.stdout.write(result.summary())
