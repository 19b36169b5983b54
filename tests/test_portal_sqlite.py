"""portal.sqlite: every dataset as a table with the rows of its CSV, exact amounts, indexes,
views and a description of every table and column, served and listed like the other files."""

import csv
import hashlib
import io
import sqlite3
from decimal import Decimal

import pytest

from budgets import downloads, open_lines, sqlite_export
from budgets.datasets import DATASETS
from budgets.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def built():
    return downloads.build()


@pytest.fixture
def database(built):
    db = sqlite3.connect(downloads.current_dir() / "portal.sqlite")
    yield db
    db.close()


def csv_of(name):
    text = (downloads.current_dir() / f"{name}.csv").read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_every_dataset_is_a_table_with_the_rows_of_its_csv(database):
    for dataset in DATASETS:
        header, *rows = csv_of(dataset.name)
        columns = [row[1] for row in database.execute(f"PRAGMA table_info({dataset.name})")]
        assert [c for c in columns if not c.endswith("_real")] == header
        (count,) = database.execute(f"SELECT count(*) FROM {dataset.name}").fetchone()
        assert count == len(rows), dataset.name
        selected = ", ".join(f'"{name}"' for name in header)
        for row, stored in zip(rows, database.execute(f"SELECT {selected} FROM {dataset.name}"),
                               strict=True):  # fmt: skip
            as_text = ["" if v is None else str(v) for v in stored]
            for column, text, value in zip(dataset.columns, row, as_text, strict=True):
                if column.type == "boolean":
                    assert value == {"true": "1", "false": "0", "": ""}[text]
                else:
                    assert value == text, (dataset.name, column.name)


def test_amounts_are_exact_text_with_a_real_copy_and_sum_to_the_printed_total(database):
    kind, exact, real = database.execute(
        "SELECT typeof(amount), amount, amount_real FROM lines WHERE amount = '720.94'"
    ).fetchone()
    assert kind == "text"
    assert exact == "720.94"
    assert real == pytest.approx(720.94)
    [(total,)] = database.execute(
        "SELECT amount FROM lines_by_unit WHERE year = 2024 AND stage = 'final' "
        "AND direction = 'expenditure' AND breakdown = 'functional'"
    ).fetchall()
    assert Decimal(total) == Decimal("732.00")


def test_the_views_keep_the_two_classifications_apart(database):
    breakdowns = {
        row[0] for row in database.execute("SELECT DISTINCT breakdown FROM lines_by_class")
    }
    assert {"functional", "economic"} <= breakdowns
    classes = {
        (row[0], row[1])
        for row in database.execute("SELECT breakdown, class_code FROM lines_by_class")
    }
    assert ("functional", "208") in classes
    assert ("economic", "301") in classes
    for name in sqlite_export.VIEWS:
        database.execute(f"SELECT * FROM {name} LIMIT 1").fetchall()


def test_indexes_and_a_description_of_every_table_and_column(database):
    indexes = {
        row[0] for row in database.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
    }
    assert {"lines_unit_year", "lines_functional_code", "figures_unit_year",
            "projects_project_code"} <= indexes  # fmt: skip
    # INDEXED BY fails unless the index can answer the query (the planner may prefer a scan
    # of a table this small).
    database.execute(
        "SELECT count(*) FROM lines INDEXED BY lines_unit_year "
        "WHERE unit_code = '503033' AND year = 2024"
    ).fetchone()
    described = set(database.execute("SELECT table_name, column_name FROM _meta"))
    for dataset in DATASETS:
        assert (dataset.name, None) in described
        for column in dataset.columns:
            assert (dataset.name, column.name) in described
    for name in sqlite_export.VIEWS:
        assert (name, None) in described
    about = dict(database.execute("SELECT key, value FROM _about"))
    assert "CC-BY-4.0" in about["licence"]
    assert about["built_at"]


def test_text_a_spreadsheet_would_run_is_stored_as_it_is():
    Unit.objects.filter(code="503033").update(name="=1+2")
    open_lines.refresh_all()
    downloads.build()
    db = sqlite3.connect(downloads.current_dir() / "portal.sqlite")
    assert {row[0] for row in db.execute("SELECT DISTINCT unit_name FROM lines")} == {"=1+2"}
    db.close()
    assert {row[4] for row in csv_of("lines")[1:]} == {"'=1+2"}


def test_it_is_listed_and_served_as_the_exact_bytes_with_rows_size_and_hash(client, built):
    entry = next(e for e in built["files"] if e["name"] == "portal.sqlite")
    path = downloads.current_dir() / "portal.sqlite"
    assert entry["bytes"] == path.stat().st_size
    assert entry["rows"] == sum(len(csv_of(d.name)) - 1 for d in DATASETS)
    response = client.get("/data/portal.sqlite")
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == entry["sha256"]
    page = client.get("/data/").content.decode()
    assert "portal.sqlite" in page
    assert entry["sha256"] in page
