"""OpenLine.csv_row: each open line's record of lines.csv, written with the line, so that the
bulk CSV on PostgreSQL is a COPY of one column (budgets.lines_csv). The lines already there are
rewritten whole by the code that writes them (budgets.open_lines.refresh_all, as
`refresh_open_lines` does: a read model is rewritten by its current code): at a million lines
that takes 12–46 s, where an UPDATE of the new column alone ran over 5 minutes (every index
updated for every row)."""

from django.db import migrations, models


def fill(apps, schema_editor):
    # Done by 0020 instead: today's refresh_all writes OpenLine.api_json too, which this
    # migration's table does not have yet (every line is rewritten there, csv_row included).
    pass


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
