"""Time and memory of reading (or refusing) hostile and ordinary uploads.

    .venv/bin/python benchmarks/bench_upload_bounds.py

Each file is read in a fresh process by budgets.imports.sheets.read_upload, as the admin's
import view does: the table gives the file's size, the answer, the time to it, the peak of
Python allocations (tracemalloc) and the process's peak resident memory, which includes
Python, Django and the app loaded (about 80 MB before the file is touched).
"""

import io
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = {
    "declared": "XLSX declaring A1:XFD1048576, with a cell at XFD1048576",
    "cells": "XLSX of 8,192,000 cells (500 rows of 16,384)",
    "wide": "XLSX whose one sheet part holds a row of 900,000 cells (3.6 MB unpacked)",
    "rows": "XLSX of 150,000 one-cell rows declaring A1:A1 (3.8 MB unpacked)",
    "bomb": "XLSX whose shared strings unpack to 1 GB",
    "csv3mb": "CSV of 10^6 lines (3 MB)",
    "csv_lines": "CSV of 10^6 lines (1.9 MB, under the size bound)",
    "template": "the filled 2024 final-accounts template (accepted)",
}


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()


def _workbook(sheet_xml_chunks, extra=None) -> bytes:
    """A one-sheet XLSX (taken from openpyxl's output) whose sheet part is the given chunks."""
    from openpyxl import Workbook

    plain = io.BytesIO()
    Workbook().save(plain)
    source = zipfile.ZipFile(plain)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with target.open(info.filename, "w", force_zip64=True) as part:
                    for chunk in sheet_xml_chunks:
                        part.write(chunk)
            else:
                target.writestr(info.filename, source.read(info.filename))
        for name, chunks in (extra or {}).items():
            with target.open(name, "w", force_zip64=True) as part:
                for chunk in chunks:
                    part.write(chunk)
    return output.getvalue()


HEAD = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<dimension ref="{ref}"/><sheetData>'
)
TAIL = b"</sheetData></worksheet>"


def build(case: str) -> tuple[str, bytes]:
    if case == "declared":
        cells = b'<row r="1"><c r="A1" t="n"><v>1</v></c></row>'
        cells += b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'
        return "表3.xlsx", _workbook([HEAD.replace(b"{ref}", b"A1:XFD1048576"), cells, TAIL])
    if case == "cells":
        row = b"".join(b"<c/>" for _ in range(16384))
        rows = (b'<row r="%d">' % n + row + b"</row>" for n in range(1, 501))
        return "表3.xlsx", _workbook([HEAD.replace(b"{ref}", b"A1:XFD500"), *rows, TAIL])
    if case == "wide":
        row = b'<row r="1">' + b"<c/>" * 900_000 + b"</row>"
        return "表3.xlsx", _workbook([HEAD.replace(b"{ref}", b"A1:A1"), row, TAIL])
    if case == "rows":
        rows = (b"<row><c><v>1</v></c></row>" for _ in range(150_000))
        return "表3.xlsx", _workbook([HEAD.replace(b"{ref}", b"A1:A1"), *rows, TAIL])
    if case == "bomb":
        strings = (b"<si><t>" + b"0" * (1024 * 1024) + b"</t></si>" for _ in range(1024))
        return "表3.xlsx", _workbook(
            [HEAD.replace(b"{ref}", b"A1:A1"), TAIL], {"xl/sharedStrings.xml": strings}
        )
    if case == "csv3mb":
        return "表3.csv", b"1,2\n" * 750_000 + b"x\n" * 250_000
    if case == "csv_lines":
        return "表3.csv", b"1\n" * 1_000_000
    if case == "template":
        from budgets.imports import sheets
        from fixtures.transcription import final_2024
        from tests.imports.files import filled_from, indicator_sheets_from, layouts_of

        layouts = layouts_of(final_2024)
        extra = indicator_sheets_from(final_2024, layouts)
        return "决算.xlsx", sheets.write_workbook(layouts, filled_from(final_2024, layouts), extra)
    raise SystemExit(f"unknown case {case}")


def run_one(case: str) -> None:
    setup_django()
    from budgets.imports import sheets

    name, data = build(case)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    try:
        read = sheets.read_upload(name, data)
        answer = f"read: {len(read)} sheets"
    except sheets.UploadError as error:
        answer = "refused: " + error.messages[0][:60]
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "size": len(data),
                "answer": answer,
                "seconds": round(elapsed, 3),
                "python_peak_mb": round(peak / 2**20, 1),
                "rss_before_mb": round(before / 1024, 1),
                "rss_peak_mb": round(rss / 1024, 1),
            },
            ensure_ascii=False,
        )
    )


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        run_one(sys.argv[2])
        return
    print("| file | size | answer | time | Python peak | RSS peak (before) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for case, title in CASES.items():
        done = subprocess.run(
            [sys.executable, __file__, "--case", case], capture_output=True, text=True, check=True
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"| {title} | {result['size'] / 1024:.1f} KB | {result['answer']} "
            f"| {result['seconds'] * 1000:.0f} ms | {result['python_peak_mb']} MB "
            f"| {result['rss_peak_mb']} MB ({result['rss_before_mb']} MB) |"
        )


if __name__ == "__main__":
    main()
