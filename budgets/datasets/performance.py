"""The performance dataset: indicators.csv (targets of the budgets, results of the final
accounts)."""

from collections.abc import Iterator

from budgets.datasets.base import (
    KIND_LABELS,
    PROJECT_CODE,
    SOURCE,
    UNIT_CODE,
    UNIT_NAME,
    YEAR,
    Column,
    Dataset,
    _chunks,
    without_examples,
)
from budgets.measurements import is_met, parse_measurement
from budgets.models import EvaluationItem, IndicatorPriorValue, IndicatorTarget

INDICATORS = Dataset(
    "indicators",
    "绩效目标与自评结果",
    "Performance targets and self-evaluation results",
    "预算中的绩效目标（record=target）和决算中的绩效自评（record=result），一行一个指标。",
    [
        YEAR,
        UNIT_CODE,
        UNIT_NAME,
        Column(
            "record",
            "string",
            "target 绩效目标（预算）、result 自评结果（决算）",
            "Target (budget) or self-evaluation result (final accounts)",
            ("target", "result"),
        ),
        Column(
            "scope",
            "string",
            "unit 单位整体、project 项目",
            "Unit-wide or one project",
            ("unit", "project"),
        ),
        PROJECT_CODE,
        Column(
            "horizon",
            "string",
            "long_term 长期目标、annual 年度目标（只对目标）",
            "Long-term or annual target",
            ("long_term", "annual"),
        ),
        Column("level1", "string", "一级指标", "Level-1 indicator"),
        Column("level2", "string", "二级指标", "Level-2 indicator"),
        Column("level3", "string", "三级指标", "Level-3 indicator"),
        Column("target", "string", "目标值，按原文（如 ≥85%）", "Target as published"),
        Column(
            "target_comparator",
            "string",
            "目标值的比较符",
            "Comparator of the target",
            ("≥", "≤", ">", "<", "="),
        ),
        Column("target_value", "number", "目标值的数字", "Number of the target"),
        Column("target_unit", "string", "目标值的计量单位", "Unit of the target"),
        Column("actual", "string", "实际完成值，按原文", "Actual value as published"),
        Column("actual_value", "number", "实际完成值的数字", "Number of the actual value"),
        Column("actual_unit", "string", "实际完成值的计量单位", "Unit of the actual value"),
        Column(
            "met",
            "boolean",
            "是否达成（两者都是同一单位的数字时）",
            "Whether the target is met, where both are numbers in the same unit",
        ),
        Column("weight", "number", "分值", "Weight in points", unit="分"),
        Column("score", "number", "得分", "Score in points", unit="分"),
        Column(
            "prior_values",
            "string",
            "以前年度指标值，每年写作“年度:指标值”，以分号分隔",
            "Values of earlier years",
        ),
        Column("basis", "string", "指标值确定依据", "Basis of the target"),
        SOURCE,
    ],
)


def _prior_values(target_ids) -> dict:
    """{target id: "2022:80%;2023:85%"} for some indicator targets, in one query."""
    found = {}
    for target, year, value in IndicatorPriorValue.objects.filter(
        target_id__in=target_ids
    ).values_list("target_id", "year", "value"):
        found.setdefault(target, []).append(f"{year}:{value}")
    return {target: ";".join(values) for target, values in found.items()}


TARGET_FIELDS = (
    "pk",
    "plan__section__publication__year",
    "plan__section__publication__kind",
    "plan__section__publication__unit__code",
    "plan__section__publication__unit__name",
    "plan__section__code",
    "plan__scope",
    "plan__project__code",
    "horizon",
    "level1",
    "level2",
    "level3",
    "target",
    "basis",
)
ITEM_FIELDS = (
    "evaluation__section__publication__year",
    "evaluation__section__publication__kind",
    "evaluation__section__publication__unit__code",
    "evaluation__section__publication__unit__name",
    "evaluation__section__code",
    "evaluation__scope",
    "evaluation__project__code",
    "level1",
    "level2",
    "level3",
    "target",
    "actual",
    "weight",
    "score",
)


def indicator_rows() -> Iterator[list]:
    """Rows of indicators.csv: the targets of the budgets, then the self-evaluation items of
    the final accounts, each table in its printed order."""
    targets = without_examples(IndicatorTarget.objects.published(), "plan__section__publication")
    for batch in _chunks(targets.order_by("plan_id", "order"), TARGET_FIELDS):
        priors = _prior_values([row[0] for row in batch])
        for (pk, year, kind, unit_code, unit_name, section, scope, project, horizon,
             level1, level2, level3, target, basis) in batch:  # fmt: skip
            parsed = parse_measurement(target)
            yield [
                year, unit_code, unit_name, "target", scope, project or "", horizon,
                level1, level2, level3, target,
                parsed.comparator if parsed else "",
                parsed.value if parsed else None,
                parsed.unit if parsed else "",
                "", None, "", None, None, None,
                priors.get(pk, ""), basis, f"{year}年{KIND_LABELS[kind]} {section}",
            ]  # fmt: skip
    items = without_examples(EvaluationItem.objects.published(), "evaluation__section__publication")
    for batch in _chunks(items.order_by("evaluation_id", "order"), ITEM_FIELDS):
        for (year, kind, unit_code, unit_name, section, scope, project, level1, level2,
             level3, target_text, actual_text, weight, score) in batch:  # fmt: skip
            target, actual = parse_measurement(target_text), parse_measurement(actual_text)
            yield [
                year, unit_code, unit_name, "result", scope, project or "", "",
                level1, level2, level3, target_text,
                target.comparator if target else "",
                target.value if target else None,
                target.unit if target else "",
                actual_text,
                actual.value if actual and not actual.comparator else None,
                actual.unit if actual else "",
                is_met(target, actual), weight, score, "", "",
                f"{year}年{KIND_LABELS[kind]} {section}",
            ]  # fmt: skip
