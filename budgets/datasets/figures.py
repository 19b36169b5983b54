"""figures.csv: every figure printed in the publications that is not a stored line (totals,
narrative amounts, rates, year-over-year changes, counts, scores), one row each, as printed.

The printed cells that are stored lines are in lines.csv, three_public.csv and projects.csv,
whose `source` names the tables they are printed in. Whether a figure agrees with the lines is
read from each publication's stored quality check (budgets.quality), never recomputed here: a
build reads each table once and runs no aggregate per figure.
"""

from collections.abc import Iterator

from django.urls import reverse
from django.utils import translation

from budgets.choices import (
    ExpenditureType,
    ExpenseClass,
    FigureKind,
    Measure,
    PublicationKind,
    Scheme,
    Stage,
)
from budgets.datasets.base import (
    PROJECT_CODE,
    UNIT_CODE,
    UNIT_NAME,
    Column,
    Dataset,
    _chunks,
    without_examples,
)
from budgets.models import PublishedFigure, QualityReport
from budgets.models.organisation import published_lookup

# The measures budgets.reconciliation recomputes from the stored lines (derive()).
RECONCILED_MEASURES = (
    Measure.EXPENDITURE,
    Measure.INCOME,
    Measure.THREE_PUBLIC,
    Measure.PROJECT,
    Measure.COMPLETION_RATE,
    Measure.EXECUTION_RATE,
    Measure.SCORE,
    Measure.WEIGHT,
)
# budgets.quality.Severity, which imports the summaries: not needed to read its findings.
SEVERITIES = ("mismatch", "rounding", "note")
WAN_YUAN = "万元"


def _codes(choices) -> str:
    # Labels are translated for the English pages; the dataset's description stays Chinese
    # whatever the language active when this module is first imported.
    with translation.override("zh-hans"):
        return "、".join(f"{value} {label}" for value, label in choices.choices)


FIGURES = Dataset(
    "figures",
    "公开文件中的每一个数字",
    "Every figure printed in the publications",
    "公开文件表格和文字说明中印出的每一个合计、金额、比率、增减额、数量和得分，一行一个，"
    "按原文（printed_text）和数值（value）两种形式；逐条明细数据（lines、three_public、projects）"
    "的出处见各自的 source 列。",
    [
        Column(
            "year", "integer", "数字所属年度（可能早于公开文件年度）", "Year the figure is about"
        ),
        UNIT_CODE,
        UNIT_NAME,
        Column("publication_year", "integer", "公开文件年度", "Year of the publication"),
        Column(
            "publication",
            "string",
            "公开文件：budget 预算、final 决算",
            "Publication: budget or final accounts",
            tuple(PublicationKind.values),
        ),
        Column("publication_unit_code", "string", "公开单位编码", "Code of the publishing unit"),
        Column("section", "string", "表号或章节（如 表1、公开01）", "Table or section as numbered"),
        Column("section_title", "string", "表格或章节标题", "Title of the table or section"),
        Column("part", "string", "表格的部分（收入、支出）", "Part of the table"),
        Column("row_order", "integer", "行次（表内顺序）", "Order of the row in the table"),
        Column("row_code", "string", "行编码（如科目编码）", "Row code as printed"),
        Column("row_label", "string", "行名称", "Row label as printed"),
        Column("column", "string", "栏目（多层表头以/分隔）", "Column heading, levels joined by /"),
        Column(
            "printed_text",
            "string",
            "原文：公开文件中的原样文字（空白表示与数值相同，未另行记录）",
            "Text as printed, when it was recorded",
        ),
        Column(
            "value",
            "number",
            "数值，精确小数：万元为两位小数，其他计量单位不带多余的 0（1 辆、9.1%），"
            "比率为百分点；空白表示公开文件中该处为空",
            "Exact value: 10,000 CNY with two places, other units without trailing zeros, rates in "
            "percentage points; blank if not printed",
            unit_from="unit_of_measure",
        ),
        Column("unit_of_measure", "string", "计量单位（万元、%、分、人、个……）", "Unit of measure"),
        Column(
            "measure",
            "string",
            f"指标：{_codes(Measure)}",
            "What it measures",
            tuple(Measure.values),
        ),
        Column("stage", "string", "阶段（空白为不分阶段）", "Stage, if any", tuple(Stage.values)),
        Column("scheme", "string", "分类", "Classification", tuple(Scheme.values)),
        Column("subject_code", "string", "科目编码（空白为全部）", "Subject code, blank for all"),
        Column(
            "expenditure_type",
            "string",
            "支出类型",
            "Basic or project expenditure",
            tuple(ExpenditureType.values),
        ),
        Column(
            "expense_class",
            "string",
            "经费性质",
            "Personnel or public funds",
            tuple(ExpenseClass.values),
        ),
        Column("fund_source", "string", "资金来源（或其分组）", "Fund source or group"),
        Column(
            "three_public_kind",
            "string",
            "“三公”经费项目（或其分组）",
            "Kind of “three public expenses”",
        ),
        PROJECT_CODE,
        Column(
            "kind",
            "string",
            f"来源类型：{_codes(FigureKind)}",
            "Table figure, narrative figure, or derived (not printed as such)",
            tuple(FigureKind.values),
        ),
        Column(
            "derived",
            "boolean",
            "是否为本平台推算数（公开文件未直接印出）",
            "Whether the portal derived it (not printed as such)",
            title="平台推算数",
        ),
        Column(
            "reconciled",
            "boolean",
            "本平台是否用明细数据核对这类数字（合计、收支、“三公”、项目、完成率、执行率、得分）",
            "Whether the portal checks this kind of figure against the lines",
            title="平台核对",
        ),
        Column(
            "finding",
            "string",
            "最近一次数据核对的结果：mismatch 不一致、rounding 尾差、note 提示；"
            "空白为核对未发现问题或不核对",
            "Result of the last quality check, blank when it found nothing",
            SEVERITIES,
            title="核对结果",
        ),
        Column("finding_message", "string", "核对说明", "What the check found"),
        Column("note", "string", "备注", "Note"),
    ],
)

FIGURE_FIELDS = (
    "year",
    "unit__code",
    "unit__name",
    "section__publication__year",
    "section__publication__kind",
    "section__publication__unit__code",
    "section__code",
    "section__title",
    "part",
    "row_order",
    "row_code",
    "row_label",
    "column",
    "printed_text",
    "value",
    "unit_of_measure",
    "measure",
    "stage",
    "scheme",
    "subject_code",
    "expenditure_type",
    "expense_class",
    "fund_source",
    "three_public_kind",
    "project__code",
    "kind",
    "note",
    "section__slug",
)


def figure_value(value, unit_of_measure: str):
    """The exact value as a file gives it: 万元 with its two places; any other unit without the
    zeros a count or rate does not print (1.00 辆 is 1, 9.10% is 9.1), as the pages show it."""
    if value is None or unit_of_measure == WAN_YUAN:
        return value
    return value.normalize() + 0  # + 0: 1E+2 back to 100


def open_figures():
    """The printed figures of the open data: of published publications, of real units."""
    figures = PublishedFigure.objects.filter(**published_lookup("section__publication"))
    return without_examples(figures, "section__publication")


def _findings(publication_ids=None) -> dict:
    """{(section address, "表3 · 行 · 栏目"): finding} of the stored quality checks of published
    publications (one small JSON a publication), of some publications or all."""
    reports = QualityReport.objects.filter(**published_lookup("publication"))
    if publication_ids is not None:
        reports = reports.filter(publication_id__in=publication_ids)
    found = {}
    for report in reports.values_list("report", flat=True).iterator(chunk_size=100):
        for finding in (report or {}).get("findings", []):
            if finding.get("severity") in SEVERITIES:
                found.setdefault((finding.get("url", ""), finding.get("where", "")), finding)
    return found


def _key(publisher, publication_year, publication, slug, section, row_code, row_label, column):
    """How budgets.quality names a figure in its findings: its section's address and where."""
    address = reverse(
        "budgets:section",
        kwargs={
            "unit_code": publisher,
            "year": publication_year,
            "kind": publication,
            "slug": slug,
        },
    )
    where = " ".join(filter(None, [row_code, row_label]))
    return address, f"{section} · {where} · {column}"


def findings_of(figures) -> dict:
    """{figure id: finding} for some figures (their sections and publications loaded), in one
    query."""
    figures = list(figures)
    found = _findings({figure.section.publication_id for figure in figures})
    result = {}
    for figure in figures:
        section = figure.section
        publication = section.publication
        key = _key(publication.unit.code, publication.year, publication.kind, section.slug,
                   section.code, figure.row_code, figure.row_label, figure.column)  # fmt: skip
        if key in found:
            result[figure.pk] = found[key]
    return result


def figure_rows(figures=None) -> Iterator[list]:
    """Rows of figures.csv, by publication and in printed order."""
    figures = open_figures() if figures is None else figures
    figures = figures.order_by(
        "section__publication__year",
        "section__publication__unit__code",
        "section__publication__kind",
        "section__order",
        "part",
        "row_order",
        "pk",
    )
    findings = _findings()
    for batch in _chunks(figures, FIGURE_FIELDS):
        for (year, unit_code, unit_name, publication_year, publication, publisher, section,
             title, part, row_order, row_code, row_label, column, printed_text, value,
             unit_of_measure, measure, stage, scheme, subject_code, expenditure_type,
             expense_class, fund_source, three_public_kind, project, kind, note,
             slug) in batch:  # fmt: skip
            finding = findings.get(
                _key(publisher, publication_year, publication, slug, section, row_code,
                     row_label, column),
                {},
            )  # fmt: skip
            yield [
                year, unit_code, unit_name, publication_year, publication, publisher, section,
                title, part, row_order, row_code, row_label, column, printed_text,
                figure_value(value, unit_of_measure), unit_of_measure, measure, stage, scheme,
                subject_code, expenditure_type, expense_class, fund_source, three_public_kind,
                project or "", kind,
                kind == FigureKind.DERIVED, measure in RECONCILED_MEASURES,
                finding.get("severity", ""), finding.get("message", ""), note,
            ]  # fmt: skip
