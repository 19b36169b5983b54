"""The amounts: facts, the three public expenses and their citations. Subjects: subjects.py."""

from django.contrib import admin

from budgets.admin.scoping import ONLY_USED, ScopedAdmin, ScopedInline
from budgets.models import Citation, Fact, ThreePublicExpense


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
