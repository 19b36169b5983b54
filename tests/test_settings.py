"""Settings are read strictly from the environment."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings import env_bool, env_int, env_list
from tests.helpers import new_process_settings


def test_booleans_accept_the_usual_spellings(monkeypatch):
    for raw, expected in [("true", True), ("1", True), ("On", True), ("no", False), ("", False)]:
        monkeypatch.setenv("X_FLAG", raw)
        assert env_bool("X_FLAG", default=not expected) is expected


def test_a_boolean_that_cannot_be_read_stops_the_process(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", default=False)


def test_unset_means_the_default(monkeypatch):
    monkeypatch.delenv("X_FLAG", raising=False)
    assert env_bool("X_FLAG", default=False) is False
    assert env_list("X_HOSTS", ["127.0.0.1"]) == ["127.0.0.1"]


def test_lists_and_integers_are_checked(monkeypatch):
    monkeypatch.setenv("X_HOSTS", "a.example, b.example")
    assert env_list("X_HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.setenv("X_HOSTS", "a.example,,b")
    with pytest.raises(ImproperlyConfigured):
        env_list("X_HOSTS", [])
    monkeypatch.setenv("X_NUMBER", "sixty")
    with pytest.raises(ImproperlyConfigured, match="X_NUMBER"):
        env_int("X_NUMBER", 60)


def settings_in_a_new_process(**environ) -> dict:
    """DEBUG and the build on publishing as a fresh process reads them (tests.helpers)."""
    return new_process_settings(("DEBUG", "DOWNLOADS_BUILD_ON_PUBLISH"), **environ)


def test_debug_is_off_unless_asked():
    assert settings_in_a_new_process()["DEBUG"] is False
    assert settings_in_a_new_process(DJANGO_DEBUG="")["DEBUG"] is False
    assert settings_in_a_new_process(DJANGO_DEBUG="true")["DEBUG"] is True


def test_publishing_rebuilds_the_downloads_unless_asked_not_to():
    assert settings_in_a_new_process()["DOWNLOADS_BUILD_ON_PUBLISH"] is True
    off = settings_in_a_new_process(PORTAL_DOWNLOADS_BUILD_ON_PUBLISH="false")
    assert off["DOWNLOADS_BUILD_ON_PUBLISH"] is False


def test_postgresql_connections_run_without_jit_and_keep_options_from_the_address():
    # JIT compiled the lines CSV's query for 0.48 s before its first row (issue 11).
    url = "postgres://postgres@127.0.0.1:5432/portal"
    plain = new_process_settings(("DATABASES",), DATABASE_URL=url)["DATABASES"]["default"]
    assert plain["OPTIONS"]["options"] == "-c jit=off"
    with_options = f"{url}?options=-c%20statement_timeout%3D5000"
    kept = new_process_settings(("DATABASES",), DATABASE_URL=with_options)["DATABASES"]
    assert kept["default"]["OPTIONS"]["options"] == "-c statement_timeout=5000 -c jit=off"
    sqlite = new_process_settings(("DATABASES",), DATABASE_URL="sqlite:////tmp/x.sqlite3")
    assert "options" not in sqlite["DATABASES"]["default"]["OPTIONS"]


@pytest.mark.django_db
def test_the_database_connection_has_jit_off_on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
