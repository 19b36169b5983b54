"""The JSON of the API's objects: amounts are decimal strings in 万元 (null when not
published), codes are text."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from budgets.formatting import wan
from budgets.models import (
    Citation,
    EvaluationItem,
    IndicatorTarget,
    OpenLine,
    Project,
    ProjectAmount,
    Subject,
    Unit,
)


def amount_field(**kwargs):
    return serializers.DecimalField(
        max_digits=15,
        decimal_places=2,
        allow_null=True,
        read_only=True,
        help_text="万元，两位小数；null 表示公开文件中该处为空",
        **kwargs,
    )


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", allow_null=True, read_only=True)

    class Meta:
        model = Unit
        fields = ["code", "name", "name_en", "kind", "parent"]


class SubjectSerializer(serializers.ModelSerializer):
    level = serializers.CharField(source="level_slug", read_only=True)
    parent_code = serializers.CharField(allow_null=True, read_only=True)

    class Meta:
        model = Subject
        fields = ["id", "scheme", "year", "code", "name", "level", "parent_code"]


class SourceSerializer(serializers.ModelSerializer):
    publication = serializers.CharField(source="section.publication.kind")
    table = serializers.CharField(source="section.code")
    row = serializers.CharField(source="row_label")

    class Meta:
        model = Citation
        fields = ["publication", "table", "row", "column", "printed_text"]


# The columns of OpenLine the API's lines are written from (read as dicts: no model objects).
LINE_COLUMNS = (
    "pk",
    "year",
    "stage",
    "direction",
    "unit_code",
    "unit_name",
    "breakdown",
    "subject_code",
    "functional_name",
    "economic_name",
    "expenditure_type",
    "expense_class",
    "fund_source",
    "amount",
    "project_code",
)
COPIED = ("year", "stage", "direction", "unit_code", "unit_name", "breakdown")
COPIED_TOO = ("expenditure_type", "expense_class", "fund_source")


# Written from a dict of LINE_COLUMNS (budgets.models.OpenLine); `sources` come from the view,
# one query a page (`sources` in the context). The docstring is the schema's description.
class LineSerializer(serializers.ModelSerializer):
    """一条公开数据：id 为数据编号；amount 单位万元，null 表示公开文件中该处为空；sources 为刊载
    这条数据的表格与行列。"""

    id = serializers.IntegerField(read_only=True)
    subject_code = serializers.CharField(allow_null=True, read_only=True)
    subject_name = serializers.CharField(allow_null=True, read_only=True)
    project_code = serializers.CharField(
        allow_null=True,
        read_only=True,
        help_text="该单位与这一科目、阶段关联的项目编码（推断）；null 表示无",
    )
    amount = amount_field()
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = OpenLine
        fields = [
            "id",
            *COPIED,
            "subject_code",
            "subject_name",
            *COPIED_TOO,
            "amount",
            "project_code",
            "sources",
        ]

    def to_representation(self, line):
        # The fields above, written directly: through DRF's field machinery a 1,000-line page
        # spent most of its time building fields and nested serializers for each line.
        amount = line["amount"]
        return {
            "id": line["pk"],
            **{name: line[name] for name in COPIED},
            "subject_code": line["subject_code"] or None,
            "subject_name": line["functional_name"] or line["economic_name"] or None,
            **{name: line[name] for name in COPIED_TOO},
            "amount": None if amount is None else wan(amount),
            "project_code": line["project_code"] or None,
            "sources": self.context["sources"].get(line["pk"], []),
        }


class ProjectAmountSerializer(serializers.ModelSerializer):
    amount = amount_field()

    class Meta:
        model = ProjectAmount
        fields = ["year", "stage", "fund_source", "amount"]


class ProjectSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    amounts = ProjectAmountSerializer(many=True)
    functional_codes = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "unit",
            "category",
            "attribute",
            "start_year",
            "end_year",
            "purpose",
            "amounts",
            "functional_codes",
        ]

    @extend_schema_field(
        serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    )
    def get_functional_codes(self, project) -> list:
        return [
            {"code": link.subject.code, "stage": link.stage, "inferred": str(link.inferred).lower()}
            for link in project.subject_links.all()
        ]


class IndicatorTargetSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="plan.section.publication.year")
    unit = serializers.CharField(source="plan.section.publication.unit.code")
    scope = serializers.CharField(source="plan.scope")
    project = serializers.CharField(source="plan.project.code", allow_null=True)
    prior_values = serializers.SerializerMethodField()

    class Meta:
        model = IndicatorTarget
        fields = [
            "id",
            "year",
            "unit",
            "scope",
            "project",
            "horizon",
            "level1",
            "level2",
            "level3",
            "target",
            "basis",
            "prior_values",
        ]

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_prior_values(self, target) -> dict:
        return {str(prior.year): prior.value for prior in target.prior_values.all()}


class EvaluationItemSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="evaluation.section.publication.year")
    unit = serializers.CharField(source="evaluation.section.publication.unit.code")
    scope = serializers.CharField(source="evaluation.scope")
    project = serializers.CharField(source="evaluation.project.code", allow_null=True)
    weight = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True)
    score = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, read_only=True
    )
    met = serializers.BooleanField(allow_null=True, read_only=True)

    class Meta:
        model = EvaluationItem
        fields = [
            "id",
            "year",
            "unit",
            "scope",
            "project",
            "kind",
            "level1",
            "level2",
            "level3",
            "target",
            "actual",
            "met",
            "weight",
            "score",
        ]
