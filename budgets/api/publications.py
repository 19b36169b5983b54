"""The records of published publications beyond their lines: 三公 expenses, projects' cost
lines and purchases, corrections with the figures before and after, and each publication's
data-quality check. Each list reads a fixed number of queries whatever its size."""

from django.db.models import F
from rest_framework.response import Response

from budgets.api.base import ReadOnlyViewSet, Sorting
from budgets.filters import (
    CorrectionFilter,
    CostLineFilter,
    ProcurementFilter,
    QualityFilter,
    ThreePublicFilter,
)
from budgets.models import (
    Correction,
    ProcurementItem,
    ProjectCostLine,
    QualityReport,
    ThreePublicExpense,
)
from budgets.models.organisation import published_lookup
from budgets.serializers import (
    CorrectionSerializer,
    CostLineSerializer,
    ProcurementSerializer,
    QualitySerializer,
    ThreePublicSerializer,
)
from budgets.summaries.corrections import correction_rows


def by_year_and_amount(publication: str, *within: str) -> dict:
    """Orders of a publication's records: by year (the default) and by amount, blanks last
    both ways; ties by unit, the record's place in its table and id."""
    year, unit = f"{publication}__year", f"{publication}__unit__code"
    return {
        "year": Sorting("年度从早到晚", (year, unit, *within, "pk")),
        "-year": Sorting("年度从晚到早", (f"-{year}", unit, *within, "pk")),
        "amount": Sorting("金额从小到大", (F("amount").asc(nulls_last=True), "pk")),
        "-amount": Sorting("金额从大到小", (F("amount").desc(nulls_last=True), "pk")),
    }


class ThreePublicViewSet(ReadOnlyViewSet):
    """“三公”经费 · The three public expenses by item and stage.

    `item` is one of 因公出国（境）费、公务用车购置费、公务用车运行维护费、公务接待费; the
    publication's total is their sum."""

    queryset = ThreePublicExpense.objects.published().select_related("publication", "unit")
    serializer_class = ThreePublicSerializer
    filterset_class = ThreePublicFilter
    orderings = by_year_and_amount("publication", "publication__kind", "stage", "kind")


class CostLineViewSet(ReadOnlyViewSet):
    """项目支出明细测算 · Cost lines of projects, as the budget's project tables print them."""

    queryset = ProjectCostLine.objects.published().select_related(
        "section__publication__unit", "project"
    )
    serializer_class = CostLineSerializer
    filterset_class = CostLineFilter
    orderings = by_year_and_amount("section__publication", "project__code", "section", "order")


class ProcurementViewSet(ReadOnlyViewSet):
    """项目采购 · Planned purchases of projects."""

    queryset = ProcurementItem.objects.filter(
        **published_lookup("section__publication")
    ).select_related("section__publication__unit", "project")
    serializer_class = ProcurementSerializer
    filterset_class = ProcurementFilter
    orderings = by_year_and_amount("section__publication", "project__code", "section", "order")


class CorrectionViewSet(ReadOnlyViewSet):
    """更正 · Corrections after publishing: each changed field before and after, when, why.

    The figures before a correction are read from the audit trail: two queries for each kind
    of record a page's corrections changed, none per correction."""

    queryset = Correction.objects.filter(**published_lookup("publication")).select_related(
        "publication__unit", "content_type"
    )
    serializer_class = CorrectionSerializer
    filterset_class = CorrectionFilter
    orderings = {
        "-corrected_at": Sorting("最新的在前", ("-corrected_at", "-pk")),
        "corrected_at": Sorting("最早的在前", ("corrected_at", "pk")),
    }

    def list(self, request, *args, **kwargs):
        corrections = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = correction_rows(corrections)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        [row] = correction_rows([self.get_object()])
        return Response(self.get_serializer(row).data)


class QualityViewSet(ReadOnlyViewSet):
    """数据核对结果 · Each publication's data-quality check, as its quality page shows it.

    The report kept by the last check (run when the publication is published or corrected):
    reading it runs no check."""

    queryset = QualityReport.objects.filter(**published_lookup("publication")).select_related(
        "publication__unit"
    )
    serializer_class = QualitySerializer
    filterset_class = QualityFilter
    orderings = {
        "year": Sorting(
            "年度从早到晚",
            ("publication__year", "publication__unit__code", "publication__kind", "pk"),
        ),
        "-year": Sorting(
            "年度从晚到早",
            ("-publication__year", "publication__unit__code", "publication__kind", "pk"),
        ),
    }
