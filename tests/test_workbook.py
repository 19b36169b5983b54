"""The workbook for people: a 说明 sheet first, Chinese names with units above the ASCII
headers, frozen headers and filters, money with two places and counts as whole numbers."""

import openpyxl
import pytest

from budgets import downloads
from budgets.datasets import DATASETS, FIGURES, INDICATORS, LINES
from budgets.workbook import HEADER_ROWS

pytestmark = pytest.mark.django_db


@pytest.fixture
def book():
    manifest = downloads.build()
    book = openpyxl.load_workbook(downloads.current_dir() / "budget-data.xlsx")
    book.manifest = {entry["name"]: entry for entry in manifest["files"]}
    book.built_at = manifest["built_at"]
    return book


def header(sheet, row):
    return [cell.value for cell in sheet[row]]


def test_the_first_sheet_says_what_the_data_is_where_it_is_from_and_how_to_cite_it(book):
    assert book.sheetnames[0] == "说明"
    about = dict(book["说明"].iter_rows(values_only=True))
    assert {"标题", "来源", "许可", "计量单位", "生成时间", "引用方式", "表头"} <= set(about)
    assert "CC-BY-4.0" in about["许可"]
    assert "万元" in about["计量单位"]
    assert about["生成时间"].startswith(book.built_at)
    assert "2024" in about["来源"]
    for dataset in DATASETS:
        rows = book.manifest[dataset.filename]["rows"]
        assert f"{rows} 行" in about[dataset.name]


def test_each_sheet_has_chinese_names_with_units_above_the_csv_headers(book):
    sheet = book["lines"]
    assert header(sheet, 2) == LINES.header
    chinese = header(sheet, 1)
    assert chinese[LINES.header.index("amount")] == "金额（万元）"
    assert chinese[LINES.header.index("unit_code")] == "单位编码"
    assert all(cell.font.bold for cell in sheet[1])
    for dataset in DATASETS:
        sheet = book[dataset.name]
        assert header(sheet, 1) == [column.label for column in dataset.columns]
        assert header(sheet, 2) == dataset.header


def test_headers_are_frozen_and_filtered(book):
    for dataset in DATASETS:
        sheet = book[dataset.name]
        assert sheet.freeze_panes == f"A{HEADER_ROWS + 1}"
        rows = book.manifest[dataset.filename]["rows"]
        last = openpyxl.utils.get_column_letter(len(dataset.columns))
        assert sheet.auto_filter.ref == f"A2:{last}{HEADER_ROWS + max(rows, 0)}"


def test_counts_are_whole_numbers_and_money_has_two_places(book):
    sheet = book["figures"]
    names = FIGURES.header
    value, unit = names.index("value"), names.index("unit_of_measure")
    cells = {}
    for row in sheet.iter_rows(min_row=HEADER_ROWS + 1):
        if row[value].value is not None:
            cells.setdefault(row[unit].value, []).append(row[value])
    assert all(cell.number_format == "0.00" for cell in cells["万元"])
    for count in ("辆", "个"):
        assert cells[count]
        assert all(cell.number_format == "General" for cell in cells[count])
        assert all(cell.value == int(cell.value) for cell in cells[count])
    assert any(cell.value == 1196.15 for cell in cells["%"])
    weights = [row[0] for row in book["indicators"].iter_rows(
        min_row=HEADER_ROWS + 1, min_col=INDICATORS.header.index("weight") + 1,
        max_col=INDICATORS.header.index("weight") + 1,
    ) if row[0].value is not None]  # fmt: skip
    assert weights
    assert all(cell.number_format == "General" for cell in weights)  # 分, not 万元
