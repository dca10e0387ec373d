"""The missing episodes register, declared once: core builds its list, search, import,
report, chart, downloads, worklist items and annual-report chapter from this. Also what
this module adds to the shared child record (children.hooks): the records that name a
child (so that a user sees the children of the records they may see), its merge check, its
part of the child's chronology and page, and the episode count of the children lists."""

from safeguarding.children import hooks
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

from . import child_record, queries, reports, services
from .forms import FilterForm
from .imports import MissingEpisodesImport
from .models import Episode, MetListEntry, Screening


def _report_extra(request, year) -> dict:
    """The MET chair (a manager) adds commentary beside the figures on the page."""
    return {"can_comment": permissions.has_permission(request.user, "configure", "missing")}


REGISTER = register(
    Register(
        slug="missing-episodes",
        label="Missing episodes",
        model=Episode,
        records=Records(
            query=queries.episode_list,
            title="Missing episodes",
            columns=(
                Column("Reference", "reference", link=True, nowrap=True),
                Column("Child", "child.display_name"),
                Column("Type", "episode_type"),
                Column("From", '{{ row.looked_after|yesno:"Care,Home" }}'),
                Column("Started", '{{ row.start|date:"j M Y H:i" }}', nowrap=True),
                Column(
                    "Returned",
                    '{% if row.end %}{{ row.end|date:"j M Y H:i" }}{% else %}<strong class="govuk-tag'
                    ' govuk-tag--red">Still missing</strong>{% endif %}',
                ),
                Column(
                    "Interview offered",
                    '{% if row.interview.offered_at %}{{ row.interview.offered_at|date:"j M Y H:i" }}'
                    "{% if row.interview.offered_in_time is False %} "
                    '<strong class="govuk-tag govuk-tag--red">Late</strong>{% endif %}'
                    "{% else %}–{% endif %}",
                ),
            ),
            filters=FilterForm,
            search="Search by episode or child reference, or the child's name",
            caption="Missing and absent episodes, newest first",
            create="Record an episode",
            links=(
                Link("Interviews to offer", "worklist"),
                Link("Children", "children:list"),
                Link("MET list", "met_list"),
                Link("MET meetings", "meetings", action="change_record"),
                Link("Import", "import", action="import_records"),
                Link("Figures", "report"),
            ),
        ),
        imports=Imports(
            MissingEpisodesImport,
            title="Import missing episodes",
            intro="An episode reference already recorded is updated, not duplicated. "
            "Times are UK local time.",
        ),
        figures=Figures(
            reports,
            charts=(Chart("episodes", reports.episodes_chart),),
            title="Missing and absent episodes",
            label="Missing episodes figures",
            sheet="Missing",
            year_field="start",
            extra=_report_extra,
            align_previous=reports.align_previous,
            chapter_order=70,
            key=(
                KeyFigure("Children reported missing", "children"),
                KeyFigure("Children missing repeatedly", "repeat_children", of="children"),
                KeyFigure(
                    "Return interviews offered within 72 hours",
                    "return_interviews.offered_within_72_hours",
                    of="return_interviews.missing_episodes",
                ),
            ),
        ),
        worklist=lambda user, today: queries.interview_worklist(user=user, today=today),
    )
)


def _visible(model):
    """The module's records of ``model`` that a user may see: officers all, contributors
    their agency's (an episode's reporting agency, a screening's assessor's, the MET lead
    agency)."""
    return lambda user: permissions.scoped(user, "missing", model._default_manager.all())


for _model in (Episode, Screening, MetListEntry):
    hooks.add_link(module="missing", model=_model, visible=_visible(_model))
hooks.add_merge_check(services.overlapping_episodes)
hooks.add_timeline(child_record.events)
hooks.add_summary(child_record.summary)
hooks.add_count("Episodes", "missing_episodes")
