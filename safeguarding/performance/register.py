"""The performance registers, declared once.

- ``performance``: the framework's figures, reported by period (2016-Q1, 2016-04, 2016-17),
  not by year: ``safeguarding report performance --period``. Core builds no report pages
  for it; the dashboard and the board pack are this module's own pages. Its worklist is
  the data returns waiting on someone.
- ``indicator-values``: the values import (``safeguarding import indicator-values``), on
  core's import page at ``performance:import``.
"""

from safeguarding.core.registers import Imports, Periods, Register, register

from . import queries, reports
from .imports import IndicatorValueImport
from .models import DataReturn, IndicatorValue

PERFORMANCE = register(
    Register(
        slug="performance",
        label="Performance framework",
        model=DataReturn,
        namespace="performance",
        periods=Periods(
            reports.period_report,
            template="performance/report_body.html",
            context=reports.period_context,
        ),
        worklist=lambda user, today: queries.return_worklist(user=user, today=today),
    )
)

VALUES = register(
    Register(
        slug="indicator-values",
        label="Indicator values",
        model=IndicatorValue,
        namespace="performance",
        imports=Imports(
            IndicatorValueImport,
            title="Import indicator values",
            intro="A value already entered for the same indicator, period and agency is "
            "corrected, and the old value stays in its history.",
        ),
    )
)
