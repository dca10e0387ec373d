"""The LADO register, declared once: core builds its list, search, import, report, charts,
downloads, worklist items and annual-report chapter from this."""

from django.urls import reverse

from safeguarding.core import permissions
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
from .imports import LadoImport
from .models import Case


def _create_button(user) -> dict:
    """Officers record a contact (with its decision); a partner's contributor refers."""
    if permissions.has_change_permission(user, "lado"):
        return {}
    return {"create_url": None, "refer_url": reverse("lado:create")}


REGISTER = register(
    Register(
        slug="lado",
        label="LADO allegations",
        model=Case,
        records=Records(
            query=queries.case_list,
            title="LADO register",
            columns=(
                Column("Reference", "reference", link=True, nowrap=True),
                Column("Contact", "contact_date", nowrap=True),
                Column(
                    "Adult",
                    '{{ row.subject_name|default:"–" }}{% if row.subject_role %}<br>'
                    '<span class="govuk-body-s">{{ row.subject_role }}</span>{% endif %}',
                ),
                Column("Sector", "employer_sector"),
                Column("Decision", "decision_label"),
                Column("First meeting", "first_meeting", nowrap=True),
                Column("Outcome", "outcome"),
                # The status, and for an open case how long it has been open (since the
                # contact while it awaits the LADO's decision, since the referral date while
                # it is an open referral) and what is overdue: the decision, or the
                # resolution targets.
                Column(
                    "Status",
                    '<strong class="govuk-tag{% if row.awaiting_decision %} govuk-tag--blue'
                    '{% elif row.is_open %} govuk-tag--yellow{% else %} govuk-tag--grey{% endif %}">'
                    "{{ row.status_label }}</strong>"
                    '{% if row.open_since %}<br><span class="govuk-body-s">Open for '
                    "{{ row.age_now }}</span>{% with overdue=row.overdue_now %}{% if overdue %}"
                    '<br><strong class="govuk-tag govuk-tag--red">{{ overdue }}</strong>'
                    "{% endif %}{% endwith %}{% endif %}",
                ),
            ),
            filters=FilterForm,
            search="Search by reference or the adult's name",
            caption="LADO contacts and referrals",
            create="Record a contact",
            # A partner agency's contributor refers; the LADO records contacts.
            extra=lambda request: _create_button(request.user),
            template="lado/case_list.html",
            links=(
                Link("Figures", "report"),
                Link("Import a file", "import", action="import_records"),
                Link("Meeting types", "meeting_types", action="configure"),
            ),
        ),
        imports=Imports(LadoImport, title="Import LADO records"),
        figures=Figures(
            reports,
            charts=(Chart("outcomes", reports.outcomes_chart),),
            title="Allegations against adults who work with children",
            caption="Local Authority Designated Officer",
            label="LADO figures",
            sheet="LADO",
            year_field="contact_date",
            chapter="Allegations against people who work with children (LADO)",
            chapter_order=60,
            # What a board member sees first (home page, board pack).
            key=(
                KeyFigure("Contacts with the LADO", "contacts.total"),
                KeyFigure("Referrals: the harm test met", "referrals.total", of="contacts.total"),
                KeyFigure("Allegations substantiated", "substantiated.total", of="referrals.total"),
            ),
        ),
        worklist=queries.worklist,
    )
)
