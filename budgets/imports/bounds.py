"""How much an upload may hold, checked before a cell of it is read.

A spreadsheet reader trusts what a file says about itself: openpyxl pads every row to the
width a sheet declares (`A1:XFD1048576` is 16,384 columns) and yields every missing row up to
the last one, so a 1.6 KB file could grow a worker past 1.9 GB; a zip part of a few KB may
unpack to gigabytes. The official tables are small (the widest has 19 columns; a unit's
longest runs to a few hundred rows), so an upload is held to bounds taken from their layouts
with a wide margin, and refused with a message in Chinese as soon as one is passed: the file's
size, its parts' unpacked sizes, the number of sheets, each sheet's declared range, then its
real rows and cells, counted while the sheet's XML streams past (no cell is kept).

Formula cells without a stored result would read as blank, and a link to another workbook
brings in figures from a file nobody uploaded: both are reported instead.
"""

import xml.etree.ElementTree as ET
from urllib.parse import unquote
from zipfile import ZipFile

from openpyxl.utils.cell import (
    column_index_from_string,
    coordinate_from_string,
    get_column_letter,
)

from budgets.imports.indicators import indicator_layouts
from budgets.imports.layouts import sheet_layouts
from budgets.layouts import KINDS, LayoutProject, LayoutUnit

KB, MB = 1024, 1024 * 1024
# A unit's projects in one year, for the bound on sheets: each adds a table and its indicators.
MOST_PROJECTS = 40


def _templates(projects: int) -> list[list]:
    """The sheets of a template of each kind for a unit with `projects` projects. Widths and
    counts do not depend on the year or on names, so any will do."""
    unit = LayoutUnit("0", "", "", "")
    sample = [LayoutProject(str(n), "") for n in range(projects)]
    return [sheet_layouts(kind, 2000, unit, sample) for kind in KINDS]


def _widest_table() -> int:
    """Columns of the widest sheet of any template (a table's or an indicator sheet)."""
    widths = [
        len(headers)
        for layouts in _templates(1)
        for headers in [layout.headers() for layout in layouts]
        + [layout.headers(2000) for layout in indicator_layouts(layouts)]
    ]
    return max(widths)


def _most_sheets() -> int:
    """Sheets of the largest template: instructions, tables and indicator sheets."""
    return max(
        1 + len(layouts) + len(indicator_layouts(layouts)) for layouts in _templates(MOST_PROJECTS)
    )


# A filled budget template of one unit with one project is about 23 KB (90 KB unpacked, 25
# parts, 16 sheets).
MAX_UPLOAD_BYTES = 2 * MB
MAX_PART_BYTES = 4 * MB  # unpacked: 1,000 rows of 38 cells are about 2 MB of XML
MAX_UNPACKED_BYTES = 32 * MB
MAX_PARTS = 300
MAX_SHEETS = 2 * _most_sheets()
MAX_COLUMNS = 2 * _widest_table()
# Subject rows are the unit's own, so no layout gives their number: the longest table of unit
# 503033 has 65 rows, a department's tables a few hundred.
MAX_ROWS = 1000
# A cell holds a label, an amount or an indicator's text. Checked here rather than left to the
# csv module's field_size_limit, which is process-wide (other libraries raise it).
MAX_CELL_CHARS = 10_000
# Elements of a sheet's XML: a cell is a few (c, v, f, is, t); room for formatting besides.
MAX_ELEMENTS = 8 * MAX_ROWS * MAX_COLUMNS + 10_000
MAX_REPORTED = 20  # formula problems listed per sheet


class UploadError(Exception):
    """A file the importer will not read; each message is for the user."""

    def __init__(self, *messages: str):
        super().__init__("\n".join(messages))
        self.messages = list(messages)


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{max(1, round(n / KB))} KB"


def check_size(name: str, size: int) -> None:
    if size > MAX_UPLOAD_BYTES:
        raise UploadError(
            f"“{name}”有 {_size(size)}，超过了 {_size(MAX_UPLOAD_BYTES)} 的上限：导入模板填好后"
            "通常只有几十 KB，请只上传要导入的表格。"
        )


def _too_long(where: str) -> UploadError:
    return UploadError(
        f"{where}超过 {MAX_ROWS} 行，超过了导入表格的上限：请删除表格以外的行后再上传。"
    )


def _too_wide(where: str, row: int) -> UploadError:
    return UploadError(
        f"{where}第 {row} 行超过 {MAX_COLUMNS} 列，超过了导入表格的上限："
        "请删除表格以外的列后再上传。"
    )


def check_csv_row(name: str, number: int, row: list) -> None:
    """A CSV file is one sheet; its rows are counted as they are read."""
    if number > MAX_ROWS:
        raise _too_long(f"“{name}”")
    if len(row) > MAX_COLUMNS:
        raise _too_wide(f"“{name}”", number)
    if any(len(cell) > MAX_CELL_CHARS for cell in row):
        raise UploadError(
            f"“{name}”第 {number} 行有一格超过 {MAX_CELL_CHARS} 个字符，"
            "不像导入表格的内容：请检查引号是否成对，或删除过长的文字后再上传。"
        )


def check_package(archive: ZipFile) -> None:
    """The parts of an XLSX file, from its directory, before any is unpacked: how many, how
    large unpacked (zipfile stops a part at its stated size), and links to other workbooks."""
    parts = archive.infolist()
    unpacked = sum(part.file_size for part in parts)
    largest = max(parts, key=lambda part: part.file_size, default=None)
    if (
        len(parts) > MAX_PARTS
        or unpacked > MAX_UNPACKED_BYTES
        or (largest is not None and largest.file_size > MAX_PART_BYTES)
    ):
        raise UploadError(
            f"文件解压后有 {_size(unpacked)}、{len(parts)} 个部件"
            f"（最大的“{largest.filename}”{_size(largest.file_size)}），远超导入表格所需"
            f"（每个部件不超过 {_size(MAX_PART_BYTES)}）：这不像是填好的导入模板。"
            "请用下载的模板填写后再上传。"
        )
    links = [
        part.filename
        for part in parts
        if part.filename.startswith("xl/externalLinks/_rels/") and part.filename.endswith(".rels")
    ]
    targets = []
    for link in links:
        for relation in ET.fromstring(archive.read(link)):
            if relation.get("TargetMode") == "External" and relation.get("Target"):
                targets.append(unquote(relation.get("Target")))
    if links or any(p.filename.startswith("xl/externalLinks/") for p in parts):
        raise UploadError(
            f"文件含有指向其他工作簿的外部链接（{'、'.join(targets) or '链接的文件不明'}）："
            "其中的数字来自另一个文件，可能已经过时。请把引用的单元格复制后“选择性粘贴为数值”，"
            "删除外部链接（数据 → 编辑链接 → 断开链接）后再上传。"
        )


def check_sheet_count(count: int) -> None:
    if count > MAX_SHEETS:
        raise UploadError(
            f"文件有 {count} 张工作表，超过了 {MAX_SHEETS} 张的上限：请只保留要导入的表格。"
        )


def check_declared(sheet: str, min_col, min_row, max_col, max_row) -> None:
    """The range a sheet says it uses (its <dimension>), which openpyxl would pad to."""
    if max_row is None or max_col is None:
        return
    if max_row > MAX_ROWS or max_col > MAX_COLUMNS:
        first = f"{_letters(min_col or 1)}{min_row or 1}"
        raise UploadError(
            f"工作表“{sheet}”声明的范围是 {first}:{_letters(max_col)}{max_row}"
            f"（{max_row} 行、{max_col} 列），超过了导入表格的上限（{MAX_ROWS} 行、"
            f"{MAX_COLUMNS} 列）：请删除表格以外的行和列，或把表格复制到新的工作表后再上传。"
        )


def _letters(column: int) -> str:
    return get_column_letter(column)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _formula_problem(sheet: str, where: str, cell) -> str | None:
    """A formula cell without a stored result: read with data_only, it would be blank."""
    children = {_local(child.tag): child for child in cell}
    if "f" not in children:
        return None
    stored = children.get("v")
    if stored is not None and (stored.text or "").strip():
        return None
    formula = (children["f"].text or "").strip()
    return (
        f"工作表“{sheet}” {where} 格是公式“={formula or '（共享公式）'}”，文件中没有保存它的"
        "计算结果（读入会成为空白）：请在 Excel 或 WPS 中打开、计算并保存后再上传，"
        "或把公式改成数值。"
    )


def scan_sheet(sheet: str, source) -> tuple[int, int, list[str]]:
    """Stream a sheet's XML once, keeping no element once it is seen: the (rows, columns) it
    really uses, and the formula cells that have no stored result. Stops at the first row or
    cell past the bounds."""
    rows = columns = row = column = seen = 0
    problems: list[str] = []
    open_elements, open_cells = [], 0
    for event, element in ET.iterparse(source, events=("start", "end")):
        tag = _local(element.tag)
        if event == "start":
            open_elements.append(element)
            if tag == "c":
                open_cells += 1
            elif tag == "row":
                row = _row_number(sheet, element.get("r"), row)
                column = 0
                if row > MAX_ROWS:
                    raise _too_long(f"工作表“{sheet}”")
                rows = max(rows, row)
            continue
        open_elements.pop()
        seen += 1
        if seen > MAX_ELEMENTS:
            raise UploadError(f"工作表“{sheet}”的内容远超导入表格所需，请只保留表格本身再上传。")
        if tag == "c":
            open_cells -= 1
            column = _column_number(sheet, element.get("r"), column)
            if column > MAX_COLUMNS:
                raise _too_wide(f"工作表“{sheet}”", row)
            columns = max(columns, column)
            where = element.get("r") or f"第 {row} 行第 {column} 列"
            problem = _formula_problem(sheet, where, element)
            if problem and len(problems) <= MAX_REPORTED:
                problems.append(problem)
        # What is inside a cell waits for the cell's end; everything else is dropped when it
        # ends (it is then its parent's last child), so memory stays flat however long the XML.
        if open_elements and not open_cells:
            del open_elements[-1][-1]
    if len(problems) > MAX_REPORTED:
        problems[MAX_REPORTED:] = [f"工作表“{sheet}”还有其他没有计算结果的公式。"]
    return rows, columns, problems


def _damaged(sheet: str) -> UploadError:
    return UploadError(f"工作表“{sheet}”已损坏（单元格位置无法识别），请重新保存后再上传。")


def _row_number(sheet: str, declared: str | None, previous: int) -> int:
    if declared is None:
        return previous + 1
    if not (declared.isascii() and declared.isdigit()) or len(declared) > 9:
        raise _damaged(sheet)
    return int(declared)


def _column_number(sheet: str, coordinate: str | None, previous: int) -> int:
    if coordinate is None:
        return previous + 1
    try:
        letters, _row = coordinate_from_string(coordinate)
        return column_index_from_string(letters)
    except ValueError:
        raise _damaged(sheet) from None
