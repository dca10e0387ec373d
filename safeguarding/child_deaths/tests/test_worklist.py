"""The home worklist: agency reporting forms due or overdue for the agency asked (and for
officers), and overdue panel reviews for officers. References only: no child's name."""

import datetime as dt

from safeguarding.child_deaths import services
from safeguarding.core.registers import worklist_for

from .conftest import CHILD, notify

DUE = dt.date(2016, 7, 1)  # the form_request fixture's due date


def mine(user, today):
    return [i for i in worklist_for(user, today) if i.module == "child_deaths"]


def test_the_asked_agency_sees_its_form_due_soon_then_overdue(asked, form_request):
    assert mine(asked, DUE - dt.timedelta(days=15)) == []
    (soon,) = mine(asked, DUE - dt.timedelta(days=14))
    assert (soon.reference, soon.due, soon.overdue) == (form_request.death.reference, DUE, False)
    assert soon.url == f"/child-deaths/forms/{form_request.pk}/"
    assert "Riverside Hospitals NHS Trust" in soon.label
    (late,) = mine(asked, DUE + dt.timedelta(days=1))
    assert late.overdue and CHILD not in late.label + late.reference


def test_a_returned_form_leaves_the_worklist(asked, form_request):
    services.form_return(
        acting_user=asked, form_request=form_request, expected_version=form_request.version,
        involvement="", information="Born at 24 weeks",
    )  # fmt: skip
    assert mine(asked, DUE + dt.timedelta(days=1)) == []


def test_another_agency_and_a_reader_see_nothing(not_asked, cdop_reader, form_request):
    assert mine(not_asked, DUE + dt.timedelta(days=1)) == []
    assert mine(cdop_reader, DUE + dt.timedelta(days=1)) == []


def test_officers_see_every_form_and_overdue_panel_reviews(coordinator, form_request, death):
    reviewed = notify(coordinator, review_date=dt.date(2016, 9, 1), category="8",
                      modifiable_factors="no")  # fmt: skip
    assert reviewed.reference not in {i.reference for i in mine(coordinator, DUE)}
    today = dt.date(2016, 12, 2)  # six months and a day after the death on 1 June 2016
    items = mine(coordinator, today)
    review = [i for i in items if i.label == "Panel review overdue"]
    assert [i.reference for i in review] == [death.reference]
    assert review[0].due == dt.date(2016, 12, 1) and review[0].overdue
    assert review[0].url == f"/child-deaths/{death.pk}/"
    assert any(i.url.endswith(f"/forms/{form_request.pk}/") for i in items)
    assert not any(CHILD in i.label for i in items)
    assert not [i for i in mine(coordinator, dt.date(2016, 12, 1)) if "Panel" in i.label]


def test_contributors_do_not_get_panel_reviews(asked, hospital, coordinator):
    notify(coordinator, owning_agency=hospital)
    assert mine(asked, dt.date(2017, 6, 1)) == []


def test_the_worklist_reads_a_constant_number_of_queries(
    coordinator, death, hospital, django_assert_max_num_queries
):
    for day in range(1, 8):
        later = notify(coordinator, date_of_death=dt.date(2016, 5, day))
        services.form_requests_create(
            acting_user=coordinator, death=later, agencies=[hospital],
            requested_date=dt.date(2016, 6, 3), due_date=dt.date(2016, 7, day),
        )  # fmt: skip
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    with django_assert_max_num_queries(4):
        items = mine(coordinator, dt.date(2017, 1, 1))
    assert len(items) == 7 + 8
