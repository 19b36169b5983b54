"""Bulk downloads: built on demand of the data, not of a visitor; exact bytes; a valid
Frictionless package; totals rebuildable from lines.csv; safe to open in a spreadsheet."""

import csv
import hashlib
import io
import json
import shutil
from decimal import Decimal

import frictionless
import openpyxl
import pytest
import xlsxwriter

from budgets import downloads, open_lines, workbook
from budgets.datasets import DATASETS, LINES, Column
from budgets.exports import csv_cell
from budgets.models import Publication, Unit
from budgets.workbook import Workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def built():
    return downloads.build()


def read_csv(path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_every_file_is_built_with_its_rows_size_and_hash(built):
    files = {entry["name"]: entry for entry in built["files"]}
    assert set(files) == {
        "lines.csv", "figures.csv", "indicators.csv", "performance_goals.csv", "projects.csv",
        "project_details.csv", "project_cost_lines.csv", "procurement_items.csv",
        "three_public.csv", "budget-data.xlsx", "portal.sqlite", "datapackage.json", "changes.json",
        "changes.csv",
    }  # fmt: skip
    assert files["lines.csv"]["rows"] == 121
    assert files["indicators.csv"]["rows"] == 26 + 16
    assert files["three_public.csv"]["rows"] == 12
    for entry in built["files"]:
        path = downloads.current_dir() / entry["name"]
        assert path.stat().st_size == entry["bytes"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]


def test_lines_csv_has_fixed_ascii_headers_and_rebuilds_every_published_total(built):
    rows = read_csv(downloads.current_dir() / "lines.csv")
    assert list(rows[0]) == LINES.header

    def total(**where):
        amounts = [
            Decimal(row["amount"])
            for row in rows
            if row["amount"] and all(row[key] == value for key, value in where.items())
        ]
        return sum(amounts, Decimal(0))

    spending = {"direction": "expenditure", "breakdown": "functional"}
    assert total(stage="initial_budget", **spending) == Decimal("720.94")
    assert total(stage="final", **spending) == Decimal("732.00")
    assert total(stage="final", expenditure_type="project", **spending) == Decimal("337.12")
    assert total(stage="final", breakdown="economic", expense_class="personnel") == Decimal(
        "227.76"
    )
    assert total(stage="final", direction="income") == Decimal("732.00")
    assert total(stage="adjusted_budget") == Decimal("732.00")
    [row] = [r for r in rows if r["functional_code"] == "2080150" and r["stage"] == "final"
             and r["direction"] == "expenditure"]  # fmt: skip
    assert row["functional_level"] == "item"
    assert row["source"] == "2024年决算 公开03、公开05"
    blank = [r for r in rows if r["economic_code"] == "30202" and r["stage"] == "final"]
    assert blank[0]["amount"] == ""


def test_the_data_package_validates_against_every_file(built):
    report = frictionless.validate(downloads.current_dir() / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "type", "message"])[:5]
    package = json.loads((downloads.current_dir() / "datapackage.json").read_text("utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["model"]["measures"]["amount"] == {
        "source": "amount", "currency": "CNY", "factor": 10000, "unit": "万元"
    }  # fmt: skip
    lines = next(r for r in package["resources"] if r["name"] == "lines")
    types = {field["name"]: field["type"] for field in lines["schema"]["fields"]}
    assert types["functional_code"] == "string"
    assert types["amount"] == "number"
    assert lines["schema"]["fields"][1]["constraints"]["enum"] == [
        "initial_budget", "adjusted_budget", "final"
    ]  # fmt: skip


def test_a_wrong_type_in_a_file_fails_the_validation(built, tmp_path):
    copy = tmp_path / "package"
    shutil.copytree(downloads.current_dir(), copy)
    lines = copy / "lines.csv"
    lines.write_text(lines.read_text("utf-8-sig").replace("\n2024,", "\n二〇二四,", 1), "utf-8-sig")
    package = json.loads((copy / "datapackage.json").read_text("utf-8"))
    for resource in package["resources"]:
        resource.pop("hash")
        resource.pop("bytes")
    (copy / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), "utf-8")
    report = frictionless.validate(copy / "datapackage.json")
    assert not report.valid
    assert "type-error" in {error.type for task in report.tasks for error in task.errors}


def test_the_workbook_types_codes_as_text_and_amounts_as_numbers(built):
    workbook = openpyxl.load_workbook(downloads.current_dir() / "budget-data.xlsx")
    assert workbook.sheetnames == ["说明", *(dataset.name for dataset in DATASETS)]
    sheet = workbook["lines"]
    header = [cell.value for cell in sheet[2]]
    assert header == LINES.header
    code_column = header.index("functional_code") + 1
    amount_column = header.index("amount") + 1
    row = next(r for r in sheet.iter_rows(min_row=3) if r[code_column - 1].value == "2080150")
    assert row[code_column - 1].data_type == "s"
    assert row[code_column - 1].number_format == "@"
    assert isinstance(row[amount_column - 1].value, int | float)
    projects = workbook["projects"]
    assert any(cell.value == "42010022503T000000136" for cell in projects["E"])


def test_files_are_served_as_the_exact_bytes_built(client, built):
    for entry in built["files"]:
        response = client.get(f"/data/{entry['name']}")
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        assert hashlib.sha256(body).hexdigest() == entry["sha256"]
        assert response["X-Content-SHA256"] == entry["sha256"]
        assert f'filename="{entry["name"]}"' in response["Content-Disposition"]


def test_a_visit_never_builds_the_files(client, settings):
    assert downloads.manifest() is None
    html = client.get("/data/").content.decode()
    assert "下载文件尚未生成" in html
    assert client.get("/data/lines.csv").status_code == 404
    assert not (settings.DOWNLOADS_DIR / "current").exists()


def test_only_listed_files_are_served(client, built):
    assert client.get("/data/manifest.json").status_code == 404
    assert client.get("/data/..%2Fmanifest.json").status_code == 404


def test_drafts_are_left_out_of_the_files():
    finals = Publication.objects.filter(kind="final")
    finals.update(status="draft")
    # update() sends no signal: the open lines follow as they do after a change of status.
    open_lines.refresh(finals)
    manifest = downloads.build()
    lines = next(entry for entry in manifest["files"] if entry["name"] == "lines.csv")
    assert lines["rows"] == 39


def test_text_that_a_spreadsheet_would_run_is_neutralised_and_numbers_are_not(client):
    Unit.objects.filter(code="503033").update(name='=HYPERLINK("http://x","y")')
    Unit.objects.create(code="503034", name="-2+3", parent=Unit.objects.get(code="503"))
    open_lines.refresh_all()
    downloads.build()
    rows = read_csv(downloads.current_dir() / "lines.csv")
    assert {row["unit_name"] for row in rows} == {'\'=HYPERLINK("http://x","y")'}
    assert rows[0]["amount"] == "720.94"
    workbook = openpyxl.load_workbook(downloads.current_dir() / "budget-data.xlsx")
    cell = workbook["lines"]["E3"]
    assert cell.data_type == "s"  # text, never a formula
    response = client.get("/units/503034/")
    assert "-2+3" in response.content.decode()


def test_workbook_text_is_escaped_as_xlsxwriter_escapes_it(tmp_path):
    texts = [
        "A&B <c> 1>0",
        "  leading and trailing  ",
        "bell\x07 and null\x00",
        "Excel's own escape _x0041_ stays literal",
        "=SUM(A1:A2)",
        "二〇二四\n年",
        "x" * 40_000,
    ]
    book = Workbook(tmp_path / "mine.xlsx")
    columns = [
        Column("text", "string", "文字", "Text"),
        Column("amount", "number", "金额", "Amount", unit="万元"),
        Column("met", "boolean", "是否达成", "Met"),
    ]
    sheet = book.add_sheet("t", columns)
    for text in texts:
        sheet.append([text, Decimal("-1234.50"), False])
    book.close()
    reference = xlsxwriter.Workbook(str(tmp_path / "reference.xlsx"), {"constant_memory": True})
    other = reference.add_worksheet("t")
    for row, text in enumerate(texts, start=2):
        other.write_string(row, 0, text)
    reference.close()

    def cells(name, column):
        sheet = openpyxl.load_workbook(tmp_path / name)["t"]
        return [row[column] for row in sheet.iter_rows(min_row=3)]

    assert [c.value for c in cells("mine.xlsx", 0)] == [c.value for c in cells("reference.xlsx", 0)]
    assert cells("mine.xlsx", 0)[1].value == "  leading and trailing  "
    assert all(c.data_type == "s" for c in cells("mine.xlsx", 0))
    assert [c.value for c in cells("mine.xlsx", 1)] == [-1234.5] * len(texts)
    assert cells("mine.xlsx", 1)[0].number_format == "0.00"
    assert cells("mine.xlsx", 2)[0].value is False


def test_lines_above_what_a_sheet_holds_are_in_the_csv_and_the_workbook_says_so(monkeypatch):
    monkeypatch.setattr(workbook, "SHEET_ROWS", 100)
    monkeypatch.setattr(downloads, "SHEET_ROWS", 100)
    manifest = downloads.build()
    files = {entry["name"]: entry for entry in manifest["files"]}
    assert files["lines.csv"]["rows"] == 121
    assert "lines 共 121 行" in files["budget-data.xlsx"]["title"]
    book = openpyxl.load_workbook(downloads.current_dir() / "budget-data.xlsx")
    assert book.sheetnames == ["说明", *(dataset.name for dataset in DATASETS)]
    [[notice]] = book["lines"].iter_rows(values_only=True, max_col=1)
    assert "lines 共 121 行" in notice
    assert "lines.csv" in notice
    assert book["indicators"].max_row == 2 + 42


def test_the_workbook_holds_the_same_lines_as_lines_csv(built):
    rows = read_csv(downloads.current_dir() / "lines.csv")
    book = openpyxl.load_workbook(downloads.current_dir() / "budget-data.xlsx")
    sheet = list(book["lines"].iter_rows(min_row=3, values_only=True))
    assert len(sheet) == len(rows) == 121
    for csv_row, cells in zip(rows, sheet, strict=True):
        for (name, text), cell in zip(csv_row.items(), cells, strict=True):
            if name == "amount" and text:
                assert Decimal(str(cell)) == Decimal(text)
            elif name == "year":
                assert cell == int(text)
            else:
                assert csv_cell(cell) == text
