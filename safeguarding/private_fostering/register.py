"""The private fostering register, declared once: core builds its list, search, import,
report, chart, downloads, worklist items and annual-report chapter from this."""

from safeguarding.core.registers import (
    Chart,
    Column,
    Figures,
    Imports,
    KeyFigure,
    Link,
    Records,
    Register,
    register,
)

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
        model=Notification,
        records=Records(
            query=queries.notification_list,
            title="Private fostering register",
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
            filters=FilterForm,
            search="Search by reference, child's name or carer's name",
            caption="Private fostering notifications",
            create="Record a notification",
            links=(
                Link("Visits due", "worklist"),
                Link("Figures", "report"),
                Link("Import a file", "import", action="import_records"),
            ),
        ),
        imports=Imports(PrivateFosteringImport, title="Import private fostering records"),
        figures=Figures(
            reports,
            charts=(Chart("kinds", reports.kinds_chart),),
            title="Private fostering",
            label="Private fostering figures",
            sheet="Private fostering",
            year_field="notification_date",
            chapter_order=40,
            key=(
                KeyFigure("Notifications", "notifications"),
                KeyFigure("Arrangements at the year end", "active_at_year_end"),
                KeyFigure("Visits on time", "visits.on_time", of="visits.due"),
            ),
        ),
        worklist=lambda user, today: queries.worklist(user=user, today=today),
    )
)
