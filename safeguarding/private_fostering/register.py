"""The private fostering register, declared once: core builds its list, search, import,
report, chart, downloads, worklist items and annual-report chapter from this."""

from safeguarding.core.registers import Chart, Column, Link, Register, register

from . import queries, reports
from .forms import FilterForm
from .imports import PrivateFosteringImport
from .models import Notification

STATUS_TAG = (
    '<strong class="govuk-tag{% if row.status == "active" %} govuk-tag--green'
    '{% elif row.status == "proposed" or row.status == "to_confirm" %} govuk-tag--yellow'
    '{% else %} govuk-tag--grey{% endif %}">{{ row.get_status_display }}</strong>'
)

REGISTER = register(
    Register(
        slug="private-fostering",
        label="Private fostering",
        short_label="Private fostering",
        module="private_fostering",
        model=Notification,
        records=queries.notification_list,
        filter_form=FilterForm,
        search_label="Search by reference, child's name or carer's name",
        list_title="Private fostering register",
        list_caption="Private fostering notifications",
        create_label="Record a notification",
        links=(
            Link("Visits due", "worklist"),
            Link("Figures", "report"),
            Link("Import a file", "import", action="import_records"),
        ),
        columns=(
            Column("Reference", "reference", link=True, nowrap=True),
            Column(
                "Notified",
                '{{ row.notification_date|date:"j M Y" }}{% if row.late_notification %}<br>'
                '<strong class="govuk-tag govuk-tag--orange">Late</strong>{% endif %}',
            ),
            Column("Child", "child_name"),
            Column("Kind", "category"),
            Column("Decision", "decision"),
            Column(
                "Next visit due",
                "{% if row.next_visit_due and not row.arrangement_end_date %}"
                '{{ row.next_visit_due|date:"j M Y" }}{% if row.next_visit_due < today %} '
                '<strong class="govuk-tag govuk-tag--red">Overdue</strong>{% endif %}'
                "{% else %}–{% endif %}",
            ),
            Column("Status", STATUS_TAG),
        ),
        import_schema=PrivateFosteringImport,
        import_title="Import private fostering records",
        year_report=reports.year_report,
        report_context=reports.report_context,
        report_tables="private_fostering/report_tables.html",
        report_title="Private fostering",
        report_caption="Private fostering",
        figures_label="Private fostering figures",
        year_field="notification_date",
        charts=(Chart("kinds", reports.kinds_chart),),
        worklist=lambda user, today: queries.worklist(user=user, today=today),
        chapter_title="Private fostering",
        chapter_order=40,
    )
)
