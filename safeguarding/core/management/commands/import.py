"""safeguarding import REGISTER FILE [--dry-run]: the platform import contract."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safeguarding.core import registers
from safeguarding.core.imports import ImportRejected, run_import
from safeguarding.core.models import User

EXIT_INVALID = 2


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

        def progress(phase, count):
            # Only on a terminal: when stderr is read by a program, every line on it is a
            # "row N, column C: message" problem line.
            if self.stderr.isatty():
                self.stderr.write(f"\r{count:,} rows {phase}", ending="")

        try:
            result = run_import(
                reg.import_schema(),
                path,
                acting_user=acting_user,
                dry_run=dry_run,
                progress=progress,
            )
        except ImportRejected as exc:
            if self.stderr.isatty():
                self.stderr.write("")
            for error in exc.errors:
                self.stderr.write(str(error))
            # The count goes to stdout so that stderr holds only the problem lines.
            self.stdout.write(f"{len(exc.errors)} problem(s): nothing was imported")
            sys.exit(EXIT_INVALID)
        if self.stderr.isatty():
            self.stderr.write("")
        self.stdout.write(result.summary())
