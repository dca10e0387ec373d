"""Action pages: business unit, owning agency, another agency (404), reader, anonymous, 405."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from safeguarding.actions.models import Action


def _plan_url(action, name="actions:plan"):
    return reverse(name, args=[action.source_type_id, action.source_id])


def test_business_unit_sees_all_actions_and_the_plan(
    client_for, unit, police_action, health_action
):
    c = client_for(unit)
    listing = c.get(reverse("actions:list")).content.decode()
    assert police_action.reference in listing and health_action.reference in listing
    plan = c.get(_plan_url(police_action)).content.decode()
    assert "0% complete (0 of 2" in plan
    assert c.get(reverse("actions:close", args=[police_action.pk])).status_code == 200
    assert c.get(reverse("actions:edit", args=[police_action.pk])).status_code == 200


def test_agency_sees_and_updates_only_its_own_actions(
    client_for, police_user, police_action, health_action
):
    c = client_for(police_user)
    mine = c.get(reverse("actions:mine")).content.decode()
    assert police_action.reference in mine and health_action.reference not in mine
    assert health_action.reference not in c.get(reverse("actions:list")).content.decode()
    assert c.get(reverse("actions:detail", args=[health_action.pk])).status_code == 404
    assert c.get(reverse("actions:progress", args=[health_action.pk])).status_code == 404
    response = c.post(
        reverse("actions:progress", args=[police_action.pk]),
        {
            "status": "on_track",
            "note": "Briefings booked",
            "date_0": "1",
            "date_1": "10",
            "date_2": "2016",
            "version": police_action.version,
        },
    )
    assert response.status_code == 302
    detail = c.get(reverse("actions:detail", args=[police_action.pk])).content.decode()
    assert "Briefings booked" in detail
    plan = c.get(_plan_url(police_action)).content.decode()
    assert health_action.reference not in plan
    assert c.get(reverse("actions:close", args=[police_action.pk])).status_code == 403


def test_close_without_evidence_shows_an_error(client_for, unit, police_action):
    c = client_for(unit)
    response = c.post(
        reverse("actions:close", args=[police_action.pk]),
        {
            "evidence": "",
            "date_0": "5",
            "date_1": "1",
            "date_2": "2017",
            "version": police_action.version,
        },
    )
    assert response.status_code == 200
    assert "cannot be closed without it" in response.content.decode()
    assert Action.objects.get(pk=police_action.pk).status == "not_started"
    response = c.post(
        reverse("actions:close", args=[police_action.pk]),
        {
            "evidence": "Attendance list",
            "date_0": "5",
            "date_1": "1",
            "date_2": "2017",
            "version": police_action.version,
        },
    )
    assert response.status_code == 302
    assert Action.objects.get(pk=police_action.pk).status == "closed"


def test_overdue_action_is_red_in_the_list(client_for, unit, police_action):
    assert police_action.due_date < dt.date.today()
    page = client_for(unit).get(reverse("actions:list") + "?due=overdue").content.decode()
    assert police_action.reference in page
    assert "govuk-tag--red" in page and "Overdue" in page


def test_filters_by_source_agency_and_status(
    client_for, unit, police_action, health_action, hospital
):
    c = client_for(unit)
    page = c.get(reverse("actions:list"), {"agency": hospital.pk}).content.decode()
    assert health_action.reference in page and police_action.reference not in page
    page = c.get(reverse("actions:list"), {"status": "closed"}).content.decode()
    assert "No actions match" in page
    page = c.get(reverse("actions:list"), {"source_module": "case_reviews"}).content.decode()
    assert police_action.reference in page


def test_plan_csv_and_print(client_for, unit, police_action):
    c = client_for(unit)
    police_action.description = "=HYPERLINK(1)"
    police_action.save()
    csv = c.get(_plan_url(police_action, "actions:plan_csv")).content.decode()
    assert csv.splitlines()[0].startswith("reference,source,description")
    assert "'=HYPERLINK(1)" in csv
    printable = c.get(_plan_url(police_action) + "?print=1").content.decode()
    assert "Action plan: CR-2016-17-001 Case Q" in printable and "sg-header" not in printable


def test_plan_of_an_unknown_source_is_404(client_for, unit):
    ct = ContentType.objects.get_for_model(Action)
    assert client_for(unit).get(reverse("actions:plan", args=[ct.pk, "999"])).status_code == 404


def test_reader_gets_figures_only(client_for, cr_reader, police_action):
    c = client_for(cr_reader)
    for url in [
        reverse("actions:list"),
        reverse("actions:mine"),
        reverse("actions:detail", args=[police_action.pk]),
        _plan_url(police_action),
    ]:
        assert c.get(url).status_code == 403, url
    page = c.get(reverse("actions:figures")).content.decode()
    assert "Brief all officers" not in page
    assert "Metropolitan Police" in page


@pytest.mark.parametrize("name", ["actions:list", "actions:mine", "actions:figures"])
def test_anonymous_goes_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith("/sign-in/")


def test_wrong_method_is_405(client_for, unit, police_action):
    c = client_for(unit)
    assert c.post(reverse("actions:detail", args=[police_action.pk])).status_code == 405
    assert c.post(_plan_url(police_action)).status_code == 405
    assert c.delete(reverse("actions:progress", args=[police_action.pk])).status_code == 405


def test_list_uses_a_constant_number_of_queries(client_for, unit, referral, police):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeguarding.case_reviews import services as review_services

    def make(n):
        for i in range(n):
            review_services.referral_action_add(
                acting_user=unit,
                referral=referral,
                description=f"Action {i}",
                owning_agency=police,
                due_date=dt.date(2017, 1, 1 + i),
            )

    c = client_for(unit)
    make(2)
    c.get(reverse("actions:list"))
    with CaptureQueriesContext(connection) as few:
        c.get(reverse("actions:list"))
    make(8)
    with CaptureQueriesContext(connection) as many:
        c.get(reverse("actions:list"))
    assert len(many) == len(few)
