"""tests/conftest.py loads the publications into a database a transactional test emptied by
copying back the rows its first `loaddata` left: the copy must be exactly that load."""

import pytest
from django.core.management import call_command
from django.db import connection

from tests import conftest

pytestmark = pytest.mark.django_db(transaction=True)


def every_row() -> dict:
    """Every table's rows, in an order of their own (ids included). The data version is left
    out: each load gives the data a new one."""
    with connection.cursor() as cursor:
        rows = {}
        for table in connection.introspection.table_names():
            if table != "budgets_dataversion":
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
                rows[table] = sorted(map(repr, cursor.fetchall()))
        return rows


def test_the_copied_publications_are_exactly_what_loaddata_left(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("loaddata itself loads them on SQLite")
    monkeypatch.setattr(conftest, "_LOADED_ROWS", None)  # this load by loaddata, then a copy
    call_command("flush", verbosity=0, interactive=False)
    conftest.load_published()
    loaded = every_row()
    assert conftest._LOADED_ROWS, "the load was not copied"
    assert loaded["budgets_publication"]
    assert loaded["budgets_openline"]
    call_command("flush", verbosity=0, interactive=False)
    conftest.load_published()
    assert every_row() == loaded
