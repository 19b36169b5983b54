"""The 财务人员 (finance staff) group: may view, add and change the figures of publications,
view units and the classification, and never touch users or groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "财务人员"
# model → actions the group may take
PERMISSIONS = {
    "publication": ("view", "add", "change"),
    "section": ("view", "add", "change", "delete"),
    "publicationcontact": ("view", "add", "change", "delete"),
    "fact": ("view", "add", "change", "delete"),
    "citation": ("view", "add", "change", "delete"),
    "publishedfigure": ("view", "add", "change", "delete"),
    "threepublicexpense": ("view", "add", "change", "delete"),
    "explanation": ("view", "add", "change", "delete"),
    "project": ("view", "add", "change"),
    "projectamount": ("view", "add", "change", "delete"),
    "projectcostline": ("view", "add", "change", "delete"),
    "procurementitem": ("view", "add", "change", "delete"),
    "projectsubjectlink": ("view", "add", "change", "delete"),
    "performanceplan": ("view", "add", "change", "delete"),
    "indicatortarget": ("view", "add", "change", "delete"),
    "indicatorpriorvalue": ("view", "add", "change", "delete"),
    "selfevaluation": ("view", "add", "change", "delete"),
    "evaluationitem": ("view", "add", "change", "delete"),
    "subject": ("view", "add"),
    "unit": ("view",),
}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now to assign them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]
    permissions = Permission.objects.filter(content_type__app_label="budgets", codename__in=codenames)
    assert permissions.count() == len(codenames), "missing permissions"
    group.permissions.set(permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
