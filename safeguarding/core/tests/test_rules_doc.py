"""docs/rules.md lists every declared clock, with the source its declaration cites."""

from pathlib import Path

import pytest

from safeguarding.core import clocks

DOC = Path(__file__).resolve().parents[3] / "docs" / "rules.md"


def _rows() -> dict[str, str]:
    rows = {}
    for line in DOC.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 4:
            rows[cells[0]] = cells[3]
    return rows


@pytest.mark.parametrize("clock", clocks.DECLARED, ids=[c.name for c in clocks.DECLARED])
def test_every_clock_is_documented_with_its_source(clock):
    rows = _rows()
    assert clock.name in rows, f"docs/rules.md does not list the clock {clock.name!r}"
    assert rows[clock.name] == clock.source, (
        f"{clock.name}: docs/rules.md gives {rows[clock.name]!r}, the clock cites {clock.source!r}"
    )
