"""The API's printed figures (/api/figures/): every figure of figures.csv, as JSON, filtered by
year, unit, publication, kind and measure. The same rows as the download (budgets.datasets
.figures), the same findings of the stored quality checks."""

import django_filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from budgets.api.base import ReadOnlyViewSet, Sorting
from budgets.choices import FigureKind, Measure, PublicationKind
from budgets.datasets.figures import (
    RECONCILED_MEASURES,
    figure_value,
    findings_of,
    open_figures,
)
from budgets.filters import choice_filter, unit_filter, year_filter
from budgets.models import PublishedFigure


class FigureFilter(django_filters.FilterSet):
    year = year_filter("year")
    publication_year = year_filter("section__publication__year")
    unit = unit_filter("unit__code")
    publication = choice_filter(
        field_name="section__publication__kind", choices=PublicationKind.choices, label="公开文件"
    )
    kind = choice_filter(choices=FigureKind.choices, label="来源类型")
    measure = choice_filter(choices=Measure.choices, label="指标")

    class Meta:
        model = PublishedFigure
        fields = []


class FigureSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    publication_year = serializers.IntegerField(source="section.publication.year", read_only=True)
    publication = serializers.CharField(source="section.publication.kind", read_only=True)
    publication_unit = serializers.CharField(source="section.publication.unit.code", read_only=True)
    section = serializers.CharField(source="section.code", read_only=True)
    section_title = serializers.CharField(source="section.title", read_only=True)
    value = serializers.SerializerMethodField(
        help_text="精确小数（字符串）：万元为两位小数，其他计量单位不带多余的 0（1 辆、9.1%）；"
        "null 表示公开文件中该处为空"
    )
    text = serializers.CharField(read_only=True, help_text="页面上显示的形式，如 1196.15%")
    project = serializers.CharField(source="project.code", allow_null=True, read_only=True)
    derived = serializers.SerializerMethodField(help_text="是否为本平台推算数（未直接印出）")
    reconciled = serializers.SerializerMethodField(help_text="本平台是否用明细数据核对这类数字")
    finding = serializers.SerializerMethodField(
        help_text="最近一次数据核对的结果：mismatch、rounding、note；null 为未发现问题或不核对"
    )
    finding_message = serializers.SerializerMethodField()

    class Meta:
        model = PublishedFigure
        fields = [
            "id",
            "year",
            "unit",
            "publication_year",
            "publication",
            "publication_unit",
            "section",
            "section_title",
            "part",
            "row_order",
            "row_code",
            "row_label",
            "column",
            "printed_text",
            "text",
            "value",
            "unit_of_measure",
            "measure",
            "stage",
            "scheme",
            "subject_code",
            "expenditure_type",
            "expense_class",
            "fund_source",
            "three_public_kind",
            "project",
            "kind",
            "derived",
            "reconciled",
            "finding",
            "finding_message",
            "note",
        ]

    @extend_schema_field({"type": "string", "format": "decimal", "nullable": True})
    def get_value(self, figure) -> str | None:
        value = figure_value(figure.value, figure.unit_of_measure)
        return None if value is None else format(value, "f")

    def get_derived(self, figure) -> bool:
        return figure.kind == FigureKind.DERIVED

    def get_reconciled(self, figure) -> bool:
        return figure.measure in RECONCILED_MEASURES

    def _finding(self, figure) -> dict:
        return self.context.get("findings", {}).get(figure.pk, {})

    @extend_schema_field(
        {"type": "string", "enum": ["mismatch", "rounding", "note"], "nullable": True}
    )
    def get_finding(self, figure) -> str | None:
        return self._finding(figure).get("severity")

    @extend_schema_field({"type": "string", "nullable": True})
    def get_finding_message(self, figure) -> str | None:
        return self._finding(figure).get("message")


class FigureViewSet(ReadOnlyViewSet):
    """公开文件中的每一个数字 · Every figure printed in the publications: totals, narrative
    amounts, rates, year-over-year changes, counts and scores, as printed and as exact values
    (the rows of figures.csv). The stored lines they add up are at /api/lines/."""

    queryset = open_figures().select_related("section__publication__unit", "unit", "project")
    # As figures.csv lists them: by publication, then as each prints them.
    IN_PRINT = (
        "section__publication__unit__code",
        "section__publication__kind",
        "section__order",
        "part",
        "row_order",
        "pk",
    )
    orderings = {
        "year": Sorting(
            "年度从早到晚，同一年度按公开文件印出的顺序", ("section__publication__year", *IN_PRINT)
        ),
        "-year": Sorting(
            "年度从晚到早，同一年度按公开文件印出的顺序", ("-section__publication__year", *IN_PRINT)
        ),
    }
    serializer_class = FigureSerializer
    filterset_class = FigureFilter

    def get_serializer(self, *args, **kwargs):
        """The serializer, with the stored findings of the figures it writes, in one query."""
        instance = args[0] if args else kwargs.get("instance")
        if instance is not None:
            figures = instance if kwargs.get("many") else [instance]
            context = self.get_serializer_context()
            context["findings"] = findings_of(figures)
            kwargs["context"] = context
        return super().get_serializer(*args, **kwargs)
