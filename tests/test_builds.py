"""Every build at its own address, the builds page, the oldest builds pruned, and each build's
changelog: the rows added, removed and changed since the build before, by each dataset's key."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from budgets import changelog, downloads, open_lines
from budgets.models import Fact

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def final_fact(code: str) -> Fact:
    return Fact.objects.get(
        publication__kind="final", subject__code=code, stage="final", direction="expenditure"
    )


@pytest.fixture
def two_builds():
    """A build, then one line corrected, one removed and one added, then a second build."""
    first = downloads.build()
    Fact.objects.filter(pk=final_fact("2080150").pk).update(amount=Decimal("328.67"))
    final_fact("2089999").delete()
    # The same subject from another fund source: a line of its own.
    added = final_fact("2080505")
    added.pk, added.fund_source, added.amount = None, "government_fund", Decimal("1.00")
    added.save()
    open_lines.refresh_all()
    second = downloads.build()
    return first, second


def test_two_builds_are_kept_at_two_addresses(client, two_builds):
    first, second = two_builds
    assert first["id"] != second["id"]
    old = client.get(reverse("budgets:build_file", args=[first["id"], "lines.csv"]))
    new = client.get(reverse("budgets:build_file", args=[second["id"], "lines.csv"]))
    assert b"328.66" in body(old)
    assert b"328.67" in body(new)
    latest = client.get(reverse("budgets:data_download", args=["lines.csv"]))
    assert latest["ETag"] == new["ETag"] != old["ETag"]


def test_the_changelog_counts_the_added_removed_and_corrected_line(client, two_builds):
    first, second = two_builds
    response = client.get(reverse("budgets:build_file", args=[second["id"], "changes.json"]))
    changes = json.loads(body(response))
    assert changes["previous"] == first["id"]
    assert changes["datasets"]["lines"] == {
        "key": list(changelog.KEYS["lines"]),
        "added": 1,
        "removed": 1,
        "changed": 1,
    }
    assert changes["datasets"]["three_public"]["added"] == 0
    rows = list(csv.DictReader(io.StringIO(body(client.get(
        reverse("budgets:build_file", args=[second["id"], "changes.csv"])
    )).decode("utf-8-sig"))))  # fmt: skip
    lines = sorted((row["change"], row["key"]) for row in rows if row["dataset"] == "lines")
    assert [change for change, _ in lines] == ["added", "changed", "removed"]
    assert "2080150" in lines[1][1]
    assert "2089999" in lines[2][1]


def test_the_first_build_has_nothing_to_compare(client):
    first = downloads.build()
    changes = json.loads((downloads.current_dir() / "changes.json").read_text("utf-8"))
    assert changes["previous"] is None
    assert changes["build"] == first["id"]
    assert set(changes["datasets"].values()) == {None}


def test_the_builds_page_lists_them_newest_first_with_their_changes(
    client, two_builds, django_assert_num_queries
):
    first, second = two_builds
    with django_assert_num_queries(0):
        response = client.get(reverse("budgets:builds"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(second["id"]) < html.index(first["id"])
    assert reverse("budgets:build_file", args=[first["id"], "lines.csv"]) in html
    assert "no-cache" in response["Cache-Control"]


def test_the_oldest_builds_are_pruned_beyond_the_setting(client, settings):
    settings.DOWNLOADS_KEEP_BUILDS = 2
    ids = [downloads.build()["id"] for _ in range(3)]
    assert [build["id"] for build in downloads.kept_builds()] == ids[:0:-1]
    gone = client.get(reverse("budgets:build_file", args=[ids[0], "lines.csv"]))
    assert gone.status_code == 404
    assert client.get(reverse("budgets:build_file", args=[ids[2], "lines.csv"])).status_code == 200


def test_an_unknown_build_or_file_is_a_404(client):
    build = downloads.build()
    assert (
        client.get(
            reverse("budgets:build_file", args=["20000101T000000000000Z", "lines.csv"])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("budgets:build_file", args=[build["id"], "nothing.csv"])).status_code
        == 404
    )
    assert client.get(f"/data/builds/{build['id']}/../current/lines.csv").status_code == 404


def test_the_changelog_of_a_large_file_keeps_memory_bounded(tmp_path):
    """100,000 rows per file through the temporary SQLite database: Python holds batches only."""
    import tracemalloc

    header = ",".join([*changelog.KEYS["lines"], "amount"]) + "\n"
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    with old.open("w", encoding="utf-8-sig") as a, new.open("w", encoding="utf-8-sig") as b:
        a.write(header)
        b.write(header)
        for i in range(100_000):
            a.write(f"2024,final,expenditure,{i},functional,2080150,,basic,,,1.00\n")
            amount = "2.00" if i % 2 else "1.00"
            b.write(f"2024,final,expenditure,{i + 10},functional,2080150,,basic,,,{amount}\n")
    tracemalloc.start()
    counts = changelog.compare(old, new, "lines", csv.writer(io.StringIO()))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert (counts["added"], counts["removed"]) == (10, 10)
    assert counts["changed"] == 49_995
    assert peak < 30 * 1024 * 1024
