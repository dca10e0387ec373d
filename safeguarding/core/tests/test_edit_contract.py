"""Every edit page of every module refuses a copy that is not the stored one.

Found by walking the URLs, not listed by hand: every page whose URL has a ``pk`` and that
accepts POST declares the record it changes (``@requires(..., record=Model)``). On the demo
partnership, signed in as someone who may do everything, each such page's form is read as a
browser would submit it, then posted:

1. without its version: refused with a message, the record and its history unchanged;
2. with a stale version (someone else saved in between): the same;
3. with the current version and one field changed: saved, the version up by one, and an
   audit row saying what changed (every configuration edit included).

A POST page with a pk whose form carries no version must say why below (it adds a record
under the pk, or is a button): anything else is an edit that could overwrite a colleague.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safeguarding.core.models import AuditEvent
from safeguarding.core.writes import NO_VERSION_MESSAGE, STALE_MESSAGE

from .forms_on_page import forms_on, version_field

# POST pages with a pk that do not edit a versioned copy, and why.
NOT_EDITS = {
    "children:merge": "merges two records after a manager chose which to keep",
    "lado:meeting_create": "adds a meeting to the case",
    "lado:note_create": "adds dated information to the case (nothing recorded is changed)",
    "child_deaths:recommendation": "adds a recommendation (an action) to the review",
    "child_deaths:form_request": "asks agencies for their reporting forms",
    "private_fostering:visit_create": "records a visit",
    "missing:discussion_edit": "the minutes of one item of a meeting, written at the meeting",
    "case_reviews:child_add": "adds a child to the review",
    "case_reviews:chronology_request": "asks an agency for its chronology",
    "case_reviews:action_add": "adds an action to the review's plan",
    "training:booking_cancel": "a button: cancels a booking",
    "training:attendance": "the register of one session, mark by mark",
    "performance:benchmark_edit": "adds a benchmark value for a year",
    "performance:return_submit": "a button: submits the return",
    "performance:return_approve": "a button: approves the return",
    "performance:return_send_back": "sends the return back with a note",
    "performance:return_upload": "uploads a file of values (each value is checked)",
    "training:book": "the public application for a place (a new booking)",
    "user_two_factor_reset": "a button: resets someone's lost second factor",
}
# Values that a form's own inputs cannot give (a choice the page leaves to the user); a
# callable picks from the form as shown.
EXAMPLES = {
    "training:booking_decide": {"decision": "decline"},
    "missing:met_remove": {"leaving_reason": "risk_reduced"},
    "actions:progress": {"note": "Briefings done in every team"},
    "training:booking_move": {"to_session": lambda form: form.options["to_session"][-1]},
}
# Free text that may be changed to prove an audited save (not codes, emails or links).
NOT_FREE_TEXT = ("email", "link", "url", "reference", "nhs", "time", "code", "q")


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}", pattern.callback


EDIT_PAGES = [
    (name, view)
    for route, name, view in _walk(get_resolver().url_patterns)
    if "<int:pk>" in route and "POST" in getattr(view, "allowed_methods", ())
]


def test_the_walk_finds_the_edit_pages():
    names = {name for name, _ in EDIT_PAGES}
    assert {"lado:edit", "user_edit", "agency_edit", "lado:meeting_type_edit"} <= names


@pytest.mark.parametrize("name, view", EDIT_PAGES, ids=[n for n, _ in EDIT_PAGES])
def test_every_post_page_with_a_pk_declares_its_record(name, view):
    assert getattr(view, "record", None) is not None, (
        f"{name}: give @requires(..., record=TheModel) for the record its pk is"
    )


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo partnership, loaded once for this file and rolled back at its end."""
    from safeguarding.core.demo import load

    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load(seed=2017)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def editor(demo, db):
    """Someone who may do everything: manager of every module, and administrator."""
    from conftest import make_user
    from safeguarding.core.models import Agency
    from safeguarding.core.permissions import grantable_modules

    agency = Agency.objects.order_by("pk").first()
    roles = {module: "manager" for module in grantable_modules()}
    return make_user("everything@example.org", agency, roles, admin=True)


def _edit_form(client, name, view):
    """(url, record, form, data) for the first demo record whose page shows a versioned
    form that is otherwise valid as it stands: posted without its version, it is refused
    for that reason alone (the version is checked once the form's own rules pass)."""
    model, shown = view.record, None
    for record in model._default_manager.order_by("pk")[:60]:
        url = reverse(name, kwargs={"pk": record.pk})
        response = client.get(url)
        if response.status_code != 200:
            continue
        for form in forms_on(response.content.decode()):
            key = version_field(form) if form.method == "post" else None
            if not key:
                continue
            shown = name
            example = {
                k: [v(form) if callable(v) else v] for k, v in EXAMPLES.get(name, {}).items()
            }
            data = {**form.data(), **example}
            without = {k: v for k, v in data.items() if k != key}
            refused = client.post(url, without)
            assert refused.status_code == 200, f"{name}: saved without a version"
            if NO_VERSION_MESSAGE in _posted(refused):
                return url, record, form, data
    assert shown is None, f"{name}: no demo record's form could be posted as it stands"
    return None, None, None, None


def _history(record) -> int:
    return AuditEvent.objects.filter(
        object_type=record._meta.label_lower, object_id=str(record.pk)
    ).count()


def _fresh(record):
    return type(record)._default_manager.get(pk=record.pk)


def _posted(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


@pytest.mark.parametrize("name, view", EDIT_PAGES, ids=[n for n, _ in EDIT_PAGES])
def test_every_edit_refuses_a_missing_or_stale_version_and_audits_a_save(
    name, view, editor, client
):
    assert getattr(view, "record", None) is not None, f"{name}: declare record= (see above)"
    client.force_login(editor)
    url, record, form, data = _edit_form(client, name, view)
    if form is None:
        assert name in NOT_EDITS, (
            f"{name}: no demo record shows a form with a version; if it is not an edit of a "
            "stored copy, say why in NOT_EDITS"
        )
        return
    assert name not in NOT_EDITS, f"{name} carries a version: remove it from NOT_EDITS"
    key = version_field(form)
    version, history = int(data[key][0]), _history(record)
    assert _fresh(record).version == version

    stale = {**data, key: [str(version - 1 if version > 1 else version + 1)]}
    response = client.post(url, stale)
    assert response.status_code == 200, f"{name}: saved from a stale copy"
    assert STALE_MESSAGE.split(":")[0] in _posted(response)
    assert _history(record) == history and _fresh(record).version == version

    changed = dict(data)
    free = [n for n in form.text_inputs if not any(w in n.lower() for w in NOT_FREE_TEXT)]
    if free:
        changed[free[0]] = [(data.get(free[0]) or [""])[0] + " (checked)"]
        response = client.post(url, changed)
        if response.status_code != 302:  # that text has rules of its own: save it as it was
            assert view.requirement.action != "configure", f"{name}: {_posted(response)[:300]}"
            free = []
    if not free:
        response = client.post(url, data)
    assert response.status_code == 302, f"{name}: the current version was refused"
    if free:
        event = AuditEvent.objects.filter(
            object_type=record._meta.label_lower, object_id=str(record.pk)
        ).first()
        assert _history(record) == history + 1 and event.changes, f"{name}: no audit of the change"
        assert any("(checked)" in str(pair) for pair in event.changes.values())


# ---- the shared child record: every write through children.services, audited ----------

CHILD_WRITES = re.compile(
    r"Child\.objects\.(create|bulk_create|get_or_create|update_or_create|bulk_update)\b"
    r"|\bChild\(|insert_rows\(\s*Child\b|Child\.objects\.filter\([^)]*\)\.update\("
)


def test_only_the_children_module_writes_the_child_record():
    package = Path(__file__).resolve().parents[2]
    writers = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and path.parts[-2] != "children"
        and path.name != "generate.py"  # synthetic scale data, not records
        and CHILD_WRITES.search(path.read_text())
    ]
    assert not writers, f"write children through children.services: {writers}"


def test_every_child_in_the_demo_has_an_audited_creation(editor):
    from safeguarding.children.models import Child

    created = set(
        AuditEvent.objects.filter(
            object_type="children.child", action__in=("create", "import")
        ).values_list("object_id", flat=True)
    )
    children = set(Child.objects.values_list("pk", flat=True))
    assert children, "the demo has children"
    assert {str(pk) for pk in children} <= created
    assert set(
        AuditEvent.objects.filter(object_type="children.child").values_list("module", flat=True)
    ) == {"children"}


# ---- every page of one record writes the access log -----------------------------------

RECORD_PAGES = [
    (name, view)
    for route, name, view in _walk(get_resolver().url_patterns)
    if "<int:pk>" in route
    and getattr(view, "record", None) is not None
    and "GET" in getattr(view, "allowed_methods", ())
]


@pytest.mark.parametrize("name, view", RECORD_PAGES, ids=[n for n, _ in RECORD_PAGES])
def test_every_page_of_a_record_writes_the_access_log(name, view, editor, client):
    """Detail and edit pages alike: whoever opens a record's page is in the access log."""
    from safeguarding.core.models import AccessEvent

    client.force_login(editor)
    model = view.record
    for record in model._default_manager.order_by("pk")[:20]:
        before = AccessEvent.objects.count()
        response = client.get(reverse(name, kwargs={"pk": record.pk}))
        if response.status_code != 200:
            continue
        logged = AccessEvent.objects.order_by("-seq")[: AccessEvent.objects.count() - before]
        assert any(
            (e.user_id, e.object_type, e.object_id)
            == (editor.pk, model._meta.label_lower, str(record.pk))
            for e in logged
        ), f"{name}: opening {model.__name__} {record.pk} wrote no access log row"
        return
    pytest.skip(f"{name}: no demo record of {model.__name__} opens on this page")
