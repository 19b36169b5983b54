"""Speed of the bulk downloads and of the streamed CSV at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \
        .venv/bin/python benchmarks/bench_downloads.py [--facts 200000]

Uses (and fills, on first run) the database named by DATABASE_URL: never point it at real data.
Prints rows per second for each step; results go in benchmarks/README.md.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("PORTAL_DOWNLOADS_DIR", tempfile.mkdtemp(prefix="bench-downloads-"))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from budgets import datasets, downloads  # noqa: E402
from budgets.models import Fact, Publication, Subject  # noqa: E402

FUND_SOURCES = [
    "general_budget", "government_fund", "state_capital", "special_account", "business",
    "operating", "superior_subsidy", "subordinate_remittance", "other", "unit_funds",
]  # fmt: skip


def prepare(facts: int) -> int:
    call_command("migrate", verbosity=0)
    call_command("load_publications", verbosity=0)
    existing = Fact.objects.count()
    if existing >= facts:
        return existing
    publication = Publication.objects.get(kind="final")
    per_subject = 2 * len(FUND_SOURCES)
    count = facts // per_subject
    subjects = Subject.objects.bulk_create(
        Subject(scheme="functional", year=2024, code=f"6{n:06d}", name=f"测试科目{n}")
        for n in range(count)
    )
    Fact.objects.bulk_create(
        (
            Fact(publication=publication, unit=publication.unit, direction="expenditure",
                 stage="final", subject=s, expenditure_type=k, fund_source=f, amount="12.34")
            for s in subjects for k in ("basic", "project") for f in FUND_SOURCES
        ),
        batch_size=10_000,
    )  # fmt: skip
    return Fact.objects.count()


def timed(label, run, rows):
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    print(f"{label}: {rows} rows in {seconds:.1f} s, {rows / seconds:,.0f} rows/s")
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--facts", type=int, default=200_000)
    facts = prepare(parser.parse_args().facts)
    print(f"database: {django.db.connection.vendor}, facts: {facts}")
    timed("line rows (read only)", lambda: sum(1 for _ in datasets.line_rows()), facts)
    target = Path(tempfile.mkdtemp()) / "lines.csv"
    timed("lines.csv", lambda: downloads.write_csv(target, datasets.LINES.header,
                                                   datasets.line_rows()), facts)  # fmt: skip
    timed("budget-data.xlsx", lambda: downloads.write_workbook(target.with_suffix(".xlsx")), facts)
    timed("whole build", downloads.build, facts)
    client = Client(HTTP_HOST="127.0.0.1")
    timed(
        "GET /data/browse.csv",
        lambda: sum(c.count(b"\n") for c in client.get("/data/browse.csv").streaming_content),
        facts,
    )


if __name__ == "__main__":
    main()
