"""Settings are read strictly from the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings import env_bool, env_int, env_list


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
    """Import portal.settings afresh with exactly this environment (pytest-django forces DEBUG
    off and tests/conftest.py the downloads' build on publishing in the test process, so only a
    new process sees what the settings module decides)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
    code = (
        "import json, portal.settings as s; print(json.dumps({'DEBUG': s.DEBUG, "
        "'DOWNLOADS_BUILD_ON_PUBLISH': s.DOWNLOADS_BUILD_ON_PUBLISH}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, **environ},
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_debug_is_off_unless_asked():
    assert settings_in_a_new_process()["DEBUG"] is False
    assert settings_in_a_new_process(DJANGO_DEBUG="")["DEBUG"] is False
    assert settings_in_a_new_process(DJANGO_DEBUG="true")["DEBUG"] is True


def test_publishing_rebuilds_the_downloads_unless_asked_not_to():
    assert settings_in_a_new_process()["DOWNLOADS_BUILD_ON_PUBLISH"] is True
    off = settings_in_a_new_process(PORTAL_DOWNLOADS_BUILD_ON_PUBLISH="false")
    assert off["DOWNLOADS_BUILD_ON_PUBLISH"] is False
