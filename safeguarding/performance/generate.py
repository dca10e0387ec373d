"""Synthetic indicator values for scale tests: 30 monthly indicators over the years."""

from __future__ import annotations

from decimal import Decimal

from .models import Indicator, IndicatorGroup, IndicatorValue


def generate(*, years, scale, rng, agencies, progress):
    group, _ = IndicatorGroup.objects.get_or_create(name="Generated indicators")
    indicators = []
    for i in range(30):
        indicator, _ = Indicator.objects.get_or_create(
            reference=f"GEN-{i:02d}",
            defaults={
                "name": f"Generated indicator {i}",
                "group": group,
                "owning_agency": agencies[i % len(agencies)],
                "frequency": "monthly",
                "unit": "percent" if i % 2 else "count",
                "polarity": "higher",
                "target": Decimal(80) if i % 2 else None,
                "tolerance": Decimal(5),
            },
        )
        indicators.append(indicator)
    values = []
    for year in years:
        for label, _first, _last in year.months():
            for ind in indicators:
                if ind.unit == "percent":
                    den = rng.randint(50, 500)
                    values.append(
                        IndicatorValue(
                            indicator=ind,
                            period=label,
                            owning_agency=ind.owning_agency,
                            numerator=Decimal(rng.randint(0, den)),
                            denominator=Decimal(den),
                        )
                    )
                else:
                    values.append(
                        IndicatorValue(
                            indicator=ind,
                            period=label,
                            owning_agency=ind.owning_agency,
                            value=Decimal(int(rng.randint(0, 500) * scale)),
                        )
                    )
    IndicatorValue.objects.bulk_create(values, batch_size=2000, ignore_conflicts=True)
    progress(f"{len(values)} indicator values")
