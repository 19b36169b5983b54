"""Subjects (科目) are shared by every unit: adding one changes what every unit's staff may
enter, so it is a reviewer's decision, no longer a finance staff member's."""

from django.db import migrations

FINANCE_STAFF = "财务人员"
REVIEWERS = "审核人员"


def move_add_subject(source: str, target: str):
    def move(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        permission = Permission.objects.get(
            content_type__app_label="budgets", codename="add_subject"
        )
        for group in Group.objects.filter(name=source):
            group.permissions.remove(permission)
        for group in Group.objects.filter(name=target):
            group.permissions.add(permission)

    return move


class Migration(migrations.Migration):
    dependencies = [("budgets", "0006_quality_report")]

    operations = [migrations.RunPython(
            move_add_subject(FINANCE_STAFF, REVIEWERS), move_add_subject(REVIEWERS, FINANCE_STAFF)
        )]
