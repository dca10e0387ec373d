"""Missing / exploited pages. Every view declares its permission; records outside scope 404."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from safeguarding.children.models import Child
from safeguarding.children.queries import child_get
from safeguarding.core import permissions
from safeguarding.core.audit import history_for, record_access
from safeguarding.core.charts import bar_chart_svg
from safeguarding.core.exports import csv_response, xlsx_response
from safeguarding.core.imports import ImportRejected, run_import
from safeguarding.core.periods import MONTH_NAMES, FinancialYear
from safeguarding.core.permissions import requires
from safeguarding.core.registers import flatten

from . import queries, reports, services
from .codes import INDICATORS
from .forms import (
    CommentaryForm,
    DiscussionForm,
    EpisodeForm,
    FilterForm,
    ImportForm,
    InterviewForm,
    MeetingForm,
    MeetingTypeForm,
    MetAddForm,
    MetRemoveForm,
    ScreeningForm,
    SearchForm,
)
from .imports import MissingEpisodesImport
from .models import Commentary, Episode, MetDiscussion, MetListEntry, MetMeeting, MetMeetingType
from .rules import LONDON, time_left

PAGE_SIZE = 50
SEARCH_KEY = "missing_search"  # search text lives in the session, never in the URL


def _episode_or_404(request, pk: int) -> Episode:
    try:
        return queries.episode_get(user=request.user, pk=pk)
    except Episode.DoesNotExist:
        raise Http404 from None


def _child_or_404(request, pk: int) -> Child:
    try:
        return child_get(user=request.user, pk=pk)
    except Child.DoesNotExist:
        raise Http404 from None


def _form_problems(form, problems) -> None:
    aliases = {"start": "start_date", "end": "end_date", "offered_at": "offered_date"}
    for field, message in problems:
        field = aliases.get(field, field)
        form.add_error(field if field in form.fields else None, message)


# ---- episodes -------------------------------------------------------------------------


@requires("missing", "list_records", methods=("GET", "POST"))
def episode_list(request):
    if request.method == "POST":
        search = SearchForm(request.POST)
        request.session[SEARCH_KEY] = (
            search.data.get("q", "").strip()[:100] if search.is_valid() else ""
        )
        return redirect(
            reverse("missing:list") + ("?" + request.GET.urlencode() if request.GET else "")
        )
    filters = FilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    search = request.session.get(SEARCH_KEY, "")
    episodes = queries.episode_list(
        user=request.user,
        year=FinancialYear.parse(values["year"]) if values.get("year") else None,
        episode_type=values.get("episode_type") or None,
        status=values.get("status") or None,
        search=search or None,
    )
    page = Paginator(episodes, PAGE_SIZE).get_page(request.GET.get("page"))
    record_access(
        user=request.user,
        module="missing",
        kind="list",
        detail=f"episodes page {page.number}" + (" (search)" if search else ""),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "missing/episode_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "search": SearchForm(initial={"q": search}),
            "searching": bool(search),
            "querystring": query.urlencode() + "&" if query else "",
            "can_add": permissions.has_add_permission(request.user, "missing"),
            "can_import": permissions.has_permission(request.user, "import_records", "missing"),
            "can_change": permissions.has_change_permission(request.user, "missing"),
        },
    )


@requires("missing", "list_records", methods=("POST",))
def search_clear(request):
    request.session.pop(SEARCH_KEY, None)
    return redirect("missing:list")


@requires("missing", "add_record", methods=("GET", "POST"))
def episode_create(request):
    form = EpisodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child = services.child_for_reference(
                acting_user=request.user,
                reference=form.cleaned_data["child_reference"],
                looked_after=form.cleaned_data["looked_after"],
            )
            episode = services.episode_create(
                acting_user=request.user, child=child, **form.values()
            )
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, f"Episode {episode.reference} recorded")
            return redirect("missing:detail", pk=episode.pk)
    return render(request, "missing/episode_form.html", {"form": form, "episode": None})


@requires("missing", "list_records")
def episode_detail(request, pk: int):
    episode = _episode_or_404(request, pk)
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
            "can_see_child": permissions.has_permission(request.user, "view_record", episode.child),
        },
    )


def _initial_datetime(initial: dict, name: str, value) -> None:
    if value:
        local = timezone.localtime(value, LONDON)
        initial[f"{name}_date"] = local.date()
        initial[f"{name}_time"] = local.strftime("%H:%M")


@requires("missing", "change_record", methods=("GET", "POST"))
def episode_edit(request, pk: int):
    episode = _episode_or_404(request, pk)
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
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_update(
                acting_user=request.user,
                episode=episode,
                expected_version=form.cleaned_data.get("version"),
                **form.values(),
            )
        except services.StaleRecord as exc:
            form.add_error(None, str(exc))
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, f"Episode {episode.reference} updated")
            return redirect("missing:detail", pk=episode.pk)
    return render(request, "missing/episode_form.html", {"form": form, "episode": episode})


@requires("missing", "change_record", methods=("GET", "POST"))
def interview_edit(request, pk: int):
    episode = _episode_or_404(request, pk)
    if episode.end is None:
        raise Http404
    interview = episode.interview if _has_interview(episode) else None
    initial = {"version": episode.version}
    if interview:
        _initial_datetime(initial, "offered", interview.offered_at)
        initial.update(
            offered_by=interview.offered_by,
            response=interview.response,
            completed_on=interview.completed_on,
            disclosures=interview.disclosures,
            follow_up_actions=interview.follow_up_actions,
            disclosed=[
                name
                for name in (
                    "disclosed_sexual_exploitation",
                    "disclosed_criminal_exploitation",
                    "disclosed_harm",
                )
                if getattr(interview, name)
            ],
        )
    form = InterviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.interview_save(
                acting_user=request.user,
                episode=episode,
                expected_version=form.cleaned_data.get("version"),
                **form.values(),
            )
        except services.StaleRecord as exc:
            form.add_error(None, str(exc))
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, f"Return home interview saved for {episode.reference}")
            return redirect("missing:detail", pk=episode.pk)
    return render(request, "missing/interview_form.html", {"form": form, "episode": episode})


def _has_interview(episode: Episode) -> bool:
    try:
        episode.interview  # noqa: B018
    except Episode.interview.RelatedObjectDoesNotExist:
        return False
    return True


@requires("missing", "list_records")
def worklist(request):
    now = timezone.now()
    # The 72-hour return home interview follows a missing episode (domain.md), not an
    # absence: without this, years of absences swamped the episodes really waiting.
    waiting = Paginator(
        queries.awaiting_offer(user=request.user).filter(episode_type="missing"), PAGE_SIZE
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
        },
    )


# ---- screening and the MET list -------------------------------------------------------


@requires("missing", "add_record", methods=("GET", "POST"))
def screening_create(request, child_pk: int):
    child = _child_or_404(request, child_pk)
    form = ScreeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.screening_add(acting_user=request.user, child=child, **form.cleaned_data)
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, "Screening recorded")
            return redirect("children:detail", pk=child.pk)
    return render(request, "missing/screening_form.html", {"form": form, "child": child})


@requires("missing", "list_records")
def met_list(request):
    current = request.GET.get("show") != "left"
    page = Paginator(queries.met_list(user=request.user, current=current), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
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


@requires("missing", "change_record", methods=("GET", "POST"))
def met_add(request, child_pk: int):
    child = _child_or_404(request, child_pk)
    form = MetAddForm(request.POST or None, initial={"added_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.met_add(acting_user=request.user, child=child, **form.cleaned_data)
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, "Added to the MET list")
            return redirect("children:detail", pk=child.pk)
    return render(request, "missing/met_add.html", {"form": form, "child": child})


@requires("missing", "change_record", methods=("GET", "POST"))
def met_remove(request, pk: int):
    entry = get_object_or_404(
        MetListEntry.objects.select_related("child"), pk=pk, left_on__isnull=True
    )
    form = MetRemoveForm(
        request.POST or None,
        initial={"left_on": timezone.localdate(), "version": entry.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.met_remove(
                acting_user=request.user,
                entry=entry,
                left_on=form.cleaned_data["left_on"],
                leaving_reason=form.cleaned_data["leaving_reason"],
                expected_version=form.cleaned_data.get("version"),
            )
        except services.StaleRecord as exc:
            form.add_error(None, str(exc))
        except services.RecordInvalid as exc:
            _form_problems(form, exc.problems)
        else:
            messages.success(request, "Removed from the MET list")
            return redirect("children:detail", pk=entry.child_id)
    return render(request, "missing/met_remove.html", {"form": form, "entry": entry})


# ---- MET meetings ---------------------------------------------------------------------


@requires("missing", "change_record")
def meeting_list(request):
    page = Paginator(queries.meeting_list(), PAGE_SIZE).get_page(request.GET.get("page"))
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
    form = MeetingForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_create(acting_user=request.user, **form.cleaned_data)
        messages.success(
            request, f"{meeting} recorded: the agenda lists the children on the MET list"
        )
        return redirect("missing:meeting_detail", pk=meeting.pk)
    return render(request, "missing/meeting_form.html", {"form": form})


@requires("missing", "change_record")
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(
        MetMeeting.objects.select_related("meeting_type").prefetch_related("agencies"), pk=pk
    )
    items = meeting.discussions.select_related("entry__child", "entry__owning_agency")
    record_access(user=request.user, module="missing", obj=meeting)
    return render(request, "missing/meeting_detail.html", {"meeting": meeting, "items": items})


@requires("missing", "change_record", methods=("GET", "POST"))
def discussion_edit(request, pk: int):
    item = get_object_or_404(
        MetDiscussion.objects.select_related("meeting__meeting_type", "entry__child"), pk=pk
    )
    form = DiscussionForm(
        request.POST or None,
        initial={"risk_level": "", "decisions": item.decisions, "actions": item.actions},
    )
    if request.method == "POST" and form.is_valid():
        services.discussion_update(acting_user=request.user, discussion=item, **form.cleaned_data)
        messages.success(request, "Decisions and actions saved")
        return redirect("missing:meeting_detail", pk=item.meeting_id)
    return render(request, "missing/discussion_form.html", {"form": form, "item": item})


@requires("missing", "configure")
def meeting_types(request):
    return render(request, "missing/meeting_types.html", {"types": MetMeetingType.objects.all()})


@requires("missing", "configure", methods=("GET", "POST"))
def meeting_type_edit(request, pk: int | None = None):
    meeting_type = get_object_or_404(MetMeetingType, pk=pk) if pk else None
    form = MeetingTypeForm(request.POST or None, instance=meeting_type)
    if request.method == "POST" and form.is_valid():
        services.meeting_type_save(
            acting_user=request.user, meeting_type=meeting_type, **form.cleaned_data
        )
        messages.success(request, "Meeting type saved")
        return redirect("missing:meeting_types")
    return render(
        request, "missing/meeting_type_form.html", {"form": form, "meeting_type": meeting_type}
    )


# ---- import ---------------------------------------------------------------------------


@requires("missing", "import_records", methods=("GET", "POST"))
def episode_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "columns": MissingEpisodesImport.columns}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            form.add_error(
                "file",
                f"The file is larger than {settings.IMPORT_MAX_UPLOAD_BYTES // 1_000_000} MB",
            )
        else:
            suffix = Path(upload.name).suffix.lower()
            with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
                handle.flush()
                try:
                    result = run_import(
                        MissingEpisodesImport(),
                        handle.name,
                        acting_user=request.user,
                        dry_run=form.cleaned_data["dry_run"],
                    )
                except ImportRejected as exc:
                    context["import_errors"] = [str(e) for e in exc.errors[:200]]
                    context["import_errors_more"] = max(0, len(exc.errors) - 200)
                else:
                    messages.success(request, result.summary())
                    return redirect("missing:import")
    return render(request, "missing/import.html", context)


# ---- figures --------------------------------------------------------------------------


def _year(request) -> FinancialYear:
    text = request.GET.get("year")
    if text:
        try:
            return FinancialYear.parse(text)
        except ValueError:
            raise Http404 from None
    current = FinancialYear.current()
    start, _end = reports.year_bounds(current)
    latest = (
        Episode.objects.filter(start__lt=start).order_by("-start").values_list("start", flat=True)
    ).first()
    return FinancialYear.containing(timezone.localdate(latest, LONDON)) if latest else current


def _parse_year(text: str) -> FinancialYear:
    try:
        return FinancialYear.parse(text)
    except ValueError:
        raise Http404 from None


def _rows(report: dict) -> list[dict]:
    rows = []
    for code, label in INDICATORS:
        values = [report["by_month"][m][code] for m in report["by_month"]]
        rows.append({"code": code, "label": label, "values": values, "total": sum(values)})
    totals = reports.month_totals(report)
    rows.append({"code": "total", "label": "All episodes", "values": totals, "total": sum(totals)})
    return rows


def report_context(year: FinancialYear) -> dict:
    """What the report page, the HTML export and the annual report show."""
    report = reports.year_report(year)
    previous = reports.year_report(year.previous())
    notes = dict(
        Commentary.objects.filter(start_year=year.start_year).values_list("indicator", "text")
    )
    rows = _rows(report)
    before = {row["code"]: row for row in _rows(previous)}
    for row in rows:
        row["previous"] = before[row["code"]]["total"]
        row["commentary"] = notes.get(row["code"], "")
    month_labels = [
        f"{name} {str(year.start_year + (1 if i >= 9 else 0))[2:]}"
        for i, name in enumerate(MONTH_NAMES)
    ]
    interviews = report["return_interviews"]
    return {
        "year": year,
        "previous_year": year.previous(),
        "report": report,
        "previous": previous,
        "rows": rows,
        "months": month_labels,
        "month_rows": list(
            zip(month_labels, rows[-1]["values"], before["total"]["values"], strict=True)
        ),
        "interview_share": interviews,
        "interview_note": notes.get("return_interviews", ""),
        "children_note": notes.get("children", ""),
    }


@requires("missing", "view_figures")
def report(request):
    year = _year(request)
    context = report_context(year)
    context["years"] = [
        FinancialYear(y) for y in range(year.start_year + 1, year.start_year - 8, -1)
    ]
    context["can_comment"] = permissions.has_permission(request.user, "configure", "missing")
    return render(request, "missing/report.html", context)


@requires("missing", "view_figures")
def report_chart(request, year: str):
    fy = _parse_year(year)
    this = reports.month_totals(reports.year_report(fy))
    before = reports.month_totals(reports.year_report(fy.previous()))
    svg = bar_chart_svg(
        title=f"Missing and absent episodes by month, {fy.label} and {fy.previous().label}",
        categories=MONTH_NAMES,
        series={fy.label: this, fy.previous().label: before},
        ylabel="Episodes",
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


@requires("missing", "view_figures")
def report_download(request, year: str, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    fy = _parse_year(year)
    this = flatten(reports.year_report(fy))
    earlier = reports.year_report(fy.previous())
    # Months of the previous year sit beside the same months of this year.
    earlier["by_month"] = {
        f"{int(key[:4]) + 1}{key[4:]}": value for key, value in earlier["by_month"].items()
    }
    before = dict(flatten(earlier))
    header = ["figure", fy.label, fy.previous().label]
    rows = [(name, value, before.get(name)) for name, value in this]
    filename = f"missing-episodes-{fy.label}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, header, rows)
    return xlsx_response(filename, {f"Missing {fy.label}": (header, rows)})


COMMENTARY_TOPICS = dict(INDICATORS) | {
    "total": "All episodes",
    "return_interviews": "Return home interviews",
    "children": "Children and repeat missing",
}


@requires("missing", "configure", methods=("GET", "POST"))
def commentary_edit(request, year: str, indicator: str):
    fy = _parse_year(year)
    if indicator not in COMMENTARY_TOPICS:
        raise Http404
    item = Commentary.objects.filter(start_year=fy.start_year, indicator=indicator).first()
    form = CommentaryForm(request.POST or None, initial={"text": item.text if item else ""})
    if request.method == "POST" and form.is_valid():
        services.commentary_save(
            acting_user=request.user, year=fy, indicator=indicator, text=form.cleaned_data["text"]
        )
        messages.success(request, "Commentary saved")
        return redirect(reverse("missing:report") + f"?year={fy.label}")
    return render(
        request,
        "missing/commentary_form.html",
        {"form": form, "year": fy, "topic": COMMENTARY_TOPICS[indicator]},
    )
