"""Platform pages: home, sign-in, partnership administration."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from . import home as home_page
from . import permissions, services, throttle
from .audit import history_for, record_access
from .forms import AgencyForm, PasswordResetForm, SetPasswordForm, SignInForm, UserForm
from .models import Agency, User
from .pages import form_page, split_version
from .permissions import public, requires, signed_in
from .writes import RecordInvalid


@signed_in()
def home(request):
    """Each person's first page: what is due or overdue for them across registers, nearest
    deadline first, with a count per register; the key figures of what they only read."""
    items, counts = home_page.my_work(request.user)
    if items:  # the worklist names records (references, sometimes children)
        record_access(user=request.user, module="core", kind="list", detail="home worklist")
    return render(
        request,
        "core/home.html",
        {
            "work": items[: home_page.HOME_ITEMS],
            "more_work": max(0, len(items) - home_page.HOME_ITEMS),
            "counts": counts,
            "key_figures": home_page.key_figures(request.user),
            "works_on_records": any(
                permissions.rank(request.user, m) >= permissions.RANK["contributor"]
                for m in permissions.MODULES
            ),
        },
    )


@public()
def health(request):
    """A minimal page, no database: for load balancers, and the bench's baseline (how fast
    this machine answers a Django request at all, measured beside the real pages)."""
    return HttpResponse("ok\n", content_type="text/plain")


@public()
def accessibility(request):
    return render(request, "core/accessibility.html")


_login = auth_views.LoginView.as_view(
    template_name="registration/login.html",
    authentication_form=SignInForm,
    redirect_authenticated_user=True,
)


def _failures_from(ip: str) -> int:
    """Failed sign-ins from this address within the lockout period, over every account
    (django-axes records each failure with its address)."""
    from axes.models import AccessAttempt

    since = timezone.now() - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    total = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return total or 0


@public(methods=("GET", "POST"))
def sign_in(request):
    """Sign-in. django-axes locks an account after its failures; this also locks an
    address that has failed on many accounts (one password sprayed over many usernames)."""
    if request.method == "POST" and _failures_from(throttle.client_ip(request)) >= (
        settings.LOGIN_FAILURES_PER_IP
    ):
        return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
    return _login(request)


sign_out = public(methods=("POST",))(auth_views.LogoutView.as_view())
_password_reset = auth_views.PasswordResetView.as_view(
    form_class=PasswordResetForm,
    success_url=reverse_lazy("password_reset_done"),
    email_template_name="registration/password_reset_email.txt",
    subject_template_name="registration/password_reset_subject.txt",
)


@public(methods=("GET", "POST"))
def password_reset(request):
    """Asking for a reset link. Too many requests from one address, or for one email
    address, in an hour: the same "check your email" page, and no email is sent (the
    answer never tells whether an account exists, or whether the limit was reached)."""
    if request.method == "POST":
        email = (request.POST.get("email") or "").strip().lower()
        limits = [("ip", throttle.client_ip(request), settings.PASSWORD_RESETS_PER_IP_HOUR)]
        if email:
            limits.append(("email", email, settings.PASSWORD_RESETS_PER_EMAIL_HOUR))
        if throttle.throttled("password_reset", limits):
            return redirect("password_reset_done")
    return _password_reset(request)


password_reset_done = public()(auth_views.PasswordResetDoneView.as_view())
password_reset_confirm = public(methods=("GET", "POST"))(
    auth_views.PasswordResetConfirmView.as_view(
        form_class=SetPasswordForm, success_url=reverse_lazy("password_reset_complete")
    )
)
password_reset_complete = public()(auth_views.PasswordResetCompleteView.as_view())


@requires(None, "administer")
def admin_home(request):
    return render(
        request,
        "core/admin_home.html",
        {
            "agencies": Agency.objects.all(),
            "users": User.objects.select_related("agency").prefetch_related("grants"),
        },
    )


def _fresh_copy(obj):
    """A second copy of a stored record for a ModelForm: validating a ModelForm writes the
    submitted values into its instance, and the clean checks (unique email) need its pk."""
    return type(obj).objects.get(pk=obj.pk) if obj is not None else None


def _administration_page(
    request,
    model,
    form_class,
    pk,
    *,
    fields,
    create,
    update,
    noun: str,
    new: str,
    links=(),
    created_message=None,
    **context,
):
    """Add or change an agency or a user: ``create(**values)`` or ``update(row, version,
    **values)`` with the form's values of ``fields`` (through the services, audited)."""
    row = get_object_or_404(model, pk=pk) if pk else None
    form = form_class(
        request.POST or None,
        instance=_fresh_copy(row),
        initial={"version": row.version} if row else None,
    )

    def save(data):
        version, data = split_version(data)
        values = {k: data[k] for k in fields}
        return update(row, version, form, **values) if row else create(form, **values)

    return form_page(
        request,
        form,
        save=save,
        success=lambda saved: (
            created_message(saved)
            if row is None and created_message
            else f"{noun.capitalize()} '{saved}' saved"
        ),
        redirect_to="admin_home",
        title=f"Change {row}" if row else new,
        button=f"Save {noun}",
        back_url=reverse("admin_home"),
        back_label="Back to administration",
        history=history_for(row) if row else None,
        more_links=[(label, url(row)) for label, url in links] if row else [],
        **context,
    )


@requires(None, "administer", methods=("GET", "POST"), record=Agency)
def agency_edit(request, pk=None):
    return _administration_page(
        request,
        Agency,
        AgencyForm,
        pk,
        fields=services.AGENCY_FIELDS,
        noun="agency",
        new="Add an agency",
        create=lambda form, **values: services.agency_create(acting_user=request.user, **values),
        update=lambda agency, version, form, **values: services.agency_update(
            acting_user=request.user, agency=agency, expected_version=version, **values
        ),
    )


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def user_added_message(user: User) -> str:
    """What the administrator is told after adding someone: whether they were invited."""
    if services.invitation_pending(user):
        return (
            f"User '{user}' added. We have emailed them an invitation with a link to set "
            f"their password. The link works once, for {_days(services.invitation_days())}: "
            "until they have set their password, you can send the invitation again from "
            "their page."
        )
    if not user.is_active:
        return (
            f"User '{user}' added. They cannot sign in, so no invitation was sent: to let "
            "them sign in, select 'Can sign in' on their page and save, then send the "
            "invitation from there."
        )
    return f"User '{user}' added."


def _send_invitation_again(request, pk):
    """The button on a user's page: the invitation emailed again (audited)."""
    person = get_object_or_404(User, pk=pk)
    try:
        services.user_invite(acting_user=request.user, user=person)
    except RecordInvalid as exc:
        for _field, message in exc.problems:
            messages.error(request, message)
    else:
        messages.success(
            request,
            f"Invitation sent again to {person.full_name}. The new link works once, for "
            f"{_days(services.invitation_days())}.",
        )
    return redirect("user_edit", pk=person.pk)


@requires(None, "administer", methods=("GET", "POST"), record=User)
def user_edit(request, pk=None):
    if pk and request.method == "POST" and request.POST.get("action") == "send_invitation":
        return _send_invitation_again(request, pk)

    def create(form, **values):
        return services.user_create(acting_user=request.user, grants=form.grants(), **values)

    person = get_object_or_404(User, pk=pk) if pk else None
    return _administration_page(
        request,
        User,
        UserForm,
        pk,
        template="registration/user_page.html",
        invitation_pending=bool(person and services.invitation_pending(person)),
        created_message=user_added_message,
        fields=services.USER_FIELDS,
        noun="user",
        new="Add a user",
        links=[
            (
                "Reset their two-factor sign-in",
                lambda u: reverse("user_two_factor_reset", args=[u.pk]),
            )
        ],
        create=create,
        update=lambda person, version, form, **values: services.user_update(
            acting_user=request.user,
            user=person,
            expected_version=version,
            grants=form.grants(),
            **values,
        ),
    )
