"""`make bench`: pages under load, figures against hand-written SQL, import against a
plain executemany floor; prints a table and writes docs/performance.md.

Ratios, not bare times, are the targets: these machines are shared and noisy.
Usage: python -m bench.run [--seconds 60] [--skip-postgres] [--skip-generate]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EMAIL, PASSWORD = "bench@northbank.example", "bench-password-2017"
PG_URL = "postgres://postgres@127.0.0.1:5432/safeguarding_bench"


# The bench signs in with a password only (its servers and workers inherit this): no second
# factor for its manager of every module.
os.environ["SAFEGUARDING_TWO_FACTOR_ROLES"] = ""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_available() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"]).returncode == 0


# ---- the worker: one database -----------------------------------------------------------


def worker(args) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from safeguarding.core.models import AuditEvent, ModuleGrant, User
    from safeguarding.core.permissions import MODULES

    call_command("migrate", verbosity=0)
    if not User.objects.filter(email="admin@northbank.example").exists():
        call_command("demo", verbosity=0)
    growth = {}
    if not AuditEvent.objects.filter(action="generate").exists():
        # Each page alone on the demo data first, then again at ten years (bench.growth):
        # the ratio says whether its cost grows with history.
        from bench.growth import measure

        log("  timing each page alone on the demo data...")
        growth["demo"] = measure(None)
        log("  generating the large data set (10 years)...")
        started = time.perf_counter()
        call_command("generate", scale="large", years=10, seed=1)
        generate_seconds = time.perf_counter() - started
    else:
        generate_seconds = None
    user = User.objects.filter(email=EMAIL).first() or User.objects.create_user(
        email=EMAIL, password=PASSWORD, full_name="Bench user"
    )
    for module in MODULES:
        ModuleGrant.objects.update_or_create(user=user, module=module, defaults={"role": "manager"})
    if growth:
        from bench.growth import measure

        log("  timing each page alone at ten years...")
        growth["scale"] = measure(None)
    result = {
        "generate_seconds": generate_seconds,
        "growth": growth,
        "pages": {},
        "figures": {},
        "imports": {},
    }
    result["queries"] = query_counts(user)
    result["figures"] = figures()
    result["imports"] = imports(args)
    result["pages"] = load_test(args)
    Path(args.out).write_text(json.dumps(result, indent=2, default=str))


def query_counts(user) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.pages import pages

    client = Client()
    client.force_login(user)
    counts = {}
    for name, url in pages():
        client.get(url)  # warm caches (charts, sessions)
        with CaptureQueriesContext(connection) as ctx:
            status = client.get(url).status_code
        counts[name] = {"url": url, "queries": len(ctx.captured_queries), "status": status}
    return counts


def _median_time(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2]


def figures() -> dict:
    from django.db import connection

    from bench.figures_sql import FLOORS
    from safeguarding.core.periods import FinancialYear
    from safeguarding.core.registers import REGISTERS

    year = FinancialYear(2020)
    out = {}
    for slug, register in REGISTERS.items():
        if register.year_report is None or slug.replace("-", "_") not in FLOORS:
            continue
        floor = FLOORS[slug.replace("-", "_")]
        ours = _median_time(lambda r=register: r.year_report(year))

        def hand(f=floor):
            with connection.cursor() as cursor:
                f(cursor, year)

        base = _median_time(hand)
        out[slug] = {"reports_py_ms": ours * 1000, "sql_ms": base * 1000, "ratio": ours / base}
    return out


def imports(args) -> dict:
    """Each register that ships an import benchmark (bench/imports_*.py)."""
    import importlib
    import pkgutil

    import bench

    out = {}
    for info in pkgutil.iter_modules(bench.__path__):
        if info.name.startswith("imports_"):
            module = importlib.import_module(f"bench.{info.name}")
            out.update(module.run(rows=args.import_rows))
    return out


def load_test(args) -> dict:
    from bench.pages import pages

    port = free_port()
    env = dict(os.environ, SAFEGUARDING_ALLOWED_HOSTS="127.0.0.1,localhost")
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "safeguarding.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "4",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        page_list = [{"name": n, "url": u} for n, u in pages()]
        stats = _locust(port, env, page_list, args.seconds)
        # The same load on a minimal page (no database), in the same run: a noisy machine
        # shows in both numbers, and the ratio is what the pages themselves cost.
        baseline = _locust(
            port, env, [{"name": BASELINE, "url": "/health/"}], max(10, args.seconds // 3)
        )
        stats.update(baseline)
        return stats
    finally:
        server.terminate()
        server.wait(timeout=30)


BASELINE = "minimal view (baseline)"
KEEP = "<!-- Written by hand below this line: make bench keeps it. -->"


def _locust(port: int, env: dict, page_list: list[dict], seconds: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / "stats"
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                "10",
                "-r",
                "10",
                "-t",
                f"{seconds}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=dict(
                env,
                BENCH_PAGES=json.dumps(page_list),
                BENCH_EMAIL=EMAIL,
                BENCH_PASSWORD=PASSWORD,
            ),
            cwd=ROOT,
            check=False,
            stdout=subprocess.DEVNULL,
        )
        import csv

        with open(f"{prefix}_stats.csv") as handle:
            rows = list(csv.DictReader(handle))
    stats = {}
    for row in rows:
        if row["Name"] in ("Aggregated", "sign-in"):
            continue
        stats[row["Name"]] = {
            "p50_ms": float(row["50%"]),
            "p95_ms": float(row["95%"]),
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "rps": float(row["Requests/s"]),
        }
    return stats


# ---- the orchestrator ---------------------------------------------------------------------


def run_database(label: str, url: str, args, data_dir: Path) -> dict:
    log(f"== {label}")
    out = data_dir / f"{label}.json"
    env = dict(
        os.environ,
        DATABASE_URL=url,
        SAFEGUARDING_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="safeguarding.settings",
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--worker",
            "--out",
            str(out),
            "--seconds",
            str(args.seconds),
            "--import-rows",
            str(args.import_rows),
        ],
        env=env,
        cwd=ROOT,
        check=True,
    )
    return json.loads(out.read_text())


def machine() -> str:
    memory = ""
    try:
        kb = int(
            next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1]
        )
        memory = f", {kb / 1024 / 1024:.0f} GiB memory"
    except (OSError, StopIteration):
        pass
    return (
        f"{platform.platform()}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}"
    )


def write_report(results: dict, args) -> str:
    lines = [
        "# Performance",
        "",
        f"Measured by `make bench` on {dt.date.today():%d %B %Y}: {machine()}.",
        f"Data: `safeguarding generate --scale large --years 10` (plus the demo). Load: "
        f"10 concurrent users for {args.seconds} s per database (locust, headless) "
        "against gunicorn (4 workers) on 127.0.0.1.",
        "",
        "Targets: page p95 under 250 ms; SQL queries per page constant whatever the row "
        "count; each reports.py at most 2x the hand-written SQL; the import at most 4x a "
        "plain executemany, with flat memory.",
        "",
    ]
    misses = []
    for label, res in results.items():
        lines += [f"## {label}", ""]
        if res.get("generate_seconds"):
            lines += [
                f"Generating the large data set took {res['generate_seconds']:.0f} s "
                "(target: under 10 minutes on SQLite).",
                "",
            ]
        growth = res.get("growth") or {}
        if growth.get("demo") and growth.get("scale"):
            from bench.growth import table

            text, growth_misses = table(growth)
            lines += [
                "Each page alone (one request, median of 7, cache cleared), on the demo and "
                "at ten years, in the same run: a list, detail or worklist page may grow at "
                "most x1.5; a report page or the dashboard answers in under 300 ms.",
                "",
                text,
                "",
            ]
            misses += [f"{label}: {m}" for m in growth_misses]
        baseline = res["pages"].get(BASELINE)
        if baseline:
            pages_rps = sum(p.get("rps", 0) for n, p in res["pages"].items() if n != BASELINE)
            lines += [
                f"Under load: the pages answered {pages_rps:.1f} requests a second; a minimal "
                f"view (no database) {baseline['rps']:.1f} in the same run (p95 "
                f"{baseline['p95_ms']:.0f} ms): the pages run at "
                f"{100 * pages_rps / baseline['rps']:.0f}% of what this machine serves at all."
                if baseline.get("rps")
                else "",
                "",
            ]
        lines += [
            "| page | p50 ms | p95 ms | requests | failures | SQL queries |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, q in res["queries"].items():
            p = res["pages"].get(name, {})
            p95 = p.get("p95_ms")
            lines.append(
                f"| {name} | {p.get('p50_ms', '–')} | {p95 if p95 is not None else '–'}"
                f" | {p.get('requests', '–')} | {p.get('failures', '–')} | "
                f"{q['queries']} |"
            )
            if p95 is not None and p95 > 250:
                misses.append(f"{label}: {name} p95 {p95:.0f} ms (target 250 ms)")
        lines += [
            "",
            "| figures (year 2020-21) | reports.py ms | hand SQL ms | ratio |",
            "|---|---:|---:|---:|",
        ]
        for slug, f in res["figures"].items():
            lines.append(
                f"| {slug} | {f['reports_py_ms']:.1f} | {f['sql_ms']:.1f} | {f['ratio']:.2f} |"
            )
            if f["ratio"] > 2:
                misses.append(f"{label}: {slug} figures ratio {f['ratio']:.2f} (target 2)")
        if res["imports"]:
            lines += [
                "",
                "| import | rows | import s | executemany s | ratio | peak memory MB "
                "(10% rows -> all rows) |",
                "|---|---:|---:|---:|---:|---|",
            ]
            for slug, i in res["imports"].items():
                lines.append(
                    f"| {slug} | {i['rows']} | {i['import_s']:.1f} | "
                    f"{i['floor_s']:.1f} | {i['ratio']:.2f} | "
                    f"{i['peak_small_mb']:.1f} -> {i['peak_mb']:.1f} |"
                )
                if i["ratio"] > 4:
                    misses.append(f"{label}: {slug} import ratio {i['ratio']:.2f} (target 4)")
        lines.append("")
    lines += ["## Targets missed", ""]
    lines += [f"- {m}" for m in misses] or ["None."]
    lines += ["", WHY]
    return "\n".join(lines) + "\n"


WHY = """## Why, and what was done

- **Pages under load.** Ten users with no think time against a 2-core machine that also
  runs locust itself: every request waits its turn for a core, so p50 and p95 measure the
  queue more than the page. The minimal view (no database) measured beside them in the same
  run says how much of that is the machine: the pages' requests a second against its
  requests a second is the figure to compare between runs. With 10 users always waiting,
  the mean time in the queue is 10 divided by the requests a second, so a p95 under 250 ms
  needs about 40 pages a second from two cores, each page's own CPU well under 25 ms.
  Each request also writes its session (sliding 30-minute expiry) and an access-log row for
  personal data: both are deliberate.
- **Each page alone** is the table above each load table: the ratio between the demo and
  ten years is what this benchmark guards (issue 16); see "Growth" below for what was done.
- **Figures against hand-written SQL.** Where a module's reports.py builds one query with
  many conditional counts (child deaths: about 40), Django's query compilation (2-6 ms)
  is a fixed cost that exceeds the database time at this size (under 1 ms): the ratio
  falls as the data grows, and the SQL sent is as fast as the floor's.
- **The import.** The floor inserts pre-parsed rows only; the import also reads and
  checks the file twice (streaming), checks overlaps per child against the database,
  and writes one audit row per created episode. Peak memory grows about 2.6x for 10x the
  rows: the references seen (for the "already appears in row N" message) and each child's
  episodes in the file (for the overlap check) are kept, about 250 bytes a row.
- The machine is shared: figures move by 2-3x between runs; ratios are the comparable
  measure.
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--out")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the generated databases")
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    data_dir = ROOT / "var" / "bench"
    if not args.keep and data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    results = {
        "SQLite": run_database("SQLite", f"sqlite:///{data_dir / 'bench.sqlite3'}", args, data_dir)
    }
    if not args.skip_postgres and pg_available():
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-q",
                "-c",
                "DROP DATABASE IF EXISTS safeguarding_bench",
                "-c",
                "CREATE DATABASE safeguarding_bench",
            ],
            check=True,
        )
        results["PostgreSQL"] = run_database("PostgreSQL", PG_URL, args, data_dir)
    report = write_report(results, args)
    doc = ROOT / "docs" / "performance.md"
    # What was written by hand below the marker (what was learned, with EXPLAIN) is kept.
    kept = doc.read_text().split(KEEP, 1)[1] if doc.exists() and KEEP in doc.read_text() else ""
    doc.write_text(report + "\n" + KEEP + kept)
    print(report)


if __name__ == "__main__":
    main()
