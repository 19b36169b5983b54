"""The indicator rows of the performance tables, imported beside the tables' amounts: the
targets of a budget's 绩效目标表 (表11 unit-wide, 表12 per project) and the scored items of a
final account's self-evaluations (整体绩效自评表, 项目绩效自评表).

Each has its own sheet in the template ("表11-指标"); an imported sheet replaces all the rows of
its table, recorded in the audit trail like every other change.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from budgets.choices import Horizon
from budgets.imports.layouts import Layout
from budgets.imports.parsing import Issue, Level, normalise
from budgets.layouts.dsl import parse_number
from budgets.models import (
    EvaluationItem,
    IndicatorPriorValue,
    IndicatorTarget,
    PerformancePlan,
    Project,
    Publication,
    SelfEvaluation,
)

PLAN, EVALUATION = "plan", "evaluation"
HORIZONS = {label: value for value, label in Horizon.choices}
BUDGET_EXECUTION = EvaluationItem.Kind.BUDGET_EXECUTION.label  # "预算执行情况"


@dataclass(frozen=True)
class IndicatorLayout:
    kind: str  # PLAN or EVALUATION
    slug: str  # the section of the performance table
    table_code: str
    title: str
    scope: str
    project: str | None

    @property
    def code(self) -> str:
        return f"{self.table_code}-指标"

    @property
    def sheet_name(self) -> str:
        return self.code[:31]

    @property
    def sheet_title(self) -> str:
        return f"{self.code} {self.title}的指标"

    def headers(self, year: int) -> list[str]:
        if self.kind == PLAN:
            return [
                "目标期限",
                "一级指标",
                "二级指标",
                "三级指标",
                f"{year - 2}年指标值",
                f"{year - 1}年指标值",
                "指标值",
                "指标值确定依据",
            ]
        return ["一级指标", "二级指标", "三级指标", "分值", "年初目标值", "实际完成值", "得分"]


# The performance tables whose indicators have a sheet of their own, by topic: their scope.
PERFORMANCE_TOPICS = {"unit_performance": "unit", "project_performance": "project"}


def indicator_layouts(layouts: list[Layout]) -> list[IndicatorLayout]:
    """The indicator sheets of a publication's tables: a budget's 绩效目标表 hold targets (表11,
    表12 of each project), a final account's self-evaluations scored items."""
    return [
        IndicatorLayout(
            kind=PLAN if layout.kind == "budget" else EVALUATION,
            slug=layout.slug,
            table_code=layout.code,
            title=layout.title,
            scope=PERFORMANCE_TOPICS[layout.table.topic],
            project=layout.project or None,
        )
        for layout in layouts
        if layout.table.topic in PERFORMANCE_TOPICS
    ]


@dataclass
class ParsedIndicators:
    layout: IndicatorLayout
    sheet: str
    rows: list[tuple] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    uploaded: bool = True

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.level == Level.ERROR]


def _text(cell) -> str:
    """Indicator text as typed, without spaces (full-width punctuation is part of the text)."""
    return "".join((cell or "").split())


def _points(parsed, number, column, cell, required):
    text = normalise(cell)
    if text is None:
        if required:
            parsed.issues.append(Issue(parsed.sheet, number, column, "请填写分值。"))
        return None
    try:
        value, unit = parse_number(text)
    except ValueError:
        value, unit = None, "?"
    if unit not in ("", "分") or value is None or value != value.quantize(Decimal("0.01")):
        parsed.issues.append(
            Issue(parsed.sheet, number, column, f"“{cell}”不是分数（如 8 或 7.5）。")
        )
        return None
    return value


def read_indicators(layout: IndicatorLayout, sheet: str, rows: list, year: int) -> ParsedIndicators:
    """Rows of (horizon, level1, level2, level3, prior values, target, basis) for a plan;
    (kind, level1, level2, level3, weight, target, actual, score) for a self-evaluation."""
    parsed = ParsedIndicators(layout=layout, sheet=sheet)
    headers = layout.headers(year)
    start = next((i for i, row in enumerate(rows) if row and normalise(row[0]) == headers[0]), None)
    if start is None:
        parsed.issues.append(Issue(sheet, None, "", f"找不到表头：应有一行以“{headers[0]}”开头。"))
        return parsed
    found = [normalise(cell) or "" for cell in rows[start][: len(headers)]]
    if found != headers:
        message = f"表头应为“{'、'.join(headers)}”，文件中为“{'、'.join(filter(None, found))}”。"
        parsed.issues.append(Issue(sheet, start + 1, "", message))
        return parsed
    for index in range(start + 1, len(rows)):
        cells = (list(rows[index]) + [None] * len(headers))[: len(headers)]
        if all(normalise(cell) is None for cell in cells):
            continue
        number = index + 1
        if layout.kind == PLAN:
            parsed.rows.append(_plan_row(parsed, number, cells, headers))
        else:
            parsed.rows.append(_evaluation_row(parsed, number, cells, headers))
    return parsed


def _plan_row(parsed, number, cells, headers):
    horizon_label, level1, level2, level3, before_last, last, target, basis = cells
    horizon = HORIZONS.get(_text(normalise(horizon_label)))
    if horizon is None:
        names = "或".join(f"“{label}”" for label in HORIZONS)
        message = f"“{horizon_label or ''}”不是目标期限，应为{names}。"
        parsed.issues.append(Issue(parsed.sheet, number, headers[0], message))
    for column, value in ((headers[3], level3), (headers[6], target)):
        if not _text(value):
            parsed.issues.append(Issue(parsed.sheet, number, column, "此格不能为空。"))
    prior = tuple(_text(value) for value in (before_last, last))
    return (
        horizon,
        _text(level1),
        _text(level2),
        _text(level3),
        prior,
        _text(target),
        _text(basis),
    )


def _evaluation_row(parsed, number, cells, headers):
    level1, level2, level3, weight, target, actual, score = cells
    kind = EvaluationItem.Kind.INDICATOR
    if _text(level1) == BUDGET_EXECUTION and not _text(level3):
        kind = EvaluationItem.Kind.BUDGET_EXECUTION
    elif not _text(level3):
        parsed.issues.append(Issue(parsed.sheet, number, headers[2], "此格不能为空。"))
    return (
        kind,
        _text(level1),
        _text(level2),
        _text(level3),
        _points(parsed, number, headers[3], weight, required=True),
        _text(target),
        _text(actual),
        _points(parsed, number, headers[6], score, required=False),
    )


# --- the database side -------------------------------------------------------------------


def performance_table(publication: Publication, layout: IndicatorLayout):
    model = PerformancePlan if layout.kind == PLAN else SelfEvaluation
    return model.objects.filter(section__publication=publication, section__slug=layout.slug).first()


def current_rows(publication: Publication, layout: IndicatorLayout) -> list[tuple]:
    """The table's rows as stored, in the shape read_indicators gives."""
    table = performance_table(publication, layout)
    if table is None:
        return []
    if layout.kind == PLAN:
        years = (publication.year - 2, publication.year - 1)
        targets = table.targets.prefetch_related("prior_values").order_by("order")
        rows = []
        for target in targets:
            prior = {value.year: value.value for value in target.prior_values.all()}
            rows.append(
                (
                    target.horizon,
                    target.level1,
                    target.level2,
                    target.level3,
                    tuple(prior.get(year, "") for year in years),
                    target.target,
                    target.basis,
                )
            )
        return rows
    return [
        (
            item.kind,
            item.level1,
            item.level2,
            item.level3,
            item.weight,
            item.target,
            item.actual,
            item.score,
        )
        for item in table.items.order_by("order")
    ]


def sheet_rows(publication: Publication, layout: IndicatorLayout) -> list[list]:
    """The stored rows as the cells of the template's sheet."""
    cells = []
    for row in current_rows(publication, layout):
        if layout.kind == PLAN:
            horizon, level1, level2, level3, prior, target, basis = row
            cells.append([Horizon(horizon).label, level1, level2, level3, *prior, target, basis])
        else:
            _kind, level1, level2, level3, weight, target, actual, score = row
            points = [None if v is None else format(v.normalize(), "f") for v in (weight, score)]
            cells.append([level1, level2, level3, points[0], target, actual, points[1]])
    return cells


def missing_table_issue(publication, layout) -> Issue | None:
    """A project's indicators need that project, of the publication's own unit."""
    if performance_table(publication, layout) is not None:
        return None
    if (
        layout.scope == "project"
        and not Project.objects.filter(code=layout.project, unit=publication.unit).exists()
    ):
        return Issue(
            layout.sheet_name,
            None,
            "",
            f"项目“{layout.project}”不属于本单位，请先在“项目”中为本单位添加该项目。",
        )
    return None


def replace_rows(publication, parsed: ParsedIndicators, user, reason: str):
    """Write the sheet's rows in place of the table's, creating the table if needed."""
    layout = parsed.layout
    table = performance_table(publication, layout)
    if table is None:
        model = PerformancePlan if layout.kind == PLAN else SelfEvaluation
        project = (
            Project.objects.get(code=layout.project, unit=publication.unit)
            if layout.project
            else None
        )
        table = model.objects.create(
            section=publication.sections.get(slug=layout.slug), scope=layout.scope, project=project
        )
    if layout.kind == PLAN:
        for target in table.targets.all():
            target._change_reason = reason
            target.delete()
        targets, priors = [], []
        years = (publication.year - 2, publication.year - 1)
        for order, (horizon, level1, level2, level3, prior, target_text, basis) in enumerate(
            parsed.rows, start=1
        ):
            target = IndicatorTarget(
                plan=table,
                horizon=horizon,
                order=order,
                level1=level1,
                level2=level2,
                level3=level3,
                target=target_text,
                basis=basis,
            )
            targets.append(target)
            priors += [
                IndicatorPriorValue(target=target, year=year, value=value)
                for year, value in zip(years, prior, strict=True)
                if value
            ]
        bulk_create_with_history(
            targets, IndicatorTarget, default_user=user, default_change_reason=reason
        )
        for prior in priors:
            prior.target_id = prior.target.pk
        bulk_create_with_history(
            priors, IndicatorPriorValue, default_user=user, default_change_reason=reason
        )
        return
    for item in table.items.all():
        item._change_reason = reason
        item.delete()
    items = [
        EvaluationItem(
            evaluation=table,
            order=order,
            kind=kind,
            level1=level1,
            level2=level2,
            level3=level3,
            weight=weight,
            target=target,
            actual=actual,
            score=score,
        )
        for order, (kind, level1, level2, level3, weight, target, actual, score) in enumerate(
            parsed.rows, start=1
        )
    ]
    bulk_create_with_history(items, EvaluationItem, default_user=user, default_change_reason=reason)
