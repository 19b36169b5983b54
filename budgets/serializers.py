"""The JSON of the API's objects: amounts are decimal strings in 万元 (null when not
published), codes are text."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from budgets.choices import PublicationKind, Stage
from budgets.formatting import wan
from budgets.models import (
    Citation,
    EvaluationItem,
    IndicatorTarget,
    OpenLine,
    ProcurementItem,
    Project,
    ProjectAmount,
    ProjectCostLine,
    QualityReport,
    Subject,
    ThreePublicExpense,
    Unit,
)
from budgets.quality import RULES, SEVERITY_LABELS, Report


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
        return line_json(line, self.context["sources"])


def line_json(line: dict, sources: dict) -> dict:
    """A line as LineSerializer writes it, from a dict of LINE_COLUMNS; `sources`: {line id:
    its citations} of the page. Also the JSON of budgets.api.lines, which writes the list
    without DRF."""
    amount = line["amount"]
    return {
        "id": line["pk"],
        "year": line["year"],
        "stage": line["stage"],
        "direction": line["direction"],
        "unit_code": line["unit_code"],
        "unit_name": line["unit_name"],
        "breakdown": line["breakdown"],
        "subject_code": line["subject_code"] or None,
        "subject_name": line["functional_name"] or line["economic_name"] or None,
        "expenditure_type": line["expenditure_type"],
        "expense_class": line["expense_class"],
        "fund_source": line["fund_source"],
        "amount": None if amount is None else wan(amount),
        "project_code": line["project_code"] or None,
        "sources": sources.get(line["pk"], []),
    }


class ProjectAmountSerializer(serializers.ModelSerializer):
    amount = amount_field()

    class Meta:
        model = ProjectAmount
        fields = ["year", "stage", "fund_source", "amount"]


class FunctionalCodeSerializer(serializers.Serializer):
    """项目在某一阶段对应的功能分类科目；inferred 为 true 表示公开文件未直接载明、由本平台推断。"""

    code = serializers.CharField()
    stage = serializers.ChoiceField(choices=Stage.choices)
    inferred = serializers.BooleanField()


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

    @extend_schema_field(FunctionalCodeSerializer(many=True))
    def get_functional_codes(self, project) -> list:
        return [
            {"code": link.subject.code, "stage": link.stage, "inferred": link.inferred}
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


# -- records of one publication (三公, cost lines, purchases) ---------------------------------


class ThreePublicSerializer(serializers.ModelSerializer):
    """一项“三公”经费：item 为项目，amount 单位万元，null 表示公开文件中该处为空。"""

    year = serializers.IntegerField(source="publication.year")
    unit = serializers.CharField(source="unit.code")
    publication = serializers.ChoiceField(
        source="publication.kind", choices=PublicationKind.choices
    )
    item = serializers.CharField(source="kind")
    item_name = serializers.CharField(source="get_kind_display")
    amount = amount_field()

    class Meta:
        model = ThreePublicExpense
        fields = ["id", "year", "unit", "publication", "stage", "item", "item_name", "amount"]


class ProjectRecordSerializer(serializers.ModelSerializer):
    """What a line of a project's tables says of where it is printed."""

    year = serializers.IntegerField(source="section.publication.year")
    unit = serializers.CharField(source="section.publication.unit.code")
    publication = serializers.ChoiceField(
        source="section.publication.kind", choices=PublicationKind.choices
    )
    table = serializers.CharField(source="section.code")
    project = serializers.CharField(source="project.code")
    amount = amount_field()

    PRINTED = ["id", "year", "unit", "publication", "table", "project", "order"]


class CostLineSerializer(ProjectRecordSerializer):
    """项目支出明细测算的一行：economic_code 为按名称对应的经济分类款级编码（推断，可为空）。"""

    class Meta:
        model = ProjectCostLine
        fields = [
            *ProjectRecordSerializer.PRINTED,
            "activity",
            "description",
            "economic_name",
            "economic_code",
            "amount",
            "basis",
            "remark",
        ]


class ProcurementSerializer(ProjectRecordSerializer):
    """项目采购的一项：item 为品名，quantity 为公开文件所写的数量。"""

    class Meta:
        model = ProcurementItem
        fields = [*ProjectRecordSerializer.PRINTED, "item", "quantity", "amount"]


# -- corrections and the data-quality check -----------------------------------------------


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="更正的栏目")
    before = serializers.CharField(help_text="更正前，如公开文件所写；“（空白）”表示为空")
    after = serializers.CharField(help_text="更正后")


class CorrectionSerializer(serializers.Serializer):
    """一次更正：更正的记录、每一栏更正前后的值、时间与原因。写自
    budgets.summaries.corrections.CorrectionRow。"""

    id = serializers.IntegerField(source="correction.pk")
    year = serializers.IntegerField(source="correction.publication.year")
    unit = serializers.CharField(source="correction.publication.unit.code")
    publication = serializers.ChoiceField(
        source="correction.publication.kind", choices=PublicationKind.choices
    )
    corrected_at = serializers.DateTimeField(source="correction.corrected_at")
    reason = serializers.CharField(source="correction.reason")
    table = serializers.CharField()
    record = serializers.CharField()
    changes = FieldChangeSerializer(many=True)


class FindingSerializer(serializers.Serializer):
    rule = serializers.ChoiceField(choices=list(RULES))
    rule_title = serializers.CharField()
    severity = serializers.ChoiceField(choices=list(SEVERITY_LABELS))
    severity_label = serializers.CharField()
    where = serializers.CharField()
    message = serializers.CharField()
    printed = serializers.CharField()
    derived = serializers.CharField()
    url = serializers.CharField()


class QualitySerializer(serializers.ModelSerializer):
    """一份公开文件最近一次数据核对的结果：checks 为每条规则核对的项数，findings 为发现的问题。"""

    year = serializers.IntegerField(source="publication.year")
    unit = serializers.CharField(source="publication.unit.code")
    publication = serializers.ChoiceField(
        source="publication.kind", choices=PublicationKind.choices
    )
    summary = serializers.SerializerMethodField()
    checks = serializers.SerializerMethodField()
    findings = serializers.SerializerMethodField()

    class Meta:
        model = QualityReport
        fields = ["year", "unit", "publication", "checked_at", "summary", "checks", "findings"]

    def report(self, saved) -> Report:
        # Read once per object: the three fields below share it.
        if getattr(saved, "_report", None) is None:
            saved._report = Report.from_json(saved.report)
        return saved._report

    def get_summary(self, saved) -> str:
        return self.report(saved).summary()

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_checks(self, saved) -> dict:
        return self.report(saved).checks

    @extend_schema_field(FindingSerializer(many=True))
    def get_findings(self, saved) -> list:
        return FindingSerializer(self.report(saved).findings, many=True).data


# -- sums by code ---------------------------------------------------------------------------


class TotalSerializer(serializers.Serializer):
    """某一科目（类、款或项）在某一阶段的合计，万元；null 表示所含各条在公开文件中均为空。"""

    code = serializers.CharField()
    name = serializers.CharField(allow_null=True)
    stage = serializers.ChoiceField(choices=Stage.choices)
    amount = amount_field()
    lines = serializers.IntegerField(help_text="合计所含的逐条数据条数")
