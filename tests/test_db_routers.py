"""With a replica (DATABASE_REPLICA_URL), an anonymous visitor's pages are read from it and
everything else from the primary: staff, the admin, writes and what a request reads after them,
transactions, the downloads build and commands (portal/db_routers.py). A page the page cache is
going to store is read from the replica only when the replica has the version it is stored under.

The replica here is a second alias of the test database, on the default alias's own session, so
that it sees each test's data as a streaming replica sees what the primary committed (Django's
TEST MIRROR gives the alias a connection of its own, outside the test's transaction)."""

import pytest
from django.core.cache import cache, caches
from django.db import connections, router, transaction
from django.test.utils import CaptureQueriesContext

from budgets import page_cache, tasks
from budgets.models import DataVersion, ErrorReport, OpenLine
from portal import db_routers
from tests.staff import staff_user

pytestmark = pytest.mark.django_db
PAGE = "/units/503033/2024/"


@pytest.fixture
def replica(settings):
    default = connections["default"]
    default.ensure_connection()
    connections.settings["replica"] = {**default.settings_dict}
    replica = connections["replica"]
    replica.connection = default.connection  # the same session: it sees the test's rows
    settings.DATABASE_ROUTERS = ["portal.db_routers.PrimaryReplicaRouter"]
    yield replica
    replica.connection = None  # the default alias's: not closed here
    del connections["replica"]
    del connections.settings["replica"]


class Queries:
    """The queries of the primary and the replica while the block runs."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections["default"]).__enter__()
        self.replica = CaptureQueriesContext(connections["replica"]).__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)


def test_an_anonymous_visitors_page_is_read_from_the_replica(client, replica):
    with Queries() as queries:
        assert client.get(PAGE).status_code == 200
    assert len(queries.replica) > 0
    assert len(queries.primary) == 0


def test_a_filtered_csv_streams_from_the_replica(client, replica):
    with Queries() as queries:
        response = client.get("/data/browse.csv", {"stage": "final"})
        body = b"".join(response.streaming_content)
    assert body.count(b"\r\n") > 1
    assert len(queries.replica) == 1  # the COPY (or the SELECT on SQLite)
    assert len(queries.primary) == 0


def test_a_page_of_the_lines_api_is_read_from_the_replica(client, replica):
    # The page's records (sources in them): the API's own way of writing a page
    # (budgets/api/lines_lane.py) must ask the router like every other read.
    with Queries() as queries:
        response = client.get("/api/lines/", {"year": "2024"})
    assert response.status_code == 200
    assert response.json()["results"]
    assert len(queries.replica) == 1
    assert len(queries.primary) == 0


def test_staff_read_the_primary_on_public_pages_and_in_the_admin(client, replica):
    client.force_login(staff_user("finance", "财务人员", "503033"))
    with Queries() as queries:
        assert client.get(PAGE).status_code == 200
        assert client.get("/admin/budgets/publication/").status_code == 200
    assert len(queries.replica) == 0
    assert len(queries.primary) > 0


def test_a_visitors_post_reads_and_writes_the_primary(client, replica):
    from tests.test_views_report import form_data

    cache.clear()  # the reports' rate limit
    with Queries() as queries:
        assert client.post("/report/", form_data()).status_code == 302
    assert ErrorReport.objects.count() == 1
    assert len(queries.replica) == 0
    assert len(queries.primary) > 0


def test_in_a_public_request_a_write_sends_the_reads_after_it_to_the_primary(replica):
    token = db_routers._public_reads.set(db_routers._Request())
    try:
        assert OpenLine.objects.all().db == "replica"
        DataVersion.objects.filter(pk=page_cache.ROW).update(version=1)
        assert OpenLine.objects.all().db == "default"
    finally:
        db_routers._public_reads.reset(token)


def test_in_a_public_request_reads_inside_a_transaction_go_to_the_primary(replica):
    token = db_routers._public_reads.set(db_routers._Request())
    try:
        with transaction.atomic():
            assert OpenLine.objects.all().db == "default"
        assert OpenLine.objects.all().db == "replica"
    finally:
        db_routers._public_reads.reset(token)


def test_outside_a_request_commands_and_the_downloads_build_use_the_primary(replica):
    assert router.db_for_read(OpenLine) == "default"
    assert router.db_for_write(OpenLine) == "default"
    with Queries() as queries:
        tasks.build_now("test")
    assert len(queries.replica) == 0
    assert len(queries.primary) > 0


def test_migrations_run_on_the_primary_only(replica):
    assert router.allow_migrate("default", "budgets")
    assert not router.allow_migrate("replica", "budgets")


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60
    caches[page_cache.CACHE_ALIAS].clear()
    page_cache.bump()
    yield
    caches[page_cache.CACHE_ALIAS].clear()


def test_a_page_to_be_cached_is_read_from_the_replica_once_it_has_the_version(
    client, replica, page_cache_on
):
    with Queries() as queries:
        assert client.get(PAGE)["X-Cache"] == "miss"
    # The version from the primary (the key), then from the replica (the check), then the page.
    assert len(queries.primary) == 1
    assert len(queries.replica) > 1


def test_a_page_to_be_cached_is_read_from_the_primary_while_the_replica_lags(
    client, replica, page_cache_on, monkeypatch
):
    # The replica has not yet received the last change: it shows the version before it.
    current = page_cache.current_version

    def lagging(db=None):
        version = current(db)
        return version - 1 if db is not None and db.alias == "replica" else version

    monkeypatch.setattr(page_cache, "current_version", lagging)
    with Queries() as queries:
        assert client.get(PAGE)["X-Cache"] == "miss"
    assert len(queries.replica) == 1  # its version only: the page is the primary's
    assert len(queries.primary) > 1


def test_without_a_replica_nothing_is_routed(client):
    assert not db_routers.has_replica()
    assert "replica" not in connections
    with CaptureQueriesContext(connections["default"]) as queries:
        assert client.get(PAGE).status_code == 200
    assert len(queries) > 0
