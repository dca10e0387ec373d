"""Platform writes: agencies, users and grants. Each is atomic and audited."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from .audit import changes_between, record_event, snapshot
from .models import AccessReview, Agency, ModuleGrant, User
from .permissions import MODULES, RANK, ROLE_FROM
from .writes import RecordInvalid, lock, lock_for_edit, save_changes

AGENCY_FIELDS = ["name", "sector", "is_active"]
USER_FIELDS = ["full_name", "email", "agency", "is_active", "is_partnership_admin"]


@transaction.atomic
def agency_create(*, acting_user, name: str, sector: str, is_active: bool = True) -> Agency:
    agency = Agency.objects.create(name=name, sector=sector, is_active=is_active)
    record_event(
        actor=acting_user,
        action="create",
        obj=agency,
        module="core",
        changes=changes_between({}, snapshot(agency, AGENCY_FIELDS)),
        summary="Agency created",
    )
    return agency


@transaction.atomic
def agency_update(*, acting_user, agency: Agency, expected_version: int | None, **values) -> Agency:
    current = lock_for_edit(agency, expected_version)
    before = snapshot(current, AGENCY_FIELDS)
    for name, value in values.items():
        setattr(current, name, value)
    save_changes(
        acting_user=acting_user,
        current=current,
        before=before,
        fields=AGENCY_FIELDS,
        summary="Agency changed",
        module="core",
    )
    return current


SELF_GRANT_MESSAGE = "You cannot change your own roles: ask another administrator"
ADMIN_GRANT_MESSAGE = (
    "An administrator account cannot hold module roles: give the person a separate "
    "account for their case work"
)
# Grants at these roles open every record of a module: its managers are told of each.
WATCHED_ROLES = ("officer", "manager")


def _check_grants(*, acting_user, user: User | None, grants: dict[str, str], admin: bool):
    """Separation of duties: nobody changes their own roles, and an administrator account
    (which manages users) never also holds a role that opens case records."""
    current = dict(user.grants.values_list("module", "role")) if user else {}
    wanted = {m: r for m, r in {**current, **grants}.items() if r}
    if user is not None and user.pk == getattr(acting_user, "pk", None):
        changed = [m for m in set(current) | set(wanted) if current.get(m) != wanted.get(m)]
        if changed:
            raise RecordInvalid([(f"grant_{m}", SELF_GRANT_MESSAGE) for m in sorted(changed)])
        if admin != user.is_partnership_admin:
            raise RecordInvalid(
                [("is_partnership_admin", "You cannot change your own administrator access")]
            )
    if admin and wanted:
        raise RecordInvalid([(f"grant_{m}", ADMIN_GRANT_MESSAGE) for m in sorted(wanted)])


def _set_grants(user: User, grants: dict[str, str], *, acting_user=None) -> dict:
    before = dict(user.grants.values_list("module", "role"))
    for module, role in grants.items():
        if role and before.get(module) != role:
            ModuleGrant.objects.update_or_create(
                user=user,
                module=module,
                defaults={
                    "role": role,
                    "granted_at": timezone.now(),
                    "granted_by": acting_user if getattr(acting_user, "pk", None) else None,
                },
            )
        elif not role:
            ModuleGrant.objects.filter(user=user, module=module).delete()
    after = dict(user.grants.values_list("module", "role"))
    user._grant_cache = None
    raised = [
        (m, after[m])
        for m in after
        if after[m] in WATCHED_ROLES and RANK[after[m]] > RANK.get(before.get(m) or "", 0)
    ]
    if raised:
        transaction.on_commit(lambda: _tell_managers(raised))
    return {
        f"grant:{m}": [before.get(m), after.get(m)]
        for m in set(before) | set(after)
        if before.get(m) != after.get(m)
    }


def module_managers(module: str):
    """The active managers of a module (of the modules it takes its roles from too)."""
    modules = [module, *ROLE_FROM.get(module, ())]
    return User.objects.filter(
        is_active=True, grants__module__in=modules, grants__role="manager"
    ).distinct()


def _tell_managers(raised: list[tuple[str, str]]) -> None:
    """Email each module's managers that someone now holds officer or manager access. The
    email names nobody: the access review page says who, to those allowed to see it."""
    link = settings.SITE_URL.rstrip("/") + reverse("access_review")
    for module, role in raised:
        label = MODULES.get(module, module)
        recipients = list(module_managers(module).values_list("email", flat=True))
        if not recipients:
            continue
        send_mail(
            subject=f"New {role} access to {label}",
            message=(
                f"A partnership administrator has given someone the {role} role in "
                f"{label}, which opens every record of the register.\n\n"
                f"If you did not expect this, check who holds access now:\n{link}\n"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )


def invitation_days() -> int:
    """How many days a link to set a password works (Django's PASSWORD_RESET_TIMEOUT)."""
    return max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400))


def invitation_link(user: User) -> str:
    """The link to set a password: Django's password reset token (it works once, and stops
    working when the password is set), on the password_reset_confirm page, at SITE_URL."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


@task()
def send_invitation(user_id: int) -> bool:
    """Email the invitation (the task worker, django-tasks). It is enqueued inside the
    transaction that creates or invites the user, so the database queue is an outbox: the
    worker sends it once that transaction has committed, and a rollback sends nothing. The
    email names nobody but its recipient."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return False
    context = {
        "full_name": user.full_name,
        "partnership": settings.PARTNERSHIP_NAME,
        "link": invitation_link(user),
        "days": invitation_days(),
        "sign_in": settings.SITE_URL.rstrip("/") + reverse("login"),
    }
    send_mail(
        subject=render_to_string("registration/invitation_subject.txt", context).strip(),
        message=render_to_string("registration/invitation_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    return True


def invitation_pending(user: User) -> bool:
    """Someone who can sign in but has not set a password yet: an invitation may be sent."""
    return user.is_active and not user.has_usable_password()


NOT_ACTIVE_MESSAGE = (
    "This person cannot sign in, so no invitation was sent: select 'Can sign in' and save first"
)
PASSWORD_SET_MESSAGE = (
    "This person has already set a password: if they have forgotten it, they use "
    "'Forgotten your password?' on the sign-in page"
)


@transaction.atomic
def user_invite(*, acting_user, user: User) -> User:
    """Send the invitation again (its link may have run out): audited, then emailed by the
    task worker once the transaction has committed."""
    current = lock(user)
    if not current.is_active:
        raise RecordInvalid([(None, NOT_ACTIVE_MESSAGE)])
    if current.has_usable_password():
        raise RecordInvalid([(None, PASSWORD_SET_MESSAGE)])
    record_event(
        actor=acting_user,
        action="invite",
        obj=current,
        module="core",
        summary="Invitation to set a password sent again",
    )
    send_invitation.enqueue(current.pk)
    return current


@transaction.atomic
def user_create(
    *,
    acting_user,
    email: str,
    full_name: str,
    agency: Agency | None,
    grants: dict[str, str] | None = None,
    password: str | None = None,
    is_partnership_admin: bool = False,
    is_active: bool = True,
) -> User:
    """A new user. Without a password (an administrator adding someone), an active user is
    emailed an invitation with a link to set one (queued: sent once this commits)."""
    _check_grants(
        acting_user=acting_user, user=None, grants=grants or {}, admin=is_partnership_admin
    )
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        agency=agency,
        is_partnership_admin=is_partnership_admin,
        is_active=is_active,
    )
    changes = changes_between({}, snapshot(user, USER_FIELDS))
    changes.update(_set_grants(user, grants or {}, acting_user=acting_user))
    invite = invitation_pending(user)
    record_event(
        actor=acting_user,
        action="create",
        obj=user,
        module="core",
        changes=changes,
        summary="User created and sent an invitation to set a password"
        if invite
        else "User created",
    )
    if invite:
        send_invitation.enqueue(user.pk)
    return user


@transaction.atomic
def user_update(
    *,
    acting_user,
    user: User,
    expected_version: int | None,
    grants: dict[str, str] | None = None,
    **values,
) -> User:
    current = lock_for_edit(user, expected_version)
    before = snapshot(current, USER_FIELDS)
    _check_grants(
        acting_user=acting_user,
        user=current,
        grants=grants or {},
        admin=values.get("is_partnership_admin", current.is_partnership_admin),
    )
    for name, value in values.items():
        setattr(current, name, value)
    save_changes(
        acting_user=acting_user,
        current=current,
        before=before,
        fields=USER_FIELDS,
        summary="User changed",
        module="core",
        extra_changes=(
            _set_grants(current, grants, acting_user=acting_user) if grants is not None else None
        ),
    )
    user._grant_cache = None
    return current


@transaction.atomic
def access_review_record(*, acting_user, modules: list[str], grants: int, notes: str = ""):
    """Record that the reviewer has checked who holds which role in these modules."""
    review = AccessReview.objects.create(
        reviewed_by=acting_user, modules=sorted(modules), grants=grants, notes=notes
    )
    record_event(
        actor=acting_user,
        action="access_review",
        obj=review,
        module="core",
        changes={"modules": [None, review.modules], "grants": [None, grants]},
        summary=f"Access review recorded: {grants} grants in {len(modules)} modules",
    )
    return review
