"""The child death register, declared once: core builds its list, search, import, report,
charts, downloads, worklist items and annual-report chapter from this."""

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
from .imports import ChildDeathImport
from .models import Death

REGISTER = register(
    Register(
        slug="child-deaths",
        label="Child death reviews",
        model=Death,
        records=Records(
            query=queries.death_list,
            title="Child death register",
            columns=(
                Column("Reference", "reference", link=True, nowrap=True),
                Column("Child", "child_name"),
                Column("Date of death", "date_of_death", nowrap=True),
                Column("Age", "age_band"),
                Column(
                    "Type",
                    "{% if row.expected %}Expected{% else %}Unexpected{% if row.jar_missing %}<br>"
                    '<strong class="govuk-tag govuk-tag--red">No joint agency response</strong>'
                    "{% endif %}{% endif %}",
                ),
                Column("Forms returned", "{{ row.forms_returned }} of {{ row.forms_asked }}"),
                Column(
                    "Panel review",
                    '{% if row.review_date %}{{ row.review_date|date:"j M Y" }}<br>'
                    '<span class="govuk-body-s">Category {{ row.category }}</span>'
                    '{% elif row.review_due < today %}<strong class="govuk-tag govuk-tag--red">'
                    "Overdue</strong>{% else %}"
                    '<strong class="govuk-tag govuk-tag--yellow">Awaiting review</strong>{% endif %}',
                ),
            ),
            filters=FilterForm,
            search="Search by reference, child's name or NHS number",
            caption="Child deaths notified",
            create="Notify a death",
            links=(
                Link("Agency reporting forms", "forms"),
                Link("Panel meeting", "panel", action="change_record"),
                Link("Figures", "report"),
                Link("Import a file", "import", action="import_records"),
            ),
        ),
        imports=Imports(ChildDeathImport, title="Import child death records"),
        figures=Figures(
            reports,
            charts=(
                Chart("age", reports.age_chart),
                Chart("ethnicity", reports.ethnicity_chart),
                Chart("category", reports.category_chart),
            ),
            title="Child death reviews",
            caption="Child Death Overview Panel",
            label="Child death figures",
            sheet="Child deaths",
            year_field="review_date",
            chapter="Child deaths (Child Death Overview Panel)",
            chapter_order=50,
            key=(
                KeyFigure("Deaths notified", "notified"),
                KeyFigure("Reviews completed by the panel", "reviewed"),
            ),
        ),
        worklist=lambda user, today: queries.worklist(user=user, today=today),
    )
)
