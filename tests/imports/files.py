"""Hand-made spreadsheets for the import tests, written without the portal's own template
writer, as a staff member's Excel would save them."""

import csv
import io
import re
import zipfile

from openpyxl import Workbook

from budgets import access
from budgets.imports.indicators import indicator_layouts
from budgets.imports.layouts import sheet_layouts
from budgets.models import (
    Citation,
    EvaluationItem,
    Fact,
    IndicatorTarget,
    ProjectAmount,
    PublishedFigure,
    ThreePublicExpense,
)

TABLE_3_HEADERS = [
    "编码",
    "项目",
    "合计",
    "基本支出",
    "项目支出",
    "事业单位经营支出",
    "上缴上级支出",
    "对附属单位补助支出",
]

# 表3 支出总表 of a small budget whose lines add up: 168.73 basic, 483.41 project.
TABLE_3_ROWS = [
    ["", "合计", "652.14", "168.73", "483.41"],
    ["208", "社会保障和就业支出", "652.14", "168.73", "483.41"],
    ["20801", "人力资源和社会保障管理事务", "652.14", "168.73", "483.41"],
    ["2080150", "事业运行", "168.73", "168.73", None],
    ["2080199", "其他人力资源和社会保障管理事务支出", "483.41", None, "483.41"],
]


def table_3_rows(changes=None):
    """The rows of 表3 (title, unit, header, data) with some cells replaced:
    {(row index in TABLE_3_ROWS, column header): text}."""
    rows = [list(row) + [None] * (len(TABLE_3_HEADERS) - len(row)) for row in TABLE_3_ROWS]
    for (index, header), text in (changes or {}).items():
        rows[index][TABLE_3_HEADERS.index(header)] = text
    return [["表3 支出总表"], ["单位：万元"], TABLE_3_HEADERS, *rows]


def xlsx(sheets: dict) -> bytes:
    """A workbook with a sheet per entry; cells are written as given (text or numbers)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_file(rows, encoding="utf-8-sig") -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows([[cell or "" for cell in row] for row in rows])
    return text.getvalue().encode(encoding)


def layouts_of(module):
    """The template's layouts for the publication a transcription module holds (no database:
    its unit and project are the module's)."""
    pub = module.PUBLICATION
    return sheet_layouts(pub["kind"], pub["year"], module.UNIT_LAYOUT, [module.PROJECT_LAYOUT])


def filled_from(module, layouts):
    """Rows for write_workbook from a transcription module: its tables as printed."""
    printed = {section.slug: section for section in module.SECTIONS}
    filled = {}
    for layout in layouts:
        headers = layout.value_headers()
        rows = []
        for part in printed[layout.slug].parts:
            labels = [column.label for column in part.columns]
            for row in part.rows:
                cells = [row.cells[labels.index(h)] if h in labels else None for h in headers]
                rows.append((row.code, row.label, part.name, cells))
        filled[layout.slug] = rows
    return filled


def indicator_sheets_from(module, layouts, year=2024):
    """The indicator sheets of write_workbook's `extra`, filled from a transcription module."""
    extra = []
    for layout in indicator_layouts(layouts):
        rows = []
        for plan in getattr(module, "PERFORMANCE_PLANS", []):
            if plan["section"] != layout.slug:
                continue
            for level1, level2, level3, target in plan["long_term"]:
                rows.append(["长期目标", level1, level2, level3, None, None, target, plan["basis"]])
            for level1, level2, level3, before_last, last, target in plan["annual"]:
                rows.append(
                    ["年度目标", level1, level2, level3, before_last, last, target, plan["basis"]]
                )
        for evaluation in getattr(module, "SELF_EVALUATIONS", []):
            if evaluation["section"] != layout.slug:
                continue
            execution = [evaluation["execution_weight"], None, None, evaluation["execution_score"]]
            rows.append(["预算执行情况", None, None, *execution])
            rows += [list(item) for item in evaluation["items"]]
        extra.append((layout.sheet_name, layout.sheet_title, layout.headers(year), rows))
    return extra


def empty_tables(publication):
    """What the database holds before the import: the publication without its tables."""
    for model in (IndicatorTarget, EvaluationItem):
        model.objects.filter(**{f"{access.publication_path(model)}": publication}).delete()
    tables = publication.sections.exclude(kind="narrative")
    Citation.objects.filter(section__in=tables).delete()
    PublishedFigure.objects.filter(section__in=tables).delete()
    for model in (Fact, ThreePublicExpense, ProjectAmount):
        model.objects.filter(publication=publication).delete()
    tables.filter(performanceplan__isnull=True, selfevaluation__isnull=True).delete()


def repacked(data: bytes, replace=None, add=None) -> bytes:
    """The XLSX package `data` with some parts rewritten as a hostile or unusual file would
    have them: `replace` maps a part's name to a function of its text, `add` adds parts."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            change = (replace or {}).get(info.filename)
            if change is not None:
                content = change(content.decode("utf-8")).encode("utf-8")
            target.writestr(info.filename, content)
        for name, content in (add or {}).items():
            with target.open(name, "w") as part:
                for chunk in [content] if isinstance(content, bytes) else content:
                    part.write(chunk)
    return output.getvalue()


SHEET_1 = "xl/worksheets/sheet1.xml"


def declaring(ref: str, data: bytes) -> bytes:
    """The workbook with its first sheet's <dimension> saying `ref`, whatever it holds."""
    return repacked(
        data,
        {SHEET_1: lambda xml: re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', xml)},
    )


def with_rows(data: bytes, rows_xml: str) -> bytes:
    """The workbook with `rows_xml` (<row> elements) appended to its first sheet's data."""
    return repacked(
        data, {SHEET_1: lambda xml: xml.replace("</sheetData>", rows_xml + "</sheetData>")}
    )
