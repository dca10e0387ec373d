"""Missing / exploited pages of its own: an episode and its interview, the interviews to
offer, screening and the MET list, MET meetings and their types, the figures' commentary.
The episode list, search, import, report, chart and downloads are core's, built from
register.py. Every view declares its permission; records outside scope answer 404."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from safeguarding.children.models import Child
from safeguarding.children.queries import can_see, child_get, kept_id
from safeguarding.core import permissions
from safeguarding.core.audit import history_for, record_access
from safeguarding.core.pages import config_views, form_page, object_or_404, versioned
from safeguarding.core.pagination import HistoryPaginator
from safeguarding.core.permissions import requires
from safeguarding.core.register_views import parse_year

from . import conf, queries, services
from .codes import INDICATORS
from .forms import (
    CommentaryForm,
    DiscussionForm,
    EpisodeForm,
    InterviewForm,
    MeetingForm,
    MeetingTypeForm,
    MetAddForm,
    MetRemoveForm,
    ScreeningForm,
)
from .models import Commentary, Episode, MetDiscussion, MetListEntry, MetMeeting
from .register import REGISTER
from .rules import LONDON, time_left

PAGE_SIZE = 50
# The services name the model's fields; the forms split date-times into date and time.
ALIASES = {"start": "start_date", "end": "end_date", "offered_at": "offered_date"}
INTERVIEW_RULE = (
    f"The interview should be offered within {conf.interview_hours()} hours of the return "
    "(statutory guidance: Children who run away or go missing from home or care, 2014)."
)


def _crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [*REGISTER.crumbs(), *more]


def _child_crumbs(child_pk: int) -> list[tuple[str, str]]:
    return [
        ("Children", reverse("children:list")),
        (f"Child record {child_pk}", reverse("children:detail", args=[child_pk])),
    ]


def _meeting_crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return _crumbs(("MET meetings", reverse("missing:meetings")), *more)


def _has_interview(episode: Episode) -> bool:
    try:
        episode.interview  # noqa: B018
    except Episode.interview.RelatedObjectDoesNotExist:
        return False
    return True


def _interview_offered_for(episode: Episode, interview) -> bool:
    """The return home interview follows the return from a missing episode (not an
    absence; one recorded anyway, e.g. by an import, can still be changed)."""
    return episode.end is not None and (episode.episode_type == "missing" or interview is not None)


def _initial_datetime(initial: dict, name: str, value) -> None:
    if value:
        local = timezone.localtime(value, LONDON)
        initial[f"{name}_date"] = local.date()
        initial[f"{name}_time"] = local.strftime("%H:%M")


# ---- episodes -------------------------------------------------------------------------


def _chosen_child(request) -> Child | None:
    """The child chosen for a new episode (``?child=<id>`` from "Add a child", then the
    form's hidden field): one the user may see, or 404 (like any record outside scope)."""
    raw = (request.POST if request.method == "POST" else request.GET).get("child", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    child = object_or_404(child_get, request, int(raw))
    if child.merged_into_id:
        child = object_or_404(child_get, request, kept_id(child))
    return child


@requires("missing", "add_record", methods=("GET", "POST"))
def episode_create(request):
    chosen = _chosen_child(request)
    form = EpisodeForm(request.POST or None, chosen=chosen)
    add_child = reverse("children:create") + "?" + urlencode({"next": reverse("missing:create")})
    return form_page(
        request,
        form,
        save=lambda data: services.episode_report(
            acting_user=request.user,
            child_reference="" if chosen else data["child_reference"],
            child_id=chosen.pk if chosen else None,
            **form.values(),
        ),
        success=lambda episode: f"Episode {episode.reference} recorded",
        redirect_to=REGISTER.detail_url,
        aliases=ALIASES,
        template="missing/episode_form.html",
        title="Record a missing episode",
        intro="Times are UK local time. Leave the return blank while the child is still missing.",
        button="Save episode",
        breadcrumbs=_crumbs(),
        chosen=chosen,
        add_child_url=add_child,
        choose_again_url=reverse("missing:create"),
    )


@requires("missing", "list_records", record=Episode)
def episode_detail(request, pk: int):
    episode = object_or_404(queries.episode_get, request, pk)
    record_access(user=request.user, module="missing", obj=episode)
    interview = episode.interview if _has_interview(episode) else None
    due = episode.episode_type == "missing" and not (interview and interview.offered_at)
    left = time_left(episode.end) if due else None
    return render(
        request,
        "missing/episode_detail.html",
        {
            "episode": episode,
            "interview": interview,
            "time_left": left,
            "overdue": left is not None and left.total_seconds() < 0,
            "history": history_for(episode),
            "can_change": permissions.has_change_permission(request.user, episode),
            "can_offer": _interview_offered_for(episode, interview),
            "can_see_child": can_see(request.user, episode.child),
        },
    )


@requires("missing", "change_record", methods=("GET", "POST"), record=Episode)
def episode_edit(request, pk: int):
    episode = object_or_404(queries.episode_get, request, pk)
    initial = {
        "version": episode.version,
        "looked_after": "yes" if episode.looked_after else "no",
        "episode_type": episode.episode_type,
        "where_found": episode.where_found,
        "police_reference": episode.police_reference,
        "risk_level": episode.risk_level,
    }
    _initial_datetime(initial, "start", episode.start)
    _initial_datetime(initial, "end", episode.end)
    form = EpisodeForm(request.POST or None, initial=initial, with_child=False)
    return form_page(
        request,
        form,
        save=versioned(
            services.episode_update, request, values_of=lambda _data: form.values(), episode=episode
        ),
        success=f"Episode {episode.reference} updated",
        redirect_to=REGISTER.detail_url,
        aliases=ALIASES,
        title=f"Change episode {episode.reference}",
        intro="Times are UK local time. Leave the return blank while the child is still missing.",
        button="Save episode",
        breadcrumbs=REGISTER.crumbs(episode),
    )


DISCLOSED = ("disclosed_sexual_exploitation", "disclosed_criminal_exploitation", "disclosed_harm")


@requires("missing", "change_record", methods=("GET", "POST"), record=Episode)
def interview_edit(request, pk: int):
    episode = object_or_404(queries.episode_get, request, pk)
    interview = episode.interview if _has_interview(episode) else None
    if not _interview_offered_for(episode, interview):
        raise Http404
    initial = {"version": episode.version}
    if interview:
        _initial_datetime(initial, "offered", interview.offered_at)
        initial.update(
            offered_by=interview.offered_by,
            response=interview.response,
            completed_on=interview.completed_on,
            disclosures=interview.disclosures,
            follow_up_actions=interview.follow_up_actions,
            disclosed=[name for name in DISCLOSED if getattr(interview, name)],
        )
    form = InterviewForm(request.POST or None, initial=initial)
    returned = date_format(timezone.localtime(episode.end, LONDON), r"j F Y \a\t H:i")
    return form_page(
        request,
        form,
        save=versioned(
            services.interview_save, request, values_of=lambda _data: form.values(), episode=episode
        ),
        success=f"Return home interview saved for {episode.reference}",
        redirect_to=REGISTER.detail_url(episode),
        aliases=ALIASES,
        title=f"Return home interview: {episode.reference}",
        intro=f"The child returned on {returned}. {INTERVIEW_RULE}",
        button="Save interview",
        breadcrumbs=REGISTER.crumbs(episode),
    )


@requires("missing", "list_records")
def worklist(request):
    now = timezone.now()
    # The 72-hour return home interview follows a missing episode (domain.md), not an
    # absence: without this, years of absences swamped the episodes really waiting.
    waiting = HistoryPaginator(
        queries.interviews_waiting(user=request.user, now=now), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = []
    for episode in waiting:
        left = time_left(episode.end, now)
        minutes = max(0, int(left.total_seconds() // 60))
        rows.append(
            {
                "episode": episode,
                "overdue": left.total_seconds() < 0,
                "hours": minutes // 60,
                "minutes": minutes % 60,
            }
        )
    record_access(user=request.user, module="missing", kind="list", detail="interview worklist")
    return render(
        request,
        "missing/worklist.html",
        {
            "page_obj": waiting,
            "rows": rows,
            "still_missing": queries.still_missing(user=request.user)[:100],
            "querystring": "",
            "rule": INTERVIEW_RULE,
            "window_days": queries.WORKLIST_OVERDUE_DAYS,
        },
    )


# ---- screening and the MET list -------------------------------------------------------


@requires("missing", "add_record", methods=("GET", "POST"), record=Child)
def screening_create(request, child_pk: int):
    child = object_or_404(child_get, request, child_pk)
    return form_page(
        request,
        ScreeningForm(request.POST or None),
        save=lambda data: services.screening_add(acting_user=request.user, child=child, **data),
        success="Screening recorded",
        redirect_to=reverse("children:detail", args=[child.pk]),
        title="Record an exploitation screening",
        button="Save screening",
        breadcrumbs=_child_crumbs(child.pk),
    )


@requires("missing", "list_records")
def met_list(request):
    current = request.GET.get("show") != "left"
    page = HistoryPaginator(
        queries.met_list(user=request.user, current=current), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    record_access(user=request.user, module="missing", kind="list", detail="MET list")
    return render(
        request,
        "missing/met_list.html",
        {
            "page_obj": page,
            "current": current,
            "querystring": "" if current else "show=left&",
            "can_change": permissions.has_change_permission(request.user, "missing"),
        },
    )


@requires("missing", "change_record", methods=("GET", "POST"), record=Child)
def met_add(request, child_pk: int):
    child = object_or_404(child_get, request, child_pk)
    return form_page(
        request,
        MetAddForm(request.POST or None, initial={"added_on": timezone.localdate()}),
        save=lambda data: services.met_add(acting_user=request.user, child=child, **data),
        success="Added to the MET list",
        redirect_to=reverse("children:detail", args=[child.pk]),
        title="Add to the MET list",
        intro="The child will be on the agenda of every MET meeting while on the list.",
        button="Add to the list",
        breadcrumbs=_child_crumbs(child.pk),
    )


@requires("missing", "change_record", methods=("GET", "POST"), record=MetListEntry)
def met_remove(request, pk: int):
    entry = get_object_or_404(
        MetListEntry.objects.select_related("child"), pk=pk, left_on__isnull=True
    )
    form = MetRemoveForm(
        request.POST or None,
        initial={
            "left_on": timezone.localdate(),
            "version": entry.version,
        },
    )
    return form_page(
        request,
        form,
        save=versioned(services.met_remove, request, entry=entry),
        success="Removed from the MET list",
        redirect_to=reverse("children:detail", args=[entry.child_id]),
        title="Remove from the MET list",
        intro=f"On the list since {date_format(entry.added_on, 'j F Y')}.",
        button="Remove from the list",
        breadcrumbs=_child_crumbs(entry.child_id),
    )


# ---- MET meetings ---------------------------------------------------------------------


@requires("missing", "change_record")
def meeting_list(request):
    page = HistoryPaginator(queries.meeting_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "missing/meeting_list.html",
        {
            "page_obj": page,
            "querystring": "",
            "can_configure": permissions.has_permission(request.user, "configure", "missing"),
        },
    )


@requires("missing", "change_record", methods=("GET", "POST"))
def meeting_create(request):
    return form_page(
        request,
        MeetingForm(request.POST or None, initial={"date": timezone.localdate()}),
        save=lambda data: services.meeting_create(acting_user=request.user, **data),
        success=lambda meeting: (
            f"{meeting} recorded: the agenda lists the children on the MET list"
        ),
        redirect_to=lambda meeting: reverse("missing:meeting_detail", args=[meeting.pk]),
        title="Record a MET meeting",
        intro="The agenda is drawn from the children on the MET list on the date of the meeting.",
        button="Save meeting",
        breadcrumbs=_meeting_crumbs(),
    )


@requires("missing", "change_record", record=MetMeeting)
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(
        MetMeeting.objects.select_related("meeting_type").prefetch_related("agencies"), pk=pk
    )
    items = meeting.discussions.select_related("entry__child", "entry__owning_agency")
    record_access(user=request.user, module="missing", obj=meeting)
    return render(request, "missing/meeting_detail.html", {"meeting": meeting, "items": items})


@requires("missing", "change_record", methods=("GET", "POST"), record=MetDiscussion)
def discussion_edit(request, pk: int):
    item = get_object_or_404(
        MetDiscussion.objects.select_related("meeting__meeting_type", "entry__child"), pk=pk
    )
    form = DiscussionForm(
        request.POST or None,
        initial={"risk_level": "", "decisions": item.decisions, "actions": item.actions},
    )
    return form_page(
        request,
        form,
        save=lambda data: services.discussion_update(
            acting_user=request.user, discussion=item, **data
        ),
        success="Decisions and actions saved",
        redirect_to=reverse("missing:meeting_detail", args=[item.meeting_id]),
        title=f"Decisions for child record {item.entry.child_id}",
        intro=f"{item.meeting}. Current risk level: {item.entry.get_risk_level_display()}.",
        button="Save decisions",
        breadcrumbs=_meeting_crumbs(
            (str(item.meeting), reverse("missing:meeting_detail", args=[item.meeting_id]))
        ),
    )


meeting_types, meeting_type_edit = config_views(
    module="missing",
    form_class=MeetingTypeForm,
    service=services.meeting_type_save,
    name="meeting_type",
    list_name="meeting_types",
    list_template="missing/meeting_types.html",
    new="Add a MET meeting type",
    success="Meeting type saved",
    crumbs=_meeting_crumbs,
)


# ---- the figures' commentary (the report page itself is core's) ------------------------

COMMENTARY_TOPICS = dict(INDICATORS) | {
    "total": "All episodes",
    "return_interviews": "Return home interviews",
    "children": "Children and repeat missing",
}


@requires("missing", "configure", methods=("GET", "POST"))
def commentary_edit(request, year: str, indicator: str):
    fy = parse_year(year)
    if indicator not in COMMENTARY_TOPICS:
        raise Http404
    item = Commentary.objects.filter(start_year=fy.start_year, indicator=indicator).first()
    form = CommentaryForm(request.POST or None, initial={"text": item.text if item else ""})
    report_url = reverse("missing:report") + f"?year={fy.label}"
    return form_page(
        request,
        form,
        save=lambda data: services.commentary_save(
            acting_user=request.user, year=fy, indicator=indicator, text=data["text"]
        ),
        success="Commentary saved",
        redirect_to=report_url,
        title=f"Commentary: {COMMENTARY_TOPICS[indicator]}, {fy}",
        intro=f"The MET chair's analysis shown beside this indicator in the {fy} dataset.",
        button="Save commentary",
        breadcrumbs=_crumbs((f"Figures {fy}", report_url)),
    )
