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


# ---- the clocks across a weekend and a bank holiday (rules.AGENCY_FORM, PANEL_REVIEW) -----


def _form_items(user, today):
    return [(i.due, i.overdue) for i in mine(user, today) if "reporting form" in i.label]


def test_a_form_due_on_a_bank_holiday_is_overdue_from_the_day_after(asked, coordinator, hospital):
    """Requested on Friday 22 August 2025, due on the date given: Monday 25 August, the
    summer bank holiday. A given date is not moved: on time all that day, overdue on 26th."""
    death = notify(
        coordinator, date_of_birth=dt.date(2025, 1, 10), date_of_death=dt.date(2025, 8, 20),
        notification_date=dt.date(2025, 8, 21),
    )  # fmt: skip
    services.form_requests_create(
        acting_user=coordinator, death=death, agencies=[hospital],
        requested_date=dt.date(2025, 8, 22), due_date=dt.date(2025, 8, 25),
    )  # fmt: skip
    due = dt.date(2025, 8, 25)
    assert _form_items(asked, dt.date(2025, 8, 24)) == [(due, False)]
    assert _form_items(asked, due) == [(due, False)]
    assert _form_items(asked, dt.date(2025, 8, 26)) == [(due, True)]
    (item,) = mine(asked, due)
    assert item.rule.startswith("By the date given when the form was requested (")


def test_a_form_requested_on_good_friday_due_easter_monday(asked, coordinator, hospital):
    death = notify(
        coordinator, date_of_birth=dt.date(2025, 1, 10), date_of_death=dt.date(2025, 4, 16),
        notification_date=dt.date(2025, 4, 17),
    )  # fmt: skip
    services.form_requests_create(
        acting_user=coordinator, death=death, agencies=[hospital],
        requested_date=dt.date(2025, 4, 18), due_date=dt.date(2025, 4, 21),
    )  # fmt: skip
    due = dt.date(2025, 4, 21)
    assert _form_items(asked, dt.date(2025, 4, 20)) == [(due, False)]
    assert _form_items(asked, due) == [(due, False)]
    assert _form_items(asked, dt.date(2025, 4, 22)) == [(due, True)]


def test_panel_review_of_a_good_friday_death_overdue_from_the_day_after_six_months(coordinator):
    """Died on Good Friday 2025 (18 April): review due 18 October 2025, a Saturday (calendar
    months: neither the bank holidays nor the weekend move it)."""
    death = notify(
        coordinator, date_of_birth=dt.date(2025, 1, 10), date_of_death=dt.date(2025, 4, 18),
        notification_date=dt.date(2025, 4, 22),
    )  # fmt: skip
    assert death.review_due == dt.date(2025, 10, 18)

    def reviews(today):
        return [(i.reference, i.due, i.overdue) for i in mine(coordinator, today)
                if i.label == "Panel review overdue"]  # fmt: skip

    assert reviews(dt.date(2025, 10, 17)) == []  # the day before
    assert reviews(dt.date(2025, 10, 18)) == []  # the due date: not yet overdue
    assert reviews(dt.date(2025, 10, 19)) == [(death.reference, dt.date(2025, 10, 18), True)]
    assert not death.review_overdue(dt.date(2025, 10, 18))
    assert death.review_overdue(dt.date(2025, 10, 19))


def test_child_death_review_clocks_apply_from_1_april_2008(coordinator):
    """Child death reviews began on 1 April 2008 (LSCB Regulations 2006 reg 6): an older
    death has no panel review clock, so it is never on the worklist as overdue."""
    from safeguarding.child_deaths.rules import PANEL_REVIEW

    assert PANEL_REVIEW.effective == dt.date(2008, 4, 1)
    old = notify(
        coordinator, date_of_birth=dt.date(2007, 1, 10), date_of_death=dt.date(2008, 3, 31),
        notification_date=dt.date(2008, 4, 2),
    )  # fmt: skip
    first = notify(
        coordinator, date_of_birth=dt.date(2007, 1, 10), date_of_death=dt.date(2008, 4, 1),
        notification_date=dt.date(2008, 4, 2),
    )  # fmt: skip
    assert old.review_due is None and not old.review_overdue(dt.date(2026, 1, 1))
    assert first.review_due == dt.date(2008, 10, 1)
    refs = [i.reference for i in mine(coordinator, dt.date(2009, 1, 1))]
    assert first.reference in refs and old.reference not in refs
