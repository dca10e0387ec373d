"""The case reviews register, declared once: core builds its list, search, import, report,
chart, downloads, worklist items and annual-report chapter from this."""

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
from .imports import CaseReviewImport
from .models import Referral

REGISTER = register(
    Register(
        slug="case-reviews",
        label="Case reviews",
        model=Referral,
        records=Records(
            query=queries.referral_list,
            title="Case reviews",
            columns=(
                Column("Reference", "label", link=True),
                Column("Referred", "referral_date", nowrap=True),
                Column("Referring agency", "owning_agency.name"),
                Column("Decision", '{{ row.decision.name|default:"Not yet decided" }}'),
                Column("Published", "published_date", nowrap=True),
            ),
            filters=FilterForm,
            search="Search by reference, case name or child's last name",
            caption="Referrals to the case review panel, newest first",
            create="Refer a case",
            links=(
                Link("Due this week", "worklist", action="change_record"),
                Link("Chronology requests", "chronologies"),
                Link("Figures", "report"),
                Link("Import a file", "import", action="import_records"),
                Link("Review types and themes", "settings", action="configure"),
            ),
        ),
        imports=Imports(CaseReviewImport, title="Import case review referrals"),
        figures=Figures(
            reports,
            charts=(Chart("decisions", reports.decisions_chart),),
            title="Case reviews",
            caption="Case review panel",
            label="Case review figures",
            sheet="Case reviews",
            year_field="referral_date",
            chapter_order=30,
        ),
        worklist=lambda user, today: queries.clock_worklist(user=user, today=today),
    )
)
