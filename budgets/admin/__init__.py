"""The admin where finance staff keep the figures right. Amounts are entered and shown in 万元;
each model's clean() explains in Chinese what is wrong; budgets.admin.scoping keeps every user
to their own units and every published figure behind a correction."""

from django.contrib import admin

from budgets.admin import (  # noqa: F401
    downloads,
    figures,
    performance,
    projects,
    publications,
    reports,
    subjects,
)

admin.site.site_header = "预决算公开平台 · 数据管理"
admin.site.site_title = "预决算公开平台"
admin.site.index_title = "预算、决算数据"
admin.site.empty_value_display = "（空白）"
