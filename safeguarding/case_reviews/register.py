"""The case reviews register, declared once: core builds its list, search, import, report,
chart, downloads, worklist items and annual-report chapter from this."""

from safeguarding.core.registers import Chart, Column, Link, Register, register

from . import queries, reports
from .forms import FilterForm
from .imports import CaseReviewImport
from .models import Referral

REGISTER = register(
    Register(
        slug="case-reviews",
        label="Case reviews",
        short_label="Case reviews",
        module="case_reviews",
        model=Referral,
        records=queries.referral_list,
        filter_form=FilterForm,
        search_label="Search by reference, case name or child's last name",
        list_title="Case reviews",
        list_caption="Referrals to the case review panel, newest first",
        create_label="Refer a case",
        links=(
            Link("Due this week", "worklist", action="change_record"),
            Link("Chronology requests", "chronologies"),
            Link("Figures", "report"),
            Link("Import a file", "import", action="import_records"),
            Link("Review types and themes", "settings", action="configure"),
        ),
        columns=(
            Column("Reference", "label", link=True),
            Column("Referred", "referral_date", nowrap=True),
            Column("Referring agency", "owning_agency.name"),
            Column("Decision", '{{ row.decision.name|default:"Not yet decided" }}'),
            Column("Published", "published_date", nowrap=True),
        ),
        import_schema=CaseReviewImport,
        import_title="Import case review referrals",
        year_report=reports.year_report,
        report_context=reports.report_context,
        report_tables="case_reviews/report_tables.html",
        report_title="Case reviews",
        report_caption="Case review panel",
        figures_label="Case review figures",
        year_field="referral_date",
        charts=(Chart("decisions", reports.decisions_chart),),
        worklist=lambda user, today: queries.clock_worklist(user=user, today=today),
        chapter_title="Case reviews",
        chapter_order=30,
    )
)
