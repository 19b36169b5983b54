"""Projects: their amounts by stage, cost lines, purchases and links to subjects.

A project belongs to a unit, not to one publication; its amounts, cost lines and purchases each
belong to a publication, so they are changed on their own pages, where that publication's
state applies."""

from django.contrib import admin

from budgets.admin.scoping import ONLY_USED, ScopedAdmin, ScopedInline
from budgets.models import (
    ProcurementItem,
    Project,
    ProjectAmount,
    ProjectCostLine,
    ProjectSubjectLink,
)


class ProjectRowsInline(ScopedInline):
    rows_follow_parent = False
    extra = 0
    show_change_link = True


class ProjectAmountInline(ProjectRowsInline):
    model = ProjectAmount


class ProjectCostLineInline(ProjectRowsInline):
    model = ProjectCostLine


class ProcurementItemInline(ProjectRowsInline):
    model = ProcurementItem


class ProjectSubjectLinkInline(ProjectRowsInline):
    model = ProjectSubjectLink


@admin.register(Project)
class ProjectAdmin(ScopedAdmin):
    # name_en is given by staff; left blank, English pages show the Chinese name.
    list_display = ["code", "name", "name_en", "unit", "category", "start_year"]
    list_filter = ["category"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit", "supervisor"]
    inlines = [
        ProjectAmountInline,
        ProjectCostLineInline,
        ProcurementItemInline,
        ProjectSubjectLinkInline,
    ]


@admin.register(ProjectAmount)
class ProjectAmountAdmin(ScopedAdmin):
    list_display = ["project", "year", "stage", "fund_source", "amount", "publication"]
    list_filter = ["year", "stage", ("publication", ONLY_USED)]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project", "publication__unit"]
    autocomplete_fields = ["project", "publication"]


@admin.register(ProjectCostLine)
class ProjectCostLineAdmin(ScopedAdmin):
    list_display = ["project", "activity", "economic_name", "economic_code", "amount"]
    list_filter = ["economic_name"]
    search_fields = ["activity", "description", "economic_name", "project__name"]
    list_select_related = ["project"]
    autocomplete_fields = ["project", "section"]


@admin.register(ProcurementItem)
class ProcurementItemAdmin(ScopedAdmin):
    list_display = ["project", "item", "quantity", "amount"]
    search_fields = ["item", "project__name"]
    list_select_related = ["project"]
    autocomplete_fields = ["project", "section"]


@admin.register(ProjectSubjectLink)
class ProjectSubjectLinkAdmin(ScopedAdmin):
    list_display = ["project", "subject", "stage", "inferred"]
    list_filter = ["stage", "inferred"]
    list_select_related = ["project", "subject"]
    autocomplete_fields = ["project", "subject"]
