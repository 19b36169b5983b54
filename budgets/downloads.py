"""Bulk downloads: every dataset as CSV, all of them as one XLSX workbook, and a Frictionless
Data Package descriptor, built when data changes and served as those exact bytes.

A build writes into a new directory (rows go to disk as they are read, so memory stays flat)
and then points the `current` link at it, so that a visitor never sees half a build.
"""

import csv
import hashlib
import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import xlsxwriter
from django.conf import settings

from budgets.datasets import DATASETS, ROWS
from budgets.exports import csv_cell
from budgets.models import Publication

MANIFEST = "manifest.json"
DESCRIPTOR = "datapackage.json"
WORKBOOK = "budget-data.xlsx"
CURRENT = "current"
KEEP_BUILDS = 2
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
ATTRIBUTION = (
    "数据整理自各预算单位依法公开的单位预算、单位决算文件（见“来源”），"
    "使用时请注明原公开单位及公开文件。Compiled from the budgets and final accounts published by "
    "each budget unit; credit the publishing unit and its original publications."
)


def downloads_dir() -> Path:
    return Path(settings.DOWNLOADS_DIR)


def current_dir() -> Path | None:
    link = downloads_dir() / CURRENT
    return link.resolve() if link.exists() else None


def data_cell(value) -> str:
    """A cell of a data file: booleans as true/false, the rest as in every CSV of the site."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return csv_cell(value)


def write_csv(path: Path, header: list[str], rows) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        for row in rows:
            writer.writerow([data_cell(cell) for cell in row])
            count += 1
    return count


def write_workbook(path: Path) -> None:
    """Every dataset as a sheet, written row by row (XlsxWriter's constant-memory mode). Text
    columns are text (codes keep their digits; a cell is never read as a formula), amounts are
    numbers shown with two places."""
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    formats = {
        "string": workbook.add_format({"num_format": "@"}),
        "number": workbook.add_format({"num_format": "0.00"}),
    }
    header = workbook.add_format({"bold": True, "num_format": "@"})
    for dataset in DATASETS:
        sheet = workbook.add_worksheet(dataset.name)
        kinds = [column.type for column in dataset.columns]
        for index, kind in enumerate(kinds):
            if kind in formats:
                sheet.set_column(index, index, None, formats[kind])
        sheet.write_row(0, 0, dataset.header, header)
        for number, row in enumerate(ROWS[dataset.name](), start=1):
            for index, (value, kind) in enumerate(zip(row, kinds, strict=True)):
                if value is None or value == "":
                    continue
                if kind == "string":
                    sheet.write_string(number, index, str(value), formats["string"])
                elif kind == "number":
                    sheet.write_number(number, index, value, formats["number"])
                elif kind == "boolean":
                    sheet.write_boolean(number, index, value)
                else:
                    sheet.write_number(number, index, value)
    workbook.close()


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def field_descriptor(column) -> dict:
    field = {
        "name": column.name,
        "type": column.type,
        "title": column.zh.split("：")[0].split("，")[0],
        "description": f"{column.zh} / {column.en}",
    }
    if column.values:
        field["constraints"] = {"enum": list(column.values)}
    if column.type == "boolean":
        field["trueValues"] = ["true"]
        field["falseValues"] = ["false"]
    if column.unit:
        field["unit"] = column.unit
    return field


def publication_sources() -> list[dict]:
    """The published publications the data comes from, each by its own title (and unit and
    date where the title does not say them); example units' data is not a source."""
    sources = []
    publications = (
        Publication.objects.published()
        .filter(unit__is_example=False)
        .select_related("unit")
        .order_by("year", "unit__code", "kind")
    )
    for publication in publications:
        details = [publication.unit.name] if publication.unit.name not in publication.title else []
        if publication.published_on:
            day = publication.published_on
            details.append(f"{day.year}年{day.month}月{day.day}日")
        title = publication.title + (f"（{'，'.join(details)}）" if details else "")
        sources.append({"title": title})
    return sources


def descriptor(files: dict, built_at: str) -> dict:
    """A Frictionless Data Package in the style of a Fiscal Data Package: amounts are in 万元
    (factor 10000 to yuan, currency CNY) by stage."""
    return {
        "profile": "data-package",
        "name": "open-budget-portal",
        "title": "预算与决算公开数据 · Open budget and final-account data",
        "description": (
            "各预算单位公开的单位预算和单位决算中的每一个数字，按阶段（年初预算、调整预算、决算）。"
            "金额单位为万元，空白表示公开文件中该处为空，不等于 0。"
        ),
        "version": built_at[:10],
        "created": built_at,
        "licenses": [LICENSE],
        "x-attribution": ATTRIBUTION,
        "sources": publication_sources(),
        "model": {
            "measures": {
                "amount": {"source": "amount", "currency": "CNY", "factor": 10000, "unit": "万元"}
            },
            "dimensions": {
                "date": {"attributes": {"year": {"source": "year"}}, "dimensionType": "datetime"},
                "stage": {
                    "attributes": {"stage": {"source": "stage"}},
                    "dimensionType": "classification",
                },
                "functional-classification": {
                    "attributes": {"code": {"source": "functional_code"}},
                    "dimensionType": "classification",
                    "classificationType": "functional",
                },
                "economic-classification": {
                    "attributes": {"code": {"source": "economic_code"}},
                    "dimensionType": "classification",
                    "classificationType": "economic",
                },
                "administrative-classification": {
                    "attributes": {"code": {"source": "unit_code"}},
                    "dimensionType": "classification",
                    "classificationType": "administrative",
                },
            },
        },
        "resources": [
            {
                "name": dataset.name,
                "title": f"{dataset.title_zh} · {dataset.title_en}",
                "description": dataset.description_zh,
                "path": dataset.filename,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "bytes": files[dataset.filename]["bytes"],
                "hash": f"sha256:{files[dataset.filename]['sha256']}",
                "schema": {
                    "fields": [field_descriptor(column) for column in dataset.columns],
                    "missingValues": [""],
                },
            }
            for dataset in DATASETS
        ],
    }


def _describe(path: Path, rows: int | None, media_type: str, title: str) -> dict:
    return {
        "name": path.name,
        "title": title,
        "rows": rows,
        "bytes": path.stat().st_size,
        "sha256": sha256(path),
        "media_type": media_type,
    }


def build(now: datetime | None = None) -> dict:
    """Write every file into a new build directory and make it the current one."""
    built_at = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    root = downloads_dir()
    builds = root / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    target = builds / datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target.mkdir()
    files = {}
    for dataset in DATASETS:
        path = target / dataset.filename
        rows = write_csv(path, dataset.header, ROWS[dataset.name]())
        title = f"{dataset.title_zh}（{dataset.title_en}）"
        files[path.name] = _describe(path, rows, "text/csv; charset=utf-8", title)
    workbook = target / WORKBOOK
    write_workbook(workbook)
    files[WORKBOOK] = _describe(
        workbook,
        None,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "全部数据（Excel 工作簿，每个数据集一张表）",
    )
    package = target / DESCRIPTOR
    package.write_text(
        json.dumps(descriptor(files, built_at), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    files[DESCRIPTOR] = _describe(
        package, None, "application/json", "数据包描述（Frictionless Data Package）"
    )
    manifest = {"built_at": built_at, "files": list(files.values())}
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")
    _switch(root, target)
    return manifest


def _switch(root: Path, target: Path) -> None:
    link = root / CURRENT
    staging = root / f".{CURRENT}-{target.name}"
    staging.symlink_to(target.relative_to(root))
    os.replace(staging, link)
    for old in sorted((root / "builds").iterdir())[:-KEEP_BUILDS]:
        shutil.rmtree(old, ignore_errors=True)


def manifest() -> dict | None:
    """The current build's manifest, or None before the first build."""
    current = current_dir()
    if current is None or not (current / MANIFEST).exists():
        return None
    return json.loads((current / MANIFEST).read_text("utf-8"))


def file_path(name: str) -> Path | None:
    """The path of a file of the current build, only for names the manifest lists."""
    listed = manifest()
    if listed is None or name not in {entry["name"] for entry in listed["files"]}:
        return None
    return current_dir() / name
