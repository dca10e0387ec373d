"""The register contract: what the CLI, the web upload and the report pages need.

Each domain module registers itself in its AppConfig.ready(). One register = one
slug on the command line (`safeguarding import lado FILE`, `safeguarding report lado`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .imports import ImportSchema
from .periods import FinancialYear


@dataclass(frozen=True)
class Register:
    slug: str
    label: str
    module: str  # permissions module
    import_schema: Callable[[], ImportSchema] | None = None
    year_report: Callable[[FinancialYear], dict[str, Any]] | None = None
    report_template: str = ""  # a standalone HTML page of the figures (CLI --format html)
    report_context: Callable[[Any], dict[str, Any]] | None = None  # what that template needs
    # Registers reported by period (e.g. performance: 2016-Q1, 2016-04, 2016-17) instead of year.
    period_report: Callable[[str], dict[str, Any]] | None = None


REGISTERS: dict[str, Register] = {}


def register(reg: Register) -> None:
    REGISTERS[reg.slug] = reg


def get(slug: str) -> Register:
    try:
        return REGISTERS[slug]
    except KeyError:
        known = ", ".join(sorted(REGISTERS)) or "none"
        raise KeyError(f"unknown register '{slug}'; known registers: {known}") from None


def flatten(figures: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """Nested figures as (dotted.key, value) rows: the CSV form of any report."""
    rows: list[tuple[str, Any]] = []
    for key, value in figures.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            rows += flatten(value, name)
        else:
            rows.append((name, value))
    return rows
