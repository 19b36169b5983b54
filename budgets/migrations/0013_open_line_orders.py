"""The orders of the lines page and the API as indexes (budgets.filters.LINE_ORDERS), one index
for each choice filter, and on PostgreSQL the prefix searches (code_prefix, unit_prefix).

The database's collation (C.UTF-8) is not "C" to PostgreSQL, so a plain index cannot serve
LIKE '208%': the prefix indexes use varchar_pattern_ops, which SQLite does not have (there,
LIKE is case-insensitive and uses no index anyway), hence RunPython with a vendor guard.
"""

import django.db.models.functions.comparison
from django.db import migrations, models

# The unit prefix index includes the sort columns: a page of a department's lines sorts their
# keys from this index alone (budgets.filters.walks_order_index).
PATTERN_INDEXES = {
    "openline_unit_prefix": "unit_code varchar_pattern_ops, fact_id) INCLUDE (year, amount",
    "openline_code_prefix": "subject_code varchar_pattern_ops, fact_id",
}


def create_pattern_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in PATTERN_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {name} ON budgets_openline ({columns})")


def drop_pattern_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in PATTERN_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0012_fact_subject_unit_stage_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="openline",
            name="openline_amount",
        ),
        migrations.AddIndex(
            model_name="openline",
            index=models.Index(fields=["year", "fact"], name="openline_year"),
        ),
        migrations.AddIndex(
            model_name="openline",
            index=models.Index(
                django.db.models.functions.comparison.Coalesce(
                    "amount",
                    models.Value(9000000000000000000),
                    output_field=models.BigIntegerField(),
                ),
                models.F("fact"),
                name="openline_amount_up",
            ),
        ),
        migrations.AddIndex(
            model_name="openline",
            index=models.Index(
                django.db.models.functions.comparison.Coalesce(
                    "amount",
                    models.Value(-9000000000000000000),
                    output_field=models.BigIntegerField(),
                ),
                models.F("fact"),
                name="openline_amount_down",
            ),
        ),
        migrations.AddIndex(
            model_name="openline",
            index=models.Index(fields=["direction", "fact"], name="openline_direction"),
        ),
        migrations.AddIndex(
            model_name="openline",
            index=models.Index(fields=["breakdown", "fact"], name="openline_breakdown"),
        ),
        migrations.AddIndex(
            model_name="openline",
            index=models.Index(fields=["expenditure_type", "fact"], name="openline_expenditure_type"),
        ),
        migrations.AddIndex(
            model_name="openline",
            index=models.Index(fields=["expense_class", "fact"], name="openline_expense_class"),
        ),
        migrations.AddIndex(
            model_name="openline",
            index=models.Index(fields=["fund_source", "fact"], name="openline_fund_source"),
        ),
        migrations.RunPython(create_pattern_indexes, drop_pattern_indexes, elidable=False),
    ]
