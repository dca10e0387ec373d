"""Issue 15: the visit schedule follows the Children (Private Arrangements for Fostering)
Regulations 2005 exactly, imported records get it, arrangements end at 16 (18 if
disabled), and the Schedule 8 exemptions are recordable. Each example here failed on the
code before: it scheduled nothing until an arrangement began, counted the first year from
the start, gave imported records no visits and never ended an arrangement by age."""

import datetime as dt

import pytest
from django.core.management import call_command

from safeguarding.core.models import AuditEvent
from safeguarding.core.periods import FinancialYear
from safeguarding.private_fostering import reports, rules, services
from safeguarding.private_fostering.models import Notification, Visit

D = dt.date


def _schedule(aware, start, until, visits_made=()):
    return rules.next_visit(
        decision="private_fostering",
        aware=aware,
        arrangement_start=start,
        arrangement_end=None,
        visits_made=list(visits_made),
    )


# ---- regulation 4: a proposed arrangement is visited before it begins ---------------------


def test_reg4_notified_2_january_2017_of_a_13_february_start_first_visit_by_11_january():
    # Monday 2 January 2017 was the New Year bank holiday: 7 working days are 3-6 and 9-11
    # January (a weekend and a bank holiday crossed).
    assert _schedule(D(2017, 1, 2), D(2017, 2, 13), None) == ("reg4", D(2017, 1, 11))
    # Before it begins (no start recorded yet) the same visit is due.
    assert _schedule(D(2017, 1, 2), None, None) == ("reg4", D(2017, 1, 11))
    # Once the reg 4 visit is made, nothing is due until the child moves in...
    assert _schedule(D(2017, 1, 2), None, None, [D(2017, 1, 10)]) is None
    # ...then a visit within 7 working days of the start (reg 7): 13 February + 7 = 22nd.
    assert _schedule(D(2017, 1, 2), D(2017, 2, 13), None, [D(2017, 1, 10)]) == (
        "reg7",
        D(2017, 2, 22),
    )
    # A visit made on the start day or later serves as the reg 7 visit: then 6 weeks.
    assert _schedule(D(2017, 1, 2), D(2017, 2, 13), None, [D(2017, 1, 10), D(2017, 2, 13)]) == (
        "reg8",
        D(2017, 3, 27),
    )


def test_reg4_visit_not_made_stays_due_from_its_own_date_after_the_start():
    assert _schedule(D(2017, 1, 2), D(2017, 1, 5), None) == ("reg4", D(2017, 1, 11))


def test_a_notification_after_the_start_is_visited_under_reg7_from_the_notification():
    assert _schedule(D(2016, 9, 5), D(2016, 9, 1), None) == ("reg7", D(2016, 9, 14))
    # The same day: notified the day it began.
    assert _schedule(D(2016, 9, 1), D(2016, 9, 1), None) == ("reg7", D(2016, 9, 12))


@pytest.mark.django_db
def test_a_proposal_saved_on_the_web_gets_its_reg4_visit(pf_officer):
    n = services.notification_create(
        acting_user=pf_officer,
        notification_date=D(2017, 1, 2),
        child_date_of_birth=D(2012, 3, 1),
        carer_relationship="family_friend",
        intended_start_date=D(2017, 2, 13),
        intended_duration_days=200,
        category="other",
    )
    assert n.status == "proposed"
    assert list(n.visits.values_list("rule", "due_date", "visit_date")) == [
        ("reg4", D(2017, 1, 11), None)
    ]
    services.visit_record(
        acting_user=pf_officer,
        notification=n,
        visit_date=D(2017, 1, 9),
        seen_alone=True,
        report_written=True,
    )
    assert not n.visits.filter(visit_date__isnull=True).exists()  # nothing until it begins
    n = services.arrangement_update(
        acting_user=pf_officer,
        notification=Notification.objects.get(pk=n.pk),
        expected_version=Notification.objects.get(pk=n.pk).version,
        arrangement_start_date=D(2017, 2, 13),
        arrangement_end_date=None,
    )
    open_visit = n.visits.get(visit_date__isnull=True)
    assert (open_visit.sequence, open_visit.rule, open_visit.due_date) == (
        2,
        "reg7",
        D(2017, 2, 22),
    )


# ---- regulation 8(6): the first year runs from when the authority became aware -----------


def test_reg8_6_began_1_september_2016_aware_1_june_2017_six_weekly_until_june_2018():
    start, aware = D(2016, 9, 1), D(2017, 6, 1)
    assert rules.first_year_start(aware=aware, arrangement_start=start) == aware
    # First visit: 7 working days from 1 June 2017 (reg 7).
    assert _schedule(aware, start, None) == ("reg7", D(2017, 6, 12))
    # A visit in October 2017 (after the start's anniversary): still 6 weeks, not 12.
    assert _schedule(aware, start, None, [D(2017, 6, 12), D(2017, 10, 2)]) == (
        "reg8",
        D(2017, 11, 13),
    )
    # The last day of the first year (31 May 2018) still gets 6 weeks; 1 June, 12.
    assert _schedule(aware, start, None, [D(2018, 5, 31)])[1] == D(2018, 7, 12)
    assert _schedule(aware, start, None, [D(2018, 6, 1)])[1] == D(2018, 8, 24)


def test_reg8_first_year_of_a_proposal_runs_from_the_start():
    # Aware before it began: the arrangement's year begins when it does.
    assert rules.first_year_start(aware=D(2017, 1, 2), arrangement_start=D(2017, 2, 13)) == D(
        2017, 2, 13
    )
    assert rules.interval_weeks(D(2018, 2, 12), D(2017, 2, 13)) == 6
    assert rules.interval_weeks(D(2018, 2, 13), D(2017, 2, 13)) == 12


def test_the_schedule_stops_when_the_arrangement_ends():
    step = rules.next_visit(
        decision="private_fostering",
        aware=D(2016, 9, 1),
        arrangement_start=D(2016, 9, 1),
        arrangement_end=D(2016, 9, 12),
        visits_made=[],
    )
    assert step == ("reg7", D(2016, 9, 12))  # due on the last day: still due
    assert (
        rules.next_visit(
            decision="private_fostering",
            aware=D(2016, 9, 1),
            arrangement_start=D(2016, 9, 1),
            arrangement_end=D(2016, 9, 9),
            visits_made=[],
        )
        is None
    )
    assert (
        rules.next_visit(
            decision="not_private_fostering",
            aware=D(2016, 9, 1),
            arrangement_start=None,
            arrangement_end=None,
            visits_made=[],
        )
        is None
    )


# ---- imported records get their schedule; the aware date is a column ---------------------

HEADER = (
    "reference,notification_date,child_date_of_birth,child_disabled,carer_relationship,"
    "arrangement_start_date,arrangement_end_date,category,authority_aware_date,exclusion\n"
)


def run(tmp_path, text):
    path = tmp_path / "pf.csv"
    path.write_text(HEADER + text)
    call_command("import", "private-fostering", str(path))


@pytest.mark.django_db
def test_imported_notifications_get_their_visit_schedule_and_are_counted(tmp_path):
    run(
        tmp_path,
        "IMP1,2017-06-01,2012-01-01,no,family_friend,2016-09-01,,other,,\n"
        "IMP2,2017-01-02,2012-01-01,no,host_family,2017-02-13,,language_student,,\n"
        "IMP3,2017-06-05,2012-01-01,no,host_family,2016-09-01,,other,2017-06-01,\n",
    )
    due = dict(Visit.objects.values_list("notification__reference", "due_date"))
    assert due == {
        "IMP1": D(2017, 6, 12),  # reg 7, from the notification
        "IMP2": D(2017, 1, 11),  # reg 4, from the notification of the proposal
        "IMP3": D(2017, 6, 12),  # from authority_aware_date, not the notification
    }
    assert Notification.objects.get(reference="IMP3").aware_date == D(2017, 6, 1)
    assert reports.year_report(FinancialYear(2016))["visits"]["due"] == 1
    assert reports.year_report(FinancialYear(2017))["visits"]["due"] == 2
    # Re-importing the same file changes nothing, and schedules nothing twice.
    run(
        tmp_path,
        "IMP1,2017-06-01,2012-01-01,no,family_friend,2016-09-01,,other,,\n"
        "IMP2,2017-01-02,2012-01-01,no,host_family,2017-02-13,,language_student,,\n"
        "IMP3,2017-06-05,2012-01-01,no,host_family,2016-09-01,,other,2017-06-01,\n",
    )
    assert Visit.objects.count() == 3


@pytest.mark.django_db
def test_authority_aware_after_the_notification_is_refused_naming_the_column(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        run(tmp_path, "IMP1,2017-06-01,2012-01-01,no,family_friend,2016-09-01,,other,2017-06-02,\n")
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "row 2, column authority_aware_date:" in err
    assert not Notification.objects.exists()


# ---- the child's 16th birthday (18th if disabled) ends the arrangement ---------------------


SEPTEMBER_2016 = D(2016, 9, 1)


def _arrangement(user, *, born, disabled=False, start=SEPTEMBER_2016):
    """An arrangement in place from ``start``, its child born on ``born``."""
    return services.notification_create(
        acting_user=user,
        notification_date=start,
        child_date_of_birth=born,
        child_disabled=disabled,
        carer_relationship="family_friend",
        arrangement_start_date=start,
        intended_duration_days=400,
        category="other",
    )


def test_aged_out_on_the_birthday_itself_not_the_day_before():
    kwargs = dict(date_of_birth=D(2001, 3, 31), disabled=False, arrangement_start=D(2016, 9, 1))
    assert rules.aged_out(**kwargs, arrangement_end=None, today=D(2017, 3, 30)) is None
    assert rules.aged_out(**kwargs, arrangement_end=None, today=D(2017, 3, 31)) == D(2017, 3, 31)
    # Recorded as ending on or before the birthday: nothing to change.
    assert rules.aged_out(**kwargs, arrangement_end=D(2017, 3, 31), today=D(2018, 1, 1)) is None
    assert rules.aged_out(**kwargs, arrangement_end=D(2017, 4, 1), today=D(2018, 1, 1)) == D(
        2017, 3, 31
    )
    # Disabled: the 18th birthday.
    assert rules.age_limit_date(D(2001, 3, 31), True) == D(2019, 3, 31)
    # Born on 29 February: 18 on 1 March when that year has no 29 February.
    assert rules.age_limit_date(D(2004, 2, 29), True) == D(2022, 3, 1)


@pytest.mark.django_db
def test_an_arrangement_ends_on_the_16th_birthday_with_the_reason(pf_officer):
    n = _arrangement(pf_officer, born=D(2001, 3, 31), disabled=False)
    assert (n.arrangement_end_date, n.end_reason, n.status) == (D(2017, 3, 31), "age", "ended")
    # Not in place on 31 March 2017, the birthday; in place the day before.
    assert not Notification.objects.filter(reports.in_place_on(D(2017, 3, 31))).exists()
    assert Notification.objects.filter(reports.in_place_on(D(2017, 3, 30))).exists()
    assert reports.year_report(FinancialYear(2016))["active_at_year_end"] == 0


@pytest.mark.django_db
def test_disabled_child_is_privately_fostered_until_18(pf_officer):
    n = _arrangement(pf_officer, born=D(2001, 3, 31), disabled=True)
    assert n.age_limit_date == D(2019, 3, 31)
    assert (n.arrangement_end_date, n.end_reason) == (D(2019, 3, 31), "age")
    assert reports.year_report(FinancialYear(2016))["active_at_year_end"] == 1


@pytest.mark.django_db
def test_the_daily_run_ends_arrangements_at_age_and_cancels_their_visits(pf_officer):
    today = dt.date.today()
    birthday = today + dt.timedelta(days=3)
    start = today - dt.timedelta(days=30)
    n = _arrangement(pf_officer, born=rules.birthday(birthday, -16), start=start)
    services.visit_record(
        acting_user=pf_officer,
        notification=n,
        visit_date=start + dt.timedelta(days=5),
        seen_alone=True,
        report_written=True,
    )
    assert n.visits.get(visit_date__isnull=True).due_date > birthday
    # The day before its birthday nothing happens; on it, the arrangement ends.
    call_command("private_fostering_reminders", date=f"{birthday - dt.timedelta(days=1)}")
    assert Notification.objects.get(pk=n.pk).arrangement_end_date is None
    call_command("private_fostering_reminders", date=f"{birthday}")
    n = Notification.objects.get(pk=n.pk)
    assert (n.arrangement_end_date, n.end_reason, n.status) == (birthday, "age", "ended")
    assert not n.visits.filter(visit_date__isnull=True).exists()
    event = AuditEvent.objects.filter(object_id=str(n.pk)).order_by("-seq").first()
    assert event.summary == "Arrangement ended: the child reached 16"
    assert event.changes["end_reason"] == ["", "age"]
    assert event.changes["visit schedule"][1] == "scheduled visit cancelled: the child reached 16"


@pytest.mark.django_db
def test_figures_leave_out_a_child_past_the_age_limit_before_the_daily_run(pf_officer):
    n = _arrangement(pf_officer, born=D(2012, 3, 31))
    # As if its 16th birthday had been 1 January 2017 and nothing had run since.
    Notification.objects.filter(pk=n.pk).update(age_limit_date=D(2017, 1, 1))
    assert reports.year_report(FinancialYear(2016))["active_at_year_end"] == 0
    assert reports.year_report(FinancialYear(2016))["arrangements_in_year"] == 1


# ---- the Schedule 8 exemptions -------------------------------------------------------------


def test_an_exemption_makes_it_not_private_fostering_with_the_reason():
    decision = rules.definition(
        child_date_of_birth=D(2010, 1, 1),
        child_disabled=False,
        carer_relationship="family_friend",
        start=D(2016, 9, 1),
        intended_duration_days=100,
        exclusion="hospital",
    )
    assert decision.code == "not_private_fostering"
    assert "accommodated in a hospital or care home (Children Act 1989, Schedule 8)" in (
        decision.reason
    )


@pytest.mark.django_db
def test_an_imported_exemption_refuses_arrangement_dates_and_is_stored(tmp_path, capsys):
    run(tmp_path, "EX1,2016-09-01,2010-01-01,no,family_friend,,,other,,school\n")
    n = Notification.objects.get(reference="EX1")
    assert (n.exclusion, n.decision) == ("school", "not_private_fostering")
    assert not n.visits.exists()
    with pytest.raises(SystemExit):
        run(tmp_path, "EX2,2016-09-01,2010-01-01,no,family_friend,2016-09-01,,other,,school\n")
    assert "row 2, column arrangement_start_date: must be blank" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run(tmp_path, "EX3,2016-09-01,2010-01-01,no,family_friend,,,other,,boarding\n")
    assert "row 2, column exclusion:" in capsys.readouterr().err


# ---- every comparison pinned at its edge (bench/mutation.py) --------------------------------


def test_dates_on_the_same_day_are_accepted_one_day_out_refused():
    day = D(2016, 9, 1)

    def fields(**kwargs):
        return {name for name, _ in rules.notification_problems(today=D(2017, 1, 1), **kwargs)}

    # Born on the day of the notification, or of the start: accepted; a day later: refused.
    assert "child_date_of_birth" not in fields(notification_date=day, child_date_of_birth=day)
    assert "child_date_of_birth" in fields(
        notification_date=day, child_date_of_birth=day + dt.timedelta(days=1)
    )
    assert "child_date_of_birth" not in fields(
        notification_date=D(2016, 12, 1), child_date_of_birth=day, arrangement_start_date=day
    )
    assert "child_date_of_birth" in fields(
        notification_date=D(2016, 12, 1),
        child_date_of_birth=day + dt.timedelta(days=1),
        arrangement_start_date=day,
    )
    # Ending the day it began: accepted; the day before: refused.
    assert "arrangement_end_date" not in fields(
        notification_date=day, arrangement_start_date=day, arrangement_end_date=day
    )
    assert "arrangement_end_date" in fields(
        notification_date=day,
        arrangement_start_date=day,
        arrangement_end_date=day - dt.timedelta(days=1),
    )
    # Aware on the day of the notification: accepted; the day after: refused.
    assert "aware_date" not in fields(notification_date=day, aware_date=day)
    assert "aware_date" in fields(notification_date=day, aware_date=day + dt.timedelta(days=1))


def test_a_stay_of_exactly_28_days_has_lasted_long_enough():
    def decide(days):
        return rules.definition(
            child_date_of_birth=D(2010, 1, 1),
            child_disabled=False,
            carer_relationship="family_friend",
            start=D(2016, 9, 1),
            arrangement_start_date=D(2016, 9, 1),
            arrangement_end_date=D(2016, 9, 1) + dt.timedelta(days=days),
        )

    assert "the stay has lasted 28 days or more" in decide(28).met
    assert "the intended length of the stay" in decide(27).unknown


def test_the_schedule_includes_a_visit_due_on_its_last_day():
    dates = [
        due
        for _, due in rules.visit_schedule(
            aware=D(2016, 9, 1), arrangement_start=D(2016, 9, 1), until=D(2016, 9, 12)
        )
    ]
    assert dates == [D(2016, 9, 12)]
    assert (
        rules.visit_schedule(
            aware=D(2016, 9, 1), arrangement_start=D(2016, 9, 1), until=D(2016, 9, 11)
        )
        == []
    )


def test_a_child_16_on_the_day_it_began_never_ages_out_of_it():
    # 16 on the start day: never private fostering (the definition), so nothing to end.
    kwargs = dict(
        date_of_birth=D(2000, 9, 1), disabled=False, arrangement_end=None, today=D(2017, 1, 1)
    )
    assert rules.aged_out(**kwargs, arrangement_start=D(2016, 9, 1)) is None
    assert rules.aged_out(**kwargs, arrangement_start=D(2016, 8, 31)) == D(2016, 9, 1)
