"""Milliseconds of one search (budgets.search.search: every kind, its fixed queries) on a
generated city, with the trigram indexes of migration 0014 and without them (plain ILIKE).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_h_search \\
        .venv/bin/python benchmarks/bench_search.py [--repeat 7]

Needs the migrations and a generated city (generate_city) in that database. The indexes are
dropped inside a transaction that is rolled back, so the database is left as it was. Prints a
Markdown table: median ms of each query per mode, and each kind's share of the time.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from budgets import search  # noqa: E402

QUERIES = [
    "事业运行",
    "2080150",
    "20801",
    "运行",
    "人力资源和社会保障",
    "满意度",
    "示例",
    "服务 经费",
    "没有这个词语",
]


def timed(query: str, repeat: int) -> tuple[float, dict]:
    totals, kinds = [], {name: [] for name in search.FINDERS}
    found = search.words(query)
    for _ in range(repeat):
        start = time.perf_counter()
        for name, finder in search.FINDERS.items():
            begin = time.perf_counter()
            finder(found, search.LIMIT)
            kinds[name].append(time.perf_counter() - begin)
        totals.append(time.perf_counter() - start)
    return statistics.median(totals) * 1000, {
        name: statistics.median(times) * 1000 for name, times in kinds.items()
    }


def trigram_indexes() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
        return [row[0] for row in cursor.fetchall()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM budgets_fact), (SELECT count(*) FROM budgets_unit),"
            " (SELECT count(*) FROM budgets_indicatortarget)"
            " + (SELECT count(*) FROM budgets_evaluationitem),"
            " (SELECT count(*) FROM budgets_explanation), (SELECT count(*) FROM budgets_project)"
        )
        facts, units, indicators, texts, projects = cursor.fetchone()
    print(
        f"{facts:,} facts, {units:,} units, {projects:,} projects, {indicators:,} indicators, "
        f"{texts:,} texts; median of {args.repeat}\n"
    )
    results = {}
    for query in QUERIES:  # warm the caches
        timed(query, 1)
    for query in QUERIES:
        results[query] = {"trigram": timed(query, args.repeat)}
    with transaction.atomic():
        names = trigram_indexes()
        with connection.cursor() as cursor:
            for name in names:
                cursor.execute(f"DROP INDEX {name}")
        for query in QUERIES:
            results[query]["ilike"] = timed(query, args.repeat)
        transaction.set_rollback(True)
    print(f"| query | trigram indexes ({len(names)}) | plain ILIKE | slowest kind (trigram) |")
    print("| --- | --- | --- | --- |")
    for query, modes in results.items():
        total, kinds = modes["trigram"]
        slowest = max(kinds, key=kinds.get)
        print(
            f"| {query} | {total:.1f} ms | {modes['ilike'][0]:.1f} ms "
            f"| {slowest} {kinds[slowest]:.1f} ms |"
        )


if __name__ == "__main__":
    main()
