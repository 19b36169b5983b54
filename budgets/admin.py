"""The admin where finance staff keep the figures right. Amounts are entered and shown in 万元;
each model's clean() explains in Chinese what is wrong."""

from django.contrib import admin

from budgets import downloads
from budgets.models import (
    Citation,
    EvaluationItem,
    Explanation,
    Fact,
    IndicatorPriorValue,
    IndicatorTarget,
    PerformancePlan,
    ProcurementItem,
    Project,
    ProjectAmount,
    ProjectCostLine,
    ProjectSubjectLink,
    Publication,
    PublicationContact,
    PublishedFigure,
    Section,
    SelfEvaluation,
    Subject,
    ThreePublicExpense,
    Unit,
)

admin.site.site_header = "预决算公开平台 · 数据管理"
admin.site.site_title = "预决算公开平台"
admin.site.index_title = "预算、决算数据"
admin.site.empty_value_display = "（空白）"


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "name_en"]
    autocomplete_fields = ["parent"]


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["order", "code", "slug", "title", "kind", "topic"]
    extra = 0
    show_change_link = True


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "year", "kind", "status", "published_on"]
    list_filter = ["year", "kind", "status"]
    search_fields = ["title", "unit__name", "unit__code"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    inlines = [SectionInline]
    actions = ["rebuild_downloads"]

    @admin.action(description="重新生成开放数据下载文件")
    def rebuild_downloads(self, request, queryset):
        manifest = downloads.build()
        self.message_user(request, f"下载文件已于 {manifest['built_at']} 重新生成。")


class PublishedFigureInline(admin.TabularInline):
    model = PublishedFigure
    fields = ["row_order", "row_code", "row_label", "part", "column", "value", "unit_of_measure"]
    extra = 0
    show_change_link = True


class ExplanationInline(admin.StackedInline):
    model = Explanation
    fields = ["order", "kind", "subject", "label", "text"]
    autocomplete_fields = ["subject"]
    extra = 0


class ContactInline(admin.TabularInline):
    model = PublicationContact
    extra = 0


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "publication", "kind", "topic", "order"]
    list_filter = ["publication", "kind", "topic"]
    search_fields = ["code", "title", "slug"]
    list_select_related = ["publication__unit"]
    inlines = [PublishedFigureInline, ExplanationInline, ContactInline]


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "scheme", "year", "level_name"]
    list_filter = ["scheme", "year"]
    search_fields = ["code", "name"]
    ordering = ["scheme", "year", "code"]

    @admin.display(description="层级")
    def level_name(self, subject):
        return subject.level_name


class CitationInline(admin.TabularInline):
    model = Citation
    fk_name = "fact"
    fields = ["section", "row_order", "row_code", "row_label", "part", "column", "printed_text"]
    extra = 0


@admin.register(Fact)
class FactAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "stage",
        "direction",
        "expenditure_type",
        "expense_class",
        "fund_source",
        "amount",
        "source",
    ]
    list_filter = [
        "publication",
        "stage",
        "direction",
        "subject__scheme",
        "expenditure_type",
        "expense_class",
        "fund_source",
    ]
    search_fields = ["subject__code", "subject__name"]
    list_select_related = ["subject", "publication__unit"]
    autocomplete_fields = ["subject", "unit", "publication"]
    inlines = [CitationInline]

    @admin.display(description="公开文件", ordering="publication")
    def source(self, fact):
        return f"{fact.publication.year} 年{fact.publication.get_kind_display()}"


@admin.register(ThreePublicExpense)
class ThreePublicExpenseAdmin(admin.ModelAdmin):
    list_display = ["kind", "stage", "amount", "publication"]
    list_filter = ["publication", "stage", "kind"]
    list_select_related = ["publication__unit"]
    autocomplete_fields = ["publication", "unit"]


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["section", "row_order", "row_code", "row_label", "column", "printed_text"]
    list_filter = ["section__publication", "section"]
    search_fields = ["row_code", "row_label", "printed_text"]
    list_select_related = ["section__publication__unit"]
    raw_id_fields = ["fact", "three_public", "project_amount"]


@admin.register(PublishedFigure)
class PublishedFigureAdmin(admin.ModelAdmin):
    list_display = [
        "section",
        "row_label",
        "column",
        "value",
        "unit_of_measure",
        "measure",
        "kind",
        "year",
        "stage",
    ]
    list_filter = ["section__publication", "kind", "measure", "year", "stage"]
    search_fields = ["row_label", "row_code", "subject_code", "note", "printed_text"]
    list_select_related = ["section__publication__unit"]
    autocomplete_fields = ["section", "unit", "project"]


@admin.register(Explanation)
class ExplanationAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "subject", "section"]
    list_filter = ["kind", "section__publication"]
    search_fields = ["label", "text", "subject__code"]
    list_select_related = ["subject", "section__publication__unit"]
    autocomplete_fields = ["section", "subject"]


class ProjectAmountInline(admin.TabularInline):
    model = ProjectAmount
    extra = 0


class ProjectCostLineInline(admin.TabularInline):
    model = ProjectCostLine
    extra = 0


class ProcurementItemInline(admin.TabularInline):
    model = ProcurementItem
    extra = 0


class ProjectSubjectLinkInline(admin.TabularInline):
    model = ProjectSubjectLink
    autocomplete_fields = ["subject"]
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "category", "start_year"]
    list_filter = ["category"]
    search_fields = ["code", "name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit", "supervisor"]
    inlines = [
        ProjectAmountInline,
        ProjectCostLineInline,
        ProcurementItemInline,
        ProjectSubjectLinkInline,
    ]


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    fields = ["order", "horizon", "level1", "level2", "level3", "target", "basis"]
    extra = 0
    show_change_link = True


@admin.register(PerformancePlan)
class PerformancePlanAdmin(admin.ModelAdmin):
    list_display = ["section", "scope", "project"]
    list_filter = ["scope"]
    list_select_related = ["section__publication__unit", "project"]
    inlines = [IndicatorTargetInline]


class IndicatorPriorValueInline(admin.TabularInline):
    model = IndicatorPriorValue
    extra = 0


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(admin.ModelAdmin):
    list_display = ["level3", "target", "horizon", "level1", "level2", "plan"]
    list_filter = ["horizon", "level1", "plan"]
    search_fields = ["level3", "target"]
    list_select_related = ["plan__section"]
    inlines = [IndicatorPriorValueInline]


class EvaluationItemInline(admin.TabularInline):
    model = EvaluationItem
    extra = 0


@admin.register(SelfEvaluation)
class SelfEvaluationAdmin(admin.ModelAdmin):
    list_display = ["section", "scope", "project", "filled_on"]
    list_filter = ["scope"]
    list_select_related = ["section__publication__unit", "project"]
    inlines = [EvaluationItemInline]


@admin.register(PublicationContact)
class PublicationContactAdmin(admin.ModelAdmin):
    list_display = ["role", "name", "phone", "section"]
    search_fields = ["name", "role"]
    list_select_related = ["section__publication__unit"]


@admin.register(ProjectAmount)
class ProjectAmountAdmin(admin.ModelAdmin):
    list_display = ["project", "year", "stage", "fund_source", "amount", "publication"]
    list_filter = ["year", "stage", "publication"]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project", "publication__unit"]
    autocomplete_fields = ["project", "publication"]


@admin.register(ProjectCostLine)
class ProjectCostLineAdmin(admin.ModelAdmin):
    list_display = ["project", "activity", "economic_name", "economic_code", "amount"]
    list_filter = ["economic_name"]
    search_fields = ["activity", "description", "economic_name", "project__name"]
    list_select_related = ["project"]
    autocomplete_fields = ["project", "section"]


@admin.register(ProcurementItem)
class ProcurementItemAdmin(admin.ModelAdmin):
    list_display = ["project", "item", "quantity", "amount"]
    search_fields = ["item", "project__name"]
    list_select_related = ["project"]
    autocomplete_fields = ["project", "section"]


@admin.register(ProjectSubjectLink)
class ProjectSubjectLinkAdmin(admin.ModelAdmin):
    list_display = ["project", "subject", "stage", "inferred"]
    list_filter = ["stage", "inferred"]
    list_select_related = ["project", "subject"]
    autocomplete_fields = ["project", "subject"]


@admin.register(IndicatorPriorValue)
class IndicatorPriorValueAdmin(admin.ModelAdmin):
    list_display = ["target", "year", "value"]
    list_filter = ["year"]
    search_fields = ["target__level3", "value"]
    list_select_related = ["target"]


@admin.register(EvaluationItem)
class EvaluationItemAdmin(admin.ModelAdmin):
    list_display = ["level3", "level1", "target", "actual", "weight", "score", "evaluation"]
    list_filter = ["kind", "level1", "evaluation"]
    search_fields = ["level1", "level2", "level3"]
    list_select_related = ["evaluation__section"]
