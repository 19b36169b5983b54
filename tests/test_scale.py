"""At scale: 200,000 generated facts are written to the downloads and streamed as CSV with
flat memory. Run once per CI run, on PostgreSQL (marker "scale"); speeds are measured in
benchmarks/, not here."""

import tracemalloc

import pytest

from budgets import downloads, open_lines
from budgets.models import Fact, Publication, Subject

pytestmark = [pytest.mark.django_db, pytest.mark.scale]
FACTS = 200_000
SUBJECTS = 10_000
FUND_SOURCES = [
    "general_budget", "government_fund", "state_capital", "special_account", "business",
    "operating", "superior_subsidy", "subordinate_remittance", "other", "unit_funds",
]  # fmt: skip
MEMORY_LIMIT = 30 * 1024 * 1024


@pytest.fixture
def many_facts():
    publication = Publication.objects.get(kind="final")
    subjects = Subject.objects.bulk_create(
        Subject(scheme="functional", year=2024, code=f"6{n:06d}", name=f"测试科目{n}")
        for n in range(SUBJECTS)
    )
    facts = (
        Fact(
            publication=publication,
            unit=publication.unit,
            direction="expenditure",
            stage="final",
            subject=subject,
            expenditure_type=kind,
            fund_source=source,
            amount=f"{(index % 99_999) / 100:.2f}",
        )
        for index, (subject, kind, source) in enumerate(
            (s, k, f) for s in subjects for k in ("basic", "project") for f in FUND_SOURCES
        )
    )
    Fact.objects.bulk_create(facts, batch_size=10_000)
    assert Fact.objects.count() >= FACTS
    # bulk_create sends no signal: the open lines follow as after a load (refresh_open_lines).
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
