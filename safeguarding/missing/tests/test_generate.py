import random

from safeguarding.core.generate import generated_agencies
from safeguarding.core.periods import FinancialYear
from safeguarding.missing import generate, reports
from safeguarding.missing.models import Episode


def test_generated_episodes_add_up_and_never_overlap(db):
    years = [FinancialYear(2019), FinancialYear(2020)]
    generate.generate(
        years=years,
        scale=0.02,
        rng=random.Random(3),
        agencies=generated_agencies(),
        progress=lambda m: None,
    )
    report = reports.year_report(years[1])
    in_year = sum(sum(month.values()) for month in report["by_month"].values())
    assert in_year == Episode.objects.filter(reference__startswith="GEN-2020-21").count() > 0
    assert (
        0
        < report["return_interviews"]["offered_within_72_hours"]
        <= (report["return_interviews"]["missing_episodes"])
    )
    episodes = list(
        Episode.objects.order_by("child_id", "start").values_list("child_id", "start", "end")
    )
    for (child, _s, end), (next_child, next_start, _e) in zip(episodes, episodes[1:], strict=False):
        if child == next_child:
            assert end is not None and end <= next_start
