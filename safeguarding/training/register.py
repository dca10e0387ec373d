"""The training registers, declared once: core builds the figures page, its chart and
downloads, the e-learning import page, the worklist items and the annual-report chapter
from these. The sessions list, the programme's forms and the public pages are the
module's own (views.py)."""

from safeguarding.core.registers import Chart, Register, register

from . import queries, reports
from .imports import ELearningImport
from .models import Session

REGISTER = register(
    Register(
        slug="training",
        label="Multi-agency training",
        short_label="Training",
        module="training",
        model=Session,
        year_report=reports.year_report,
        report_context=reports.report_context,
        report_tables="training/report_tables.html",
        report_title="Training programme",
        report_caption="Multi-agency training",
        figures_label="Training figures",
        year_field="starts_at",
        charts=(Chart("confidence", reports.confidence_chart),),
        worklist=queries.worklist,
        chapter_title="Multi-agency training",
        chapter_order=80,
    )
)

ELEARNING = register(
    Register(
        slug="elearning",
        label="E-learning completions",
        module="training",
        namespace="training",  # its upload page is training:import
        import_schema=ELearningImport,
        import_title="Import e-learning completions",
        import_intro="A reference already imported is updated, not duplicated. Learners are "
        "matched to an agency by its exact name.",
        list_title="Training",
        list_url="sessions",
    )
)
