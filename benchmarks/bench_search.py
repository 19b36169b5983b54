"""Milliseconds of one search (budgets.search.search: every kind, its fixed queries) on a
generated city, with the trigram indexes of migration 0014 and without them (plain ILIKE).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_h_search \\
        .venv/bin/python benchmarks/bench_search.py [--repeat 7]

Needs the migrations and a generated city (generate_city) in that database. "Without the
indexes" runs in a transaction that dropped them and is rolled back (the database is left as it
was); the two modes take turns, so that both meet the same load. Prints a Markdown table: the
best of N runs in ms (the machine is shared) of each query, in all and by kind.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

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


def once(query: str) -> dict:
    """Seconds of each kind's queries for one search, and in all."""
    found = search.words(query)
    times = {}
    for name, finder in search.FINDERS.items():
        begin = time.perf_counter()
        finder(found, search.LIMIT)
        times[name] = time.perf_counter() - begin
    times["total"] = sum(times.values())
    return times


def without_indexes(query: str, names: list[str]) -> dict:
    """One search in a transaction that has dropped the indexes (a catalogue change, undone
    by the rollback), so that both modes are measured turn about under the same load."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            for name in names:
                cursor.execute(f"DROP INDEX {name}")
        times = once(query)
        transaction.set_rollback(True)
    return times


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
        f"{texts:,} texts; best of {args.repeat}\n"
    )
    names = trigram_indexes()
    runs = {query: {"trigram": [], "ilike": []} for query in QUERIES}
    for query in QUERIES:  # warm the caches
        once(query)
    for _ in range(args.repeat):
        for query in QUERIES:
            runs[query]["trigram"].append(once(query))
            runs[query]["ilike"].append(without_indexes(query, names))
    results = {
        query: {
            mode: (
                min(t["total"] for t in times) * 1000,
                {kind: min(t[kind] for t in times) * 1000 for kind in search.FINDERS},
            )
            for mode, times in modes.items()
        }
        for query, modes in runs.items()
    }
    kinds = list(search.FINDERS)
    print(f"| query | indexes | total | {' | '.join(kinds)} |")
    print(f"| --- | --- | --- | {' | '.join('---' for _ in kinds)} |")
    for query, modes in results.items():
        for mode, label in (("trigram", f"trigram ({len(names)})"), ("ilike", "none (ILIKE)")):
            total, by_kind = modes[mode]
            cells = " | ".join(f"{by_kind[kind]:.1f}" for kind in kinds)
            print(f"| {query} | {label} | {total:.1f} | {cells} |")


if __name__ == "__main__":
    main()
