"""The 审核人员 (reviewers) group: may view everything of their units, publish drafts and
correct published figures (each correction with a reason); finance staff may view corrections."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWERS = "审核人员"
FINANCE_STAFF = "财务人员"
FIGURES = [
    "publication",
    "section",
    "publicationcontact",
    "fact",
    "citation",
    "publishedfigure",
    "threepublicexpense",
    "explanation",
    "project",
    "projectamount",
    "projectcostline",
    "procurementitem",
    "projectsubjectlink",
    "performanceplan",
    "indicatortarget",
    "indicatorpriorvalue",
    "selfevaluation",
    "evaluationitem",
]
REVIEWER_CODENAMES = [
    *(f"{action}_{model}" for model in FIGURES for action in ("view", "change")),
    "view_subject",
    "view_unit",
    "view_correction",
    "publish_publication",
]


def _permissions(apps, codenames):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    found = Permission.objects.filter(content_type__app_label="budgets", codename__in=codenames)
    assert found.count() == len(set(codenames)), "missing permissions"
    return found


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS)
    reviewers.permissions.set(_permissions(apps, REVIEWER_CODENAMES))
    staff, _ = Group.objects.get_or_create(name=FINANCE_STAFF)
    staff.permissions.add(*_permissions(apps, ["view_correction"]))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=REVIEWERS).delete()


class Migration(migrations.Migration):
    dependencies = [("budgets", "0004_audit_trail_memberships_corrections")]

    operations = [migrations.RunPython(create_groups, remove_groups)]
