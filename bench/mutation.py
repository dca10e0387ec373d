"""Mutation check of a rules module: flip each comparison, one at a time, and run its tests.

    .venv/bin/python bench/mutation.py safeguarding/private_fostering/rules.py \
        safeguarding/private_fostering/tests/test_rules.py \
        safeguarding/private_fostering/tests/test_regulations.py

Each `<` becomes `<=` (and back), `>` becomes `>=` (and back); a mutant the tests still
pass ("survived") is a boundary no test pins. Prints the survivors and exits 1 if any.
The file is restored after every mutant, and at the end whatever happens.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

FLIPS = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}
OPERATOR = re.compile(r"(?<![<>=!-])(<=|>=|<|>)(?![<>=])")


def mutants(source: str):
    lines = source.splitlines(keepends=True)
    for i, line in enumerate(lines):
        code = line.split("#")[0]
        if code.lstrip().startswith(("def ", "class ", '"', "'", "->")) or '"""' in code:
            continue
        for match in OPERATOR.finditer(code):
            if code[: match.start()].count('"') % 2 or code[: match.start()].count("'") % 2:
                continue  # inside a string
            if "->" in code[match.start() - 1 : match.end()]:
                continue
            flipped = FLIPS[match.group(1)]
            new = line[: match.start()] + flipped + line[match.end() :]
            yield i + 1, line.strip(), "".join(lines[:i] + [new] + lines[i + 1 :])


def main(argv: list[str]) -> int:
    target, tests = Path(argv[0]), argv[1:]
    original = target.read_text()
    survivors, total = [], 0
    try:
        for lineno, line, mutated in mutants(original):
            total += 1
            target.write_text(mutated)
            result = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:randomly", *tests],
                capture_output=True,
            )
            if result.returncode == 0:
                survivors.append(f"{target}:{lineno}: {line}")
    finally:
        target.write_text(original)
    print(f"{total} mutants, {total - len(survivors)} killed, {len(survivors)} survived")
    for survivor in survivors:
        print("  survived:", survivor)
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
