"""Subjects (科目) are shared by every unit: adding one changes what every unit's staff may
enter, so it is a reviewer's decision, no longer a finance staff member's."""

from django.db import migrations

FINANCE_STAFF = "财务人员"
REVIEWERS = "审核人员"


def _add_subject(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label="budgets", codename="add_subject")


def move_to_reviewers(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permission = _add_subject(apps)
    for group in Group.objects.filter(name=FINANCE_STAFF):
        group.permissions.remove(permission)
    for group in Group.objects.filter(name=REVIEWERS):
        group.permissions.add(permission)


def move_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permission = _add_subject(apps)
    for group in Group.objects.filter(name=REVIEWERS):
        group.permissions.remove(permission)
    for group in Group.objects.filter(name=FINANCE_STAFF):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("budgets", "0006_quality_report")]

    operations = [migrations.RunPython(move_to_reviewers, move_back)]
