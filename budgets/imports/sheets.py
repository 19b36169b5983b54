"""Spreadsheets in and out: an uploaded XLSX or CSV read into rows of text, and the XLSX
templates the portal hands out. Every cell is read as text, so that codes keep their digits
and amounts their printed form; parsing decides what the text means."""

import csv
import io
import zipfile
from datetime import date, datetime

import xlsxwriter
from openpyxl import load_workbook

from budgets.imports import bounds
from budgets.imports.bounds import UploadError
from budgets.imports.layouts import Layout

INSTRUCTIONS = [
    "填写说明",
    "1. 每张工作表对应一张公开表格，表头（第 3 行）不要改动；第 1 行的表号用来识别表格。",
    "2. 编码按文本填写（如 2080150、30101），名称照原表；金额单位为万元，保留两位小数。",
    "3. 原表空白的格子请留空：空白表示未公开，与 0 含义不同。“无”“没有”等文字照填。",
    "4. 有“部分”栏的表格，各行填写所属部分（如 人员经费、公用经费）；"
    "经济分类科目可留空，按科目自动归类。",
    "5. 可以只上传部分表格；上传的表格整张替换草稿中的同一表格，其他表格不变。",
    "6. 也可以上传 CSV（每个文件一张表格，格式同一张工作表；UTF-8 或 GBK 编码均可）。",
    "7. “-指标”工作表是绩效目标表和绩效自评表的指标，每行一个指标；上传后整表替换。",
]


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Excel keeps numbers as floats: 17.73 reads back as 17.73, a code as 2080150.0.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030, which covers GBK as Chinese Excel saves it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        message = "无法识别文件的文字编码：请保存为 UTF-8 或 GBK 编码的 CSV，或上传 XLSX。"
        raise UploadError(message) from None


def read_upload(name: str, data: bytes) -> dict[str, list[list[str | None]]]:
    """{sheet name: rows of cell text}; a CSV file is one sheet named after the file. The
    file is held to budgets.imports.bounds before a cell is read."""
    bounds.check_size(name, len(data))
    lower = name.lower()
    if lower.endswith(".csv"):
        return {name: _read_csv(name, _decode(data))}
    if lower.endswith(".xlsx"):
        return _read_xlsx(data)
    raise UploadError("只能上传 .xlsx 或 .csv 文件。")


def _read_csv(name: str, text: str) -> list[list[str | None]]:
    rows = []
    # strict: an unclosed or stray quote is an error, not a cell that swallows the lines after it.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for number, row in enumerate(reader, start=1):
            bounds.check_csv_row(name, number, row)
            rows.append([_text(cell) for cell in row])
    except csv.Error as error:
        message = (
            f"CSV 文件第 {reader.line_num} 行格式有误（如引号不成对），请在 Excel 中另存后再上传。"
        )
        raise UploadError(message) from error
    return rows


def _read_xlsx(data: bytes) -> dict[str, list[list[str | None]]]:
    unreadable = "文件不是有效的 XLSX 工作簿，无法打开。"
    try:
        bounds.check_package(zipfile.ZipFile(io.BytesIO(data)))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UploadError:
        raise
    except Exception as error:  # zipfile and openpyxl raise many kinds for a damaged file
        raise UploadError(unreadable) from error
    try:
        bounds.check_sheet_count(len(workbook.worksheets))
        sheets, problems = {}, []
        for sheet in workbook.worksheets:
            bounds.check_declared(
                sheet.title, sheet.min_column, sheet.min_row, sheet.max_column, sheet.max_row
            )
            # openpyxl keeps the part's name privately; the XML is read twice, bounded once.
            with workbook._archive.open(sheet._worksheet_path) as source:
                rows, columns, formulas = bounds.scan_sheet(sheet.title, source)
            problems += formulas
            sheet.reset_dimensions()
            cells = sheet.iter_rows(max_row=rows, max_col=columns, values_only=True)
            sheets[sheet.title] = [[_text(cell) for cell in row] for row in cells] if rows else []
    except UploadError:
        raise
    except Exception as error:
        raise UploadError(unreadable) from error
    finally:
        workbook.close()
    if problems:
        raise UploadError(*problems)
    return sheets


def title_cell(layout: Layout) -> str:
    return f"{layout.code} {layout.title}"


def write_workbook(layouts: list[Layout], filled: dict | None = None, extra=()) -> bytes:
    """The template: an instruction sheet, then one sheet per table with its title, its
    headers and its fixed rows. `filled` maps a table's slug to rows to write instead
    (code, label, part, [cells]), for a template that holds a publication's figures; `extra`
    adds sheets as (sheet name, title, headers, rows of cells): the indicator sheets."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    formats = {
        "bold": workbook.add_format({"bold": True}),
        "header": workbook.add_format({"bold": True, "bg_color": "#EEF2F6", "border": 1}),
        "text": workbook.add_format({"num_format": "@"}),
    }
    guide = workbook.add_worksheet("填写说明")
    guide.set_column(0, 0, 100)
    for index, line in enumerate(INSTRUCTIONS):
        guide.write_string(index, 0, line, formats["bold"] if index == 0 else None)
    for layout in layouts:
        rows = (filled or {}).get(layout.slug)
        if rows is None:
            rows = [(row.code, row.label, part.name, []) for part, row in layout.fixed_rows()]
        cells = [
            [code, label, *([part] if layout.has_parts else []), *values]
            for code, label, part, values in rows
        ]
        _sheet(workbook, formats, layout.sheet_name, title_cell(layout), layout.headers(), cells)
    for name, title, headers, rows in extra:
        _sheet(workbook, formats, name, title, headers, rows)
    workbook.close()
    return output.getvalue()


def _sheet(workbook, formats, name, title, headers, rows):
    sheet = workbook.add_worksheet(name)
    sheet.write_string(0, 0, title, formats["bold"])
    sheet.write_string(1, 0, "单位：万元")
    for column, label in enumerate(headers):
        sheet.write_string(2, column, label, formats["header"])
    sheet.set_column(0, 0, 12, formats["text"])
    sheet.set_column(1, 1, 36, formats["text"])
    sheet.set_column(2, len(headers) - 1, 14, formats["text"])
    for offset, values in enumerate(rows, start=3):
        for column, value in enumerate(values):
            if value:
                sheet.write_string(offset, column, str(value))
    sheet.freeze_panes(3, 2)
