"""The database settings (portal/databases.py, portal/settings.py, portal/wsgi.py): DATABASE_URL
and DATABASE_REPLICA_URL read the same strict way, the replica and its router only when asked
for, and the statement timeout on the web processes' connections only."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import new_process_settings

PRIMARY = "postgres://postgres@127.0.0.1:5432/portal"
REPLICA = "postgres://postgres@replica.internal:5432/portal?pool=true"
ROOT = Path(__file__).resolve().parent.parent


def databases(**environ) -> dict:
    environ.setdefault("DATABASE_REPLICA_URL", "")  # not the test run's own, if it has one
    return new_process_settings(("DATABASES", "DATABASE_ROUTERS"), **environ)


def test_without_a_replica_there_is_one_database_and_no_router():
    found = databases(DATABASE_URL=PRIMARY)
    assert list(found["DATABASES"]) == ["default"]
    assert found["DATABASE_ROUTERS"] == []


def test_a_replica_is_read_like_the_primary_with_its_router():
    found = databases(DATABASE_URL=PRIMARY, DATABASE_REPLICA_URL=REPLICA)
    replica = found["DATABASES"]["replica"]
    assert replica["HOST"] == "replica.internal"
    assert replica["OPTIONS"] == {"pool": True, "options": "-c jit=off"}
    assert replica["CONN_MAX_AGE"] == 0  # the pool manages its connections
    assert replica["TEST"] == {"MIRROR": "default"}
    assert found["DATABASES"]["default"]["CONN_MAX_AGE"] == 60
    assert found["DATABASE_ROUTERS"] == ["portal.db_routers.PrimaryReplicaRouter"]


def test_an_address_that_cannot_be_read_stops_the_process_naming_its_variable():
    for value in ["replica.internal:5432", "postgres://u@h:port/x", f"{PRIMARY}?pool=maybe"]:
        error = databases(DATABASE_URL=PRIMARY, DATABASE_REPLICA_URL=value)["error"]
        assert "DATABASE_REPLICA_URL" in error
    assert "DATABASE_URL" in databases(DATABASE_URL="postgres://")["error"]


def test_a_replica_of_another_kind_of_database_is_refused():
    error = databases(DATABASE_URL=PRIMARY, DATABASE_REPLICA_URL="sqlite:////tmp/x.sqlite3")
    assert "same kind" in error["error"]


def test_a_negative_statement_timeout_is_refused():
    error = databases(PORTAL_DB_STREAM_STATEMENT_TIMEOUT_MS="-1")["error"]
    assert "PORTAL_DB_STREAM_STATEMENT_TIMEOUT_MS must not be negative" in error


def connection_options(module: str, **environ) -> dict:
    """The startup options each alias's connections would be opened with, in a new process that
    imports `module` (portal.wsgi for the web server, portal.settings as a command does)."""
    code = (
        f"import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        f"'portal.settings'); import {module}; django.setup(); "
        "from django.db import connections; "
        "print(json.dumps({a: connections[a].get_connection_params().get('options', '') "
        "for a in connections}))"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PORTAL_")) and k != "DATABASE_REPLICA_URL"
    }
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code],
        env={**env, **environ},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_the_web_processes_connections_have_the_statement_timeout_and_commands_none():
    environ = {
        "DATABASE_URL": PRIMARY,
        "DATABASE_REPLICA_URL": REPLICA,
        "PORTAL_DB_STATEMENT_TIMEOUT_MS": "5000",
    }
    web = connection_options("portal.wsgi", **environ)
    assert web == {
        "default": "-c jit=off -c statement_timeout=5000",
        "replica": "-c jit=off -c statement_timeout=5000",
    }
    command = connection_options("portal.settings", **environ)
    assert command == {"default": "-c jit=off", "replica": "-c jit=off"}


def test_without_a_statement_timeout_the_web_processes_connections_are_as_before():
    web = connection_options("portal.wsgi", DATABASE_URL=PRIMARY)
    assert web == {"default": "-c jit=off"}
