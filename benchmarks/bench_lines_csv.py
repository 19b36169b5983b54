"""lines.csv from the open lines: rows per second and memory of the process that streams it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_city \\
        .venv/bin/python benchmarks/bench_lines_csv.py [--python] [--year 2024] [--url URL]

Reads `budgets.open_lines.csv_chunks` over every open line (or one year's) in this process, the
way the browse CSV view streams it (the stored records on PostgreSQL; --python: Python's csv
module), throws the bytes away and prints rows/s, MB/s and the growth of the process's resident
memory (current and peak, from /proc). With --url it fetches that address instead (a running
gunicorn; give its worker's pid with --pid to read that worker's memory).
"""

import argparse
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


def memory(pid="self") -> dict:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024  # MB
    return fields


def in_process(year, python):
    import django

    django.setup()
    from budgets import open_lines
    from budgets.models import OpenLine

    lines = OpenLine.objects.all() if year is None else OpenLine.objects.filter(year=year)
    before = memory()
    started = time.perf_counter()
    size = rows = 0
    for chunk in open_lines.csv_chunks(lines, python=python):
        size += len(chunk)
        rows += chunk.count(b"\r\n")
    seconds = time.perf_counter() - started
    after = memory()
    rows -= 1  # the header
    path = "Python csv" if python else "PostgreSQL records"
    print(f"{path}: {rows:,} rows, {size / 1e6:.1f} MB in {seconds:.2f} s")
    print(f"  {rows / seconds:,.0f} rows/s, {size / 1e6 / seconds:.1f} MB/s")
    print(
        f"  RSS {before['VmRSS']:.0f} → {after['VmRSS']:.0f} MB "
        f"(growth {after['VmRSS'] - before['VmRSS']:+.1f} MB, "
        f"peak growth {after['VmHWM'] - before['VmRSS']:+.1f} MB)"
    )


def over_http(url, pid):
    import requests

    peak = {"rss": 0.0}
    done = threading.Event()

    def watch():
        while not done.is_set():
            peak["rss"] = max(peak["rss"], memory(pid)["VmRSS"])
            time.sleep(0.05)

    before = memory(pid)["VmRSS"] if pid else None
    if pid:
        threading.Thread(target=watch, daemon=True).start()
    started = time.perf_counter()
    size = rows = 0
    last = b""
    with requests.get(url, stream=True, timeout=60) as response:
        response.raise_for_status()
        for chunk in response.iter_content(1 << 16):
            size += len(chunk)
            rows += (last + chunk).count(b"\r\n")  # a CRLF may straddle two chunks
            last = chunk[-1:]
    seconds = time.perf_counter() - started
    done.set()
    rows -= 1
    print(f"GET {url}: {rows:,} rows, {size / 1e6:.1f} MB in {seconds:.2f} s")
    print(f"  {rows / seconds:,.0f} rows/s, {size / 1e6 / seconds:.1f} MB/s")
    if pid:
        print(f"  worker {pid} RSS {before:.0f} MB, peak {peak['rss']:.0f} MB "
              f"(growth {peak['rss'] - before:+.1f} MB)")  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--python", action="store_true", help="Python's csv module, not the stored records"
    )
    parser.add_argument("--year", type=int, help="only this year's lines")
    parser.add_argument("--url", help="fetch this address instead (a running server)")
    parser.add_argument("--pid", type=int, help="with --url: the worker whose memory to read")
    options = parser.parse_args()
    if options.url:
        over_http(options.url, options.pid)
    else:
        in_process(options.year, options.python)


if __name__ == "__main__":
    main()
