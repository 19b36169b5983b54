"""Shared test set-up: the publications' fixtures are loaded once per test database, and every
test runs in a transaction that is rolled back, so each sees exactly the published data."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import translation

FIXTURES = sorted(str(path) for path in (Path(__file__).parent.parent / "fixtures").glob("*.json"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("loaddata", *FIXTURES, verbosity=0)


# The rows `loaddata` leaves in a database a transactional test emptied, per table, as
# PostgreSQL COPY data: None until the first load, False when they cannot be copied back.
_LOADED_ROWS = None


def load_published():
    """Load the publications' fixtures into a database a transactional test emptied (its flush
    ends every such test). On PostgreSQL `loaddata` takes seconds of CPU and, on a loaded CI
    machine, half a minute (a save, its signals and a data-version bump per row), for each of
    the browser tests: the first load in a test process is made by `loaddata` and the rows it
    left copied out; later loads copy the same rows back in one transaction (COPY), then give
    the data a new version as the load did. The copy is only used when the load wrote nothing
    but rows of tables that were empty before it (not so: `loaddata` every time)."""
    global _LOADED_ROWS
    if connection.vendor != "postgresql" or _LOADED_ROWS is False:
        call_command("loaddata", *FIXTURES, verbosity=0)
        return
    tables = connection.introspection.table_names()
    if _LOADED_ROWS is not None and all(_row_count(t) == 0 for t in _LOADED_ROWS):
        _copy_back(_LOADED_ROWS)
        return
    before = {table: _row_count(table) for table in tables}
    call_command("loaddata", *FIXTURES, verbosity=0)
    after = {table: _row_count(table) for table in tables}
    if _LOADED_ROWS is None:
        changed = [t for t in tables if before[t] and after[t] != before[t]]
        _LOADED_ROWS = (
            False if changed else {t: _copy_out(t) for t in tables if after[t] and not before[t]}
        )


def _row_count(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
        return cursor.fetchone()[0]


def _copy_out(table):
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {connection.ops.quote_name(table)} TO STDOUT (FORMAT binary)") as copy,
    ):
        return b"".join(bytes(block) for block in copy)


def _copy_back(rows):
    from django.apps import apps

    from budgets import page_cache

    # One transaction: the foreign keys are checked (deferred) once every table is filled.
    with transaction.atomic(), connection.cursor() as cursor:
        for table, data in rows.items():
            with cursor.copy(
                f"COPY {connection.ops.quote_name(table)} FROM STDIN (FORMAT binary)"
            ) as copy:
                copy.write(data)
        # As loaddata does: the next row saved takes the next free id.
        models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in rows]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
        page_cache.bump()


@pytest.fixture(autouse=True)
def _each_test_starts_in_chinese(settings):
    # An English page activates English for the thread, and nothing deactivates it: code
    # called outside a request in a later test (charts, answers) would speak English.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _downloads_in_a_temporary_directory(settings, tmp_path):
    settings.DOWNLOADS_DIR = tmp_path / "downloads"
    settings.DOWNLOADS_BUILD_ON_PUBLISH = False


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # Tests check and count what the pages themselves do; tests/test_page_cache.py turns the
    # full-page cache on where it is the subject.
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def year_url():
    def url(page="", unit="503033", year=2024):
        return f"/units/{unit}/{year}/{page}"

    return url


@pytest.fixture
def tenfold(db):
    """Ten times the facts, projects, evaluation items and printed cells of 503033's 2024."""
    from tests.factories import multiply_data

    multiply_data(10)


# Streamed answers that a test did not read to the end. On PostgreSQL a streamed CSV holds its
# connection inside its query (budgets.lines_csv) until the stream ends or is closed, as a WSGI
# server closes it; Django's test client never closes one, so a test that only looks at the
# status of a CSV would leave the query open and the database teardown after it would wait on the
# connection for ever. They are closed before the test's fixtures are torn down.
_OPEN_STREAMS = []


@pytest.fixture(autouse=True, scope="session")
def _streams_are_remembered():
    from django.http import StreamingHttpResponse

    original = StreamingHttpResponse.__init__

    def remembering(self, *args, **kwargs):
        original(self, *args, **kwargs)
        _OPEN_STREAMS.append(self)

    StreamingHttpResponse.__init__ = remembering
    yield
    StreamingHttpResponse.__init__ = original


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    # The stream's own closers (its generator's close() cancels the query), not response.close(),
    # which would send request_finished and touch the database of a test that has none.
    while _OPEN_STREAMS:
        for close in _OPEN_STREAMS.pop()._resource_closers:
            close()
