"""THE place access is decided. Deny by default.

A user holds at most one role per module: reader < contributor < officer < manager.
- reader: the module's figures, never personal data;
- contributor: creates records and sees only those owned by their own agency;
- officer: sees and edits every record of the module;
- manager: officer, plus configuration, deletion and bulk export.
Partnership administrators manage agencies and users; that gives no record access.

Records say which module they belong to (``MODULE``) and which agency owns them
(``owning_agency_id``). Views declare what they need with ``@requires``; objects
outside a user's scope are looked up through ``scoped`` so they answer 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

MODULES: dict[str, str] = {}
# Where a module's link in the navigation goes: records (contributor and up) or figures.
MODULE_LINKS: dict[str, tuple[str, str]] = {}
# Modules granted to nobody directly: a user's role there is their highest role in these.
ROLE_FROM: dict[str, tuple[str, ...]] = {}

RANK = {"reader": 1, "contributor": 2, "officer": 3, "manager": 4}


def register_module(
    slug: str,
    label: str,
    *,
    records_url: str = "",
    figures_url: str = "",
    role_from: tuple[str, ...] = (),
) -> None:
    """Called from each module's AppConfig.ready(): grants, navigation and home page."""
    MODULES[slug] = label
    MODULE_LINKS[slug] = (records_url, figures_url)
    if role_from:
        ROLE_FROM[slug] = tuple(role_from)


def grantable_modules() -> dict[str, str]:
    """The modules an administrator grants roles in (the others derive theirs)."""
    return {slug: label for slug, label in MODULES.items() if slug not in ROLE_FROM}


def role(user, module: str) -> str | None:
    """The user's role in a module, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    grants = getattr(user, "_grant_cache", None)
    if grants is None:
        grants = dict(user.grants.values_list("module", "role"))
        user._grant_cache = grants
    if module in ROLE_FROM and module not in grants:
        roles = [grants.get(m) for m in ROLE_FROM[module] if grants.get(m)]
        return max(roles, key=RANK.__getitem__) if roles else None
    return grants.get(module)


def rank(user, module: str) -> int:
    return RANK.get(role(user, module) or "", 0)


def _module_of(target) -> str:
    return target if isinstance(target, str) else target.MODULE


@rules.predicate
def is_reader(user, target) -> bool:
    return rank(user, _module_of(target)) >= RANK["reader"]


@rules.predicate
def is_contributor(user, target) -> bool:
    return rank(user, _module_of(target)) >= RANK["contributor"]


@rules.predicate
def is_officer(user, target) -> bool:
    return rank(user, _module_of(target)) >= RANK["officer"]


@rules.predicate
def is_manager(user, target) -> bool:
    return rank(user, _module_of(target)) >= RANK["manager"]


@rules.predicate
def owns_record(user, target) -> bool:
    if isinstance(target, str):
        return False
    return target.owning_agency_id is not None and target.owning_agency_id == user.agency_id


@rules.predicate
def is_partnership_admin(user, target=None) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and user.is_partnership_admin
    )


def managed_modules(user) -> list[str]:
    """The modules (derived ones included) in which the user is a manager."""
    return [slug for slug in MODULES if role(user, slug) == "manager"]


@rules.predicate
def manages_a_module(user, target=None) -> bool:
    return bool(managed_modules(user))


ACCESS = rules.RuleSet()
ACCESS.add_rule("view_figures", is_reader)
ACCESS.add_rule("list_records", is_contributor)
ACCESS.add_rule("view_record", is_officer | (is_contributor & owns_record))
ACCESS.add_rule("add_record", is_contributor)
ACCESS.add_rule("change_record", is_officer)
ACCESS.add_rule("import_records", is_officer)
ACCESS.add_rule("configure", is_manager)
ACCESS.add_rule("export_records", is_manager)
ACCESS.add_rule("administer", is_partnership_admin)
# Who holds which role: administrators (all modules) and managers (their modules).
ACCESS.add_rule("review_access", is_partnership_admin | manages_a_module)
# Who looked at what: managers, for their modules' records.
ACCESS.add_rule("read_access_log", manages_a_module)


def has_permission(user, action: str, target) -> bool:
    """``target`` is a module slug (module-wide actions) or a record."""
    if not getattr(user, "is_authenticated", False):
        return False
    return ACCESS.test_rule(action, user, target)


def has_view_permission(user, target) -> bool:
    if isinstance(target, str):
        return has_permission(user, "list_records", target)
    return has_permission(user, "view_record", target)


def has_add_permission(user, module: str) -> bool:
    return has_permission(user, "add_record", module)


def has_change_permission(user, target) -> bool:
    return has_permission(user, "change_record", target)


def scoped(user, module: str, queryset: QuerySet, agency_field: str = "owning_agency") -> QuerySet:
    """Only the records this user may see. Officers see all; contributors their agency's."""
    r = rank(user, module)
    if r >= RANK["officer"]:
        return queryset
    if r >= RANK["contributor"] and user.agency_id:
        return queryset.filter(**{f"{agency_field}_id": user.agency_id})
    return queryset.none()


@dataclass(frozen=True)
class Requirement:
    module: str | None
    action: str


PUBLIC = Requirement(None, "public")
SIGNED_IN = Requirement(None, "signed_in")


def requires(
    module: str | None,
    action: str,
    *,
    methods: tuple[str, ...] = ("GET",),
    record: type | None = None,
) -> Callable:
    """Declare what a view needs: sign-in, a module permission, and its HTTP methods.

    Anonymous users go to sign-in; a signed-in user without the permission gets 403;
    a method outside ``methods`` gets 405. Object-level checks happen in the view
    through ``scoped`` (404 outside scope). ``record``: the model whose id the URL's
    ``pk`` is (the contract tests find such pages' records by it).
    """
    requirement = Requirement(module, action)

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in methods and not (
                request.method == "HEAD" and "GET" in methods
            ):
                from django.http import HttpResponseNotAllowed

                return HttpResponseNotAllowed(methods)
            if action == "public":
                return view(request, *args, **kwargs)
            if not request.user.is_authenticated:
                return redirect_to_login(
                    request.get_full_path() if request.method == "GET" else request.path
                )
            if action != "signed_in":
                target = module if module else None
                if not has_permission(request.user, action, target):
                    raise PermissionDenied
            if record is None or "pk" not in kwargs:
                return view(request, *args, **kwargs)
            return _logged_view(view, record, module, request, *args, **kwargs)

        wrapped.requirement = requirement
        wrapped.allowed_methods = methods
        wrapped.record = record
        return wrapped

    return decorate


def _logged_view(view, record, module, request, *args, **kwargs):
    """A page of one record writes a row to the access log when it shows the record (edit
    pages included), unless the view has logged it already."""
    from . import audit

    with audit.one_request():
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            audit.record_access(
                user=request.user,
                module=module or getattr(record, "MODULE", "core"),
                obj=record(pk=kwargs["pk"]),
            )
    return response


def public(*, methods: tuple[str, ...] = ("GET",)) -> Callable:
    return requires(None, "public", methods=methods)


def signed_in(*, methods: tuple[str, ...] = ("GET",)) -> Callable:
    return requires(None, "signed_in", methods=methods)


def modules_for(user) -> list[dict]:
    """The modules the user holds a grant in, with the page their role opens first."""
    from django.urls import reverse

    out = []
    for slug, label in MODULES.items():
        r = role(user, slug)
        records_url, figures_url = MODULE_LINKS[slug]
        name = figures_url if r == "reader" else records_url
        if r and name:
            out.append({"slug": slug, "label": label, "role": r, "url": reverse(name)})
    return out
