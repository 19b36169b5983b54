"""Trigram indexes for the search (budgets.search) on PostgreSQL.

The search matches words anywhere in names and texts (`icontains`, which PostgreSQL runs as
UPPER(column) LIKE UPPER('%word%')), so each searched column gets a GIN trigram index on
UPPER(column). pg_trgm splits text into trigrams of "word" characters; the database's ctype
(C.UTF-8) counts CJK characters as such (tests/test_views_search.py checks it), so '事业运行'
has trigrams and a LIKE of 3 characters or more can use these indexes. SQLite has neither
pg_trgm nor GIN: there the operations do nothing (TrigramExtension checks the vendor itself).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

SEARCHED = {
    "budgets_unit": ["name"],
    "budgets_subject": ["name"],
    "budgets_project": ["code", "name"],
    "budgets_indicatortarget": ["level1", "level2", "level3"],
    "budgets_evaluationitem": ["level1", "level2", "level3"],
    "budgets_explanation": ["label", "text"],
}


def index_names():
    for table, columns in SEARCHED.items():
        for column in columns:
            yield table, column, f"{table.removeprefix('budgets_')}_{column}_trgm"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column, name in index_names():
        schema_editor.execute(
            f"CREATE INDEX {name} ON {table} USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, _column, name in index_names():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0014_publication_sources"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
