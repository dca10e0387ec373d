"""Issue 15: distance travelled paired per delegate, and response rates per stage.

The stage means of ``evaluation`` mix different people; these figures are checked against a
plain-Python calculation over the same delegates, on data where the two disagree."""

import datetime as dt
import json
from statistics import mean

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.periods import FinancialYear
from safeguarding.training import reports, services
from safeguarding.training.models import Booking, ConfidenceScore, Course, Evaluation, Session

pytestmark = pytest.mark.django_db

YEAR = FinancialYear.parse("2016-17")
# Long after every session of the year: every stage-3 survey of 2016-17 was due.
LATER = dt.date(2017, 9, 30)

NEGLECT = "Neglect: an analytical approach"
GANGS = "Safeguarding & Gangs"

# title -> [(attendance, {stage: scores})]. Stage 3 is answered only by the high scorers
# (and by nobody who started low), so the stage means and the paired means disagree.
PLAN = {
    NEGLECT: [
        ("attended", {1: [2, 4], 2: [8, 8], 3: [9, 9]}),
        ("attended", {1: [6, 6], 2: [7, 9], 3: [10, 10]}),
        ("attended", {1: [1, 1], 2: [5, 5]}),
        ("attended", {1: [3, 3]}),
        ("absent", {1: [5, 5]}),
    ],
    GANGS: [
        ("attended", {1: [4], 2: [6]}),
        ("attended", {1: [7], 2: [9], 3: [10]}),
        ("attended", {1: [2], 2: [3]}),
    ],
}
SESSION_DAYS = {NEGLECT: dt.date(2016, 6, 1), GANGS: dt.date(2016, 9, 1)}
PAIRS = {"stage_1_to_2": (1, 2), "stage_1_to_3": (1, 3), "stage_2_to_3": (2, 3)}

_made = {"n": 0}


def make_session(course, day):
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))
    return Session.objects.create(
        course=course, starts_at=starts, ends_at=starts + dt.timedelta(hours=6), capacity=30
    )


def make_booking(session, attendance="attended", answers=None, status="booked"):
    _made["n"] += 1
    n = _made["n"]
    booking = Booking.objects.create(
        reference=f"TRN-TEST-{n:04d}",
        session=session,
        full_name=f"Delegate {n}",
        email=f"d{n}@example.org",
        job_role="Nurse",
        agency_other="Independent",
        status=status,
        attendance=attendance,
    )
    for stage, scores in (answers or {}).items():
        evaluation = Evaluation.objects.create(booking=booking, stage=stage)
        ConfidenceScore.objects.bulk_create(
            ConfidenceScore(evaluation=evaluation, outcome_number=i, outcome=f"O{i}", score=s)
            for i, s in enumerate(scores, start=1)
        )
    return booking


@pytest.fixture
def evaluations(db):
    neglect = Course.objects.create(title=NEGLECT, learning_outcomes="A\nB", stage3_follow_up=True)
    gangs = Course.objects.create(title=GANGS, learning_outcomes="A", stage3_follow_up=False)
    courses = {NEGLECT: neglect, GANGS: gangs}
    for title, delegates in PLAN.items():
        session = make_session(courses[title], SESSION_DAYS[title])
        for attendance, answers in delegates:
            make_booking(session, attendance, answers)
    # Next year's delegate answers every stage: not counted in 2016-17.
    make_booking(
        make_session(neglect, dt.date(2017, 4, 3)), answers={1: [1, 1], 2: [10, 10], 3: [10, 10]}
    )
    return courses


def expected_pair(delegates, first, second):
    """Plain Python: each delegate who answered both stages, with their mean score at each;
    the change is the difference of the two shown (rounded) means."""
    pairs = [
        (mean(answers[first]), mean(answers[second]))
        for _, answers in delegates
        if first in answers and second in answers
    ]
    if not pairs:
        return {"delegates": 0, "mean_before": None, "mean_after": None, "mean_change": None}
    before = round(mean(b for b, _ in pairs), 1)
    after = round(mean(a for _, a in pairs), 1)
    return {
        "delegates": len(pairs),
        "mean_before": before,
        "mean_after": after,
        "mean_change": round(after - before, 1),
    }


def test_paired_figures_against_a_plain_calculation(evaluations):
    report = reports.year_report(YEAR, today=LATER)
    everyone = [d for delegates in PLAN.values() for d in delegates]
    for key, (first, second) in PAIRS.items():
        assert report["paired"][key] == expected_pair(everyone, first, second), key
        for title, delegates in PLAN.items():
            assert report["paired_by_course"][title][key] == expected_pair(
                delegates, first, second
            ), (title, key)
    # Written out, so a wrong "independent" calculation cannot hide a wrong report.
    assert report["paired"]["stage_1_to_3"] == {
        "delegates": 3,
        "mean_before": 5.3,  # (3 + 6 + 7) / 3
        "mean_after": 9.7,  # (9 + 10 + 10) / 3
        "mean_change": 4.4,
    }
    assert report["paired_by_course"][NEGLECT]["stage_2_to_3"]["delegates"] == 2


def test_paired_differs_from_the_stage_means(evaluations):
    """The unpaired stage means stay as they were and tell a different story: stage 3 was
    answered by the delegates who started high."""
    report = reports.year_report(YEAR, today=LATER)
    neglect = report["evaluation"][NEGLECT]
    assert neglect["stage_1"] == {"mean_confidence": 3.6, "responses": 5}
    assert neglect["stage_3"] == {"mean_confidence": 9.5, "responses": 2}
    paired = report["paired_by_course"][NEGLECT]["stage_1_to_3"]
    assert paired == {"delegates": 2, "mean_before": 4.5, "mean_after": 9.5, "mean_change": 5.0}
    unpaired_change = neglect["stage_3"]["mean_confidence"] - neglect["stage_1"]["mean_confidence"]
    assert round(unpaired_change, 1) == 5.9 != paired["mean_change"]


def test_a_course_without_answers_has_empty_pairs(evaluations):
    Course.objects.create(title="Quiet course", learning_outcomes="A")
    make_session(Course.objects.get(title="Quiet course"), dt.date(2016, 10, 1))
    report = reports.year_report(YEAR, today=LATER)
    empty = {"delegates": 0, "mean_before": None, "mean_after": None, "mean_change": None}
    assert report["paired_by_course"]["Quiet course"] == {key: empty for key in PAIRS}
    assert reports.year_report(FinancialYear.parse("2010-11"))["paired"] == {
        key: empty for key in PAIRS
    }


def test_one_query_per_comparison(evaluations, django_assert_num_queries):
    with django_assert_num_queries(len(PAIRS)):
        reports.paired_confidence(YEAR, list(evaluations))


def test_response_rates(evaluations):
    rates = reports.year_report(YEAR, today=LATER)["response_rates"]
    # Eligible: the 7 delegates who attended (not the absent one). Stage 3: only Neglect
    # has the follow-up (4 attended); the Gangs delegate's stage 3 is not counted.
    assert rates == {
        "stage_1": {"eligible": 7, "responses": 7, "rate": 100.0},
        "stage_2": {"eligible": 7, "responses": 6, "rate": 85.7},
        "stage_3": {"eligible": 4, "responses": 2, "rate": 50.0},
    }
    assert reports.year_report(FinancialYear.parse("2010-11"))["response_rates"]["stage_3"] == {
        "eligible": 0,
        "responses": 0,
        "rate": None,
    }


def test_stage_3_is_asked_three_months_after_the_session(db):
    """A session exactly three months before today is due its stage-3 survey; one a day
    later is not, and does not lower the rate: the survey schedule's own cut."""
    course = Course.objects.create(title="Neglect", learning_outcomes="A", stage3_follow_up=True)
    exact = make_booking(make_session(course, dt.date(2016, 12, 15)), answers={1: [3]})
    make_booking(make_session(course, dt.date(2016, 12, 16)), answers={1: [3]})
    today = dt.date(2017, 3, 15)

    def stage_3(day):
        return reports.year_report(YEAR, today=day)["response_rates"]["stage_3"]

    assert stage_3(today) == {"eligible": 1, "responses": 0, "rate": 0.0}
    assert stage_3(today - dt.timedelta(days=1)) == {"eligible": 0, "responses": 0, "rate": None}
    assert stage_3(today + dt.timedelta(days=1))["eligible"] == 2
    Evaluation.objects.create(booking=exact, stage=3)
    assert stage_3(today) == {"eligible": 1, "responses": 1, "rate": 100.0}
    # The schedule sends the survey to the same delegates on the same day.
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    Evaluation.objects.filter(booking=exact, stage=3).delete()
    assert services.surveys_enqueue_due(now=now) == (1, 0)
    assert list(Booking.objects.exclude(survey_sent_at=None)) == [exact]


def test_report_page_shows_the_new_tables(client_for, figures_reader, evaluations):
    text = client_for(figures_reader).get(reverse("training:report") + "?year=2016-17")
    text = text.content.decode()
    assert "Distance travelled: the same delegates before and after, 2016-17" in text
    assert "Response rates by stage, 2016-17" in text
    assert "the stages mix different respondents" in text and 'href="#paired"' in text


def test_downloads_and_command_carry_the_new_figures(client_for, figures_reader, evaluations):
    import io

    from openpyxl import load_workbook

    response = client_for(figures_reader).get(
        reverse("training:report_download", kwargs={"year": "2016-17", "fmt": "csv"})
    )
    text = response.content.decode()
    assert "paired.stage_1_to_2.delegates,6,0" in text
    assert f"paired_by_course.{NEGLECT}.stage_1_to_3.mean_change,5.0," in text
    assert "response_rates.stage_2.rate,85.7," in text
    response = client_for(figures_reader).get(
        reverse("training:report_download", kwargs={"year": "2016-17", "fmt": "xlsx"})
    )
    book = load_workbook(io.BytesIO(response.content))
    titles = [sheet["A1"].value for sheet in book.worksheets]
    assert any("Distance travelled" in str(t) for t in titles), titles
    assert any("Response rates by stage" in str(t) for t in titles), titles
    out = io.StringIO()
    call_command("report", "training", "--year", "2016-17", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["paired"]["stage_1_to_3"]["delegates"] == 3
    assert data["response_rates"]["stage_1"]["eligible"] == 7
