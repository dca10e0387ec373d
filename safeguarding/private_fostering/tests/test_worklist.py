"""The register's worklist (the home page's "due and overdue"): statutory visits of
arrangements in place, by reference only, for the records the user may see."""

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.core import registers
from safeguarding.private_fostering import services
from safeguarding.private_fostering.register import REGISTER

from .conftest import visit_made

LATER = dt.date(2017, 1, 1)


@pytest.mark.django_db
def test_an_overdue_visit_is_listed_by_reference_with_its_rule(pf_officer, notification):
    [item] = registers.worklist_for(pf_officer, LATER)
    assert item.module == "private_fostering"
    assert item.reference == notification.reference
    assert item.label == "First statutory visit"
    assert item.due == dt.date(2016, 5, 18) and item.overdue
    assert item.url == reverse("private_fostering:detail", args=[notification.pk])
    assert "Regulations 2005" in item.rule
    assert "Zebedee" not in repr(item) and "Quartermaine" not in repr(item)


@pytest.mark.django_db
def test_a_visit_is_listed_within_the_reminder_window_only(pf_officer, notification):
    [item] = REGISTER.worklist(pf_officer, dt.date(2016, 5, 10))  # due in 8 days
    assert not item.overdue
    assert list(REGISTER.worklist(pf_officer, dt.date(2016, 5, 1))) == []  # in 17 days


@pytest.mark.django_db
def test_the_next_visit_follows_the_one_made_and_an_ended_arrangement_drops_out(
    pf_officer, notification
):
    visit_made(pf_officer, notification)
    [item] = REGISTER.worklist(pf_officer, LATER)
    assert item.label == "Statutory visit 2" and item.due == dt.date(2016, 6, 28)
    notification.refresh_from_db()
    services.arrangement_update(
        acting_user=pf_officer,
        notification=notification,
        expected_version=notification.version,
        arrangement_start_date=dt.date(2016, 5, 9),
        arrangement_end_date=dt.date(2016, 6, 1),
        end_reason="returned_home",
    )
    assert list(REGISTER.worklist(pf_officer, LATER)) == []


@pytest.mark.django_db
def test_each_user_sees_only_what_they_may(pf_owner, pf_outsider, pf_reader, notification):
    assert [i.reference for i in registers.worklist_for(pf_owner, LATER)] == [
        notification.reference
    ]
    assert registers.worklist_for(pf_outsider, LATER) == []
    assert registers.worklist_for(pf_reader, LATER) == []  # figures only


@pytest.mark.django_db
def test_the_cost_does_not_grow_with_the_visits(
    pf_officer, notification, django_assert_max_num_queries
):
    for i in range(6):
        services.notification_create(
            acting_user=pf_officer,
            notification_date=dt.date(2016, 6, 1),
            child_date_of_birth=dt.date(2012, 1, 1),
            carer_relationship="family_friend",
            intended_duration_days=100,
            arrangement_start_date=dt.date(2016, 6, 1 + i),
            category="other",
        )
    with django_assert_max_num_queries(3):
        items = list(REGISTER.worklist(pf_officer, LATER))
    assert len(items) == 7


# ---- the visit clocks across a weekend and a bank holiday ---------------------------------
# The first visit: 7 working days from the authority becoming aware (regs 4 and 7). Aware
# on Friday 22 August 2025 (before the summer bank holiday, Monday 25 August): due
# Wednesday 3 September. Aware on Good Friday 2025 (18 April): Easter Monday skipped, due
# Wednesday 30 April. The next visits: at most 6 weeks on (reg 8), a deadline on a bank
# holiday moving back to the working day before.


def _arrangement(pf_officer, notified, started):
    return services.notification_create(
        acting_user=pf_officer,
        notification_date=notified,
        child_date_of_birth=dt.date(2012, 1, 1),
        carer_relationship="family_friend",
        intended_duration_days=300,
        arrangement_start_date=started,
        category="other",
    )


def _due_and_overdue(user, today):
    return [(i.reference, i.due, i.overdue) for i in REGISTER.worklist(user, today)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "aware, due",
    [
        (dt.date(2025, 8, 22), dt.date(2025, 9, 3)),  # the Friday before the summer holiday
        (dt.date(2025, 4, 18), dt.date(2025, 4, 30)),  # Good Friday
    ],
)
def test_first_visit_due_seven_working_days_on_overdue_the_day_after(pf_officer, aware, due):
    n = _arrangement(pf_officer, aware, aware - dt.timedelta(days=10))
    day = dt.timedelta(days=1)
    assert _due_and_overdue(pf_officer, due - day) == [(n.reference, due, False)]
    assert _due_and_overdue(pf_officer, due) == [(n.reference, due, False)]
    assert _due_and_overdue(pf_officer, due + day) == [(n.reference, due, True)]
    [item] = REGISTER.worklist(pf_officer, due)
    assert item.label == "First statutory visit"
    assert item.rule.startswith("7 working days from the authority becoming aware")
    assert "from 1 July 2005" in item.rule


@pytest.mark.django_db
def test_a_six_week_visit_due_on_a_bank_holiday_is_due_the_friday_before(pf_officer):
    n = _arrangement(pf_officer, dt.date(2025, 7, 2), dt.date(2025, 7, 1))
    visit_made(pf_officer, n, day=dt.date(2025, 7, 14))
    # 14 July + 6 weeks = Monday 25 August 2025, the summer bank holiday: Friday 22 August.
    due = dt.date(2025, 8, 22)
    assert _due_and_overdue(pf_officer, dt.date(2025, 8, 21)) == [(n.reference, due, False)]
    assert _due_and_overdue(pf_officer, due) == [(n.reference, due, False)]
    assert _due_and_overdue(pf_officer, dt.date(2025, 8, 23)) == [(n.reference, due, True)]
    [item] = REGISTER.worklist(pf_officer, due)
    assert item.label == "Statutory visit 2" and "reg 8" in item.rule
