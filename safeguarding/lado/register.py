"""The LADO register, declared once: core builds its list, search, import, report, charts,
downloads, worklist items and annual-report chapter from this."""

from safeguarding.core.registers import (
    Chart,
    Column,
    Figures,
    Imports,
    Link,
    Records,
    Register,
    register,
)

from . import queries, reports
from .forms import FilterForm
from .imports import LadoImport
from .models import Case

REGISTER = register(
    Register(
        slug="lado",
        label="LADO allegations",
        model=Case,
        records=Records(
            query=queries.case_list,
            title="LADO register",
            columns=(
                Column("Reference", "reference", link=True, nowrap=True),
                Column("Contact", "contact_date", nowrap=True),
                Column(
                    "Adult",
                    '{{ row.subject_name|default:"–" }}{% if row.subject_role %}<br>'
                    '<span class="govuk-body-s">{{ row.subject_role }}</span>{% endif %}',
                ),
                Column("Sector", "employer_sector"),
                Column("Decision", "{% if row.threshold_met %}Referral{% else %}Advice{% endif %}"),
                Column("First meeting", "first_meeting", nowrap=True),
                Column("Outcome", "outcome"),
                Column(
                    "Status",
                    '<strong class="govuk-tag{% if row.is_open %} govuk-tag--yellow'
                    '{% else %} govuk-tag--grey{% endif %}">{{ row.status_label }}</strong>',
                ),
            ),
            filters=FilterForm,
            search="Search by reference or the adult's name",
            caption="LADO contacts and referrals",
            create="Record a contact",
            links=(
                Link("Figures", "report"),
                Link("Import a file", "import", action="import_records"),
                Link("Meeting types", "meeting_types", action="configure"),
            ),
        ),
        imports=Imports(LadoImport, title="Import LADO records"),
        figures=Figures(
            reports,
            charts=(Chart("outcomes", reports.outcomes_chart),),
            title="Allegations against adults who work with children",
            caption="Local Authority Designated Officer",
            label="LADO figures",
            sheet="LADO",
            year_field="contact_date",
            chapter="Allegations against people who work with children (LADO)",
            chapter_order=60,
        ),
        worklist=lambda user, today: queries.resolution_worklist(user=user, today=today),
    )
)
