"""Who holds access, and who looked at what.

- The access review page: every module role with since when, granted by whom and the
  holder's last sign-in, for administrators (every module) and managers (their modules),
  with the periodic reviews recorded there.
- The access log page: managers filter the log of views and exports of their modules'
  records by user, record and date, and download it. Looking at the log is logged.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.apps import apps
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from . import services
from .audit import record_access
from .exports import csv_response
from .forms import GdsFormMixin
from .models import AccessEvent, AccessReview, ModuleGrant, User
from .permissions import MODULES, grantable_modules, managed_modules, requires

STALE_SIGN_IN_DAYS = 90
LOG_PAGE = 50
LOG_EXPORT_MAX = 100_000


def _review_scope(user) -> list[str]:
    """The modules whose grants this user reviews: all for an administrator."""
    grantable = list(grantable_modules())
    if user.is_partnership_admin:
        return grantable
    managed = set(managed_modules(user))
    return [m for m in grantable if m in managed]


def _flags(grant: ModuleGrant, now) -> list[str]:
    person = grant.user
    flags = []
    if person.is_partnership_admin:
        flags.append("Administrator account holding a role")
    if not person.is_active:
        flags.append("Cannot sign in")
    if person.last_login is None:
        flags.append("Never signed in")
    elif person.last_login < now - dt.timedelta(days=STALE_SIGN_IN_DAYS):
        flags.append(f"Not signed in for {STALE_SIGN_IN_DAYS} days")
    return flags


class AccessReviewForm(GdsFormMixin, forms.Form):
    notes = forms.CharField(
        label="What you checked and changed (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@requires(None, "review_access", methods=("GET", "POST"))
def access_review(request):
    scope = _review_scope(request.user)
    grants = list(
        ModuleGrant.objects.filter(module__in=scope)
        .select_related("user__agency", "granted_by")
        .order_by("module", "-role", "user__full_name")
    )
    form = AccessReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.access_review_record(
            acting_user=request.user,
            modules=scope,
            grants=len(grants),
            notes=form.cleaned_data["notes"],
        )
        messages.success(request, "Access review recorded")
        return redirect("access_review")
    record_access(user=request.user, module="core", kind="list", detail="access review")
    now = timezone.now()
    for grant in grants:
        grant.flags = _flags(grant, now)
    return render(
        request,
        "core/access_review.html",
        {
            "grants": grants,
            "modules": [MODULES[m] for m in scope],
            "reviews": AccessReview.objects.select_related("reviewed_by")[:10],
            "form": form,
            "stale_days": STALE_SIGN_IN_DAYS,
        },
    )


def _record_types(modules: list[str]) -> list[tuple[str, str]]:
    """(label_lower, verbose name) of every model kept by these modules."""
    types = []
    for model in apps.get_models():
        if getattr(model, "MODULE", None) in modules:
            types.append((model._meta.label_lower, str(model._meta.verbose_name).capitalize()))
    return sorted(types, key=lambda t: t[1])


class AccessLogFilter(GdsFormMixin, forms.Form):
    user = forms.ModelChoiceField(
        label="User", required=False, queryset=User.objects.none(), empty_label="Anyone"
    )
    record_type = forms.ChoiceField(label="Kind of record", required=False)
    record_id = forms.CharField(label="Record number", required=False, max_length=64)
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    before = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, modules: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.order_by("full_name")
        self.fields["record_type"].choices = [("", "Any")] + _record_types(modules)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "'To' must be the same as or after 'From'")
        return data


def _log_rows(form: AccessLogFilter, modules: list[str]):
    rows = AccessEvent.objects.filter(module__in=modules)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("user"):
        rows = rows.filter(user=data["user"])
    if data.get("record_type"):
        rows = rows.filter(object_type=data["record_type"])
    if data.get("record_id"):
        rows = rows.filter(object_id=data["record_id"].strip())
    tz = timezone.get_current_timezone()
    if data.get("date_from"):
        rows = rows.filter(at__gte=dt.datetime.combine(data["date_from"], dt.time.min, tz))
    if data.get("date_to"):
        end = data["date_to"] + dt.timedelta(days=1)
        rows = rows.filter(at__lt=dt.datetime.combine(end, dt.time.min, tz))
    return rows.order_by("-seq"), data


def _log_scope(user) -> list[str]:
    # "core" rows (the access review and this log, being looked at) are every manager's.
    return [*managed_modules(user), "core"]


@requires(None, "read_access_log")
def access_log(request):
    modules = _log_scope(request.user)
    form = AccessLogFilter(request.GET or None, modules=modules)
    rows, data = _log_rows(form, modules)
    if data.get("before"):
        rows = rows.filter(seq__lt=data["before"])
    page = list(rows.select_related(None)[: LOG_PAGE + 1])
    more = len(page) > LOG_PAGE
    page = page[:LOG_PAGE]
    record_access(user=request.user, module="core", kind="list", detail="access log")
    labels = dict(_record_types(modules))
    for row in page:
        row.module_label = MODULES.get(row.module, "Administration")
        row.record_label = labels.get(row.object_type, row.object_type)
    query = request.GET.copy()
    query.pop("before", None)
    older = None
    if more:
        query["before"] = page[-1].seq
        older = query.urlencode()
        query.pop("before")
    return render(
        request,
        "core/access_log.html",
        {
            "form": form,
            "rows": page,
            "older": older,
            "querystring": query.urlencode(),
            "modules": [MODULES.get(m, "Administration") for m in modules],
        },
    )


@requires(None, "read_access_log")
def access_log_download(request):
    modules = _log_scope(request.user)
    form = AccessLogFilter(request.GET or None, modules=modules)
    rows, _data = _log_rows(form, modules)
    record_access(user=request.user, module="core", kind="export", detail="access log CSV")
    values = rows.values_list(
        "seq", "at", "user_label", "kind", "module", "object_type", "object_id", "detail"
    )[:LOG_EXPORT_MAX]
    return csv_response(
        "access-log.csv",
        ["number", "at", "user", "kind", "module", "record_type", "record_id", "detail"],
        (
            (seq, timezone.localtime(at).isoformat(), *rest)
            for seq, at, *rest in values.iterator(chunk_size=2000)
        ),
    )
