"""safeguarding report REGISTER --year 2016-17 | --period 2016-Q1 --format json|csv|html."""

import csv
import json

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from safeguarding.core import registers
from safeguarding.core.exports import safe_cell
from safeguarding.core.periods import FinancialYear


class Command(BaseCommand):
    help = "Print a register's figures for a financial year (or a period, where it has one)."

    def add_arguments(self, parser):
        parser.add_argument("register")
        parser.add_argument("--year", help="financial year, e.g. 2016-17")
        parser.add_argument("--period", help="a period such as 2016-Q1, 2016-04 or 2016-17")
        parser.add_argument("--format", default="json", choices=["json", "csv", "html"])

    def handle(self, register, year=None, period=None, format="json", **options):
        try:
            reg = registers.get(register)
        except KeyError as exc:
            raise CommandError(str(exc.args[0])) from None
        if reg.figures is None and reg.periods is None:
            raise CommandError(f"the {register} register has no report")
        if period is not None:
            if reg.periods is None:
                raise CommandError(f"the {register} register reports by --year, not --period")
            try:
                figures = reg.periods.report(period)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            context_arg = period
        else:
            if year is None:
                raise CommandError("give --year (e.g. --year 2016-17)")
            if reg.figures is None:
                raise CommandError(f"the {register} register reports by --period, not --year")
            try:
                context_arg = FinancialYear.parse(year)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            figures = reg.year_report(context_arg)
        if format == "json":
            self.stdout.write(json.dumps(figures, indent=2, default=str))
        elif format == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(["figure", "value"])
            for name, value in registers.flatten(figures):
                writer.writerow([safe_cell(name), value])
        elif period is not None:
            if not reg.periods.template or reg.periods.context is None:
                raise CommandError(f"the {register} register has no HTML report")
            self.stdout.write(render_to_string(reg.periods.template, reg.periods.context(period)))
        else:
            from safeguarding.core.register_views import report_html

            self.stdout.write(report_html(reg, context_arg))
