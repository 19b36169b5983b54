"""Sums by code: `/api/totals/?year=2024&unit=503033&breakdown=functional&level=class&code=208`
adds the published lines (only 项 are stored) up to their 类 or 款, at each stage, through the
portal's one aggregation path (budgets.summaries.totals): two queries whatever the size."""

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Count
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from budgets.api.base import KnownParameters, PortalSchema
from budgets.choices import LEVEL_LENGTHS, LEVEL_SLUGS, Scheme, Stage
from budgets.filters import CODE_PATTERN, FIRST_YEAR, LAST_YEAR, UNIT_PATTERN
from budgets.models import Subject
from budgets.parameters import WholeNumberField
from budgets.serializers import TotalSerializer
from budgets.summaries.totals import Level, Slice, facts_of, of_year, sums

MIXED = (
    "请选择 functional（功能分类）或 economic（经济分类）：两种分类是同一笔钱的两种分法，不能相加。"
)


class TotalsQuery(forms.Form):
    year = WholeNumberField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    unit = forms.CharField(
        required=False,
        strip=False,
        validators=[RegexValidator(UNIT_PATTERN, "单位编码只能由数字组成。")],
    )
    breakdown = forms.ChoiceField(
        choices=Scheme.choices, error_messages={"required": MIXED, "invalid_choice": MIXED}
    )
    level = forms.ChoiceField(choices=[(slug, slug) for slug in LEVEL_SLUGS], required=False)
    code = forms.CharField(
        required=False,
        strip=False,
        validators=[RegexValidator(CODE_PATTERN, "科目编码为 1 到 7 位数字。")],
    )
    stage = forms.ChoiceField(choices=Stage.choices, required=False)

    def clean(self):
        """The level asked for, never coarser than the code itself (code=20801 at the 类
        level sums by 款: a 类 row would hold only part of its 类), nor finer than the scheme
        has (the economic classification has no 项: its 款 are its finest lines)."""
        data = super().clean()
        scheme = data.get("breakdown")
        if scheme is None or "level" in self.errors or "code" in self.errors:
            return data
        lengths = LEVEL_LENGTHS[Scheme(scheme)]
        index = LEVEL_SLUGS.index(data.get("level") or LEVEL_SLUGS[0])
        code = data.get("code") or ""
        own = next((i for i, length in enumerate(lengths) if length >= len(code)), len(lengths) - 1)
        data["level_index"] = min(max(index, own), len(lengths) - 1)
        return data


def query_parameter(name, description, schema, required=False):
    return OpenApiParameter(name, type=schema, required=required, description=description)


EMPTY = {"type": "string", "maxLength": 0}
PARAMETERS = [
    query_parameter(
        "year",
        "年度（必填）",
        {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
        True,
    ),
    query_parameter(
        "unit", "单位编码；空白为全市已公开的各单位", {"type": "string", "pattern": "^[0-9]{0,32}$"}
    ),
    query_parameter(
        "breakdown",
        "分类（必填）：functional 功能分类或 economic 经济分类，不能混合",
        {"type": "string", "enum": list(Scheme.values)},
        True,
    ),
    query_parameter(
        "level",
        (
            "合计到哪一级：class 类（默认）、section 款、item 项。不粗于 code 本身所在的级；"
            "经济分类只有类、款两级，item 即 section。回答的 level 为实际的级"
        ),
        {"type": "string", "enum": ["", *LEVEL_SLUGS]},
    ),
    query_parameter(
        "code",
        "科目编码前缀：只合计这一编码下的数据（如 208 社会保障和就业支出：其下各项之和）",
        {"type": "string", "pattern": CODE_PATTERN},
    ),
    query_parameter("stage", "阶段；空白为各阶段", {"type": "string", "enum": ["", *Stage.values]}),
]


class OneAnswer(PortalSchema):
    """The totals are one object (their filters and their rows), not a list of objects."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class TotalsViewSet(KnownParameters, viewsets.ViewSet):
    """科目合计 · Sums of the published lines by code at a level (类、款、项) and stage.

    `code=208` sums every 项 line under 类 208. Functional and economic amounts are never
    added together: `breakdown` is required."""

    schema = OneAnswer()

    def known_parameters(self) -> set[str]:
        return super().known_parameters() | set(TotalsQuery.base_fields)

    @extend_schema(
        parameters=PARAMETERS,
        responses=inline_serializer(
            "Totals",
            {
                "year": serializers.IntegerField(),
                "unit": serializers.CharField(allow_null=True),
                "breakdown": serializers.ChoiceField(choices=Scheme.choices),
                "level": serializers.ChoiceField(choices=LEVEL_SLUGS),
                "results": TotalSerializer(many=True),
            },
        ),
    )
    def list(self, request, *args, **kwargs):
        query = TotalsQuery(request.query_params)
        if not query.is_valid():
            raise ValidationError(query.errors)
        data = query.cleaned_data
        year, unit, scheme = data["year"], data["unit"] or None, data["breakdown"]
        level = Level(scheme, data["level_index"])
        stages = [data["stage"]] if data["stage"] else list(Stage.values)
        slices = {s: Slice(stage=s, scheme=scheme, code_prefix=data["code"]) for s in stages}
        if unit is None:
            facts = facts_of(year=year)
            slices = of_year(slices, year)  # the same sums, found from the year's subjects
        else:
            facts = facts_of(unit_codes=[unit], year=year)
        counts = {f"{s}__lines": Count("pk", filter=piece.q) for s, piece in slices.items()}
        found = sums(facts, slices, by=[level], extra=counts)
        names = dict(
            Subject.objects.filter(scheme=scheme, year=year, code__in=list(found)).values_list(
                "code", "name"
            )
        )
        results = [
            {
                "code": code,
                "name": names.get(code),
                "stage": stage,
                "amount": row[stage],
                "lines": row[f"{stage}__lines"],
            }
            for code, row in found.items()
            for stage in stages
            if row[f"{stage}__lines"]
        ]
        return Response(
            {
                "year": year,
                "unit": unit,
                "breakdown": scheme,
                "level": LEVEL_SLUGS[level.index],
                "results": TotalSerializer(results, many=True).data,
            }
        )
