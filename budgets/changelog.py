"""What changed between two builds of the downloads: per dataset, the rows added, removed and
changed, matched by the dataset's key (KEYS).

lines.csv has no id column (a fact's database id is not a fact of the publication, and changes
when a publication is reloaded), so a line is keyed by what it is: year, stage, direction, unit
and classification cells; its amount, names, project codes and source are what may change.
Every dataset is compared from the two CSV files alone, so any two builds can be compared.

Memory stays bounded whatever the size: each file is read row by row into a temporary SQLite
database on disk (key → number of rows and a sum of 48-bit row hashes, so a key printed twice
is compared as a whole; keys are matched by a 64-bit hash of their text), and the differences
are read back by a join. changes.json holds the
counts, changes.csv one row per key that changed.
"""

import csv
import json
import sqlite3
import tempfile
from pathlib import Path

from budgets.exports import csv_cell

CHANGES_JSON = "changes.json"
CHANGES_CSV = "changes.csv"
CHANGES_HEADER = ["dataset", "change", "key"]
KEY_SEPARATOR = " | "
# The columns that say which row a row is; the others are its values. A dataset not listed
# (a new file) is keyed by its whole row: a corrected row is then one removed and one added.
KEYS = {
    "lines": (
        "year",
        "stage",
        "direction",
        "unit_code",
        "breakdown",
        "functional_code",
        "economic_code",
        "expenditure_type",
        "expense_class",
        "fund_source",
    ),
    "indicators": (
        "year",
        "unit_code",
        "record",
        "scope",
        "project_code",
        "horizon",
        "level1",
        "level2",
        "level3",
    ),
    "projects": ("year", "stage", "unit_code", "project_code", "fund_source"),
    "project_cost_lines": (
        "year",
        "unit_code",
        "project_code",
        "activity",
        "economic_code",
        "description",
    ),
    "three_public": ("year", "stage", "unit_code", "kind"),
}
INSERT_ROWS = 5000
_MASK = (1 << 48) - 1  # sums of up to 2^15 equal keys stay inside SQLite's 64-bit integers


def _rows(path: Path):
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader, [])
        yield header
        yield from reader


def _load(db, table: str, path: Path, key_names) -> list[str]:
    """The file's keys and row hashes into `table` (key → number of rows, sum of their hashes);
    returns the key's column names. Rows are appended as read, then grouped by a 64-bit hash
    of the key in one sort (far faster than an upsert per row into an index of text keys)."""
    rows = _rows(path)
    header = next(rows)
    names = [name for name in key_names if name in header] if key_names else []
    positions = [header.index(name) for name in names] or list(range(len(header)))
    db.execute(f"CREATE TABLE {table}_rows (kh INTEGER, k TEXT, h INTEGER)")
    insert = f"INSERT INTO {table}_rows VALUES (?, ?, ?)"
    batch = []
    for row in rows:
        key = KEY_SEPARATOR.join(row[i] if i < len(row) else "" for i in positions)
        # Python's own (SipHash) hashes: both files are read in this one process, so they agree.
        batch.append((hash(key), key, hash(tuple(row)) & _MASK))
        if len(batch) >= INSERT_ROWS:
            db.executemany(insert, batch)
            batch.clear()
    db.executemany(insert, batch)
    db.execute(
        f"CREATE TABLE {table} AS SELECT kh, min(k) AS k, count(*) AS n, sum(h) AS h "
        f"FROM {table}_rows GROUP BY kh"
    )
    db.execute(f"DROP TABLE {table}_rows")
    db.execute(f"CREATE UNIQUE INDEX {table}_kh ON {table} (kh)")
    return names or header


COMPARISONS = {
    "added": "SELECT b.k FROM b LEFT JOIN a ON a.kh = b.kh WHERE a.kh IS NULL ORDER BY b.k",
    "removed": "SELECT a.k FROM a LEFT JOIN b ON b.kh = a.kh WHERE b.kh IS NULL ORDER BY a.k",
    "changed": (
        "SELECT a.k FROM a JOIN b ON b.kh = a.kh WHERE a.n != b.n OR a.h != b.h ORDER BY a.k"
    ),
}


def compare(old: Path, new: Path, dataset: str, writer) -> dict:
    """Counts of rows added, removed and changed from `old` to `new` (two CSV files of the
    dataset `dataset`), each such key also written to `writer` (a csv.writer)."""
    with tempfile.TemporaryDirectory(prefix="changelog-") as folder:
        db = sqlite3.connect(Path(folder) / "compare.sqlite3")
        try:
            # A bounded page cache (about 20 MB); the rest of the tables stays on disk.
            db.execute("PRAGMA cache_size = -20000")
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.execute("PRAGMA temp_store = FILE")
            _load(db, "a", old, KEYS.get(dataset))
            names = _load(db, "b", new, KEYS.get(dataset))
            counts = {}
            for change, query in COMPARISONS.items():
                count = 0
                for (key,) in db.execute(query):
                    writer.writerow([dataset, change, csv_cell(key)])
                    count += 1
                counts[change] = count
        finally:
            db.close()
    return {"key": list(names), **counts}


def write(target: Path, previous: Path | None, previous_id: str | None, datasets) -> dict:
    """changes.json and changes.csv in the build `target`, compared with the build `previous`
    (None for the first build: nothing to compare, no counts). `datasets` are the CSV files'
    names without .csv. Returns what changes.json holds."""
    summary = {"build": target.name, "previous": previous_id, "datasets": {}}
    with (target / CHANGES_CSV).open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(CHANGES_HEADER)
        for name in datasets:
            old = previous / f"{name}.csv" if previous else None
            new = target / f"{name}.csv"
            if old is None or not old.exists() or not new.exists():
                summary["datasets"][name] = None  # new in this build, or the first build
                continue
            summary["datasets"][name] = compare(old, new, name, writer)
    (target / CHANGES_JSON).write_text(
        json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return summary
