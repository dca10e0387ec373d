"""Optimistic locking on every versioned child-death edit: a notification, the joint agency
response, the panel review and an agency's reporting form are saved only from the copy the
form was made from. A form without its version is refused exactly like a stale one, so an
edit can never silently overwrite a colleague's change."""

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.child_deaths import services
from safeguarding.core.writes import StaleRecord

from .test_view_notify import date, notification

NO_VERSION = "does not say which copy of the record it was made from"
STALE = "Someone else changed this record after you opened it"


# ---- the defect: an edit posted without its version overwrote a colleague's change ----------


def test_an_edit_posted_without_its_version_keeps_a_colleagues_change(
    client_for, coordinator, death, council
):
    """Before: /child-deaths/N/edit/ without ``version`` was saved over the colleague's
    home area. Now it is refused with a message and the colleague's change stays."""
    services.death_update(
        acting_user=coordinator, death=death, expected_version=death.version, home_area="Eastside"
    )
    data = notification(council, home_area="Westside")
    data.pop("version", None)
    response = client_for(coordinator).post(reverse("child_deaths:edit", args=[death.pk]), data)
    assert response.status_code == 200 and NO_VERSION in response.content.decode()
    death.refresh_from_db()
    assert death.home_area == "Eastside" and death.version == 2


def test_an_edit_from_its_current_version_is_saved(client_for, coordinator, death, council):
    data = notification(council, home_area="Westside", version=death.version)
    response = client_for(coordinator).post(reverse("child_deaths:edit", args=[death.pk]), data)
    assert response.status_code == 302
    death.refresh_from_db()
    assert death.home_area == "Westside" and death.version == 2


# ---- every versioned edit, at the service ---------------------------------------------------


def _edit_notification(death, form_request, user, version):
    return services.death_update(
        acting_user=user, death=death, expected_version=version, home_area="Y"
    )


def _jar(death, form_request, user, version):
    return services.jar_record(
        acting_user=user, death=death, expected_version=version, jar_date=dt.date(2016, 6, 3)
    )


def _review(death, form_request, user, version):
    return services.review_record(
        acting_user=user, death=death, expected_version=version, review_date=dt.date(2016, 9, 1),
        category="8", modifiable_factors="no",
    )  # fmt: skip


def _form_return(death, form_request, user, version):
    return services.form_return(
        acting_user=user, form_request=form_request, expected_version=version,
        involvement="", information="Born at 24 weeks",
    )  # fmt: skip


SERVICES = {
    "notification": _edit_notification,
    "jar": _jar,
    "review": _review,
    "form_return": _form_return,
}


@pytest.mark.parametrize("edit", SERVICES)
@pytest.mark.parametrize(
    ("version", "message"), [(None, NO_VERSION), (0, STALE)], ids=["missing", "stale"]
)
def test_each_service_refuses_a_missing_or_stale_version(
    death, form_request, coordinator, edit, version, message
):
    before = (death.version, form_request.version)
    with pytest.raises(StaleRecord) as refused:
        SERVICES[edit](death, form_request, coordinator, version)
    assert message in str(refused.value)
    death.refresh_from_db()
    form_request.refresh_from_db()
    assert (death.version, form_request.version) == before
    assert death.home_area == "Northbank" and death.jar_date is None
    assert death.review_date is None and not form_request.is_returned


@pytest.mark.parametrize("edit", SERVICES)
def test_each_service_saves_from_the_current_version(death, form_request, coordinator, edit):
    target = form_request if edit == "form_return" else death
    saved = SERVICES[edit](death, form_request, coordinator, target.version)
    assert saved.version == target.version + 1


# ---- every versioned edit, through its page --------------------------------------------------


def _page(name, death, form_request):
    if name == "form_detail":
        return reverse("child_deaths:form_detail", args=[form_request.pk]), form_request
    return reverse(f"child_deaths:{name}", args=[death.pk]), death


PAGES = {
    "jar": {"jar_attendees": "Paediatrician", **date("jar_date", dt.date(2016, 6, 3))},
    "review": {
        "category": "8",
        "modifiable_factors": "no",
        **date("review_date", dt.date(2016, 9, 1)),
    },  # fmt: skip
    "form_detail": {"involvement": "NICU", "information": "Born at 24 weeks"},
}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    ("version", "message"), [(None, NO_VERSION), ("stale", STALE)], ids=["missing", "stale"]
)
def test_each_page_refuses_a_missing_or_stale_version(
    client_for, coordinator, death, form_request, name, version, message
):
    url, record = _page(name, death, form_request)
    data = dict(PAGES[name])
    if version == "stale":
        data["version"] = record.version
        # A colleague saves first, from the same copy.
        SERVICES["form_return" if name == "form_detail" else name](
            death, form_request, coordinator, record.version
        )
    record.refresh_from_db()
    stored = record.version
    response = client_for(coordinator).post(url, data)
    assert response.status_code == 200 and message in response.content.decode()
    record.refresh_from_db()
    assert record.version == stored
    if version is None:  # nothing at all was saved
        death.refresh_from_db()
        form_request.refresh_from_db()
        assert death.jar_date is None and death.review_date is None
        assert not form_request.is_returned


@pytest.mark.parametrize("name", PAGES)
def test_each_page_carries_the_version_it_was_made_from(
    client_for, coordinator, death, form_request, name
):
    url, record = _page(name, death, form_request)
    html = client_for(coordinator).get(url).content.decode()
    assert f'name="version" value="{record.version}"' in html
    response = client_for(coordinator).post(url, {**PAGES[name], "version": record.version})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.version == 2
