"""Shared test set-up: the publications' fixtures are loaded once per test database, and every
test runs in a transaction that is rolled back, so each sees exactly the published data."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

FIXTURES = sorted(str(path) for path in (Path(__file__).parent.parent / "fixtures").glob("*.json"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("loaddata", *FIXTURES, verbosity=0)


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
