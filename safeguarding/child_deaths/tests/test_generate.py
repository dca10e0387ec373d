"""The scale-data generator writes valid deaths whose year report adds up."""

import pytest

from conftest import GENERATED_YEARS as YEARS
from safeguarding.child_deaths import generate, reports
from safeguarding.child_deaths.models import Death, FormRequest
from safeguarding.child_deaths.rules import age_band, death_problems


@pytest.fixture
def generated(generate_years):
    return generate_years(generate, scale=0.05, seed=7)


def test_each_year_reports_progress_and_writes_deaths(generated):
    assert [m.split(":")[0] for m in generated] == ["2019-20", "2020-21"]
    assert Death.objects.count() == 16  # 150 a year at scale 1
    assert FormRequest.objects.exists()


def test_generated_deaths_pass_the_module_rules(generated):
    for death in Death.objects.all():
        problems = death_problems(
            date_of_birth=death.date_of_birth,
            date_of_death=death.date_of_death,
            notification_date=death.notification_date,
            review_date=death.review_date,
            category=death.category,
            modifiable_factors=death.modifiable_factors,
            sex=death.sex,
            ethnicity=death.ethnicity,
            jar_date=death.jar_date,
            review_meeting_date=death.review_meeting_date,
            ncmd_notified_date=death.ncmd_notified_date,
            factors_child=death.factors_child,
            factors_social_environment=death.factors_social_environment,
            factors_physical_environment=death.factors_physical_environment,
            factors_service_provision=death.factors_service_provision,
        )
        assert problems == [], death.reference
        assert death.age_band == age_band(death.date_of_birth, death.date_of_death)
        assert death.child_name.startswith("Child ")
    for form in FormRequest.objects.select_related("death"):
        assert form.due_date >= form.requested_date >= form.death.notification_date
        if form.death.review_date:  # the panel had every form back
            assert form.returned_date and form.returned_date <= form.death.review_date


def test_year_reports_have_figures_that_add_up(generated):
    figures = [reports.year_report(year) for year in YEARS]
    assert sum(f["notified"] for f in figures) > 0
    assert sum(f["reviewed"] for f in figures) > 0
    for f in figures:
        reviewed = f["reviewed"]
        assert f["expected"] + f["unexpected"] == reviewed
        for part in ("age_at_death", "sex", "ethnicity", "category", "modifiable"):
            assert sum(f[part].values()) == reviewed, part
        assert f["bme"] <= reviewed
        assert f["notified_to_date"] >= f["notified"]
        assert f["reviewed_to_date"] >= f["reviewed"]
