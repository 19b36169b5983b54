"""Reading uploads: XLSX cells as text, CSV in UTF-8 or GBK, clear refusals otherwise."""

import csv
import io
import sys
import zipfile

import pytest

from budgets.imports import bounds, sheets
from fixtures.transcription import final_2024
from tests.imports.files import (
    SHEET_1,
    csv_file,
    declaring,
    layouts_of,
    repacked,
    table_3_rows,
    with_rows,
    xlsx,
)


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
    layouts = layouts_of(final_2024)
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


# -- bounds: what an upload may hold, checked before its cells are read ----------------------
# The official tables have at most a few hundred rows and about twenty columns.


def refusal(name, data) -> str:
    with pytest.raises(sheets.UploadError) as refused:
        sheets.read_upload(name, data)
    return str(refused.value)


def table_3() -> bytes:
    return xlsx({"表3": table_3_rows()})


def test_a_sheet_declaring_every_cell_excel_has_is_refused_before_reading_it():
    # openpyxl would pad each of the million rows up to the last one to 16,384 cells.
    last_cell = '<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'
    hostile = with_rows(declaring("A1:XFD1048576", table_3()), last_cell)
    assert len(hostile) < 10_000
    message = refusal("表3.xlsx", hostile)
    assert "工作表“表3”声明的范围是 A1:XFD1048576（1048576 行、16384 列）" in message
    assert "超过了导入表格的上限" in message


def test_a_sheet_with_more_rows_than_it_declares_is_refused():
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="n"><v>{n}</v></c></row>' for n in range(9, 5000))
    message = refusal("表3.xlsx", with_rows(table_3(), rows))
    assert "工作表“表3”超过 1000 行" in message


def test_a_row_far_beyond_the_table_is_refused_without_reading_the_rows_between():
    rows = '<row r="1048576"><c r="A1048576" t="n"><v>1</v></c></row>'
    assert "工作表“表3”超过 1000 行" in refusal("表3.xlsx", with_rows(table_3(), rows))


def test_a_sheet_wider_than_any_table_is_refused():
    cells = "".join(f'<c t="n"><v>{n}</v></c>' for n in range(200))
    message = refusal("表3.xlsx", with_rows(table_3(), f'<row r="9">{cells}</row>'))
    assert "工作表“表3”第 9 行超过" in message
    assert "列" in message


def test_a_part_that_unpacks_to_more_than_a_table_could_hold_is_refused():
    bomb = (b" " * 1024 * 1024 for _ in range(40))  # 40 MB of spaces, a few KB packed
    hostile = repacked(table_3(), add={"xl/media/padding.xml": bomb})
    assert len(hostile) < 200_000
    assert "解压后" in refusal("表3.xlsx", hostile)


def test_a_workbook_of_too_many_sheets_is_refused():
    count = bounds.MAX_SHEETS + 1
    message = refusal("多表.xlsx", xlsx({f"表{n}": [["x"]] for n in range(count)}))
    assert f"文件有 {count} 张工作表" in message


def test_a_file_larger_than_any_template_is_refused():
    assert "超过了" in refusal("表3.csv", b"x," * (3 * 1024 * 1024))


def test_a_csv_of_a_million_lines_is_refused_without_reading_them_all():
    message = refusal("表3.csv", b"1\n" * 1_000_000)
    assert "“表3.csv”超过 1000 行" in message


def test_a_csv_wider_than_any_table_is_refused():
    message = refusal("表3.csv", ("表3," + ",".join(["1"] * 500) + "\n").encode())
    assert "“表3.csv”第 1 行超过" in message


def test_a_damaged_csv_is_refused_in_chinese():
    assert "引号不成对" in refusal("表3.csv", '表3,"合计\n'.encode())
    assert "引号不成对" in refusal("表3.csv", '表3,"合计"计\n'.encode())


def test_a_csv_cell_longer_than_any_tables_is_refused_whatever_the_csv_modules_limit():
    previous = csv.field_size_limit(sys.maxsize)  # as frictionless does, for the whole process
    try:
        message = refusal("表3.csv", b'"' + b"x" * 200_000 + b'"\n')
    finally:
        csv.field_size_limit(previous)
    assert "“表3.csv”第 1 行有一格超过" in message


def test_a_formula_without_a_stored_result_is_reported_not_read_as_blank():
    rows = table_3_rows()
    rows[3][2] = "=C5"  # the 合计 as a formula, never calculated (openpyxl stores no result)
    message = refusal("表3.xlsx", xlsx({"表3": rows}))
    assert "工作表“表3” C4 格是公式“=C5”，文件中没有保存它的计算结果" in message


def test_a_formula_with_its_stored_result_reads_as_that_result():
    calculated = repacked(
        table_3(),
        {
            SHEET_1: lambda xml: xml.replace(
                '<c r="C5" t="inlineStr"><is><t>652.14</t></is></c>',
                '<c r="C5"><f>C6</f><v>652.14</v></c>',
            )
        },
    )
    assert "<f>C6</f>" in zipfile.ZipFile(io.BytesIO(calculated)).read(SHEET_1).decode()
    assert sheets.read_upload("表3.xlsx", calculated)["表3"][4][2] == "652.14"


def test_a_workbook_linked_to_another_file_is_reported():
    link = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/externalLinkPath" Target="file:///D:/%E9%A2%84%E7%AE%97/2023.xlsx" '
        'TargetMode="External"/></Relationships>'
    )
    linked = repacked(
        table_3(),
        add={
            "xl/externalLinks/externalLink1.xml": b"<externalLink/>",
            "xl/externalLinks/_rels/externalLink1.xml.rels": link.encode(),
        },
    )
    message = refusal("表3.xlsx", linked)
    assert "文件含有指向其他工作簿的外部链接（file:///D:/预算/2023.xlsx）" in message
