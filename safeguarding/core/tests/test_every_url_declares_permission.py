"""Deny by default: every view in the project declares what it needs.

Views get a ``requirement`` from @requires / @public / @signed_in in core/permissions.py.
A view without one has not been thought about, so this test fails until it is.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from safeguarding.core.permissions import PUBLIC, Requirement, requires


def walk(patterns, prefix=""):
    """(route, view callback) for every URL pattern, through every include()."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


ROUTES = list(walk(get_resolver().url_patterns))


def test_the_walk_finds_the_projects_pages():
    routes = {route for route, _ in ROUTES}
    assert {"", "sign-in/", "administration/", "lado/", "lado/<int:pk>/"} <= routes
    assert len(ROUTES) > 20


def test_every_url_declares_its_permission():
    undeclared = sorted(
        f"/{route} -> {getattr(view, '__module__', '?')}.{getattr(view, '__name__', view)}"
        for route, view in ROUTES
        if not isinstance(getattr(view, "requirement", None), Requirement)
    )
    assert not undeclared, "views without @requires / @public / @signed_in:\n" + "\n".join(
        undeclared
    )


def test_every_url_declares_its_methods():
    undeclared = sorted(
        f"/{route}" for route, view in ROUTES if not getattr(view, "allowed_methods", None)
    )
    assert not undeclared


def test_the_platforms_public_pages_are_only_sign_in_and_the_statement():
    from safeguarding.core import urls as core_urls

    public = {
        f"/{route}" for route, view in walk(core_urls.urlpatterns) if view.requirement == PUBLIC
    }
    assert public == {
        "/accessibility/",
        "/health/",
        "/sign-in/",
        "/sign-out/",
        "/password-reset/",
        "/password-reset/sent/",
        "/password-reset/<uidb64>/<token>/",
        "/password-reset/complete/",
    }


# The pages anyone may open without a module role, and why. Everything else in every module
# needs a role in it (or, for administration, the administrator's flag).
OPEN_PAGES = {
    "/": "home: each person's own page, signed in",
    "/accessibility/": "the accessibility statement",
    "/health/": "a plain 'ok' with no database and nothing personal: load balancers, the bench",
    "/sign-in/": "sign-in",
    "/sign-out/": "sign-out",
    "/two-factor/": "each person's own two-factor sign-in",
    "/two-factor/set-up/": "setting up two-factor sign-in, after the password",
    "/two-factor/code/": "the second step of sign-in, after the password",
    "/two-factor/recovery-codes/": "each person's own new recovery codes",
    "/password-reset/": "password reset",
    "/password-reset/sent/": "password reset",
    "/password-reset/<uidb64>/<token>/": "password reset, by the emailed link",
    "/password-reset/complete/": "password reset",
    "/training/programme/": "the public training programme",
    "/training/programme/<int:pk>/book/": "applying for a place",
    "/training/programme/applied/": "the application is received",
    "/training/booking/<str:token>/": "the delegate's own booking, by its signed link",
    "/training/booking/<str:token>/evaluation/<int:stage>/": "the delegate's evaluation",
    "/training/booking/<str:token>/certificate.pdf": "the delegate's certificate",
    "/training/verify/": "anyone may check a certificate's code",
}


def test_no_page_of_any_module_is_open_without_a_role():
    open_pages = {
        f"/{route}" for route, view in ROUTES if view.requirement.action in ("public", "signed_in")
    }
    assert open_pages <= set(OPEN_PAGES), sorted(open_pages - set(OPEN_PAGES))


def test_every_module_page_needs_that_modules_role():
    """A page under /lado/ is decided by the lado role, not another module's."""
    from safeguarding.core.permissions import MODULES

    prefixes = {m.replace("_", "-") + "/": m for m in MODULES}
    wrong = []
    for route, view in ROUTES:
        module = prefixes.get(route.split("/")[0] + "/")
        requirement = view.requirement
        if module and f"/{route}" not in OPEN_PAGES and requirement.module != module:
            wrong.append(f"/{route}: {requirement.module}")
    assert not wrong, wrong


def test_the_walk_would_catch_an_undeclared_view():
    from django.urls import include, path

    def declared(request):
        return None

    def forgotten(request):
        return None

    patterns = [
        path("a/", requires("lado", "list_records")(declared)),
        path("b/", include([path("c/", forgotten)])),
    ]
    found = {route: hasattr(view, "requirement") for route, view in walk(patterns)}
    assert found == {"a/": True, "b/c/": False}


@pytest.mark.parametrize("route, view", ROUTES, ids=[f"/{r}" for r, _ in ROUTES])
def test_each_view_requirement_names_a_known_action(route, view):
    from safeguarding.core.permissions import ACCESS, MODULES

    requirement = view.requirement
    if requirement.action in ("public", "signed_in"):
        assert requirement.module is None
    else:
        assert requirement.action in ACCESS, f"/{route}: unknown action {requirement.action}"
        if requirement.module is not None:
            assert requirement.module in MODULES, f"/{route}: unknown module"
