"""The open datasets: their columns (names, types, meaning in Chinese and English) and their
rows, read from the database as a stream.

One definition serves the bulk CSV and XLSX files, the data dictionary page, the Frictionless
descriptor and the filtered CSV of the lines page. Column names are fixed ASCII and never
translated; values are codes, not labels, so that a file reads the same in every language.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings

from budgets.choices import LEVEL_SLUGS, Scheme, ThreePublicKind
from budgets.measurements import is_met, parse_measurement
from budgets.models import (
    Citation,
    EvaluationItem,
    Fact,
    IndicatorPriorValue,
    IndicatorTarget,
    ProjectAmount,
    ProjectCostLine,
    ProjectSubjectLink,
    ThreePublicExpense,
)
from budgets.models.subjects import subject_level

CHUNK = 2000
KIND_LABELS = {"budget": "预算", "final": "决算"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless type: string, integer, number, boolean
    zh: str
    en: str
    values: tuple = ()  # the code list, when the column holds codes
    unit: str = ""


@dataclass(frozen=True)
class Dataset:
    name: str
    title_zh: str
    title_en: str
    description_zh: str
    columns: list = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]


STAGES = ("initial_budget", "adjusted_budget", "final")
YEAR = Column("year", "integer", "所属年度", "Fiscal year the figure belongs to")
STAGE = Column(
    "stage",
    "string",
    "阶段：年初预算、调整预算（全年预算数）、决算",
    "Stage: initial budget, adjusted budget, final accounts",
    STAGES,
)
UNIT_CODE = Column("unit_code", "string", "单位编码", "Code of the budget unit")
UNIT_NAME = Column("unit_name", "string", "单位名称", "Name of the budget unit")
AMOUNT = Column(
    "amount",
    "number",
    "金额，万元，两位小数；空白表示公开文件中该处为空（未公开），不是 0",
    "Amount in 10,000 CNY (万元), two decimals; blank means the publication leaves it blank "
    "(not published), not zero",
    unit="万元",
)
SOURCE = Column(
    "source",
    "string",
    "出处：公开文件及表格（同一数字印在几张表里时全部列出）",
    "Where it is printed: publication and table(s)",
)
PROJECT_CODE = Column("project_code", "string", "项目编码（含字母，按文本）", "Project code")
FUND_SOURCES = (
    "general_budget",
    "government_fund",
    "state_capital",
    "special_account",
    "business",
    "operating",
    "superior_subsidy",
    "subordinate_remittance",
    "other",
    "unit_funds",
)

LINES = Dataset(
    "lines",
    "预算与决算明细",
    "Budget and final-account lines",
    "每个单位、年度、阶段的每一条收入和支出数据，一行一条。功能分类和经济分类是同一笔钱的两种分法，"
    "汇总时按 breakdown 分开，不能相加。",
    [
        YEAR,
        STAGE,
        Column(
            "direction",
            "string",
            "收支：支出或收入",
            "Expenditure or income",
            ("expenditure", "income"),
        ),
        UNIT_CODE,
        UNIT_NAME,
        Column(
            "breakdown",
            "string",
            "分类：functional 支出功能分类；economic 支出经济分类（基本支出）；"
            "空白为未细分的单位合计",
            "Classification: functional, economic (basic expenditure only); blank for a unit-wide "
            "figure published without a breakdown",
            ("functional", "economic"),
        ),
        Column(
            "functional_code",
            "string",
            "功能分类科目编码（类 3 位、款 5 位、项 7 位）",
            "Functional classification code (class 3, section 5, item 7 digits)",
        ),
        Column("functional_name", "string", "功能分类科目名称", "Functional subject name"),
        Column(
            "functional_level",
            "string",
            "功能分类层级：class 类、section 款、item 项",
            "Level of the functional code",
            LEVEL_SLUGS,
        ),
        Column(
            "economic_code",
            "string",
            "经济分类科目编码（类 3 位、款 5 位）",
            "Economic classification code (class 3, section 5 digits)",
        ),
        Column("economic_name", "string", "经济分类科目名称", "Economic subject name"),
        Column(
            "expenditure_type",
            "string",
            "支出类型：basic 基本支出、project 项目支出",
            "Basic or project expenditure",
            ("basic", "project"),
        ),
        Column(
            "expense_class",
            "string",
            "经费性质：personnel 人员经费、public 公用经费（只细分基本支出）",
            "Personnel or public funds (basic expenditure only)",
            ("personnel", "public"),
        ),
        Column(
            "fund_source", "string", "资金来源或收入来源", "Fund or income source", FUND_SOURCES
        ),
        Column(
            "project_code",
            "string",
            "项目编码：公开文件未直接载明项目对应的科目，"
            "此处按项目对应科目（推断）填写，见 projects.csv",
            "Project code, from the inferred link between projects and functional lines",
        ),
        AMOUNT,
        SOURCE,
    ],
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

PROJECTS = Dataset(
    "projects",
    "项目金额",
    "Project amounts",
    "每个项目在各年度、各阶段的金额（包括公开文件引用的以前年度预算）。",
    [
        YEAR,
        STAGE,
        UNIT_CODE,
        UNIT_NAME,
        PROJECT_CODE,
        Column("project_name", "string", "项目名称", "Project name"),
        Column("category", "string", "支出项目类别", "Project category"),
        Column("fund_source", "string", "资金来源（空白为未区分）", "Fund source", FUND_SOURCES),
        Column(
            "functional_codes",
            "string",
            "对应的功能分类科目（推断，多个用;分隔）",
            "Functional codes (inferred)",
        ),
        AMOUNT,
        SOURCE,
    ],
)

PROJECT_COST_LINES = Dataset(
    "project_cost_lines",
    "项目支出明细测算",
    "Project cost estimates",
    "预算中项目支出明细测算的每一行。",
    [
        YEAR,
        UNIT_CODE,
        PROJECT_CODE,
        Column("project_name", "string", "项目名称", "Project name"),
        Column("activity", "string", "项目活动", "Activity"),
        Column("description", "string", "活动内容表述", "Description"),
        Column("economic_name", "string", "支出经济分类（原文）", "Economic subject as printed"),
        Column(
            "economic_code", "string", "经济分类编码（按名称对应）", "Economic code matched by name"
        ),
        AMOUNT,
        Column("basis", "string", "测算依据及说明", "Basis of the estimate"),
        SOURCE,
    ],
)

THREE_PUBLIC = Dataset(
    "three_public",
    "“三公”经费",
    "Three public expenses",
    "因公出国（境）费、公务用车购置费、公务用车运行维护费、公务接待费，按阶段。",
    [
        YEAR,
        STAGE,
        UNIT_CODE,
        UNIT_NAME,
        Column("kind", "string", "项目", "Kind of expense", tuple(ThreePublicKind.values)),
        Column("kind_name", "string", "项目名称", "Kind of expense, in Chinese"),
        AMOUNT,
        SOURCE,
    ],
)

DATASETS = [LINES, INDICATORS, PROJECTS, PROJECT_COST_LINES, THREE_PUBLIC]


def _sources(citations) -> dict:
    """{target id: where it is printed, e.g. "2024年预算 表3、表5-1"} for a queryset of
    citations of one target field."""
    found = {}
    for target, year, kind, code in citations.iterator(chunk_size=CHUNK):
        entry = found.setdefault(target, {"label": f"{year}年{KIND_LABELS[kind]}", "codes": []})
        if code not in entry["codes"]:
            entry["codes"].append(code)
    return {target: f"{e['label']} {'、'.join(e['codes'])}" for target, e in found.items()}


def _citations(field_name: str, ids=None):
    citations = Citation.objects.filter(**{f"{field_name}__isnull": False})
    if ids is not None:
        citations = citations.filter(**{f"{field_name}__in": ids})
    return citations.order_by(field_name, "section__order", "row_order").values_list(
        field_name, "section__publication__year", "section__publication__kind", "section__code"
    )


def without_examples(queryset, publication: str = "publication"):
    """The open data hold real publications only: the example units of generate_city (示例数据)
    never reach a download or the browse page, unless settings.OPEN_DATA_INCLUDES_EXAMPLES opens
    them (a demonstration or benchmark instance). `publication` is the path to the publication."""
    if settings.OPEN_DATA_INCLUDES_EXAMPLES:
        return queryset
    return queryset.exclude(**{f"{publication}__unit__is_example": True})


def open_facts():
    """The facts of the open data: published, of real units."""
    return without_examples(Fact.objects.published())


LINE_FIELDS = (
    "pk",
    "publication__year",
    "stage",
    "direction",
    "unit__code",
    "unit__name",
    "subject__scheme",
    "subject__code",
    "subject__name",
    "expenditure_type",
    "expense_class",
    "fund_source",
    "amount",
    "subject_id",
    "unit_id",
)


def fact_sources(fact_ids) -> dict:
    """{fact id: where it is printed, e.g. "2024年预算 表3、表5-1"} for some facts, in one query."""
    return _sources(_citations("fact", fact_ids))


def _batches(rows, size: int = CHUNK):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def project_links(unit_ids=None) -> dict:
    """{(unit id, subject id, stage): project code} of the (inferred) links of projects to
    lines. Keyed by the project's unit: subjects are shared by every unit of a year, so a
    subject and a stage alone name another unit's project as soon as there are two units."""
    links = ProjectSubjectLink.objects.all()
    if unit_ids is not None:
        links = links.filter(project__unit_id__in=unit_ids)
    return {
        (unit_id, subject_id, stage): code
        for unit_id, subject_id, stage, code in links.values_list(
            "project__unit_id", "subject_id", "stage", "project__code"
        )
    }


def line_rows(facts=None, links=None) -> Iterator[list]:
    """Rows of lines.csv for a queryset of facts (published facts by default, in its own order,
    id order if it has none). Facts are read in chunks and each chunk's sources in one query,
    so memory does not grow with the number of facts."""
    facts = open_facts() if facts is None else facts
    if not facts.query.order_by:
        facts = facts.order_by("pk")
    links = project_links() if links is None else links
    for batch in _batches(facts.values_list(*LINE_FIELDS).iterator(chunk_size=CHUNK)):
        sources = fact_sources([row[0] for row in batch])
        for row in batch:
            yield _line(row, sources.get(row[0], ""), links)


def _line(row, source, links) -> list:
    (_pk, year, stage, direction, unit_code, unit_name, scheme, code, name,
     expenditure_type, expense_class, fund_source, amount, subject_id, unit_id) = row  # fmt: skip
    functional = scheme == Scheme.FUNCTIONAL
    economic = scheme == Scheme.ECONOMIC
    level = subject_level(scheme, code) if functional else None
    project = ""
    if expenditure_type == "project" and direction == "expenditure":
        project = links.get((unit_id, subject_id, stage), "")
    return [
        year,
        stage,
        direction,
        unit_code,
        unit_name,
        scheme or "",
        code if functional else "",
        name if functional else "",
        LEVEL_SLUGS[level] if level is not None else "",
        code if economic else "",
        name if economic else "",
        expenditure_type,
        expense_class,
        fund_source,
        project,
        amount,
        source,
    ]


def _chunks(queryset, fields):
    """Lists of at most CHUNK value rows of an ordered queryset, read through one cursor (a
    server-side cursor on PostgreSQL): what each chunk needs from other tables is fetched per
    chunk, so memory does not grow with the table."""
    return _batches(queryset.values_list(*fields).iterator(chunk_size=CHUNK))


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


AMOUNT_FIELDS = (
    "pk",
    "year",
    "stage",
    "project__unit__code",
    "project__unit__name",
    "project_id",
    "project__code",
    "project__name",
    "project__category",
    "fund_source",
    "publication__year",
    "amount",
)


def _project_codes(project_ids) -> dict:
    """{(project id, stage): "2080150;2080199"}: the functional codes linked to some projects."""
    found = {}
    links = ProjectSubjectLink.objects.filter(project_id__in=project_ids)
    for project_id, stage, code in links.values_list("project_id", "stage", "subject__code"):
        found.setdefault((project_id, stage), []).append(code)
    return {key: ";".join(sorted(codes)) for key, codes in found.items()}


def project_rows() -> Iterator[list]:
    """Rows of projects.csv: every amount of every project, by project code, year, stage."""
    amounts = without_examples(ProjectAmount.objects.published())
    amounts = amounts.order_by("project__code", "year", "stage", "fund_source", "pk")
    for batch in _chunks(amounts, AMOUNT_FIELDS):
        sources = _sources(_citations("project_amount", [row[0] for row in batch]))
        links = _project_codes({row[5] for row in batch})
        for (pk, year, stage, unit_code, unit_name, project_id, code, name, category,
             fund_source, publication_year, amount) in batch:  # fmt: skip
            yield [
                year, stage, unit_code, unit_name, code, name, category, fund_source,
                # Links are known for the publication's own year only.
                links.get((project_id, stage), "") if year == publication_year else "",
                amount, sources.get(pk, ""),
            ]  # fmt: skip


COST_LINE_FIELDS = (
    "section__publication__year",
    "section__publication__kind",
    "section__publication__unit__code",
    "section__code",
    "project__code",
    "project__name",
    "activity",
    "description",
    "economic_name",
    "economic_code",
    "amount",
    "basis",
)


def cost_line_rows() -> Iterator[list]:
    """Rows of project_cost_lines.csv, each project's estimate in its printed order."""
    lines = without_examples(ProjectCostLine.objects.published(), "section__publication")
    lines = lines.order_by("project__code", "section_id", "order", "pk")
    for batch in _chunks(lines, COST_LINE_FIELDS):
        for (year, kind, unit_code, section, code, name, activity, description,
             economic_name, economic_code, amount, basis) in batch:  # fmt: skip
            yield [
                year, unit_code, code, name, activity, description, economic_name,
                economic_code, amount, basis, f"{year}年{KIND_LABELS[kind]} {section}",
            ]  # fmt: skip


THREE_PUBLIC_FIELDS = ("pk", "publication__year", "stage", "unit__code", "unit__name", "kind")


def three_public_rows() -> Iterator[list]:
    """Rows of three_public.csv, by year, unit, stage and kind."""
    expenses = without_examples(ThreePublicExpense.objects.published())
    expenses = expenses.order_by("publication__year", "unit__code", "stage", "kind", "pk")
    for batch in _chunks(expenses, (*THREE_PUBLIC_FIELDS, "amount")):
        sources = _sources(_citations("three_public", [row[0] for row in batch]))
        for pk, year, stage, unit_code, unit_name, kind, amount in batch:
            label = ThreePublicKind(kind).label
            yield [year, stage, unit_code, unit_name, kind, label, amount, sources.get(pk, "")]


ROWS = {
    LINES.name: line_rows,
    INDICATORS.name: indicator_rows,
    PROJECTS.name: project_rows,
    PROJECT_COST_LINES.name: cost_line_rows,
    THREE_PUBLIC.name: three_public_rows,
}
