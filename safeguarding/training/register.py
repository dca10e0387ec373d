"""The training registers, declared once: core builds the figures page, its chart and
downloads, the e-learning import page, the worklist items and the annual-report chapter
from these. The sessions list, the programme's forms and the public pages are the
module's own (views.py)."""

from safeguarding.core.registers import Chart, Figures, Imports, KeyFigure, Register, register

from . import queries, reports
from .imports import ELearningImport
from .models import ELearningCompletion, Session

REGISTER = register(
    Register(
        slug="training",
        label="Multi-agency training",
        model=Session,
        figures=Figures(
            reports,
            charts=(Chart("confidence", reports.confidence_chart),),
            title="Training programme",
            label="Training figures",
            sheet="Training",
            year_field="starts_at",
            chapter_order=80,
            key=(
                KeyFigure("Places available", "places_available"),
                KeyFigure("Places used", "places_used", of="places_available"),
            ),
        ),
        worklist=queries.worklist,
    )
)

ELEARNING = register(
    Register(
        slug="elearning",
        label="E-learning completions",
        model=ELearningCompletion,
        namespace="training",
        imports=Imports(
            ELearningImport,
            title="Import e-learning completions",
            intro="A reference already imported is updated, not duplicated. Learners are "
            "matched to an agency by its exact name.",
        ),
        list_url="sessions",
    )
)
