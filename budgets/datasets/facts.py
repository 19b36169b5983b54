"""The facts' datasets: lines.csv (every line of income and expenditure) and three_public.csv."""

from collections.abc import Iterator

from django.utils import translation

from budgets.choices import LEVEL_SLUGS, Scheme, ThreePublicKind
from budgets.datasets.base import (
    AMOUNT,
    CHUNK,
    FUND_SOURCES,
    SOURCE,
    STAGE,
    UNIT_CODE,
    UNIT_NAME,
    YEAR,
    Column,
    Dataset,
    _batches,
    _chunks,
    _citations,
    _sources,
    without_examples,
)
from budgets.models import Fact, ProjectSubjectLink, ThreePublicExpense
from budgets.models.subjects import subject_level

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
            "此处按本单位项目对应科目（推断）填写，多个用;分隔，见 projects.csv",
            "Project code: the projects of the same unit linked to the functional line "
            "(inferred), several separated by ;",
        ),
        AMOUNT,
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


def project_links(unit_ids=None) -> dict:
    """{(unit id, subject id, stage): project codes} of the (inferred) links of projects to
    lines, several codes in code order joined by ";" (a line of a 项 holds the money of every
    project of the unit recorded under it). Keyed by the project's unit: subjects are shared by
    every unit of a year, so a subject and a stage alone name another unit's project as soon as
    there are two units."""
    links = ProjectSubjectLink.objects.all()
    if unit_ids is not None:
        links = links.filter(project__unit_id__in=unit_ids)
    found = {}
    rows = links.values_list("project__unit_id", "subject_id", "stage", "project__code")
    for unit_id, subject_id, stage, code in rows.order_by("project__code").distinct():
        codes = found.setdefault((unit_id, subject_id, stage), [])
        if code not in codes:
            codes.append(code)
    return {key: ";".join(codes) for key, codes in found.items()}


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


THREE_PUBLIC_FIELDS = ("pk", "publication__year", "stage", "unit__code", "unit__name", "kind")


def three_public_rows() -> Iterator[list]:
    """Rows of three_public.csv, by year, unit, stage and kind."""
    expenses = without_examples(ThreePublicExpense.objects.published())
    expenses = expenses.order_by("publication__year", "unit__code", "stage", "kind", "pk")
    # The file is Chinese whoever builds it: labels are translated for the English pages.
    with translation.override("zh-hans"):
        labels = {kind.value: str(kind.label) for kind in ThreePublicKind}
    for batch in _chunks(expenses, (*THREE_PUBLIC_FIELDS, "amount")):
        sources = _sources(_citations("three_public", [row[0] for row in batch]))
        for pk, year, stage, unit_code, unit_name, kind, amount in batch:
            label = labels[kind]
            yield [year, stage, unit_code, unit_name, kind, label, amount, sources.get(pk, "")]
