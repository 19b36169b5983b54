"""OpenLine.csv_row: each open line's record of lines.csv, written with the line, so that the
bulk CSV on PostgreSQL is a COPY of one column (budgets.lines_csv). The lines already there get
theirs from their columns (budgets.open_lines.rewrite_csv_rows: the code that writes them, as a
read model is rewritten by its current code; about a minute at a million lines)."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from budgets import open_lines

    if apps.get_model("budgets", "OpenLine").objects.using(schema_editor.connection.alias).exists():
        open_lines.rewrite_csv_rows()


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0017_english_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="openline",
            name="csv_row",
            field=models.TextField(default="", editable=False, verbose_name="CSV 记录"),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
