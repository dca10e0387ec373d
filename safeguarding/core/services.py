"""Platform writes: agencies, users and grants. Each is atomic and audited."""

from __future__ import annotations

from django.db import transaction

from .audit import changes_between, record_event, snapshot
from .models import Agency, ModuleGrant, User
from .writes import lock_for_edit, save_changes

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


def _set_grants(user: User, grants: dict[str, str]) -> dict:
    before = dict(user.grants.values_list("module", "role"))
    for module, role in grants.items():
        if role:
            ModuleGrant.objects.update_or_create(user=user, module=module, defaults={"role": role})
        else:
            ModuleGrant.objects.filter(user=user, module=module).delete()
    after = dict(user.grants.values_list("module", "role"))
    user._grant_cache = None
    return {
        f"grant:{m}": [before.get(m), after.get(m)]
        for m in set(before) | set(after)
        if before.get(m) != after.get(m)
    }


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
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        agency=agency,
        is_partnership_admin=is_partnership_admin,
        is_active=is_active,
    )
    changes = changes_between({}, snapshot(user, USER_FIELDS))
    changes.update(_set_grants(user, grants or {}))
    record_event(
        actor=acting_user,
        action="create",
        obj=user,
        module="core",
        changes=changes,
        summary="User created",
    )
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
    for name, value in values.items():
        setattr(current, name, value)
    save_changes(
        acting_user=acting_user,
        current=current,
        before=before,
        fields=USER_FIELDS,
        summary="User changed",
        module="core",
        extra_changes=_set_grants(current, grants) if grants is not None else None,
    )
    user._grant_cache = None
    return current
