"""Platform pages: home, sign-in, partnership administration."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy

from . import registers, services
from .audit import history_for
from .forms import AgencyForm, PasswordResetForm, SignInForm, UserForm
from .models import Agency, User
from .pages import form_page, split_version
from .permissions import public, requires, signed_in

HOME_ITEMS = 25


@signed_in()
def home(request):
    """Each person's first page: what is due or overdue for them, across registers."""
    items = registers.worklist_for(request.user)
    return render(
        request,
        "core/home.html",
        {"work": items[:HOME_ITEMS], "more_work": max(0, len(items) - HOME_ITEMS)},
    )


@public()
def accessibility(request):
    return render(request, "core/accessibility.html")


sign_in = public(methods=("GET", "POST"))(
    auth_views.LoginView.as_view(
        template_name="registration/login.html",
        authentication_form=SignInForm,
        redirect_authenticated_user=True,
    )
)
sign_out = public(methods=("POST",))(auth_views.LogoutView.as_view())
password_reset = public(methods=("GET", "POST"))(
    auth_views.PasswordResetView.as_view(
        form_class=PasswordResetForm,
        success_url=reverse_lazy("password_reset_done"),
        email_template_name="registration/password_reset_email.txt",
        subject_template_name="registration/password_reset_subject.txt",
    )
)
password_reset_done = public()(auth_views.PasswordResetDoneView.as_view())
password_reset_confirm = public(methods=("GET", "POST"))(
    auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("password_reset_complete"))
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
    request, model, form_class, pk, *, fields, create, update, noun: str, new: str
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
        success=lambda saved: f"{noun.capitalize()} '{saved}' saved",
        redirect_to="admin_home",
        title=f"Change {row}" if row else new,
        button=f"Save {noun}",
        back_url=reverse("admin_home"),
        back_label="Back to administration",
        history=history_for(row) if row else None,
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


@requires(None, "administer", methods=("GET", "POST"), record=User)
def user_edit(request, pk=None):
    def create(form, **values):
        created = services.user_create(acting_user=request.user, grants=form.grants(), **values)
        messages.info(
            request,
            "User created. They set their password with 'Forgotten your "
            "password?' on the sign-in page.",
        )
        return created

    return _administration_page(
        request,
        User,
        UserForm,
        pk,
        fields=services.USER_FIELDS,
        noun="user",
        new="Add a user",
        create=create,
        update=lambda person, version, form, **values: services.user_update(
            acting_user=request.user,
            user=person,
            expected_version=version,
            grants=form.grants(),
            **values,
        ),
    )
