"""The scale-data generator books places as the services do (never more than the
capacity), releases certificates with stage 2, and the year report adds up."""

import re

import pytest
from django.db.models import Count, Q

from conftest import GENERATED_YEARS as YEARS
from safeguarding.training import generate, reports
from safeguarding.training.models import Booking, ConfidenceScore, Course, Evaluation, Session


@pytest.fixture
def generated(generate_years):
    return generate_years(generate, scale=0.02, seed=5)


def test_each_year_reports_progress_and_writes_sessions_and_bookings(generated):
    assert [m.split(":")[0] for m in generated] == ["2019-20", "2020-21"]
    assert Course.objects.count() == 30
    assert Session.objects.count() == 2 * 8  # 400 a year at scale 1
    assert Booking.objects.count() == 2 * 160  # 8,000 a year at scale 1
    assert set(Booking.objects.values_list("status", flat=True)) >= {"booked", "cancelled"}


def test_places_follow_the_booking_rules(generated):
    for session in Session.objects.annotate(
        booked=Count("bookings", filter=Q(bookings__status="booked")),
        waiting=Count("bookings", filter=Q(bookings__status="waiting")),
    ):
        assert session.booked <= session.capacity
        if session.waiting:
            assert session.booked == session.capacity
    assert not Booking.objects.exclude(status="booked").exclude(attendance="").exists()


def test_evaluations_follow_the_stages(generated):
    for booking in Booking.objects.prefetch_related("evaluations"):
        stages = {e.stage for e in booking.evaluations.all()}
        assert 1 in stages
        assert (2 in stages) == bool(booking.certificate_code)
        if stages & {2, 3}:
            assert booking.status == "booked" and booking.attendance == "attended"
        if 3 in stages:
            assert booking.survey_sent_at is not None
        if booking.certificate_code:
            assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", booking.certificate_code)
    codes = Booking.objects.exclude(certificate_code="").values_list("certificate_code", flat=True)
    assert len(codes) == len(set(codes)) > 0
    for evaluation in Evaluation.objects.select_related("booking__session__course"):
        outcomes = evaluation.booking.session.course.outcomes
        assert [s.outcome for s in evaluation.scores.all()] == outcomes
        if evaluation.stage == 2:
            assert evaluation.content_rating and evaluation.trainer_rating
    assert all(1 <= s <= 10 for s in ConfidenceScore.objects.values_list("score", flat=True))


def test_year_reports_have_figures_that_add_up(generated):
    for year in YEARS:
        report = reports.year_report(year)
        assert 0 < report["places_used"] <= report["places_available"]
        assert sum(c["attended"] for c in report["courses"].values()) == report["places_used"]
        assert sum(c["sessions"] for c in report["courses"].values()) == 8
        assert sum(report["by_agency"].values()) == report["places_used"]
        for course in report["courses"].values():
            assert course["attended"] + course["no_shows"] <= course["booked"] <= course["places"]
        stages = reports.confidence_by_stage(year)
        assert stages[1]["responses"] > stages[2]["responses"] > stages[3]["responses"] > 0
        assert stages[1]["mean_confidence"] < stages[2]["mean_confidence"]
        assert sum(report["elearning_completions"].values()) == 30
