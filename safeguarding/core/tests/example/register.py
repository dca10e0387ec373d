"""A small register declared in one place, as a new module would declare its own: the
partnership's directory of people who work with it, by the date they joined.

It has no model, views or templates of its own beyond its report's tables: the tests
(test_example_register.py) show that core builds its list, search, import, report, chart,
download, worklist items and annual-report chapter from this declaration alone."""

from __future__ import annotations

import datetime as dt
import sys

from django import forms
from django.db.models import Count, Q
from django.utils import timezone

from safeguarding.core.charts import bar_chart_svg
from safeguarding.core.imports import Column as ImportColumn
from safeguarding.core.imports import ImportSchema, date_value, text
from safeguarding.core.models import User
from safeguarding.core.periods import FinancialYear, year_choices
from safeguarding.core.permissions import scoped
from safeguarding.core.registers import (
    Chart,
    Column,
    Figures,
    Imports,
    Link,
    Records,
    Register,
    WorkItem,
)

MODULE = "example"


def people(*, user, search=None, year=None):
    found = scoped(user, MODULE, User.objects.select_related("agency"), agency_field="agency")
    if year is not None:
        found = found.filter(date_joined__date__range=(year.start, year.end))
    if search:
        found = found.filter(full_name__icontains=search)
    return found.order_by("full_name", "id")


class YearFilter(forms.Form):
    year = forms.ChoiceField(
        label="Financial year", required=False, choices=lambda: [("", "All")] + year_choices()
    )


class PeopleImport(ImportSchema):
    register = "example-people"
    key = "email"
    columns = [
        ImportColumn("email", text(100), required=True, help="work email"),
        ImportColumn("full_name", text(100), required=True),
        ImportColumn("joined", date_value, required=True),
    ]

    def save_batch(self, rows, *, acting_user):
        created = unchanged = 0
        for row in rows:
            joined = timezone.make_aware(dt.datetime.combine(row["joined"], dt.time(12)))
            _, made = User.objects.get_or_create(
                email=row["email"].lower(),
                defaults={
                    "full_name": row["full_name"],
                    "agency": acting_user.agency,
                    "date_joined": joined,
                },
            )
            created, unchanged = created + made, unchanged + (not made)
        return created, 0, unchanged


def year_report(year: FinancialYear) -> dict:
    joined = User.objects.filter(date_joined__date__range=(year.start, year.end))
    return joined.aggregate(
        total=Count("id"),
        **{
            q: Count("id", filter=Q(date_joined__date__range=(a, b))) for q, a, b in year.quarters()
        },
    )


def joined_chart(year: FinancialYear) -> str:
    this, before = year_report(year), year_report(year.previous())
    quarters = ["Q1", "Q2", "Q3", "Q4"]
    return bar_chart_svg(
        title=f"People joining, {year.label}",
        categories=quarters,
        series={
            year.label: [this[q] for q in quarters],
            str(year.previous()): [before[q] for q in quarters],
        },
    )


def never_signed_in(user, today: dt.date):
    for person in people(user=user).filter(last_login__isnull=True)[:20]:
        due = timezone.localdate(person.date_joined) + dt.timedelta(days=7)
        yield WorkItem(
            module=MODULE,
            label="Has not signed in yet",
            reference=f"person {person.pk}",
            url="/",
            due=due,
            overdue=due < today,
        )


REGISTER = Register(
    slug="example-people",
    label="People",
    model=User,
    module=MODULE,
    namespace="example",
    records=Records(
        query=people,
        title="People who work with the partnership",
        columns=(
            Column("Name", "full_name"),
            Column("Joined", "date_joined"),
            Column("Agency", "{{ row.agency.name|default:'–' }}"),
        ),
        filters=YearFilter,
        search="Search by name",
        links=(Link("Figures", "report"), Link("Import a file", "import", action="import_records")),
    ),
    imports=Imports(PeopleImport, title="Import people"),
    figures=Figures(
        sys.modules[__name__],  # this file is its own reports.py: year_report() is above
        title="People joining the partnership",
        year_field="date_joined",
        charts=(Chart("joined", joined_chart),),
        tables="example/report_tables.html",
        chapter="Our people",
        chapter_order=1,
    ),
    worklist=never_signed_in,
)
