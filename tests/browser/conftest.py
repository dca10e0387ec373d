"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

One chromium per session, a fresh browser context (cookies, storage) per test.

The data is the demo partnership (`safeguarding demo`). `live_server` makes every test
transactional: the database is emptied after each test. Loading the demo takes a while (every
module adds its records), so it is loaded once per session and a snapshot of it is put back
before each test:
- SQLite (in memory): the SQLite backup API copies the whole database back (milliseconds);
- PostgreSQL: the tables are copied once into a schema of the test database, and copied back
  with INSERT ... SELECT (Django's foreign keys are deferrable, so the order does not matter);
- any other database: the demo is loaded again for each test.
"""

from __future__ import annotations

import os
import sqlite3

import pytest

from .helpers import CHROMIUM, CHROMIUM_ARGS, watch

# Playwright's sync API runs an event loop in this thread; Django's async-safety check
# would otherwise refuse the ORM calls the tests make while a page is open.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

SNAPSHOT_SCHEMA = "browser_demo_snapshot"


def _serve_one_request_at_a_time() -> None:
    """On SQLite the live server shares the test's in-memory database connection; two requests
    on it at once (a page's several chart images, say) fail with "database table is locked".
    A live server without threads answers them in turn (Django closes each connection after
    its response when the server is not threaded, so the browser is never stuck)."""
    from django.conf import settings
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class SerialWSGIServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            # LiveServerThread.run() already gave this thread the shared connections.
            super().__init__(*args, **kwargs)

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        LiveServerThread.server_class = SerialWSGIServer


_serve_one_request_at_a_time()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


_snapshot: dict[str, object] = {}


def _sqlite_demo(connection, load) -> None:
    connection.ensure_connection()
    raw = connection.connection
    if "sqlite" in _snapshot:
        _snapshot["sqlite"].backup(raw)
        return
    load()
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    raw.backup(copy)
    _snapshot["sqlite"] = copy


def _postgresql_demo(connection, load) -> None:
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import transaction

    quote = connection.ops.quote_name
    schema = quote(SNAPSHOT_SCHEMA)
    if "postgresql" not in _snapshot:
        load()
        tables = sorted(connection.introspection.django_table_names(only_existing=True))
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {schema}")
            for table in tables:
                cursor.execute(f"CREATE TABLE {schema}.{quote(table)} AS TABLE {quote(table)}")
        _snapshot["postgresql"] = tables
        return
    tables = _snapshot["postgresql"]
    models = apps.get_models(include_auto_created=True)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(quote(t) for t in tables)} CASCADE")
        for table in tables:
            cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM {schema}.{quote(table)}")
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


@pytest.fixture
def demo(live_server):
    """The demo partnership in the live server's database; returns the server's URL."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from safeguarding.core.demo import load

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        _sqlite_demo(connection, load)
    elif connection.vendor == "postgresql":
        _postgresql_demo(connection, load)
    else:
        load()
    # The flush after the previous test recreated the content types with other ids.
    ContentType.objects.clear_cache()
    return live_server.url


@pytest.fixture
def page(browser, demo):
    """A new browser context (no cookies) and page, with the live server as base URL.

    The test fails if a page had a script error, a stylesheet, script or image that did not
    load, or something the content security policy refused."""
    context = browser.new_context(
        base_url=demo, accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    problems = watch(tab)
    yield tab
    context.close()
    assert not problems, "the pages had errors:\n" + "\n".join(problems)
