"""At scale: 200,000 generated facts are written to the downloads and streamed as CSV with
flat memory. Run once per CI run, on PostgreSQL (marker "scale"); speeds are measured in
benchmarks/, not here."""

import tracemalloc

import pytest
from django.db import connection

from budgets import downloads, open_lines
from budgets.models import Fact, Publication, Subject

pytestmark = [pytest.mark.django_db, pytest.mark.scale]
FACTS = 200_000
SUBJECTS = 10_000
FUND_SOURCES = [
    "general_budget", "government_fund", "state_capital", "special_account", "business",
    "operating", "superior_subsidy", "subordinate_remittance", "other", "unit_funds",
]  # fmt: skip
KINDS = ("basic", "project")
MEMORY_LIMIT = 30 * 1024 * 1024


@pytest.fixture
def many_facts():
    publication = Publication.objects.get(kind="final")
    subjects = Subject.objects.bulk_create(
        Subject(scheme="functional", year=2024, code=f"6{n:06d}", name=f"测试科目{n}")
        for n in range(SUBJECTS)
    )
    # One INSERT … SELECT: the database writes the 200,000 rows (one per subject, expenditure
    # type and fund source) without 200,000 model instances in this process, which took most
    # of this test's time and proved nothing; what is built and streamed below is the same.
    kinds = " UNION ALL ".join(f"SELECT '{k}' AS kind, {n} AS n" for n, k in enumerate(KINDS))
    sources = " UNION ALL ".join(
        f"SELECT '{f}' AS source, {n} AS n" for n, f in enumerate(FUND_SOURCES)
    )
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(Fact._meta.get_field(name).column)
        for name in (
            *("publication", "unit", "direction", "stage", "subject"),
            *("expenditure_type", "expense_class", "fund_source", "amount"),
        )
    )
    with connection.cursor() as cursor:
        # amount: (index % 99,999) / 100 万元, stored times 10⁴ (budgets.fields).
        cursor.execute(
            f"""INSERT INTO {quote(Fact._meta.db_table)} ({columns})
            SELECT %s, %s, 'expenditure', 'final', s.id, k.kind, '', f.source,
                   ((ROW_NUMBER() OVER (ORDER BY s.code, k.n, f.n) - 1) %% 99999) * 100
            FROM {quote(Subject._meta.db_table)} s
            CROSS JOIN ({kinds}) k CROSS JOIN ({sources}) f
            WHERE s.scheme = 'functional' AND s.year = 2024 AND s.code BETWEEN %s AND %s""",
            [publication.pk, publication.unit_id, subjects[0].code, subjects[-1].code],
        )
        assert cursor.rowcount == len(subjects) * len(KINDS) * len(FUND_SOURCES) == FACTS
    assert Fact.objects.count() >= FACTS
    # The INSERT sends no signal: the open lines follow as after a load (refresh_open_lines).
    open_lines.refresh_all()
    return Fact.objects.filter(publication__status="published").count()


def peak_memory(run):
    tracemalloc.start()
    try:
        result = run()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_200000_facts_are_built_and_streamed_with_flat_memory(client, many_facts):
    manifest, peak = peak_memory(downloads.build)
    lines = next(entry for entry in manifest["files"] if entry["name"] == "lines.csv")
    assert lines["rows"] == many_facts
    with (downloads.current_dir() / "lines.csv").open(encoding="utf-8-sig") as stream:
        assert sum(1 for _ in stream) == many_facts + 1
    assert peak < MEMORY_LIMIT, f"building: peak {peak / 2**20:.1f} MiB"

    def stream():
        response = client.get("/data/browse.csv")
        return sum(chunk.count(b"\n") for chunk in response.streaming_content)

    streamed, peak = peak_memory(stream)
    assert streamed == many_facts + 1
    assert peak < MEMORY_LIMIT, f"streaming: peak {peak / 2**20:.1f} MiB"
