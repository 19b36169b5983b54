"""lines.csv of the open lines (budgets.models.OpenLine): `csv_chunks(lines)` streams it for a
queryset of lines, in its order, `write_csv(path)` writes it whole.

The bytes are exactly what Python's csv module and `budgets.exports.csv_cell` write: the BOM,
the header, CRLF rows, text cells guarded against formulas, amounts with two places, blanks
empty. On PostgreSQL the rows come from `COPY (SELECT …) TO STDOUT WITH (FORMAT csv)` through
psycopg 3, formatted in SQL and passed through as bytes (tests/test_open_lines.py compares the
two byte for byte); elsewhere from the csv module.
"""

import csv
from collections.abc import Iterator
from contextlib import nullcontext

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, Func, TextField

from budgets.datasets import CHUNK, LINES
from budgets.exports import BATCH_ROWS, BOM, FORMULA_PREFIXES, PLAIN_NUMBER, _Echo, csv_cell
from budgets.models import OpenLine

# The columns of OpenLine in the order of lines.csv.
CSV_FIELDS = [
    "year",
    "stage",
    "direction",
    "unit_code",
    "unit_name",
    "breakdown",
    "functional_code",
    "functional_name",
    "functional_level",
    "economic_code",
    "economic_name",
    "expenditure_type",
    "expense_class",
    "fund_source",
    "project_code",
    "amount",
    "source",
]
assert len(CSV_FIELDS) == len(LINES.header)
# What PostgreSQL's COPY hands over at a time is one row; a chunk of the response is this many.
COPY_ROWS = 2000


def _on_postgresql(using: str) -> bool:
    return connections[using].vendor == "postgresql"


def _header() -> bytes:
    return (BOM + csv.writer(_Echo()).writerow(LINES.header)).encode()


def _python_body(lines) -> Iterator[tuple[bytes, int]]:
    """(bytes, rows) of the CSV rows, written by Python's csv module."""
    writer = csv.writer(_Echo())
    batch = []
    for row in lines.values_list(*CSV_FIELDS).iterator(chunk_size=CHUNK):
        batch.append(writer.writerow([csv_cell(cell) for cell in row]))
        if len(batch) >= BATCH_ROWS:
            yield "".join(batch).encode(), len(batch)
            batch = []
    if batch:
        yield "".join(batch).encode(), len(batch)


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# exports.is_formula_like in SQL: a text starting with = + - @ tab or CR gets an apostrophe,
# unless it is a plain signed number or percentage. `%` is written \x25 in the pattern: the
# template goes through Django's and psycopg's %-formatting.
# ascii() is the code point of the first character (0 for ''): no substring is built.
_PREFIXES = ", ".join(str(ord(prefix)) for prefix in FORMULA_PREFIXES)
_PLAIN = _sql_literal("^(?:" + PLAIN_NUMBER.pattern.replace("%", "\\x25") + ")$")
_GUARDED = (
    f"CASE WHEN ascii(%(expressions)s) IN ({_PREFIXES}) "
    f"AND NOT (%(expressions)s ~ {_PLAIN} AND %(expressions)s ~ '[0-9]') "
    "THEN '''' || %(expressions)s ELSE NULLIF(%(expressions)s, '') END"
)


class _Cell(Func):
    """A text column as csv_cell writes it: guarded, and NULL for empty (COPY writes NULL as
    an empty field and '' as "")."""

    template = _GUARDED
    output_field = TextField()


class _Amount(Func):
    """An amount as csv_cell writes it: format(Decimal, "f") of the stored value / 10^scale at
    the field's places (stored values are whole cents: get_prep_value refuses more places)."""

    output_field = TextField()

    def __init__(self, name: str):
        field = OpenLine._meta.get_field(name)
        places = field.decimal_places
        self.template = f"round(%(expressions)s::numeric / {10**field.scale}, {places})::text"
        super().__init__(F(name))


def _copy_sql(lines) -> tuple[str, tuple]:
    cells = {}
    for index, name in enumerate(CSV_FIELDS):
        field = OpenLine._meta.get_field(name)
        if name == "amount":
            cells[f"c{index}"] = _Amount(name)
        elif field.get_internal_type() in ("CharField", "TextField"):
            cells[f"c{index}"] = _Cell(F(name))
        else:
            cells[f"c{index}"] = F(name)
    query = lines.annotate(**cells).values_list(*cells).query
    sql, params = query.get_compiler(lines.db).as_sql()
    return f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", tuple(params)


def _copy_body(lines) -> Iterator[tuple[bytes, int]]:
    """(bytes, rows) of the CSV rows, from PostgreSQL's COPY. Each message of a COPY is one row
    ending in \\n, where Python's csv ends rows in \\r\\n; a value's own newlines are inside
    quotes and stay as they are.

    The connection is inside the COPY until the generator ends or is closed: nothing else may
    use it in between (a query there would wait for ever on psycopg's connection lock), which
    is why budgets.middleware.StartStreams runs outside every middleware that reads the
    database. An error is raised as Django's (so that the broken connection is closed at the
    end of the request) and is never swallowed."""
    try:
        sql, params = _copy_sql(lines)
    except EmptyResultSet:  # a queryset that cannot hold a row (.none(), pk__in=[])
        return
    connection = connections[lines.db]
    with connection.cursor() as cursor:
        # Counted like any query when queries are logged (tests assert query counts).
        debug = getattr(cursor, "debug_sql", None)
        logged = debug(sql, params) if debug else nullcontext()
        with connection.wrap_database_errors, logged, cursor.cursor.copy(sql, params) as copy:
            rows = []
            for row in copy:
                rows.append(row)
                if len(rows) == COPY_ROWS:
                    yield _crlf(rows), COPY_ROWS
                    rows = []
            if rows:
                yield _crlf(rows), len(rows)


def _crlf(rows: list) -> bytes:
    chunk = b"".join(rows)
    if chunk.count(b"\n") == len(rows):
        # No value holds a newline: each one ends a row.
        return chunk.replace(b"\n", b"\r\n")
    return b"".join(bytes(row[:-1]) + b"\r\n" for row in rows)


def _body(lines, *, python: bool = False) -> Iterator[tuple[bytes, int]]:
    if not lines.query.order_by:
        lines = lines.order_by("pk")
    if _on_postgresql(lines.db) and not python:
        return _copy_body(lines)
    return _python_body(lines)


def csv_chunks(lines, *, python: bool = False) -> Iterator[bytes]:
    """lines.csv of these open lines, in the queryset's order (the key's when it has none), as
    UTF-8 bytes with a BOM. The header travels with the first rows, so that the query runs for
    the first chunk (budgets.middleware.StartStreams: an error there is still the portal's 500).
    An error later propagates: the server then cuts the connection without ending the chunked
    body, so a client can tell the file is incomplete. `python` forces the Python path."""
    header = _header()
    for chunk, _rows in _body(lines, python=python):
        if header:
            chunk, header = header + chunk, b""
        yield chunk
    if header:
        yield header


def write_csv(path) -> int:
    """Write lines.csv of every open line to `path`; returns the number of rows."""
    rows = 0
    with open(path, "wb") as stream:
        stream.write(_header())
        for chunk, count in _body(OpenLine.objects.all()):
            stream.write(chunk)
            rows += count
    return rows
