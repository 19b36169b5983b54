"""The performance datasets: indicators.csv (targets of the budgets, results of the final
accounts) and performance_goals.csv (the texts of each target and self-evaluation table)."""

import re
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
from budgets.models import (
    EvaluationItem,
    IndicatorPriorValue,
    IndicatorTarget,
    PerformancePlan,
    SelfEvaluation,
)
from budgets.models.organisation import published_lookup

# Whether a performance record is about the whole unit or one project (both datasets).
SCOPE = Column(
    "scope",
    "string",
    "unit 单位整体、project 项目",
    "Unit-wide or one project",
    ("unit", "project"),
    title="范围",
)

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
            title="记录类型",
        ),
        SCOPE,
        PROJECT_CODE,
        Column(
            "horizon",
            "string",
            "long_term 长期目标、annual 年度目标（只对目标）",
            "Long-term or annual target",
            ("long_term", "annual"),
            title="目标期限",
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
        Column(
            "target_value",
            "number",
            "目标值的数字",
            "Number of the target",
            unit_from="target_unit",
        ),
        Column("target_unit", "string", "目标值的计量单位", "Unit of the target"),
        Column("actual", "string", "实际完成值，按原文", "Actual value as published"),
        Column(
            "actual_value",
            "number",
            "实际完成值的数字",
            "Number of the actual value",
            unit_from="actual_unit",
        ),
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


# "长期目标（截止2026年）", "截至 2025 年": the year a long-term goal runs to, as printed.
DEADLINE = re.compile(r"截[止至]\s*(\d{4})\s*年")

PERFORMANCE_GOALS = Dataset(
    "performance_goals",
    "绩效目标与自评的文字",
    "Texts of the performance targets and self-evaluations",
    "每张绩效目标表（预算，表11 单位整体、表12 项目）和绩效自评表（决算）的文字部分，一表一行："
    "职能、工作任务、总目标、长期目标、年度目标、偏差原因和改进措施，按原文。",
    [
        YEAR,
        UNIT_CODE,
        UNIT_NAME,
        Column(
            "record",
            "string",
            "target 绩效目标表（预算）、result 绩效自评表（决算）",
            "Target table (budget) or self-evaluation (final accounts)",
            ("target", "result"),
            title="记录类型",
        ),
        SCOPE,
        PROJECT_CODE,
        Column("functions", "string", "单位职能概述", "Functions of the unit"),
        Column("work_tasks", "string", "年度工作任务", "Work tasks of the year"),
        Column("overall_goal", "string", "总目标（原文）", "Overall goal as printed"),
        Column("long_term_goal", "string", "长期目标（原文）", "Long-term goal as printed"),
        Column(
            "long_term_deadline",
            "integer",
            "长期目标的截止年度（读自原文“截止某年”，未写明为空白）",
            "Year the long-term goal runs to, as printed (“until year …”)",
        ),
        Column("annual_goal", "string", "年度目标（原文）", "Annual goal as printed"),
        Column(
            "deviation_reasons",
            "string",
            "偏差大或目标未完成原因分析（自评）",
            "Reasons for deviations (self-evaluation)",
        ),
        Column(
            "remedies", "string", "改进措施及结果应用方案（自评）", "Remedies (self-evaluation)"
        ),
        Column("filled_on", "date", "填报日期（自评）", "Date filled in (self-evaluation)"),
        SOURCE,
    ],
)

TABLE_FIELDS = (
    "section__publication__year",
    "section__publication__kind",
    "section__publication__unit__code",
    "section__publication__unit__name",
    "section__code",
    "scope",
    "project__code",
)


def _deadline(*texts) -> int | None:
    for text in texts:
        found = DEADLINE.search(text or "")
        if found:
            return int(found.group(1))
    return None


def goal_rows() -> Iterator[list]:
    """Rows of performance_goals.csv: the target tables of the budgets, then the
    self-evaluations of the final accounts, by year, unit and printed order."""
    order = ("section__publication__year", "section__publication__unit__code", "section__order")
    plans = without_examples(
        PerformancePlan.objects.filter(**published_lookup("section__publication")),
        "section__publication",
    )
    fields = (*TABLE_FIELDS, "functions", "work_tasks", "overall_goal", "long_term_goal",
              "annual_goal")  # fmt: skip
    for batch in _chunks(plans.order_by(*order, "pk"), fields):
        for (year, kind, unit_code, unit_name, section, scope, project, functions, tasks,
             overall, long_term, annual) in batch:  # fmt: skip
            yield [
                year, unit_code, unit_name, "target", scope, project or "", functions, tasks,
                overall, long_term, _deadline(overall, long_term), annual, "", "", None,
                f"{year}年{KIND_LABELS[kind]} {section}",
            ]  # fmt: skip
    evaluations = without_examples(
        SelfEvaluation.objects.filter(**published_lookup("section__publication")),
        "section__publication",
    )
    fields = (*TABLE_FIELDS, "annual_goal", "deviation_reasons", "remedies", "filled_on")
    for batch in _chunks(evaluations.order_by(*order, "pk"), fields):
        for (year, kind, unit_code, unit_name, section, scope, project, annual, reasons,
             remedies, filled_on) in batch:  # fmt: skip
            yield [
                year, unit_code, unit_name, "result", scope, project or "", "", "", "", "",
                None, annual, reasons, remedies, filled_on,
                f"{year}年{KIND_LABELS[kind]} {section}",
            ]  # fmt: skip
