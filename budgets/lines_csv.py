"""lines.csv of the open lines (budgets.models.OpenLine): `csv_chunks(lines)` streams it for a
queryset of lines, in its order, `write_csv(path)` writes it whole.

The bytes are exactly what Python's csv module and `budgets.exports.csv_cell` write: the BOM,
the header, CRLF rows, text cells guarded against formulas, amounts with two places, blanks
empty. Each open line stores its record (`csv_row`, written with the line: `csv_row_sql` in
PostgreSQL's INSERT, `csv_record` in Python), so on PostgreSQL the rows are
`SELECT csv_row … WHERE … ORDER BY …` in binary format through psycopg 3, read as bytes in
blocks of rows with no Python run per row; elsewhere (and with `python=True`) the csv module
writes them from the columns. tests/test_lines_csv.py and tests/test_open_lines.py compare the
two byte for byte.
"""

import csv
from collections.abc import Iterator
from contextlib import closing, contextmanager, nullcontext
from itertools import islice

import psycopg
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from psycopg.rows import scalar_row
from psycopg.types.string import ByteaBinaryLoader

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
# Rows PostgreSQL's result hands over at a time, and in a chunk of the response (~250 KB).
STREAM_ROWS = 2000
# libpq 17 and later give a result of many rows; before, one row a result (slower, the same rows).
_CHUNKED = STREAM_ROWS if psycopg.capabilities.has_stream_chunked() else 1


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
# SQL goes through Django's and psycopg's %-formatting.
# ascii() is the code point of the first character (0 for ''): no substring is built.
_PREFIXES = ", ".join(str(ord(prefix)) for prefix in FORMULA_PREFIXES)
_PLAIN = _sql_literal("^(?:" + PLAIN_NUMBER.pattern.replace("%", "\\x25") + ")$")
# Python's csv module (QUOTE_MINIMAL, the default dialect) quotes a field holding the
# delimiter, the quote or a line break (the regular expression's \r and \n), doubling quotes.
_NEEDS_QUOTES = _sql_literal('[",\\r\\n]')
_QUOTE, _TWO_QUOTES = _sql_literal('"'), _sql_literal('""')


def _text_sql(value: str) -> str:
    """csv_cell of a text column, then quoted as the csv module quotes it, in SQL."""
    guarded = (
        f"(CASE WHEN ascii({value}) IN ({_PREFIXES}) "
        f"AND NOT ({value} ~ {_PLAIN} AND {value} ~ '[0-9]') "
        f"THEN '''' || {value} ELSE {value} END)"
    )
    return (
        f"CASE WHEN {guarded} ~ {_NEEDS_QUOTES} "
        f"THEN {_QUOTE} || replace({guarded}, {_QUOTE}, {_TWO_QUOTES}) || {_QUOTE} "
        f"ELSE {guarded} END"
    )


def csv_row_sql(column) -> str:
    """SQL computing OpenLine.csv_row (the line's record of lines.csv without its line end)
    from the line's columns; `column(name)` is the SQL of the column `name` of CSV_FIELDS.
    The same text as `csv_record` (tests/test_lines_csv.py compares them on hostile values)."""
    cells = []
    for name in CSV_FIELDS:
        field = OpenLine._meta.get_field(name)
        value = column(name)
        if name == "amount":
            # format(Decimal, "f") of the stored value / 10^scale at the field's places
            # (stored values are whole cents: get_prep_value refuses more); blank for none.
            scale, places = 10**field.scale, field.decimal_places
            cells.append(f"COALESCE(round({value}::numeric / {scale}, {places})::text, '')")
        elif field.get_internal_type() in ("CharField", "TextField"):
            cells.append(_text_sql(f"COALESCE({value}, '')"))
        else:
            cells.append(f"COALESCE({value}::text, '')")
    return " || ',' || ".join(f"({cell})" for cell in cells)


def csv_record(values) -> str:
    """OpenLine.csv_row of a line whose CSV_FIELDS are `values` (in that order): the record
    Python's csv module writes of csv_cell of each, without the line end."""
    return csv.writer(_Echo()).writerow([csv_cell(value) for value in values])[:-2]


def _stream_body(lines, stream: bool) -> Iterator[tuple[bytes, int]]:
    """(bytes, rows) of the CSV rows: the lines' records (OpenLine.csv_row: guarded, quoted and
    formatted when the line was written), read by one SELECT in binary format, STREAM_ROWS rows
    at a time (libpq's chunked rows mode), each row its stored bytes, joined by CRLF in C.

    A COPY sends the same rows but psycopg hands them over one message at a time, each through
    a Python generator of its own (~1 µs a row, 3/4 of the worker's CPU), and its text format
    escapes backslashes and control characters that then had to be undone. Here a chunk of rows
    is one result that psycopg's C code turns into bytes objects (ByteaBinaryLoader for the text
    column: a text value in binary format is its bytes in the client encoding, UTF-8, as
    stored), so no Python runs per row and nothing is escaped.

    The connection is inside the query until the generator ends or is closed (psycopg then
    cancels the query): nothing else may use it in between (a query there would wait for ever
    on psycopg's connection lock), which is why budgets.middleware.StartStreams runs outside
    every middleware that reads the database. An error is raised as Django's (so that the
    broken connection is closed at the end of the request) and is never swallowed."""
    try:
        sql, params = lines.values_list("csv_row").query.get_compiler(lines.db).as_sql()
    except EmptyResultSet:  # a queryset that cannot hold a row (.none(), pk__in=[])
        return
    connection = connections[lines.db]
    with connection.cursor() as cursor:
        raw = cursor.cursor.connection
        # The parameters written in, as Django's client cursors (and a COPY) send them: the
        # plan is made for the values, as for Django's own queries.
        sql = psycopg.ClientCursor(raw).mogrify(sql, params)
        # Counted like any query when queries are logged (tests assert query counts).
        debug = getattr(cursor, "debug_sql", None)
        logged = debug(sql, ()) if debug else nullcontext()
        # A cursor of its own: Django's client cursors refuse binary results, and the loader
        # of text as bytes is this cursor's alone.
        with (
            connection.wrap_database_errors,
            _stream_settings(cursor.cursor, stream),
            psycopg.Cursor(raw, row_factory=scalar_row) as records,
        ):
            records.adapters.register_loader("text", ByteaBinaryLoader)
            # closing: an abandoned stream holds the connection's lock until psycopg's
            # generator is closed (cancelling the query), which must come before the rollback
            # that undoes the settings.
            with (
                logged,
                closing(records.stream(sql, binary=True, size=_CHUNKED)) as rows,
            ):
                while batch := list(islice(rows, STREAM_ROWS)):
                    batch.append(b"")  # the last row's line end
                    yield b"\r\n".join(batch), len(batch) - 1


@contextmanager
def _stream_settings(cursor, stream: bool):
    """No sort for the stream: every order a stream offers is an index's (filters.LINE_ORDERS),
    and walking it reads a year's lines in 0.2 s where the planner's choice, a parallel scan of
    the table and an external sort of the year, took 0.5 s (1 M lines, 2024: the planner
    prices the (year, key) index's heap reads as if a fifth of the table were scattered).
    And no JIT: a stream of more than ~500,000 lines passes jit_above_cost, and compiling its
    trivial expressions delayed the first byte by 13-17 ms for nothing (1 M lines).

    A `stream` (an HTTP response) also gets its own statement timeout: its query runs for as
    long as the client takes to read the file, so the web processes' limit of a page
    (PORTAL_DB_STATEMENT_TIMEOUT_MS, portal/wsgi.py) would cut every slow download. It runs under
    PORTAL_DB_STREAM_STATEMENT_TIMEOUT_MS instead (0: none), and waits for a lock no longer than
    a page may run (lock_timeout): a stream with no limit must not hang behind a migration's lock.
    The downloads build (write_csv, a command or the task worker) keeps its session's settings.

    All are `SET LOCAL` (set_config(…, true)) in a transaction of the stream's own that is rolled
    back when the stream ends or is closed (it only read): a session `SET … RESET` pair behind
    PgBouncer in transaction mode could run on two different server connections, leaving the
    setting on one that another client gets next. Inside a caller's transaction (a test, a
    command's atomic block) it is a savepoint, rolled back the same way, which undoes the
    settings too. One unlogged statement: settings, not a query of the page."""
    sql, params = ["set_config('enable_sort', 'off', true)", "set_config('jit', 'off', true)"], []
    if stream:
        sql.append("set_config('statement_timeout', %s, true)")
        params.append(str(settings.DB_STREAM_STATEMENT_TIMEOUT_MS))
        if settings.DB_STATEMENT_TIMEOUT_MS:
            sql.append("set_config('lock_timeout', %s, true)")
            params.append(str(settings.DB_STATEMENT_TIMEOUT_MS))
    with cursor.connection.transaction(force_rollback=True):
        cursor.execute("SELECT " + ", ".join(sql), params)
        yield


def _body(lines, *, python: bool = False, stream: bool) -> Iterator[tuple[bytes, int]]:
    if not lines.query.order_by:
        lines = lines.order_by("pk")
    if _on_postgresql(lines.db) and not python:
        return _stream_body(lines, stream)
    return _python_body(lines)


def csv_chunks(lines, *, python: bool = False) -> Iterator[bytes]:
    """lines.csv of these open lines, in the queryset's order (the key's when it has none), as
    UTF-8 bytes with a BOM. The header travels with the first rows, so that the query runs for
    the first chunk (budgets.middleware.StartStreams: an error there is still the portal's 500).
    An error later propagates: the server then cuts the connection without ending the chunked
    body, so a client can tell the file is incomplete. `python` forces the Python path."""
    header = _header()
    for chunk, _rows in _body(lines, python=python, stream=True):
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
        for chunk, count in _body(OpenLine.objects.all(), stream=False):
            stream.write(chunk)
            rows += count
    return rows
