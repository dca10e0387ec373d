import random

from safeguarding.core.generate import generated_agencies
from safeguarding.core.periods import FinancialYear
from safeguarding.training import generate, reports


def test_generated_training_gives_consistent_figures(db):
    years = [FinancialYear(2019), FinancialYear(2020)]
    generate.generate(
        years=years,
        scale=0.02,
        rng=random.Random(5),
        agencies=generated_agencies(),
        progress=lambda m: None,
    )
    report = reports.year_report(years[1])
    assert 0 < report["places_used"] <= report["places_available"]
    assert sum(c["attended"] for c in report["courses"].values()) == report["places_used"]
    stage_1 = [e["stage_1"]["responses"] for e in report["evaluation"].values()]
    assert sum(stage_1) > 0
    assert report["elearning_completions"]
