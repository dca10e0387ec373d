"""Platform pages: home, sign-in, partnership administration."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy

from . import services
from .audit import history_for
from .forms import AgencyForm, PasswordResetForm, SignInForm, UserForm
from .models import Agency, User
from .permissions import public, requires, signed_in


@signed_in()
def home(request):
    return render(request, "core/home.html")


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


def _fresh_copy(obj):
    """A second copy of a stored record for a ModelForm. Validating a ModelForm writes the
    submitted values into its instance; the service must get the stored values, or the
    audit row would find nothing changed."""
    return type(obj).objects.get(pk=obj.pk) if obj is not None else None


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


@requires(None, "administer", methods=("GET", "POST"))
def agency_edit(request, pk=None):
    agency = get_object_or_404(Agency, pk=pk) if pk else None
    form = AgencyForm(request.POST or None, instance=_fresh_copy(agency))
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in services.AGENCY_FIELDS}
        if agency:
            services.agency_update(acting_user=request.user, agency=agency, **values)
        else:
            agency = services.agency_create(acting_user=request.user, **values)
        messages.success(request, f"Agency '{agency.name}' saved")
        return redirect("admin_home")
    return render(request, "core/agency_form.html", {"form": form, "agency": agency})


@requires(None, "administer", methods=("GET", "POST"))
def user_edit(request, pk=None):
    person = get_object_or_404(User, pk=pk) if pk else None
    form = UserForm(request.POST or None, instance=_fresh_copy(person))
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in services.USER_FIELDS}
        if person:
            services.user_update(
                acting_user=request.user, user=person, grants=form.grants(), **values
            )
        else:
            person = services.user_create(acting_user=request.user, grants=form.grants(), **values)
            messages.info(
                request,
                "User created. They set their password with 'Forgotten your "
                "password?' on the sign-in page.",
            )
        messages.success(request, f"User '{person.full_name}' saved")
        return redirect("admin_home")
    history = history_for(person) if person else []
    return render(
        request, "core/user_form.html", {"form": form, "person": person, "history": history}
    )
