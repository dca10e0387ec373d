"""Review types and learning themes (a manager's configuration).

Defect: a review type edit wrote an audit row with ``changes == {}``: the form's own
instance, already changed by validation, was compared with itself. Edits now go through
core's config_save, compared with the stored row; both carry a version."""

import re

import pytest
from django.urls import reverse

from safeguarding.case_reviews import services
from safeguarding.case_reviews.models import ReviewType, Theme
from safeguarding.core.models import AuditEvent

NO_VERSION = "does not say which copy of the record it was made from"


def _opened(client, url: str) -> dict:
    """What the form sends back unchanged: its hidden version (none on a form without)."""
    found = re.search(r'name="version" value="(\d+)"', client.get(url).content.decode())
    return {"version": found.group(1)} if found else {}


def _history(obj):
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).order_by("id")


def test_a_review_type_edit_records_what_changed(client_for, cr_manager, types):
    malr = types["malr"]
    c = client_for(cr_manager)
    url = reverse("case_reviews:review_type_edit", args=[malr.pk])
    response = c.post(
        url,
        {
            "name": "Multi-agency learning review (local)",
            "code": "malr",
            "order": malr.order,
            "is_active": "on",
            **_opened(c, url),
        },
    )
    assert response.status_code == 302
    event = _history(malr).last()
    assert event.changes == {
        "name": ["Multi-agency learning review", "Multi-agency learning review (local)"]
    }
    assert event.actor == cr_manager
    assert ReviewType.objects.get(pk=malr.pk).version == 2


def test_a_theme_edit_records_what_changed(client_for, cr_manager, unit):
    theme = services.theme_save(acting_user=unit, theme=None, name="Neglect")
    c = client_for(cr_manager)
    url = reverse("case_reviews:theme_edit", args=[theme.pk])
    response = c.post(url, {"name": "Neglect", **_opened(c, url)})  # no longer offered
    assert response.status_code == 302
    event = _history(theme).last()
    assert event.changes == {"is_active": [True, False]}
    assert Theme.objects.get(pk=theme.pk).version == 2


@pytest.mark.parametrize("kind", ["review_type", "theme"])
def test_a_configuration_edit_without_its_version_is_refused(client_for, cr_manager, unit, kind):
    if kind == "review_type":
        obj = ReviewType.objects.get(code="no_review")
        data = {"name": "Nothing", "code": "no_review", "order": 1, "is_active": "on"}
    else:
        obj = services.theme_save(acting_user=unit, theme=None, name="Neglect")
        data = {"name": "Nothing", "is_active": "on"}
    name_before = obj.name
    response = client_for(cr_manager).post(
        reverse(f"case_reviews:{kind}_edit", args=[obj.pk]), data
    )
    assert response.status_code == 200
    assert NO_VERSION in response.content.decode()
    assert type(obj).objects.get(pk=obj.pk).name == name_before


def test_the_configuration_forms_carry_the_version(client_for, cr_manager, types):
    page = client_for(cr_manager).get(
        reverse("case_reviews:review_type_edit", args=[types["scr"].pk])
    )
    assert 'name="version" value="1"' in page.content.decode()


def test_a_new_review_type_and_theme_need_no_version(client_for, cr_manager):
    c = client_for(cr_manager)
    response = c.post(
        reverse("case_reviews:review_type_create"),
        {"name": "Thematic review", "code": "thematic", "order": 9, "is_active": "on"},
    )
    assert response.status_code == 302
    response = c.post(reverse("case_reviews:theme_create"), {"name": "Bruising", "is_active": "on"})
    assert response.status_code == 302
    page = c.get(reverse("case_reviews:settings")).content.decode()
    assert "Thematic review" in page and "Bruising" in page
    created = _history(ReviewType.objects.get(code="thematic")).get()
    assert created.changes["name"] == [None, "Thematic review"]
