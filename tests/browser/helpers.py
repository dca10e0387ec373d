"""Helpers for the browser tests: demo users, sign-in, GOV.UK inputs, axe, screenshots."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HAS_CHROMIUM = Path(CHROMIUM).exists()
NO_CHROMIUM = f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

# WCAG 2.2 at level AA, as axe tags it.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# The demo users (safeguarding/core/demo.py).
OFFICER = "lado@northbank.example"
MANAGER = "lado.manager@northbank.example"
CONTRIBUTOR = "dsl@brockleyrise.example"
OTHER_CONTRIBUTOR = "dsl@hillside.example"
READER = "board@northbank.example"
ADMIN = "admin@northbank.example"

# Every browser test module: `pytestmark = BROWSER`.
BROWSER = [pytest.mark.browser, pytest.mark.skipif(not HAS_CHROMIUM, reason=NO_CHROMIUM)]


def watch(page) -> list[str]:
    """Start recording what would make a page look or work wrong; returns the live list."""
    problems: list[str] = []

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            problems.append(f"{response.status} {response.url}")

    def on_console(message):
        # Something the content security policy blocked.
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(f"CSP: {message.text}")

    page.on("response", on_response)

    def on_failed(request):
        # ERR_ABORTED is the browser dropping a request because the page moved on (often the
        # favicon); a resource that really failed answers an error status, caught above.
        if "ERR_ABORTED" not in (request.failure or ""):
            problems.append(f"failed {request.url}: {request.failure}")

    page.on("requestfailed", on_failed)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", on_console)
    return problems


def sign_in(page, email: str, password: str | None = None) -> None:
    from safeguarding.core.demo import DEMO_PASSWORD

    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password or DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def fill_date(page, field: str, day, month, year) -> None:
    """A GOV.UK date input: three boxes named <field>_0 (day), _1 (month), _2 (year)."""
    page.locator(f"#id_{field}_0").fill(str(day))
    page.locator(f"#id_{field}_1").fill(str(month))
    page.locator(f"#id_{field}_2").fill(str(year))


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def read_csv(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))


def axe_violations(page, disable: dict[str, str] | None = None) -> list[dict]:
    """Run axe (WCAG 2.2 AA tags) on the page; `disable` maps rule id -> justification."""
    from axe_playwright_python.sync_playwright import Axe

    options: dict = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    if disable:
        options["rules"] = {rule: {"enabled": False} for rule in disable}
    return Axe().run(page, options=options).response["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:10]:
            lines.append(f"    {', '.join(map(str, node['target']))}")
            lines.append(f"      {node.get('failureSummary', '').replace(chr(10), ' ')[:300]}")
    return "\n".join(lines)


def assert_accessible(page, label: str, disable: dict[str, str] | None = None) -> None:
    violations = axe_violations(page, disable)
    assert not violations, f"axe, {label} ({page.url}):\n{describe(violations)}"
