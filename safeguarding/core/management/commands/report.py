"""safeguarding report REGISTER --year 2016-17 --format json|csv|html."""

import csv
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from safeguarding.core import registers
from safeguarding.core.exports import safe_cell
from safeguarding.core.periods import FinancialYear


class Command(BaseCommand):
    help = "Print a register's figures for a financial year."

    def add_arguments(self, parser):
        parser.add_argument("register")
        parser.add_argument("--year", required=True, help="financial year, e.g. 2016-17")
        parser.add_argument("--format", default="json", choices=["json", "csv", "html"])

    def handle(self, register, year, format="json", **options):
        try:
            reg = registers.get(register)
        except KeyError as exc:
            raise CommandError(str(exc.args[0])) from None
        try:
            fy = FinancialYear.parse(year)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        figures = reg.year_report(fy)
        if format == "json":
            self.stdout.write(json.dumps(figures, indent=2))
        elif format == "csv":
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow(["figure", "value"])
            for name, value in registers.flatten(figures):
                writer.writerow([safe_cell(name), value])
        else:
            context = reg.report_context(fy)
            self.stdout.write(render_to_string(reg.report_template, context))
