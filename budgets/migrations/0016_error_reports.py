"""Error reports from the public (报告数据错误); finance staff and reviewers may view them and
change their status (budgets.admin.reports keeps each to the reports on their units' pages)."""

from django.contrib.auth.management import create_permissions

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

GROUPS = ("财务人员", "审核人员")
CODENAMES = ("view_errorreport", "change_errorreport")


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="budgets", codename__in=CODENAMES)
    assert permissions.count() == len(CODENAMES), "missing permissions"
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="budgets", codename__in=CODENAMES)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):

    dependencies = [
        ('budgets', '0015_search_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ErrorReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reference', models.CharField(editable=False, max_length=20, null=True, unique=True, verbose_name='受理编号')),
                ('page', models.CharField(max_length=300, verbose_name='页面地址')),
                ('figure', models.CharField(blank=True, max_length=64, verbose_name='数字（表格行）')),
                ('unit_code', models.CharField(blank=True, db_index=True, help_text='页面地址中的单位或部门编码；据此只向该单位的工作人员显示。', max_length=20, verbose_name='单位或部门编码')),
                ('description', models.TextField(verbose_name='错误描述')),
                ('contact', models.CharField(blank=True, max_length=200, verbose_name='联系方式（选填）')),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='提交时间')),
                ('status', models.CharField(choices=[('new', '待处理'), ('handled', '已处理')], db_index=True, default='new', max_length=10, verbose_name='状态')),
                ('handled_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='处理时间')),
                ('client_hash', models.CharField(editable=False, max_length=64, verbose_name='来源摘要')),
                ('handled_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='处理人')),
            ],
            options={
                'verbose_name': '数据错误报告',
                'verbose_name_plural': '数据错误报告',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
