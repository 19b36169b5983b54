"""The amounts: facts, the three public expenses, their citations, and the subject codes."""

from django.contrib import admin

from budgets.admin.history_ids import HistoryAdmin
from budgets.admin.scoping import ONLY_USED, ScopedAdmin, ScopedInline
from budgets.models import Citation, Fact, Subject, SubjectChange, ThreePublicExpense


@admin.register(Subject)
class SubjectAdmin(HistoryAdmin):
    """The classification is shared by every unit: staff may add codes, not change them."""

    list_display = ["code", "name", "scheme", "year", "level_name"]
    list_filter = ["scheme", "year"]
    search_fields = ["code", "name"]
    ordering = ["scheme", "year", "code"]

    @admin.display(description="层级")
    def level_name(self, subject):
        return subject.level_name


@admin.register(SubjectChange)
class SubjectChangeAdmin(HistoryAdmin):
    """The crosswalk between years' classifications (科目调整), shared by every unit."""

    list_display = ["year", "scheme", "old_code", "new_code", "note"]
    list_filter = ["scheme", "year"]
    search_fields = ["old_code", "new_code", "note"]


class CitationInline(ScopedInline):
    model = Citation
    fk_name = "fact"
    fields = ["section", "row_order", "row_code", "row_label", "part", "column", "printed_text"]
    extra = 0


@admin.register(Fact)
class FactAdmin(ScopedAdmin):
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
        ("publication", ONLY_USED),
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
class ThreePublicExpenseAdmin(ScopedAdmin):
    list_display = ["kind", "stage", "amount", "publication"]
    list_filter = [("publication", ONLY_USED), "stage", "kind"]
    list_select_related = ["publication__unit"]
    autocomplete_fields = ["publication", "unit"]


@admin.register(Citation)
class CitationAdmin(ScopedAdmin):
    list_display = ["section", "row_order", "row_code", "row_label", "column", "printed_text"]
    list_filter = [("section__publication", ONLY_USED)]
    search_fields = ["row_code", "row_label", "printed_text"]
    list_select_related = ["section__publication__unit"]
    raw_id_fields = ["fact", "three_public", "project_amount"]
