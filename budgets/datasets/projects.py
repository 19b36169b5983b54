"""The projects' datasets: projects.csv (amounts by year and stage), project_details.csv (what
each project is, in the publications' words), project_cost_lines.csv and procurement_items.csv."""

from collections.abc import Iterator

from budgets.datasets.base import (
    AMOUNT,
    FUND_SOURCES,
    KIND_LABELS,
    PROJECT_CODE,
    PROJECT_NAME,
    SOURCE,
    STAGE,
    UNIT_CODE,
    UNIT_NAME,
    YEAR,
    Column,
    Dataset,
    _chunks,
    _citations,
    _sources,
    without_examples,
)
from budgets.models import (
    ProcurementItem,
    Project,
    ProjectAmount,
    ProjectCostLine,
    ProjectSubjectLink,
)
from budgets.models.organisation import published_lookup

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
        PROJECT_NAME,
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
        PROJECT_NAME,
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


PROJECT_DETAILS = Dataset(
    "project_details",
    "项目情况",
    "Project details",
    "每个项目一行：类别、属性、起止年度，以及预算项目表（表12）中的项目申请理由、项目实施方案和"
    "主要支出方向，按原文。金额见 projects.csv。",
    [
        UNIT_CODE,
        UNIT_NAME,
        PROJECT_CODE,
        PROJECT_NAME,
        Column("supervisor_code", "string", "主管部门编码", "Code of the supervising department"),
        Column("group_code", "string", "项目分组编码", "Project group code"),
        Column("group_name", "string", "项目分组", "Project group"),
        Column("category", "string", "支出项目类别（如 特定目标类）", "Expenditure category"),
        Column("attribute", "string", "项目属性（如 持续性项目）", "Project attribute"),
        Column("project_type", "string", "项目类型（如 常年性项目）", "Project type"),
        Column("programme", "string", "项目类别（绩效自评所载，如 部门预算项目）", "Programme"),
        Column("start_year", "integer", "起始年度", "First year"),
        Column("end_year", "integer", "终止年度（空白为未载明）", "Last year, blank if not given"),
        Column("purpose", "string", "主要支出方向和用途", "What the money is spent on"),
        Column("application_reason", "string", "项目申请理由", "Why the project was requested"),
        Column("implementation_plan", "string", "项目实施方案", "How it is carried out"),
    ],
)

DETAIL_FIELDS = (
    "unit__code",
    "unit__name",
    "code",
    "name",
    "supervisor__code",
    "group_code",
    "group_name",
    "category",
    "attribute",
    "project_type",
    "programme",
    "start_year",
    "end_year",
    "purpose",
    "application_reason",
    "implementation_plan",
)


def project_detail_rows() -> Iterator[list]:
    """Rows of project_details.csv: the projects of published publications, by code."""
    projects = Project.objects.filter(
        pk__in=without_examples(ProjectAmount.objects.published()).values("project_id")
    )
    for batch in _chunks(projects.order_by("code"), DETAIL_FIELDS):
        for unit_code, unit_name, code, name, supervisor, *rest in batch:
            yield [unit_code, unit_name, code, name, supervisor or "", *rest]


PROCUREMENT_ITEMS = Dataset(
    "procurement_items",
    "项目采购",
    "Planned purchases of projects",
    "预算中各项目的政府采购品目，一行一项。",
    [
        YEAR,
        UNIT_CODE,
        PROJECT_CODE,
        PROJECT_NAME,
        Column("item", "string", "品名", "Item"),
        Column("quantity", "string", "数量（按原文，含计量单位）", "Quantity as printed"),
        AMOUNT,
        SOURCE,
    ],
)

PROCUREMENT_FIELDS = (
    "section__publication__year",
    "section__publication__kind",
    "section__publication__unit__code",
    "section__code",
    "project__code",
    "project__name",
    "item",
    "quantity",
    "amount",
)


def procurement_rows() -> Iterator[list]:
    """Rows of procurement_items.csv, each project's items in printed order."""
    items = without_examples(
        ProcurementItem.objects.filter(**published_lookup("section__publication")),
        "section__publication",
    )
    items = items.order_by("project__code", "section_id", "order", "pk")
    for batch in _chunks(items, PROCUREMENT_FIELDS):
        for year, kind, unit_code, section, code, name, item, quantity, amount in batch:
            yield [
                year, unit_code, code, name, item, quantity, amount,
                f"{year}年{KIND_LABELS[kind]} {section}",
            ]  # fmt: skip
