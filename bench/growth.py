"""Does a page's cost grow with history? Each page of bench.pages.pages() timed alone on the
demo data, then on the demo plus ten years of a large partnership, in the same run: the
ratio is the figure (these machines are shared and noisy; bare times are not comparable).

    python -m bench.growth --prepare            # build both databases (SQLite, in ./var/bench)
    python -m bench.growth                      # time every page on both, print the ratios
    python -m bench.growth --only training      # pages whose name contains "training"
    python -m bench.growth --postgres           # the same on PostgreSQL (two databases)

Targets (issue 16): a list, detail or worklist page at most 1.5 times its demo cost; a
report page or the dashboard under 300 ms at scale. Exit status 1 on a miss.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
SQLITE = {
    "demo": f"sqlite:///{VAR / 'growth-demo.sqlite3'}",
    "scale": f"sqlite:///{VAR / 'growth-scale.sqlite3'}",
}
POSTGRES = {
    "demo": "postgres://postgres@127.0.0.1:5432/safeguarding_growth_demo",
    "scale": "postgres://postgres@127.0.0.1:5432/safeguarding_growth_scale",
}
EMAIL = "bench@northbank.example"
GROWTH_LIMIT = 1.5  # list, detail and worklist pages
REPORT_LIMIT_MS = 300  # report pages and the dashboard, at scale
RUNS = 7


def kind(name: str) -> str:
    """report (figures: grow with one year's rows only) or page (must not grow at all)."""
    words = ("report", "dashboard", "figures", "indicator")
    return "report" if any(w in name for w in words) else "page"


def _env(url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "safeguarding.settings",
        "SAFEGUARDING_TWO_FACTOR_ROLES": "",
    }


def _cli(url: str, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "safeguarding.cli", *args], env=_env(url), check=True)


def prepare(urls: dict, postgres: bool) -> None:
    """The demo database, and a copy of it with ten years generated on top."""
    if postgres:
        for url in urls.values():
            name = url.rsplit("/", 1)[1]
            for cmd in (["dropdb", "--if-exists"], ["createdb"]):
                subprocess.run([*cmd, "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        for label in ("demo", "scale"):
            _cli(urls[label], "migrate", "--noinput", "-v", "0")
            _cli(urls[label], "demo", "-v", "0")
    else:
        VAR.mkdir(parents=True, exist_ok=True)
        demo = Path(urls["demo"].removeprefix("sqlite:///"))
        scale = Path(urls["scale"].removeprefix("sqlite:///"))
        demo.unlink(missing_ok=True)
        _cli(urls["demo"], "migrate", "--noinput", "-v", "0")
        _cli(urls["demo"], "demo", "-v", "0")
        shutil.copyfile(demo, scale)
    started = time.perf_counter()
    _cli(urls["scale"], "generate", "--scale", "large", "--years", "10", "--seed", "1")
    print(f"generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def measure(only: str | None) -> dict:
    """In a child process on one database: {page: {"url", "ms", "status", "queries"}}."""
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.pages import pages
    from safeguarding.core.models import ModuleGrant, User
    from safeguarding.core.permissions import MODULES

    user = User.objects.filter(email=EMAIL).first() or User.objects.create_user(
        email=EMAIL, password="bench-password-2017", full_name="Bench user"
    )
    for module in MODULES:
        ModuleGrant.objects.update_or_create(user=user, module=module, defaults={"role": "manager"})
    client = Client()
    client.force_login(user)
    out = {}
    for name, url in pages():
        if only and only not in name:
            continue
        client.get(url)  # warm: templates, the session, the database's own caches
        times = []
        for _ in range(RUNS):
            cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                status = client.get(url).status_code
                times.append(time.perf_counter() - started)
        out[name] = {
            "url": url,
            "ms": sorted(times)[len(times) // 2] * 1000,
            "status": status,
            "queries": len(ctx.captured_queries),
        }
    return out


def run(urls: dict, only: str | None) -> dict:
    results = {}
    for label in ("demo", "scale"):
        args = [sys.executable, "-m", "bench.growth", "--measure"]
        if only:
            args += ["--only", only]
        done = subprocess.run(
            args, env=_env(urls[label]), check=True, capture_output=True, text=True, cwd=ROOT
        )
        results[label] = json.loads(done.stdout)
    return results


def table(results: dict) -> tuple[str, list[str]]:
    lines = [
        "| page | demo ms | ten years ms | growth | queries (demo, ten years) |",
        "|---|---:|---:|---:|---|",
    ]
    misses = []
    for name, at_scale in results["scale"].items():
        demo = results["demo"].get(name)
        if demo is None:
            continue
        ratio = at_scale["ms"] / demo["ms"]
        lines.append(
            f"| {name} | {demo['ms']:.0f} | {at_scale['ms']:.0f} | x{ratio:.1f} | "
            f"{demo['queries']}, {at_scale['queries']} |"
        )
        if kind(name) == "page" and ratio > GROWTH_LIMIT:
            misses.append(f"{name}: x{ratio:.1f} at ten years (target x{GROWTH_LIMIT})")
        if kind(name) == "report" and at_scale["ms"] > REPORT_LIMIT_MS:
            misses.append(
                f"{name}: {at_scale['ms']:.0f} ms at ten years (target {REPORT_LIMIT_MS})"
            )
        if at_scale["status"] != 200 or demo["status"] != 200:
            misses.append(f"{name}: status {demo['status']} / {at_scale['status']}")
    return "\n".join(lines), misses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepare", action="store_true", help="build both databases first")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--only", help="only pages whose name contains this")
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:  # the child process, on the database its environment names
        sys.path.insert(0, str(ROOT))
        print(json.dumps(measure(args.only)))
        return 0
    urls = POSTGRES if args.postgres else SQLITE
    if args.prepare:
        prepare(urls, args.postgres)
    results = run(urls, args.only)
    text, misses = table(results)
    print(text)
    for miss in misses:
        print("MISS", miss)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
