"""The same open lines in a SQLite file for Datasette: every row of OpenLine, with the columns
of lines.csv plus the line's id (the fact's, as the API gives it) and its subject code, and
indexes equivalent to OpenLine's (year+stage, unit_code+year, subject_code+year, amount; SQLite
ends every index with the rowid, as ours end with the key), so that both sides read an indexed
table of the same rows.

Amounts are REAL in 万元 (what Datasette sorts and shows as numbers); the portal keeps them as
exact integers. The copy is made again only when the lines changed (a fingerprint of the rows).
"""

import sqlite3
import time

from citybench import WORK, log

COLUMNS = [
    ("id", "INTEGER PRIMARY KEY", "fact_id"),
    ("year", "INTEGER", "year"),
    ("stage", "TEXT", "stage"),
    ("direction", "TEXT", "direction"),
    ("unit_code", "TEXT", "unit_code"),
    ("unit_name", "TEXT", "unit_name"),
    ("breakdown", "TEXT", "breakdown"),
    ("subject_code", "TEXT", "subject_code"),
    ("functional_code", "TEXT", "functional_code"),
    ("functional_name", "TEXT", "functional_name"),
    ("functional_level", "TEXT", "functional_level"),
    ("economic_code", "TEXT", "economic_code"),
    ("economic_name", "TEXT", "economic_name"),
    ("expenditure_type", "TEXT", "expenditure_type"),
    ("expense_class", "TEXT", "expense_class"),
    ("fund_source", "TEXT", "fund_source"),
    ("project_code", "TEXT", "project_code"),
    # yuan in the portal's column (ExactDecimalField, scale 4) → 万元 with two places
    ("amount", "REAL", "round(amount / 10000.0, 2)"),
    ("source", "TEXT", "source"),
]
INDEXES = {
    "lines_year_stage": "year, stage",
    "lines_unit_year": "unit_code, year",
    "lines_code_year": "subject_code, year",
    "lines_amount": "amount",
}
TYPES = ["int8", "int4", *["text"] * 15, "numeric", "text"]
assert len(TYPES) == len(COLUMNS)


def _fingerprint(cursor, table: str) -> str:
    cursor.execute(f"SELECT count(*), sum(fact_id), sum(amount), max(fact_id) FROM {table}")
    return ",".join(str(value) for value in cursor.fetchone())


def export(path=None) -> tuple:
    """Write (or reuse) the SQLite copy; returns (path, rows, seconds or None when reused)."""
    from django.db import connection

    from budgets.models import OpenLine

    path = path or WORK / "city.db"
    table = OpenLine._meta.db_table
    with connection.cursor() as cursor:
        fingerprint = _fingerprint(cursor, table)
    if path.exists():
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
                stored = db.execute("SELECT value FROM bench_meta WHERE key='lines'").fetchone()
                rows = db.execute("SELECT count(*) FROM lines").fetchone()[0]
            if stored and stored[0] == fingerprint:
                log(f"sqlite: reusing {path.name} ({rows:,} lines)")
                return path, rows, None
        except sqlite3.Error:
            pass
    log("sqlite: copying the open lines for Datasette")
    started = time.perf_counter()
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute(f"CREATE TABLE lines ({', '.join(f'{n} {t}' for n, t, _ in COLUMNS)})")
    insert = f"INSERT INTO lines VALUES ({', '.join('?' * len(COLUMNS))})"
    select = ", ".join(expression for _, _, expression in COLUMNS)
    sql = f"COPY (SELECT {select} FROM {table} ORDER BY fact_id) TO STDOUT"
    rows = 0
    batch = []
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.set_types(TYPES)
        for row in copy.rows():
            amount = row[-2]
            batch.append((*row[:-2], None if amount is None else float(amount), row[-1]))
            if len(batch) >= 20_000:
                db.executemany(insert, batch)
                rows += len(batch)
                batch = []
    db.executemany(insert, batch)
    rows += len(batch)
    for name, columns in INDEXES.items():
        db.execute(f"CREATE INDEX {name} ON lines ({columns})")
    db.execute("CREATE TABLE bench_meta (key TEXT PRIMARY KEY, value TEXT)")
    db.execute("INSERT INTO bench_meta VALUES ('lines', ?)", [fingerprint])
    db.commit()
    db.execute("ANALYZE")
    db.close()
    partial.replace(path)
    seconds = time.perf_counter() - started
    log(f"sqlite: {rows:,} lines in {seconds:.1f} s")
    return path, rows, seconds
