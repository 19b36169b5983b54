"""A streamed CSV that fails half-way never ends as a complete file: served by gunicorn with the
production settings (portal/gunicorn.conf.py), a browse CSV whose query is killed in the middle
reaches the client as a chunked body without its last chunk, which HTTP clients report as an
error (requests: ChunkedEncodingError), never as 200 with missing rows."""

import os
import signal
import socket
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
import requests
from django.core.management import call_command
from django.db import connection
from requests.adapters import HTTPAdapter

from budgets import open_lines
from budgets.models import OpenLine, Publication
from tests.conftest import load_published

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a streamed query and a server's backend to kill"
    ),
    pytest.mark.django_db(transaction=True),
]
ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
YEAR = 2024


class SmallReceiveBuffer(HTTPAdapter):
    """A client that reads slowly keeps the server waiting for it: with a small receive
    buffer the query is still running when the test kills it."""

    def init_poolmanager(self, *args, **kwargs):
        kwargs["socket_options"] = [(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)]
        super().init_poolmanager(*args, **kwargs)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


@pytest.fixture
def many_lines(settings):
    """About 17,000 open lines of one year, 1.3 KB each: 20 MB of CSV, more than the
    sockets between the database, gunicorn and the client hold."""
    if not Publication.objects.exists():  # a transactional test before this one emptied it
        load_published()
    settings.OPEN_DATA_INCLUDES_EXAMPLES = True
    call_command(
        "generate_city",
        "--departments=4",
        "--units=120",
        "--years=1",
        f"--last-year={YEAR}",
        stdout=StringIO(),
    )
    OpenLine.objects.filter(year=YEAR).update(source="出处" * 200)
    open_lines.rewrite_records(OpenLine.objects.filter(year=YEAR))  # the stream copies these
    return OpenLine.objects.filter(year=YEAR).count()


def wait_until_answering(base: str, process, log_path) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            if requests.get(f"{base}/data/browse.csv?year=1990", timeout=10).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            # Not listening yet, or a first request slower than the timeout on a loaded
            # machine (a CI run at load 13 read nothing within 5 s): ask again until the deadline.
            pass
        assert process.poll() is None, log_path.read_text()
        assert time.monotonic() < deadline, "gunicorn did not answer within two minutes"
        time.sleep(0.2)


@pytest.fixture
def server(many_lines, tmp_path):
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PORTAL_DOWNLOADS_DIR": str(tmp_path / "downloads"),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [GUNICORN, "-c", "portal/gunicorn.conf.py", f"--bind=127.0.0.1:{port}", "--workers=1"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: killed whole if it never answers
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(base, process, tmp_path / "gunicorn.log")
    except BaseException:
        # Never leave the server behind: it would hold a connection to the test database,
        # which the next run then cannot drop and recreate (every test of that worker errors).
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        log.close()
        raise
    yield base
    process.terminate()
    process.wait(timeout=30)
    log.close()


def streaming_backends() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND state = 'active'"
            " AND query LIKE 'SELECT %%csv_row%% FROM %%'"
        )
        return [pid for (pid,) in cursor.fetchall()]


def slow_client() -> requests.Session:
    session = requests.Session()
    session.mount("http://", SmallReceiveBuffer())
    return session


def test_a_complete_stream_ends_cleanly_with_every_row(server, many_lines):
    with slow_client().get(f"{server}/data/browse.csv?year={YEAR}", stream=True) as response:
        assert response.status_code == 200
        assert response.headers["Transfer-Encoding"] == "chunked"
        body = b"".join(response.iter_content(1 << 16))
    assert body.count(b"\r\n") == 1 + many_lines


def test_a_stream_whose_query_is_killed_midway_is_an_incomplete_download(server, many_lines):
    url = f"{server}/data/browse.csv?year={YEAR}"
    with slow_client().get(url, stream=True) as response:
        assert response.status_code == 200
        chunks = response.iter_content(1 << 14)
        received = [next(chunks)]
        deadline = time.monotonic() + 30
        while not (backends := streaming_backends()):
            assert time.monotonic() < deadline, "the query ended before the test could cut it"
            time.sleep(0.1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backends[0]])
            assert cursor.fetchone() == (True,)
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            received.extend(chunks)  # what arrives before the error is kept
    # What did arrive is a proper beginning of the file, short of its end.
    body = b"".join(received)
    assert body.startswith(b"\xef\xbb\xbfyear,stage,")
    assert body.count(b"\r\n") < 1 + many_lines
    # The worker carries on: the next request gets a whole file.
    with slow_client().get(url, stream=True) as response:
        assert b"".join(response.iter_content(1 << 16)).count(b"\r\n") == 1 + many_lines
