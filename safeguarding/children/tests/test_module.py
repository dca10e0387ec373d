"""The shared child record is a module of its own (issue 12): its own identity and roles
(taken from the modules that record children), writes only through children.services
(audited, the import's bulk creation included), and no import of any module that uses it:
they reach it through children.hooks."""

import ast
from pathlib import Path

from safeguarding.children import queries, services
from safeguarding.children.models import Child
from safeguarding.core import permissions
from safeguarding.core.models import AuditEvent

PACKAGE = Path(services.__file__).parent


def _imported_modules(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module or ""
        elif isinstance(node, ast.ImportFrom):  # from .. import x, from ..missing import y
            yield "." * node.level + (node.module or "")


def test_children_import_no_module_that_uses_them():
    """Not even inside a function: the modules register into children.hooks instead."""
    allowed = ("safeguarding.children", "safeguarding.core", "conftest")
    found = {
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in PACKAGE.rglob("*.py")
        for name in _imported_modules(path)
        if (name.startswith("safeguarding.") and not name.startswith(allowed))
        or name.startswith("..")
    }
    assert not found, sorted(found)


def test_the_child_record_is_its_own_module():
    assert Child.MODULE == "children"
    assert "children" in permissions.MODULES
    assert "children" not in permissions.grantable_modules()  # nobody is granted it
    assert permissions.ROLE_FROM["children"]


def test_a_role_in_children_is_the_highest_role_in_the_modules_that_record_them(
    child_officer, child_reader, officer
):
    source = permissions.ROLE_FROM["children"][0]
    assert permissions.role(child_officer, source) == "officer"
    assert permissions.role(child_officer, "children") == "officer"
    assert permissions.role(child_reader, "children") == "reader"
    assert permissions.role(officer, "children") is None  # a LADO officer only
    assert not [m for m in permissions.modules_for(child_officer) if m["slug"] == "children"]


def test_a_lado_officer_sees_no_children(client_for, officer, child):
    assert client_for(officer).get("/children/").status_code == 403
    assert client_for(officer).get(f"/children/{child.pk}/").status_code == 403


def test_a_reference_gives_the_child_kept_after_a_merge(child, child_manager):
    twin = services.child_create(
        acting_user=child_manager,
        external_reference="C-2002",
        first_name="Tallulah",
        last_name="Featherstonehaugh",
        date_of_birth=child.date_of_birth,
    )
    services.child_merge(acting_user=child_manager, keep=child, duplicate=twin)
    assert queries.child_by_reference(user=child_manager, reference="C-2002") == child
    twin.refresh_from_db()
    assert services.resolve_child(twin) == child


def test_a_reference_never_creates_a_child(child, child_manager):
    """Children are added on their own page: an unknown reference finds nothing."""
    assert queries.child_by_reference(user=child_manager, reference="C-3003") is None
    assert not hasattr(services, "child_for_reference")
    assert Child.objects.count() == 1


def test_children_named_by_an_import_are_created_together_and_audited(child, child_officer):
    found = services.children_for_references(
        acting_user=child_officer,
        references={"C-1001": False, "N-1": True, "N-2": False},
        summary="Created by a test import",
    )
    assert found["C-1001"] == child.pk
    new = Child.objects.filter(external_reference__in=["N-1", "N-2"])
    assert {c.external_reference: c.pk for c in new} == {"N-1": found["N-1"], "N-2": found["N-2"]}
    assert new.get(external_reference="N-1").looked_after
    assert {c.owning_agency_id for c in new} == {child_officer.agency_id}
    events = AuditEvent.objects.filter(action="import", object_type="children.child")
    assert {e.object_id for e in events} == {str(found["N-1"]), str(found["N-2"])}
    assert {(e.module, e.summary) for e in events} == {("children", "Created by a test import")}
