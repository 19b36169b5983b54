"""The projects' datasets: projects.csv (amounts by year and stage) and project_cost_lines.csv."""

from collections.abc import Iterator

from budgets.datasets.base import (
    AMOUNT,
    FUND_SOURCES,
    KIND_LABELS,
    PROJECT_CODE,
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
from budgets.models import ProjectAmount, ProjectCostLine, ProjectSubjectLink

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
