"""The case reviews register, declared once: core builds its list, search, import, report,
chart, downloads, worklist items and annual-report chapter from this. Also what this module
adds to the shared child record (children.hooks): the referrals naming a child (a user sees
a child named by a referral they may see, and no other through this module), and the
referrals in the child's chronology."""

from django.urls import reverse
from django.utils.html import format_html

from safeguarding.children import hooks
from safeguarding.core.permissions import scoped
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
            key=(
                KeyFigure("Cases referred to the panel", "referrals"),
                KeyFigure("Reviews published", "published"),
            ),
        ),
        worklist=lambda user, today: queries.clock_worklist(user=user, today=today),
    )
)


# The children a referral names: its many-to-many table, read as the referral's scope
# (officers every referral, contributors their agency's referrals).
NAMED = Referral.children.through


def visible_namings(user):
    return scoped(user, "case_reviews", NAMED.objects.all(), agency_field="referral__owning_agency")


def events(child, user) -> list[hooks.Event]:
    """The referrals the user may see that name the child."""
    referrals = scoped(user, "case_reviews", Referral.objects.filter(children=child))
    return [
        hooks.Event(
            r.referral_date,
            "Referred for a case review",
            format_html(
                '<a class="govuk-link" href="{}">{}</a>',
                reverse("case_reviews:detail", args=[r.pk]),
                r.reference,
            ),
        )
        for r in referrals.order_by("referral_date", "id")
    ]


hooks.add_link(module="case_reviews", model=NAMED, child_field="child", visible=visible_namings)
hooks.add_timeline(events)
