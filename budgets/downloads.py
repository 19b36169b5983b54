"""Bulk downloads: every dataset as CSV, all of them as one XLSX workbook, and a Frictionless
Data Package descriptor, built when data changes and served as those exact bytes.

A build writes into a new directory and then points the `current` link at it, so that a
visitor never sees half a build. Each dataset is read once, in chunks: its CSV and its sheet of
the workbook are written from the same rows as they arrive, so memory stays flat. lines.csv is
written from the open lines (budgets.open_lines); a workbook sheet holds at most 1,048,575 rows
(Excel's limit), so above that the lines sheet says so and points to lines.csv.

Builds run in the background (budgets.tasks), never in a request.
"""

import csv
import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

from budgets import changelog, open_lines, sqlite_export
from budgets.datasets import CHUNK, DATASETS, LINES, ROWS
from budgets.exports import csv_cell
from budgets.models import OpenLine, Publication
from budgets.workbook import HEADER_ROWS, SHEET_ROWS, Workbook

MANIFEST = "manifest.json"
DESCRIPTOR = "datapackage.json"
WORKBOOK = "budget-data.xlsx"
CURRENT = "current"
BUILDS = "builds"
# A build's directory name (and id, at /data/builds/<id>/): the UTC time it started.
BUILD_ID = r"[0-9]{8}T[0-9]{12}Z"
# How often a build reports its progress (rows of one file).
PROGRESS_ROWS = 10_000
WORKBOOK_TITLE = "全部数据（Excel 工作簿，每个数据集一张表）"
LINES_LEFT_OUT = (
    "lines 共 {rows} 行，超过 Excel 一张工作表的上限（{limit} 行），因此本工作簿不含逐条明细；"
    "请下载 lines.csv（全部 {rows} 行）。 / lines has {rows} rows, more than an Excel sheet "
    "holds ({limit}): this workbook leaves them out; download lines.csv for all of them."
)
DATASET_CUT = "；{name} 共 {rows} 行，工作表只容得下前 {kept} 行，全部见 {name}.csv"
DATABASE_TITLE = "全部数据（SQLite 数据库，可用 Datasette、DB Browser for SQLite 打开）"
UNITS = (
    "金额单位为万元，两位小数；空白表示公开文件中该处为空（未公开），不是 0。"
    "比率为百分点（%）；其他数字的计量单位见 unit_of_measure、target_unit 等列（人、个、分……）。"
)
CITE = "预算与决算公开数据，{day} 版，CC BY 4.0；数据整理自各预算单位公开的预算、决算文件。"
WORKBOOK_HEADERS = (
    "每张数据表第 1 行为中文列名（金额列注明万元），第 2 行为与 CSV 文件相同的英文列名，"
    "其下每行一条数据；用程序读取时以第 2 行为表头（如 pandas.read_excel(header=1)）。"
)
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


def _quiet(file: str, rows: int) -> None:
    pass


def write_dataset(dataset, path: Path, sheet, progress=_quiet) -> int:
    """The dataset's CSV at `path` and the same rows into its workbook sheet, in one read.
    Returns the number of rows."""
    count = 0
    progress(path.name, count)
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(dataset.header)
        for row in ROWS[dataset.name]():
            writer.writerow([data_cell(cell) for cell in row])
            # Past what a sheet holds the rows go on into the CSV; the workbook says so.
            if not sheet.full:
                sheet.append(row)
            count += 1
            if count % PROGRESS_ROWS == 0:
                progress(path.name, count)
    return count


def write_lines(path: Path, workbook: Workbook, progress=_quiet) -> tuple[int, bool]:
    """lines.csv from the open lines, then their sheet of the workbook, or a sheet that says why
    it has none (more rows than a sheet holds: never a silently cut sheet). Returns the number
    of rows and whether the workbook holds them."""
    progress(path.name, 0)
    rows = open_lines.write_csv(path)
    progress(path.name, rows)
    capacity = SHEET_ROWS - HEADER_ROWS
    if rows > capacity:
        sheet = workbook.add_sheet(LINES.name, None)
        sheet.note(LINES_LEFT_OUT.format(rows=rows, limit=capacity))
        return rows, False
    sheet = workbook.add_sheet(LINES.name, LINES.columns)
    lines = OpenLine.objects.order_by("pk").values_list(*open_lines.CSV_FIELDS)
    # A publication published since lines.csv was written is in the next build (queued by that
    # publish), and never makes the sheet run past its limit.
    for count, row in enumerate(lines[:capacity].iterator(chunk_size=CHUNK), start=1):
        sheet.append(row)
        if count % PROGRESS_ROWS == 0:
            progress(f"{WORKBOOK}: {LINES.name}", count)
    return rows, True


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
    date where the title does not say them), with the address it was published at and the
    portal's archived copy of its text where they are known; example units' data is not a
    source."""
    sources = []
    publications = (
        Publication.objects.published()
        .filter(unit__is_example=False)
        .select_related("unit", "source")
        .defer("source__text")
        .order_by("year", "unit__code", "kind")
    )
    for publication in publications:
        details = [publication.unit.name] if publication.unit.name not in publication.title else []
        if publication.published_on:
            day = publication.published_on
            details.append(f"{day.year}年{day.month}月{day.day}日")
        title = publication.title + (f"（{'，'.join(details)}）" if details else "")
        entry = {"title": title}
        original = getattr(publication, "source", None)
        if original is not None:
            if original.address:
                entry["path"] = original.address
            entry["archived_copy"] = original.get_absolute_url()
        sources.append(entry)
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


def about(built_at: str) -> dict:
    """What the workbook's 说明 sheet and portal.sqlite's _about table say of the data."""
    return {
        "title": "预算与决算公开数据 · Open budget and final-account data",
        "source": "；".join(source["title"] for source in publication_sources()),
        "licence": f"{LICENSE['name']}（{LICENSE['title']}，{LICENSE['path']}）",
        "units": UNITS,
        "built_at": built_at,
        "cite": CITE.format(day=built_at[:10]),
        "attribution": ATTRIBUTION,
    }


def readme(built_at: str, files: dict) -> list[tuple[str, str]]:
    """The rows of the workbook's 说明 sheet: what it is, then one line per sheet."""
    facts = about(built_at)
    rows = [
        ("标题", facts["title"]),
        ("来源", facts["source"] or "（尚无已公开的公开文件）"),
        ("许可", f"{facts['licence']}。{ATTRIBUTION}"),
        ("计量单位", facts["units"]),
        ("生成时间", f"{built_at}（UTC）"),
        ("引用方式", facts["cite"]),
        ("表头", WORKBOOK_HEADERS),
        ("其他格式", f"每张表另有同名 CSV 文件；全部表格也在 {sqlite_export.FILENAME} 中。"),
    ]
    for dataset in DATASETS:
        rows_of = files[dataset.filename]["rows"]
        rows.append(
            (
                dataset.name,
                f"{dataset.title_zh}（{dataset.title_en}），{rows_of} 行。{dataset.description_zh}",
            )
        )
    return rows


def _describe(path: Path, rows: int | None, media_type: str, title: str) -> dict:
    return {
        "name": path.name,
        "title": title,
        "rows": rows,
        "bytes": path.stat().st_size,
        "sha256": sha256(path),
        "media_type": media_type,
    }


def build(now: datetime | None = None, progress=_quiet) -> dict:
    """Write every file into a new build directory and make it the current one; a build that
    fails leaves the current one in place and nothing of its own. `progress(file, rows)` is
    told which file is being written and how many rows it has so far."""
    built_at = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    root = downloads_dir()
    builds = root / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    target = builds / datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target.mkdir()
    try:
        with _reading_whole_tables():
            manifest = _write_files(target, built_at, progress)
        manifest = _add_changes(target, manifest, progress)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    _switch(root, target)
    return manifest


def _add_changes(target: Path, manifest: dict, progress) -> dict:
    """The changelog against the current build (the one this build replaces), written into
    the build and listed in its manifest, which also gets the build's id."""
    previous = current_dir()
    previous_manifest = _read_manifest(previous) if previous else None
    progress(changelog.CHANGES_CSV, 0)
    datasets = [
        entry["name"][: -len(".csv")]
        for entry in manifest["files"]
        if entry["name"].endswith(".csv") and entry["rows"] is not None
    ]
    changes = changelog.write(
        target,
        previous,
        previous_manifest.get("id", previous.name) if previous_manifest else None,
        datasets,
    )
    rows = sum(
        counts[change]
        for counts in changes["datasets"].values()
        if counts is not None
        for change in changelog.COMPARISONS
    )
    manifest["files"].append(
        _describe(
            target / changelog.CHANGES_JSON,
            None,
            "application/json",
            "与上一次生成相比的变化（按数据集统计） · Changes since the previous build",
        )
    )
    manifest["files"].append(
        _describe(
            target / changelog.CHANGES_CSV,
            rows,
            "text/csv; charset=utf-8",
            "与上一次生成相比新增、删除、更正的行 · Rows added, removed, changed",
        )
    )
    manifest = {"id": target.name, **manifest}
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")
    return manifest


@contextmanager
def _reading_whole_tables():
    """PostgreSQL plans a cursor for its first tenth of rows (cursor_tuple_fraction 0.1): with
    statistics that lag a bulk load, that chose a nested loop that read projects.csv's 22,000
    rows in 13 s instead of 0.2 s. A build reads every row of each cursor: plan for all."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET cursor_tuple_fraction = 1.0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET cursor_tuple_fraction")


def _write_files(target: Path, built_at: str, progress) -> dict:
    files = {}
    workbook = Workbook(target / WORKBOOK)
    workbook_title = WORKBOOK_TITLE
    for dataset in DATASETS:
        path = target / dataset.filename
        if dataset is LINES:
            rows, in_workbook = write_lines(path, workbook, progress)
            if not in_workbook:
                workbook_title += f"；lines 共 {rows} 行，超过一张工作表的上限，只在 lines.csv 中"
        else:
            sheet = workbook.add_sheet(dataset.name, dataset.columns)
            rows = write_dataset(dataset, path, sheet, progress)
            if sheet.data_rows < rows:
                workbook_title += DATASET_CUT.format(
                    name=dataset.name, rows=rows, kept=sheet.data_rows
                )
        progress(path.name, rows)
        title = f"{dataset.title_zh}（{dataset.title_en}）"
        files[path.name] = _describe(path, rows, "text/csv; charset=utf-8", title)
    progress(sqlite_export.FILENAME, 0)
    database = target / sqlite_export.FILENAME
    tables = sqlite_export.write(database, DATASETS, target, about(built_at))
    files[database.name] = _describe(
        database, sum(tables.values()), "application/vnd.sqlite3", DATABASE_TITLE
    )
    progress(WORKBOOK, 0)
    workbook.readme(readme(built_at, files))
    workbook.close()
    files[WORKBOOK] = _describe(
        target / WORKBOOK,
        None,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        workbook_title,
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
    return manifest


def _switch(root: Path, target: Path) -> None:
    link = root / CURRENT
    staging = root / f".{CURRENT}-{target.name}"
    staging.symlink_to(target.relative_to(root))
    os.replace(staging, link)
    prune(root, keep=settings.DOWNLOADS_KEEP_BUILDS)


def prune(root: Path, keep: int) -> None:
    """Keep the newest `keep` builds (at least the current one), deleting the oldest: each is
    a full copy of the data. A visitor downloading a deleted build finishes (the file stays
    open); its address then answers 404."""
    current = current_dir()
    kept = 0
    for build in sorted((root / BUILDS).iterdir(), reverse=True):
        if build == current or kept < max(keep, 1):
            kept += 1
            continue
        shutil.rmtree(build, ignore_errors=True)


def _read_manifest(directory: Path) -> dict | None:
    try:
        listed = json.loads((directory / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    listed.setdefault("id", directory.name)
    return listed


def manifest() -> dict | None:
    """The current build's manifest, or None before the first build."""
    current = current_dir()
    return _read_manifest(current) if current is not None else None


def build_dir(build_id: str) -> Path | None:
    """The directory of the kept build `build_id` (a name shaped like BUILD_ID), or None."""
    directory = downloads_dir() / BUILDS / build_id
    if "/" in build_id or build_id.startswith(".") or not (directory / MANIFEST).exists():
        return None
    return directory


def build_manifest(build_id: str) -> dict | None:
    directory = build_dir(build_id)
    return _read_manifest(directory) if directory is not None else None


def kept_builds() -> list[dict]:
    """The manifests of the builds on disk, newest first, each with its changes.json (None
    where the build has none) and whether it is the current one."""
    folder = downloads_dir() / BUILDS
    if not folder.is_dir():
        return []
    current = current_dir()
    found = []
    for directory in sorted(folder.iterdir(), reverse=True):
        listed = _read_manifest(directory) if directory.is_dir() else None
        if listed is None:
            continue  # a build being written, or not a build
        try:
            changes = json.loads((directory / changelog.CHANGES_JSON).read_text("utf-8"))
        except (OSError, ValueError):
            changes = None
        found.append({**listed, "changes": changes, "current": directory == current})
    return found


def file_path(name: str) -> Path | None:
    """The path of a file of the current build, only for names the manifest lists."""
    found = built_file(name)
    return found[0] if found else None


def built_file(name: str, build_id: str | None = None) -> tuple[Path, dict, dict] | None:
    """(path, its manifest entry, the manifest) of a file of the build `build_id` (the current
    one when None), only for names its manifest lists and files that exist."""
    if build_id is None:
        directory = current_dir()
        listed = manifest()
    else:
        directory = build_dir(build_id)
        listed = build_manifest(build_id)
    if listed is None:
        return None
    entry = next((e for e in listed["files"] if e["name"] == name), None)
    if entry is None or not (directory / name).exists():
        return None
    return directory / name, entry, listed
