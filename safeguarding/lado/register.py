"""The LADO register, declared once: core builds its list, search, import, report, charts,
downloads, worklist items and annual-report chapter from this."""

from safeguarding.core.registers import Chart, Column, Link, Register, register

from . import queries, reports
from .forms import FilterForm
from .imports import LadoImport
from .models import Case

REGISTER = register(
    Register(
        slug="lado",
        label="LADO allegations",
        short_label="LADO",
        module="lado",
        model=Case,
        records=queries.case_list,
        filter_form=FilterForm,
        search_label="Search by reference or the adult's name",
        list_title="LADO register",
        list_caption="LADO contacts and referrals",
        create_label="Record a contact",
        links=(
            Link("Figures", "report"),
            Link("Import a file", "import", action="import_records"),
            Link("Meeting types", "meeting_types", action="configure"),
        ),
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
        import_schema=LadoImport,
        import_title="Import LADO records",
        year_report=reports.year_report,
        report_context=reports.report_context,
        report_tables="lado/report_tables.html",
        report_title="Allegations against adults who work with children",
        report_caption="Local Authority Designated Officer",
        figures_label="LADO figures",
        year_field="contact_date",
        charts=(Chart("outcomes", reports.outcomes_chart),),
        worklist=lambda user, today: queries.resolution_worklist(user=user, today=today),
        chapter_title="Allegations against people who work with children (LADO)",
        chapter_order=60,
    )
)
