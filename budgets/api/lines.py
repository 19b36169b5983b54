"""The lines list (/api/lines/) answered without Django REST framework on its way.

A page of the lines API cost 2–4 ms of CPU through DRF (its request, content negotiation, the
known-parameter check that builds the schema's descriptions, FilterSet and form, the ORM
building and compiling the page's query, values() rows, the serializer, the Response): more
than the two queries it runs. The common answer, a valid page as JSON, is written here
directly; everything else (a bad or unknown parameter, a cursor that is no cursor or is past
the end, another format or Accept, HEAD, OPTIONS, POST) goes to LineViewSet as before, so that
every error, the browsable API and the OpenAPI schema stay DRF's own.

Same answer, byte for byte (tests/test_api_lines_fast.py compares the two over many addresses):

- a request is answered here only if DRF would answer it 200 with JSON: every parameter known
  and given once, every value one DRF accepts and reads the same way (a subset: a value this
  module is not sure of goes to DRF, which decides);
- the page's query is the one the ORM writes for the same filters (the same Filter objects of
  OpenLineFilter), order and cursor (budgets.keyset.page_query), compiled once per shape of
  request and run with this request's values (`_Statement`); the sources are the same query
  (`sources`), so a page is still two queries;
- the JSON is DRF's JSONRenderer's rendering of the same data (`line_json`, which the
  serializer uses too), with the headers DRF gives it (Content-Type, Vary: Accept, Allow).
"""

import functools
import re
from dataclasses import dataclass

from django.db import connections, router
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param

from budgets import keyset
from budgets.filters import DEFAULT_LINE_ORDER, LINE_ORDERS, OpenLineFilter, walks_order_index
from budgets.models import Citation, OpenLine, Publication, Section
from budgets.pagination import KeysetPagination
from budgets.parameters import whole_number
from budgets.serializers import LINE_COLUMNS, line_json

# -- the sources of a page ------------------------------------------------------------------


def sources(fact_ids) -> dict:
    """{fact id: its citations (as SourceSerializer writes them) in the order the publication
    prints them}, in one query."""
    found = {}
    for fact_id, publication, table, row, column, printed_text in _citations(fact_ids):
        found.setdefault(fact_id, []).append(
            {
                "publication": publication,
                "table": table,
                "row": row,
                "column": column,
                "printed_text": printed_text,
            }
        )
    return found


def _citations(fact_ids):
    """(fact id, publication kind, table code, row, column, printed text) of the facts'
    citations, in the order their publications print them."""
    citations = Citation.objects.all()
    if connections[citations.db].vendor == "postgresql":
        # The query as the ORM writes it below, written once: building and compiling the
        # queryset cost more than running it (about 1 ms a page); the ids are one array
        # parameter (a parameter per id in `IN (…)` took 1.5 ms to prepare for a hundred).
        with connections[citations.db].cursor() as cursor:
            cursor.execute(_citations_sql(), [list(fact_ids)])
            return cursor.fetchall()
    return citations_of(fact_ids)


def citations_of(fact_ids):
    """The ORM's query of _citations' rows (its SQLite path, and what its PostgreSQL SQL is
    tested against)."""
    return (
        Citation.objects.filter(fact_id__in=fact_ids)
        .order_by("section__order", "row_order", "pk")
        .values_list(
            "fact_id",
            "section__publication__kind",
            "section__code",
            "row_label",
            "column",
            "printed_text",
        )
    )


@functools.cache
def _citations_sql() -> str:
    citation, section = Citation._meta.db_table, Section._meta.db_table
    publication = Publication._meta.db_table
    return f"""SELECT c.fact_id, p.kind, s.code, c.row_label, c."column", c.printed_text
        FROM {citation} c
        JOIN {section} s ON c.section_id = s.id
        JOIN {publication} p ON s.publication_id = p.id
        WHERE c.fact_id = ANY(%s)
        ORDER BY s."order", c.row_order, c.id"""


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
    queryset = OpenLine.objects.using(alias).values(*LINE_COLUMNS)
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


def page(asked: Asked, alias: str = "default") -> keyset.Page:
    """The page's rows as dicts of LINE_COLUMNS (and the sort position), in one query."""
    cursor = asked.cursor
    statement = _statements(
        alias,
        tuple(asked.filters),
        asked.order.name,
        cursor is not None and cursor.backwards,
        cursor is not None,
        asked.walk,
        asked.size,
    )
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
    return keyset.page_of(lines, asked.order, asked.size, cursor)


# -- the answer -----------------------------------------------------------------------------

_NEGOTIATION = DefaultContentNegotiation()
_RENDERERS = [renderer() for renderer in api_settings.DEFAULT_RENDERER_CLASSES]
MAX_CACHED_ACCEPT = 200  # longer Accept headers are not remembered (and go to DRF)


@dataclass
class _Headers:
    """What DRF's content negotiation reads of a request without a `format` parameter."""

    headers: dict
    query_params: dict


@functools.lru_cache(maxsize=64)
def json_media_type(accept: str | None) -> str | None:
    """The media type DRF accepts for this Accept header when it renders JSON (with its
    parameters: `indent=4` indents), or None when it would not answer JSON (browsable HTML,
    406)."""
    request = _Headers({} if accept is None else {"accept": accept}, {})
    try:
        renderer, media_type = _NEGOTIATION.select_renderer(request, _RENDERERS)
    except Exception:
        return None
    return media_type if type(renderer) is JSONRenderer else None


ALLOW = "GET, HEAD, OPTIONS"  # what DRF's list view allows (finalize_response)


def fast_list(drf_view):
    """The view of /api/lines/: DRF's list view (`drf_view`) for every request this module
    does not answer itself. Keeps DRF's attributes (cls, actions, csrf_exempt) for the schema
    and the URL resolver."""

    @functools.wraps(drf_view)
    def view(request, *args, **kwargs):
        if request.method != "GET" or kwargs:  # kwargs: a format suffix (lines.json)
            return drf_view(request, *args, **kwargs)
        accept = request.META.get("HTTP_ACCEPT")
        if accept is not None and len(accept) > MAX_CACHED_ACCEPT:
            return drf_view(request, *args, **kwargs)
        media_type = json_media_type(accept)
        wanted = media_type and asked(request.GET)
        if not wanted:
            return drf_view(request, *args, **kwargs)
        # The router's choice, as for every read: a visitor's page from the replica if any.
        found = page(wanted, router.db_for_read(OpenLine))
        if wanted.cursor is not None and not found.rows:
            return drf_view(request, *args, **kwargs)  # past the end: DRF's 404
        base_url = request.build_absolute_uri()
        data = {
            "next": _link(base_url, found.next),
            "previous": _link(base_url, found.previous),
            "results": [],
        }
        citations = sources([line["pk"] for line in found.rows])
        data["results"] = [line_json(line, citations) for line in found.rows]
        response = HttpResponse(
            _RENDERER.render(data, media_type, {}), content_type=_RENDERER.media_type
        )
        patch_vary_headers(response, ("Accept",))
        response["Allow"] = ALLOW
        return response

    return view


_RENDERER = JSONRenderer()


def _link(base_url: str, cursor: keyset.Cursor | None) -> str | None:
    """KeysetPagination's `next` and `previous` links."""
    if cursor is None:
        return None
    return replace_query_param(base_url, CURSOR, cursor.encode())
