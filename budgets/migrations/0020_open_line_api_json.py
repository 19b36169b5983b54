"""OpenLine.api_json: each open line's object in the lines API, written with the line, so that a
page of /api/lines/ is its rows' records joined (budgets.api.lines_lane). The lines already there
are rewritten whole by the code that writes them, as in 0018 (budgets.open_lines.refresh_all)."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from budgets import open_lines

    if apps.get_model("budgets", "OpenLine").objects.using(schema_editor.connection.alias).exists():
        open_lines.refresh_all()


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0019_publication_status_year_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="openline",
            name="api_json",
            field=models.TextField(default="", editable=False, verbose_name="API 记录"),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
