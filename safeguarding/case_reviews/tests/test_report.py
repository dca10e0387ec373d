"""The case-reviews report: keys of the issue 6 contract, counted for the year."""

import datetime as dt
import json
from io import StringIO

from django.core.management import call_command

from safeguarding.actions import services as action_services
from safeguarding.case_reviews import services
from safeguarding.case_reviews.reports import themes_across_reviews, year_report
from safeguarding.core.periods import FinancialYear

Y = FinancialYear.parse("2016-17")


def _refer(unit, types, referred, decision=None, decided=None, **values):
    referral = services.referral_create(
        acting_user=unit,
        referral_date=referred,
        abuse_or_neglect=True,
        seriously_harmed=True,
        **{
            k: v
            for k, v in values.items()
            if k in ("la_aware_date", "notification_date", "rapid_review_date")
        },
    )
    rest = {
        k: v
        for k, v in values.items()
        if k not in ("la_aware_date", "notification_date", "rapid_review_date")
    }
    if decision or rest:
        referral = services.referral_update(
            acting_user=unit,
            referral=referral,
            expected_version=referral.version,
            decision=types[decision] if decision else None,
            decision_date=decided,
            **rest,
        )
    return referral


def test_year_report_counts(unit, types, police):
    # in year: referred, notified on time (due 10/06/2016), rapid review late
    _refer(
        unit,
        types,
        dt.date(2016, 6, 6),
        "scr",
        dt.date(2016, 7, 1),
        la_aware_date=dt.date(2016, 6, 3),
        notification_date=dt.date(2016, 6, 8),
        rapid_review_date=dt.date(2016, 8, 1),
    )
    # in year: notified late
    _refer(
        unit,
        types,
        dt.date(2016, 9, 1),
        "no_review",
        dt.date(2016, 9, 20),
        la_aware_date=dt.date(2016, 9, 1),
        notification_date=dt.date(2016, 9, 20),
    )
    # previous year referral, published in the year
    published = _refer(
        unit,
        types,
        dt.date(2015, 5, 1),
        "scr",
        dt.date(2015, 6, 1),
        review_start_date=dt.date(2015, 7, 1),
        publication_decision="publish",
        published_date=dt.date(2016, 9, 15),
    )
    # next year: not counted
    _refer(unit, types, dt.date(2017, 4, 3), "malr", dt.date(2017, 4, 20))
    done = services.referral_action_add(
        acting_user=unit,
        referral=published,
        description="A",
        owning_agency=police,
        due_date=dt.date(2016, 12, 1),
        agreed_date=dt.date(2016, 7, 1),
    )
    action_services.action_close(
        acting_user=unit,
        action=done,
        expected_version=done.version,
        evidence="Checked",
        date=dt.date(2016, 11, 1),
    )
    services.referral_action_add(  # open and overdue at the year end
        acting_user=unit,
        referral=published,
        description="B",
        owning_agency=police,
        due_date=dt.date(2017, 1, 31),
        agreed_date=dt.date(2016, 7, 1),
    )
    services.referral_action_add(  # open, not yet due at the year end
        acting_user=unit,
        referral=published,
        description="C",
        owning_agency=police,
        due_date=dt.date(2017, 6, 30),
        agreed_date=dt.date(2016, 7, 1),
    )

    report = year_report(Y)

    assert list(report) == [
        "referrals",
        "decisions",
        "notifications",
        "rapid_reviews",
        "published",
        "actions",
    ]
    assert report["referrals"] == 2
    assert report["decisions"] == {
        "scr": 1,
        "rapid_review": 0,
        "lcspr": 0,
        "malr": 0,
        "single_agency": 0,
        "no_review": 1,
    }
    # 2016-17: serious case review rules, no Panel notification or rapid review clock
    # (both from 29 June 2018), so none is due in the year, whatever was recorded.
    assert report["notifications"] == {"due": 0, "on_time": 0}
    assert report["rapid_reviews"] == {"due": 0, "on_time": 0}
    assert report["published"] == 1
    assert report["actions"] == {"open": 2, "overdue": 1, "completed_in_year": 1}
    assert year_report(Y.previous())["decisions"]["scr"] == 1


def test_clocks_count_from_the_day_their_rule_began(unit, types):
    """2018-19: the Panel and its rapid reviews began on 29 June 2018. A case notified the
    day before is in neither timeliness figure; one notified that day is, on the clock's
    own edges (done on the due date: on time; the day after: late)."""
    # LA aware and notified before the Panel began: no clock at all.
    _refer(
        unit,
        types,
        dt.date(2018, 6, 28),
        la_aware_date=dt.date(2018, 6, 25),
        notification_date=dt.date(2018, 6, 28),
        rapid_review_date=dt.date(2018, 8, 30),
    )
    # Aware on 29 June 2018, notified on the due date (6 July); rapid review on its due date.
    _refer(
        unit,
        types,
        dt.date(2018, 6, 29),
        la_aware_date=dt.date(2018, 6, 29),
        notification_date=dt.date(2018, 7, 6),
        rapid_review_date=dt.date(2018, 7, 27),
    )
    # Aware on the Friday before the summer bank holiday 2018 (27 August): notification due
    # Monday 3 September, made the day after; rapid review due 15 working days later.
    _refer(
        unit,
        types,
        dt.date(2018, 8, 24),
        la_aware_date=dt.date(2018, 8, 24),
        notification_date=dt.date(2018, 9, 4),
        rapid_review_date=dt.date(2018, 9, 25),
    )
    report = year_report(FinancialYear.parse("2018-19"))
    assert report["notifications"] == {"due": 2, "on_time": 1}
    # Rapid reviews due 27 July and 25 September 2018, each done on its due date: on time.
    assert report["rapid_reviews"] == {"due": 2, "on_time": 2}
    assert year_report(FinancialYear.parse("2017-18"))["rapid_reviews"] == {"due": 0, "on_time": 0}


def test_a_due_date_stored_before_the_rule_was_checked_is_not_counted(unit, types):
    from safeguarding.case_reviews.models import Referral

    scr = _refer(
        unit,
        types,
        dt.date(2016, 6, 6),
        la_aware_date=dt.date(2016, 6, 3),
        notification_date=dt.date(2016, 6, 8),
    )
    Referral.objects.filter(pk=scr.pk).update(
        notification_due=dt.date(2016, 6, 10), rapid_review_due=dt.date(2016, 6, 29)
    )
    report = year_report(Y)
    assert report["notifications"] == {"due": 0, "on_time": 0}
    assert report["rapid_reviews"] == {"due": 0, "on_time": 0}


def test_cli_json_has_the_contract_keys(unit, types):
    _refer(unit, types, dt.date(2016, 6, 6), "rapid_review", dt.date(2016, 6, 30))
    out = StringIO()
    call_command("report", "case-reviews", "--year", "2016-17", "--format", "json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["referrals"] == 1
    assert figures["decisions"]["rapid_review"] == 1
    assert set(figures["actions"]) == {"open", "overdue", "completed_in_year"}
    assert set(figures["notifications"]) == {"due", "on_time"}


def test_cli_html_and_csv(unit, types):
    _refer(unit, types, dt.date(2016, 6, 6))
    html, csv = StringIO(), StringIO()
    call_command("report", "case-reviews", "--year", "2016-17", "--format", "html", stdout=html)
    call_command("report", "case-reviews", "--year", "2016-17", "--format", "csv", stdout=csv)
    assert "<caption>" in html.getvalue().replace(
        ' class="govuk-table__caption govuk-table__caption--s"', ""
    )
    assert "referrals,1" in csv.getvalue()


def test_learning_themes_across_reviews(unit, types):
    neglect = services.theme_save(acting_user=unit, theme=None, name="Neglect")
    voice = services.theme_save(acting_user=unit, theme=None, name="Voice of the child")
    for day in (1, 2):
        _refer(
            unit,
            types,
            dt.date(2016, 6, day),
            "scr",
            dt.date(2016, 7, day),
            themes=[neglect, voice] if day == 1 else [neglect],
        )
    assert themes_across_reviews(Y) == [
        {"name": "Neglect", "reviews": 2},
        {"name": "Voice of the child", "reviews": 1},
    ]
    assert themes_across_reviews(FinancialYear.parse("2018-19")) == []
