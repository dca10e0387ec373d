"""EXPLAIN guard: no list, detail or worklist query scans a table that grows with history.

On PostgreSQL only (the SQLite run skips it). Two generated years of every module
(``safeguarding generate`` at a tenth of the large scale) are made once for this file and
rolled back at its end. Then, as one person who manages every module, each page is asked for:
every list, detail and worklist page `make bench` measures (``bench.pages``; its report,
figures, dashboard and indicator pages may read a whole year and are left out), every module
page without a record in its URL (lists, worklists, meetings, chasers), the home page (every
register's worklist through ``registers.worklist_for``) and each register's worklist on its
own. Every SELECT a page sends is planned again with ``EXPLAIN (FORMAT JSON)`` under
``SET LOCAL enable_seqscan = off``: with a few thousand rows the planner would happily scan
the table, but with sequential scans priced out it takes any index that can serve, so a
``Seq Scan`` that remains means no index can. On a table of HISTORY_TABLES that fails: with
ten years of records the page would read the whole table on every request.

What it cannot see: with sequential scans off, a query ordered by an indexed column may walk
that whole index and filter (an Index Scan with a Filter and no Index Cond) rather than scan
the table; on small tables the planner does that even where a better index exists, so those
are not failures here (docs/performance.md, "EXPLAIN guard").

A failure names the page, the table, the Seq Scan's filter and the SQL, so the fix is usually
an index (``Meta.indexes`` + a migration; a partial one with ``condition=`` for a worklist's
"still open" rows) or a query that stops defeating one (``__date``, ``Lower()``, an OR across
tables). A query that cannot be served by an index, and why, goes in ALLOWED.
See docs/performance.md, "EXPLAIN guard".
"""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguarding.core.periods import FinancialYear

# The tables that grow with the years: every record, every child of a record, the logs. Left
# out, as small code and configuration tables that stay at tens or hundreds of rows whatever
# the history: agencies, users, grants, the chain heads, access reviews, import jobs (one per
# upload), LADO meeting types, case review types and themes, courses, MET meeting types and
# the MET chair's commentary (one per indicator a year), indicator groups, indicators and
# benchmarks (one per indicator a year), and Django's own tables.
HISTORY_TABLES = frozenset(
    {
        # core: one row per change and per view of personal data
        "core_auditevent",
        "core_accessevent",
        # lado
        "lado_case",
        "lado_note",
        "lado_meeting",
        "lado_meeting_agencies",
        # the shared child record and the shared action tracker
        "children_child",
        "actions_action",
        "actions_actionupdate",
        # child deaths
        "child_deaths_death",
        "child_deaths_formrequest",
        # private fostering
        "private_fostering_notification",
        "private_fostering_visit",
        # missing children
        "missing_episode",
        "missing_returninterview",
        "missing_screening",
        "missing_metlistentry",
        "missing_metmeeting",
        "missing_metmeeting_agencies",
        "missing_metdiscussion",
        # case reviews
        "case_reviews_referral",
        "case_reviews_referral_children",
        "case_reviews_referral_agencies_involved",
        "case_reviews_referral_themes",
        "case_reviews_chronology",
        # training
        "training_session",
        "training_booking",
        "training_evaluation",
        "training_confidencescore",
        "training_elearningcompletion",
        # performance
        "performance_datareturn",
        "performance_indicatorvalue",
    }
)

# (page, table) -> why a Seq Scan there is accepted. Keep it short and give the reason.
ALLOWED: dict[tuple[str, str], str] = {}

# bench pages that may read a whole year (aggregates): not held to the guard.
REPORT_WORDS = ("report", "figures", "dashboard", "indicator")

# The two years before this one: the worklists have work still open (due and overdue).
_LAST = FinancialYear.current().previous()
GENERATED_YEARS = [_LAST.previous(), _LAST]
GENERATED_SCALE = 0.1

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the EXPLAIN guard reads PostgreSQL plans (run by .ci/run's PostgreSQL pass)",
)


# ---- the data, once for this file --------------------------------------------------------------


@pytest.fixture(scope="module")
def person(django_db_setup, django_db_blocker):
    """Two generated years of every module, and a signed-in client of someone who manages
    every module; made once for this file and rolled back at its end (as the ``world`` of
    test_access_matrix.py). Not the demo partnership: loading it takes 50-75 s on a CI machine
    (its private fostering visits, one service call each), generating takes 2-3 s, and the
    plans depend on which indexes exist, not on whose records are there."""
    from safeguarding.core.generate import generated_agencies, module_generators
    from safeguarding.core.models import Agency, ModuleGrant, User
    from safeguarding.core.permissions import MODULES

    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            rng = random.Random(16)
            agencies = generated_agencies()
            for _label, module in module_generators():
                module.generate(
                    years=GENERATED_YEARS,
                    scale=GENERATED_SCALE,
                    rng=random.Random(rng.random()),
                    agencies=agencies,
                    progress=lambda _m: None,
                )
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # plans as on a database that autovacuum keeps
            user = User.objects.create_user(
                email="explain-guard@example.org",
                password="a-long-test-password-1",
                full_name="Explain guard",
                agency=Agency.objects.order_by("pk").first(),
            )
            for module in MODULES:
                ModuleGrant.objects.create(user=user, module=module, role="manager")
            client = Client()
            client.force_login(user)
            yield user, client
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# ---- the plans ---------------------------------------------------------------------------------


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", ()):
        yield from _nodes(child)


def _seq_scans(sql: str) -> list[dict]:
    """The Seq Scan nodes of the query's plan when no sequential scan is wanted."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        (plan,) = cursor.fetchone()
        transaction.set_rollback(True)  # back to the savepoint: the SET LOCAL goes with it
    if isinstance(plan, str):
        plan = json.loads(plan)
    return [n for n in _nodes(plan[0]["Plan"]) if n["Node Type"] == "Seq Scan"]


def _check(page: str, queries: list[dict]) -> tuple[int, list[str]]:
    """(SELECTs planned, a line per Seq Scan of a history table not allowed)."""
    checked, failures = 0, []
    for query in queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        checked += 1
        for node in _seq_scans(sql):
            table = node.get("Relation Name")
            if table not in HISTORY_TABLES or (page, table) in ALLOWED:
                continue
            failures.append(
                f"{page}: Seq Scan on {table} (filter: {node.get('Filter', 'none')})\n"
                f"    SQL: {sql[:600]}{' ...' if len(sql) > 600 else ''}"
            )
    return checked, failures


def _get(client: Client, page: str, url: str, *, post_only_ok=False) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    if post_only_ok and response.status_code == 405:  # an action (POST) with no page
        return 0, []
    assert response.status_code == 200, f"{page}: {url} answered {response.status_code}"
    return _check(page, ctx.captured_queries)


def _report(failures: list[str]) -> str:
    return (
        f"{len(failures)} sequential scan(s) of a table that grows with history (add an index "
        "that serves the query, change the query, or allow it in ALLOWED with the reason):\n"
        + "\n".join(failures)
    )


# ---- the pages ---------------------------------------------------------------------------------


def test_captured_sql_is_runnable(person, db):
    """The guard plans the SQL as captured: Django interpolates the parameters on PostgreSQL
    (psycopg's mogrify), so the captured text is a query the server can run on its own."""
    from safeguarding.lado.models import Case

    with CaptureQueriesContext(connection) as ctx:
        list(Case.objects.filter(contact_date__gte=dt.date(2020, 4, 1), summary__contains="%")[:1])
    (query,) = ctx.captured_queries
    assert "'2020-04-01'" in query["sql"] and "%s" not in query["sql"]
    _seq_scans(query["sql"])  # runs
    with connection.cursor() as cursor:  # and leaves the setting as it was
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)


def test_the_guard_sees_a_sequential_scan(person, db):
    """A filter no index serves is reported, with the page, the table and the filter."""
    from safeguarding.lado.models import Case

    with CaptureQueriesContext(connection) as ctx:
        Case.objects.filter(subject_role="Class teacher").count()
    checked, failures = _check("a page", ctx.captured_queries)
    assert checked == 1
    (failure,) = failures
    assert failure.startswith("a page: Seq Scan on lado_case (filter: ")
    assert "subject_role" in failure and "SQL: SELECT COUNT(*)" in failure


def test_bench_pages(person, db):
    """Every list, detail and worklist page `make bench` measures."""
    from bench.pages import MODULE_PAGES

    _user, client = person
    pages = []
    for build in MODULE_PAGES.values():
        pages += build()  # a builder that fails here has found no data to open
    pages = [(n, u) for n, u in pages if not any(w in n for w in REPORT_WORDS)]
    assert len(pages) >= 15, pages
    checked, failures = 0, []
    for name, url in pages:
        n, f = _get(client, name, url)
        checked += n
        failures += f
    assert checked, "no SELECT was planned"
    assert not failures, _report(failures)


def _module_pages() -> list[tuple[str, str]]:
    """Every page of a module that takes no record in its URL and shows records: lists,
    worklists, meetings, chasers (figures, imports and forms to add a record left out)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix="", namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern) and p.name:
                yield prefix + str(p.pattern), f"{namespace}{p.name}", p.callback

    out = []
    for route, name, view in walk(get_resolver().url_patterns):
        requirement = getattr(view, "requirement", None)
        action = getattr(requirement, "action", None)
        if (
            ":" not in name
            or "<" in route
            or action not in PAGE_ACTIONS
            or any(w in name for w in REPORT_WORDS + SKIP_WORDS)
        ):
            continue
        out.append((name, reverse(name)))
    return sorted(out)


# What a page of records declares it does (core.permissions.ACCESS); figures pages may read a
# year, imports and forms to add a record show no records.
PAGE_ACTIONS = {"list_records", "change_record", "configure", "public", "read_access_log"}
SKIP_WORDS = ("create", "import", "search_clear", "_chase", ".csv", "xlsx", "pdf")


def test_module_pages(person, db):
    """Every module page without a record in its URL (lists, worklists, meetings, chasers) and
    the home page (every register's worklist)."""
    _user, client = person
    pages = _module_pages()
    assert {"missing:worklist", "private_fostering:worklist", "case_reviews:worklist"} <= {
        n for n, _u in pages
    }, pages
    pages.append(("home", "/"))
    checked, failures = 0, []
    for name, url in pages:
        n, f = _get(client, name, url, post_only_ok=True)
        checked += n
        failures += f
    assert checked
    assert not failures, _report(failures)


def test_register_worklists(person, db):
    """Each register's worklist on its own, as the home page asks for it."""
    from safeguarding.core.registers import REGISTERS

    user, _client = person
    today = dt.date.today()
    checked, failures = 0, []
    with_worklist = [reg for reg in REGISTERS.values() if reg.worklist is not None]
    assert with_worklist
    for reg in with_worklist:
        with CaptureQueriesContext(connection) as ctx:
            list(reg.worklist(user, today))
        n, f = _check(f"{reg.slug} worklist", ctx.captured_queries)
        checked += n
        failures += f
    assert checked
    assert not failures, _report(failures)
