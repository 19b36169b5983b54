"""The lines list (/api/lines/) read without Django REST framework on its way: what the address
asks for and the page's query. budgets.api.lines_lane answers with them.

A page of the lines API cost 2–4 ms of CPU through DRF (its request, content negotiation, the
known-parameter check that builds the schema's descriptions, FilterSet and form, the ORM
building and compiling the page's query, values() rows, the serializer, the Response): more
than the two queries it runs. The common answer, a valid page as JSON, is written without it
(budgets.api.lines_lane); everything else (a bad or unknown parameter, a cursor that is no
cursor or is past the end, another format or Accept, HEAD, OPTIONS, POST) goes to LineViewSet
as before, so that every error, the browsable API and the OpenAPI schema stay DRF's own.

Same answer, byte for byte (tests/test_api_lines_fast.py compares the two over many addresses):

- a request is answered without DRF only if DRF would answer it 200 with plain JSON: every
  parameter known and given once, every value one DRF accepts and reads the same way (a
  subset: a value this module is not sure of goes to DRF, which decides);
- the page's query is the one the ORM writes for the same filters (the same Filter objects of
  OpenLineFilter), order and cursor (budgets.keyset.page_query), compiled once per shape of
  request and run with this request's values (`_Statement`), reading each line's key and its
  record (OpenLine.api_json: the line's JSON as DRF renders it, sources included,
  budgets.line_records) instead of its columns: a page is one query;
- the body is JSONRenderer's envelope (the links) around the records, with the headers DRF
  gives it (Content-Type, Vary: Accept, Allow).
"""

import functools
import re
from dataclasses import dataclass

from django.db import connections

from budgets import keyset
from budgets.filters import DEFAULT_LINE_ORDER, LINE_ORDERS, OpenLineFilter, walks_order_index
from budgets.models import OpenLine
from budgets.pagination import KeysetPagination
from budgets.parameters import whole_number

# -- what the address asks for --------------------------------------------------------------

FILTERS = OpenLineFilter.base_filters  # name → django-filter Filter, in the order DRF applies
CURSOR = KeysetPagination.cursor_query_param
PAGE_SIZE = KeysetPagination.page_size_query_param
ORDERING = KeysetPagination.ordering_param
_DIGITS = {"unit": 32, "unit_prefix": 32, "code": 7, "code_prefix": 7}  # at most, ASCII only


def _reader(name: str):
    """A function from a filter's raw value to the value its filter is given, or None when
    DRF must decide (invalid, or valid in a way this module does not read: " 208", "٢٠٢٤").
    The empty value is handled before (no filter, as OpenLineFilter reads it)."""
    filter_ = FILTERS[name]
    if name == "year":
        low, high = filter_.extra["min_value"], filter_.extra["max_value"]

        def read_year(raw: str):
            number = whole_number(raw)  # budgets.parameters.WholeNumberField's reading
            return number if number is not None and low <= number <= high else None

        return read_year
    if name in _DIGITS:
        # Unit codes are not stripped, subject codes are: a value with spaces goes to DRF.
        shape = re.compile(f"[0-9]{{1,{_DIGITS[name]}}}")
        return lambda raw: raw if shape.fullmatch(raw) else None
    choices = frozenset(str(value) for value, _label in filter_.extra["choices"])
    return lambda raw: raw if raw in choices else None


READERS = {name: _reader(name) for name in FILTERS}


@dataclass(frozen=True)
class Asked:
    """A valid request of a page: the filters given (name → value, in FILTERS' order), the
    order, the cursor (None: the first page), the page size and whether the page walks its
    order's index (budgets.filters.walks_order_index)."""

    filters: dict
    order: keyset.Order
    cursor: keyset.Cursor | None
    size: int
    walk: bool


def asked(query) -> Asked | None:
    """What the query string asks for, or None unless DRF would answer it with a page."""
    given = {}
    for name, values in query.lists():
        if len(values) != 1 or not (name in FILTERS or name in (CURSOR, PAGE_SIZE, ORDERING)):
            return None  # repeated (DRF reads the last), unknown (a 400) or `format`
        given[name] = values[0]
    filters = {}
    for name, read in READERS.items():
        raw = given.get(name)
        if raw:
            value = read(raw)
            if value is None:
                return None
            filters[name] = value
    order = LINE_ORDERS.get(given.get(ORDERING) or DEFAULT_LINE_ORDER)
    if order is None:
        return None
    size = KeysetPagination.page_size
    if given.get(PAGE_SIZE):
        size = whole_number(given[PAGE_SIZE])
        if size is None or size < 1:
            return None
        size = min(size, KeysetPagination.max_page_size)
    cursor = None
    if given.get(CURSOR):
        try:
            cursor = keyset.Cursor.decode(given[CURSOR], order)
        except ValueError:
            return None
    # After the filters are known valid, as DRF asks it (a query on PostgreSQL).
    walk = walks_order_index(given.get("unit_prefix"))
    return Asked(filters, order, cursor, size, walk)


# -- the page's query -----------------------------------------------------------------------

# Stand-ins for the request's values while the ORM writes a shape's query once. Each must reach
# the parameters recognisably and pass the fields' own checks (the year is a small integer).
# A text filter's is its position between private-use characters: no LIKE wildcard or escape
# (a name's "_" would be escaped inside a LIKE pattern).
# What a page reads of each line: its key and its record.
PAGE_COLUMNS = ("pk", "api_json")
_YEAR, _KEY, _VALUE = 23_456, 7_000_000_002, 7_000_000_003
STAND_INS = {
    name: _YEAR if name == "year" else f"\ue000{position}\ue001"
    for position, name in enumerate(FILTERS)
}


@dataclass(frozen=True)
class _Statement:
    """The SQL the ORM writes for one shape of page (which filters, order, direction, whether
    after a cursor, walk, size), with where each parameter comes from: a constant of the query,
    a filter's value (as is, or inside a LIKE pattern), or the cursor's position. `names` and
    `converters` are what ValuesIterable and the compiler make of its rows."""

    sql: str
    slots: tuple
    names: tuple
    converters: tuple  # (column index, converter functions, expression)


@functools.lru_cache(maxsize=512)
def _statements(alias, filters, order_name, backwards, after, walk, size) -> _Statement:
    order = LINE_ORDERS[order_name]
    queryset = OpenLine.objects.using(alias).values(*PAGE_COLUMNS)
    for name in filters:
        queryset = FILTERS[name].filter(queryset, STAND_INS[name])
    cursor = None
    if after:
        value = None if order.field is None else _VALUE
        cursor = keyset.Cursor(order.name, backwards, value, _KEY)
    query = keyset.page_query(queryset, order, size, cursor, walk).query
    compiler = query.get_compiler(alias)
    sql, params = compiler.as_sql()
    slots = tuple(_slot(param, filters) for param in params)
    found = {slot[1] for slot in slots if slot[0] != "constant"}
    expected = set(filters)
    if after:
        expected |= {"key", "value"} if order.field else {"key"}
    if found != expected:  # a stand-in the ORM changed on its way: never guess
        raise RuntimeError(f"lines query parameters not recognised: {sql} {params}")
    columns = [expression for expression, _sql, _alias in compiler.select[: compiler.col_count]]
    converters = tuple(
        (index, tuple(functions), expression)
        for index, (functions, expression) in compiler.get_converters(columns).items()
    )
    names = (*query.extra_select, *query.values_select, *query.annotation_select)
    return _Statement(sql, slots, names, converters)


def _slot(param, filters) -> tuple:
    """Where a parameter of a shape's query comes from. An integer keeps its type: on
    PostgreSQL the year comes as psycopg's Int2 (bound as a smallint), and so must its value."""
    if isinstance(param, int) and not isinstance(param, bool):
        if param == _YEAR and "year" in filters:
            return ("value", "year", type(param))
        if param in (_KEY, _VALUE):
            return ("cursor", "key" if param == _KEY else "value", type(param))
    if isinstance(param, str):
        for name in filters:
            stand_in = STAND_INS[name]
            if name == "year":
                continue
            if param == stand_in:
                return ("value", name, None)
            if stand_in in param:  # startswith: "<value>%", the value escaped for LIKE
                before, after = param.split(stand_in)
                return ("like", name, before, after)
    return ("constant", param)


def _parameters(statement: _Statement, asked: Asked, ops) -> list:
    params = []
    for slot in statement.slots:
        kind = slot[0]
        if kind == "constant":
            params.append(slot[1])
        elif kind == "value":
            value = asked.filters[slot[1]]
            params.append(value if slot[2] is None else slot[2](value))
        elif kind == "like":
            params.append(slot[2] + ops.prep_for_like_query(asked.filters[slot[1]]) + slot[3])
        else:
            cursor = asked.cursor
            params.append(slot[2](cursor.key if slot[1] == "key" else cursor.value))
    return params


def _statement(asked: Asked, alias: str) -> _Statement:
    cursor = asked.cursor
    return _statements(
        alias,
        tuple(asked.filters),
        asked.order.name,
        cursor is not None and cursor.backwards,
        cursor is not None,
        asked.walk,
        asked.size,
    )


def page(asked: Asked, alias: str = "default") -> keyset.Page:
    """The page's rows as dicts of PAGE_COLUMNS (and the sort position), in one query."""
    statement = _statement(asked, alias)
    connection = connections[alias]
    with connection.cursor() as db:
        db.execute(statement.sql, _parameters(statement, asked, connection.ops))
        rows = db.fetchall()
    if statement.converters:
        rows = [list(row) for row in rows]
        for row in rows:
            for index, functions, expression in statement.converters:
                value = row[index]
                for convert in functions:
                    value = convert(value, expression, connection)
                row[index] = value
    names = statement.names
    lines = [dict(zip(names, row, strict=True)) for row in rows]
    return keyset.page_of(lines, asked.order, asked.size, asked.cursor)
