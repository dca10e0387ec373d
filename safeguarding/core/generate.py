"""Synthetic scale data: `safeguarding generate --scale large --years 10 [--seed N]`.

Each module may have a generate.py with
    generate(*, years: list[FinancialYear], scale: float, rng: random.Random,
             agencies: list[Agency], progress: Callable[[str], None]) -> None
which writes its records with bulk_create (synthetic data: one audit row per module,
not one per record). "large" is a large partnership; "national" ten times that.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db import transaction

from .audit import record_event
from .models import Agency
from .periods import FinancialYear

SCALES = {"large": 1.0, "national": 10.0}

AGENCY_TEMPLATE = (
    [
        ("Children's Social Care", "local_authority"),
        ("Education Services", "local_authority"),
        ("Police", "police"),
        ("Integrated Care Board", "health"),
        ("Hospital Trust", "health"),
        ("Community Health Trust", "health"),
        ("Mental Health Trust", "health"),
        ("Probation Service", "probation"),
        ("Youth Justice Service", "youth_justice"),
        ("Housing Association", "housing"),
        ("Voluntary Sector Forum", "voluntary"),
    ]
    + [(f"Primary School {i}", "education") for i in range(1, 31)]
    + [(f"Secondary School {i}", "education") for i in range(1, 11)]
    + [(f"Nursery {i}", "early_years") for i in range(1, 9)]
)


def generated_agencies() -> list[Agency]:
    existing = {a.name: a for a in Agency.objects.filter(name__startswith="Generated ")}
    missing = [
        Agency(name=f"Generated {n}", sector=s)
        for n, s in AGENCY_TEMPLATE
        if f"Generated {n}" not in existing
    ]
    Agency.objects.bulk_create(missing)
    return list(Agency.objects.filter(name__startswith="Generated ").order_by("id"))


def module_generators():
    for config in apps.get_app_configs():
        if (
            config.label != "core"
            and config.name.startswith("safeguarding.")
            and find_spec(f"{config.name}.generate")
        ):
            yield config.label, import_module(f"{config.name}.generate")


def run(*, scale: str, years: int, seed: int, progress: Callable[[str], None]) -> dict:
    factor = SCALES[scale]
    last = FinancialYear.current().previous()
    span = [FinancialYear(last.start_year - i) for i in range(years - 1, -1, -1)]
    rng = random.Random(seed)
    agencies = generated_agencies()
    timings = {}
    for label, module in module_generators():
        started = time.perf_counter()
        progress(f"[{label}] generating {years} years")
        with transaction.atomic():
            module.generate(
                years=span,
                scale=factor,
                rng=random.Random(rng.random()),
                agencies=agencies,
                progress=lambda m, _l=label: progress(f"[{_l}] {m}"),
            )
            record_event(
                actor=None,
                action="generate",
                module=label,
                summary=f"Synthetic data: {scale}, {years} years, seed {seed}",
            )
        timings[label] = time.perf_counter() - started
        progress(f"[{label}] done in {timings[label]:.1f} s")
    return timings
