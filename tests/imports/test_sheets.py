"""Reading uploads: XLSX cells as text, CSV in UTF-8 or GBK, clear refusals otherwise."""

import pytest

from budgets.imports import sheets
from budgets.imports.layouts import layouts_for
from tests.imports.files import csv_file, table_3_rows, xlsx


def test_numbers_typed_into_excel_read_back_as_their_text():
    data = xlsx({"表3": [["编码", "金额"], [2080150, 17.73], [208, 896]]})
    assert sheets.read_upload("a.xlsx", data)["表3"] == [
        ["编码", "金额"],
        ["2080150", "17.73"],
        ["208", "896"],
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk", "gb18030"])
def test_a_csv_is_read_in_every_encoding_chinese_excel_saves(encoding):
    rows = sheets.read_upload("表3.csv", csv_file(table_3_rows(), encoding))["表3.csv"]
    assert rows[0][0] == "表3 支出总表"
    assert rows[6][:3] == ["2080150", "事业运行", "168.73"]


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_chinese():
    with pytest.raises(sheets.UploadError, match=r"只能上传 \.xlsx 或 \.csv 文件"):
        sheets.read_upload("a.pdf", b"%PDF")
    with pytest.raises(sheets.UploadError, match="不是有效的 XLSX 工作簿"):
        sheets.read_upload("a.xlsx", b"not a zip")


def test_the_template_has_a_sheet_per_table_with_its_headers_and_fixed_rows():
    layouts = layouts_for("final")
    data = sheets.write_workbook(layouts)
    workbook = sheets.read_upload("t.xlsx", data)
    assert list(workbook)[:3] == ["填写说明", "公开01", "公开02"]
    assert list(workbook) == ["填写说明", *(layout.sheet_name for layout in layouts)]
    gk06 = workbook["公开06"]
    assert gk06[0][0] == "公开06 一般公共预算财政拨款基本支出决算明细表"
    assert gk06[2] == ["编码", "项目", "部分", "决算数"]
    assert ["", "人员经费合计", "人员经费", None][:3] == [
        (gk06[3][0] or ""),
        gk06[3][1],
        gk06[3][2],
    ]
