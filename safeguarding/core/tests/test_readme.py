"""The README and docs/ hold: every setting documented, every link inside the repository,
and `make demo PORT=...` serving on that port with email links that follow it."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
README = ROOT / "README.md"
SETTINGS = ROOT / "safeguarding" / "settings.py"
DOCS = [README, *sorted((ROOT / "docs").rglob("*.md"))]

# [text](target) and ![alt](target), and <scheme://...> autolinks.
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
AUTOLINK = re.compile(r"<((?:https?|ftp|file)://[^>\s]+)>")
LOCAL_HOSTS = re.compile(r"^https?://(localhost|127\.|0\.0\.0\.0|\[::1\])", re.IGNORECASE)


def _settings_table() -> set[str]:
    """The variables named in the first column of the README's settings table."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Settings (environment)", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\|\s*`([A-Z][A-Z0-9_]+)`\s*\|", section, re.MULTILINE))


def _variables_read_by_settings() -> set[str]:
    source = SETTINGS.read_text(encoding="utf-8")
    return set(re.findall(r"[\"'](SAFEGUARDING_[A-Z0-9_]+)[\"']", source))


def test_the_settings_read_are_found_by_the_test():
    """The check below would pass vacuously if the pattern found nothing."""
    assert {"SAFEGUARDING_SITE_URL", "SAFEGUARDING_DATA_DIR"} <= _variables_read_by_settings()


def test_every_setting_read_from_the_environment_is_in_the_readme_settings_table():
    missing = sorted(_variables_read_by_settings() - _settings_table())
    assert not missing, f"add to the README's settings table: {', '.join(missing)}"
    assert "DATABASE_URL" in _settings_table()


def _links(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)  # code blocks are not links
    text = re.sub(r"`[^`\n]*`", "", text)  # nor are code spans
    return LINK.findall(text) + AUTOLINK.findall(text)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_resolves_to_a_file_in_the_repository(path):
    problems = []
    for target in _links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
            if not target.lower().startswith(("http://", "https://")):
                problems.append(f"{target}: not a link to a web page")
            elif LOCAL_HOSTS.match(target):
                problems.append(f"{target}: a local address, not a public page")
            continue
        if target.startswith("#"):
            continue
        resolved = (path.parent / target.split("#", 1)[0]).resolve()
        if not resolved.is_relative_to(ROOT):
            problems.append(f"{target}: outside the repository")
        elif not resolved.exists():
            problems.append(f"{target}: no such file")
    assert not problems, f"{path.relative_to(ROOT)}: " + "; ".join(problems)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_document_points_outside_the_repository_even_in_text(path):
    """A path such as ``../shared/docs/design.md`` means nothing to someone who has only
    the repository."""
    assert "../" not in path.read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_demo_serves_on_port_and_email_links_follow_it():
    """`make -n` prints the demo's commands without running them."""
    commands = subprocess.run(
        ["make", "-n", "demo", "PORT=8001"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    ).stdout
    server = next(line for line in commands.splitlines() if "runserver" in line)
    worker = next(line for line in commands.splitlines() if "db_worker" in line)
    assert "runserver 127.0.0.1:8001" in server
    for line in (server, worker):  # both send email: the worker sends the queued ones
        assert "SAFEGUARDING_SITE_URL='http://127.0.0.1:8001'" in line
        assert "SAFEGUARDING_EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend" in line


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_a_site_url_that_is_set_wins_over_the_port():
    commands = subprocess.run(
        ["make", "-n", "demo", "PORT=8001"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "SAFEGUARDING_SITE_URL": "https://lscp.example.org"},
    ).stdout
    server = next(line for line in commands.splitlines() if "runserver" in line)
    assert "SAFEGUARDING_SITE_URL='https://lscp.example.org'" in server
