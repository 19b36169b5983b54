"""A line of the lines API as JSON, and its sources.

DRF's list (budgets.api.records.LineViewSet) writes a page's lines with
`budgets.serializers.line_json`, their sources read by `sources` (one query a page), rendered
by JSONRenderer. Each open line also keeps that JSON object as text (OpenLine.api_json), written
with the line (budgets.open_lines): in Python by `line_record`, on PostgreSQL by the SQL of
`line_json_sql`. A page of /api/lines/ as plain JSON is then its rows' records joined
(budgets.api.lines_lane): building the dicts, converting the amounts, rendering them and the
sources' query were 60% of the CPU of an uncached page, and writing the JSON in the page's own
query instead cost PostgreSQL 0.4-0.7 ms a page (benchmarks/README.md).

The SQL writes what JSONRenderer writes of `line_json`: keys in the same order, no spaces
(COMPACT_JSON), text as is (UNICODE_JSON: `to_json` escapes exactly the characters Python's
json module escapes, the same way), U+2028 and U+2029 escaped as DRF escapes them, amounts as
`wan` writes them, "" as null where line_json writes None. tests/test_open_lines.py compares
the two writers, tests/test_line_records.py the records with DRF's JSON on hostile values,
and tests/test_api_lines_fast.py every answer of the API with DRF's.
"""

import functools
import json

from django.db import connections
from rest_framework.renderers import JSONRenderer

from budgets.models import Citation, OpenLine, Publication, Section
from budgets.serializers import line_json

# -- the sources of a page (DRF's list) and of the lines a refresh writes in Python ---------


def sources(fact_ids) -> dict:
    """{fact id: its citations (as SourceSerializer writes them) in the order the publication
    prints them}, in one query."""
    found = {}
    for fact_id, publication, table, row, column, printed_text in citations(fact_ids):
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


def citations(fact_ids):
    """(fact id, publication kind, table code, row, column, printed text) of the facts'
    citations, in the order their publications print them."""
    query = Citation.objects.all()
    if connections[query.db].vendor == "postgresql":
        # The query as the ORM writes it below, written once: building and compiling the
        # queryset cost more than running it (about 1 ms a page); the ids are one array
        # parameter (a parameter per id in `IN (…)` took 1.5 ms to prepare for a hundred).
        with connections[query.db].cursor() as cursor:
            cursor.execute(_citations_sql(), [list(fact_ids)])
            return cursor.fetchall()
    return citations_of(fact_ids)


def citations_of(fact_ids):
    """The ORM's query of `citations`' rows (its SQLite path, and what its PostgreSQL SQL is
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


def _citations_from() -> str:
    """The citations with their table and publication, as both SQL queries here read them."""
    citation, section = Citation._meta.db_table, Section._meta.db_table
    publication = Publication._meta.db_table
    return f"""FROM {citation} c
        JOIN {section} s ON c.section_id = s.id
        JOIN {publication} p ON s.publication_id = p.id"""


CITATION_ORDER = 's."order", c.row_order, c.id'


@functools.cache
def _citations_sql() -> str:
    return f"""SELECT c.fact_id, p.kind, s.code, c.row_label, c."column", c.printed_text
        {_citations_from()}
        WHERE c.fact_id = ANY(%s)
        ORDER BY {CITATION_ORDER}"""


# -- a line's record (OpenLine.api_json) ----------------------------------------------------

_RENDERER = JSONRenderer()


def line_record(line: dict, citations: list) -> str:
    """The JSON text of a line (a dict of LINE_COLUMNS) with these citations (as `sources`
    gives them), as DRF renders it in a page of plain JSON."""
    return _RENDERER.render(line_json(line, {line["pk"]: citations})).decode()


def _value(sql: str) -> str:
    """The JSON of a column's value (text, integer or NULL) as json.dumps writes it."""
    return f"COALESCE(to_json({sql})::text, 'null')"


def _none_if_empty(sql: str) -> str:
    """line_json's `value or None` of a text column."""
    return _value(f"NULLIF({sql}, '')")


def _amount(sql: str) -> str:
    """`wan` of the amount (stored as an integer at the field's scale) as a JSON string, null
    when blank."""
    field = OpenLine._meta.get_field("amount")
    number = f"round({sql}::numeric / {10**field.scale}, {field.decimal_places})::text"
    return f"""CASE WHEN {sql} IS NULL THEN 'null' ELSE '"' || {number} || '"' END"""


def _object(members: list[tuple[str, str]]) -> str:
    """SQL concatenating a JSON object of (key, SQL of its JSON value) in that order."""
    parts = []
    for index, (key, value) in enumerate(members):
        opening = "{" if index == 0 else ","
        parts.append(f"'{opening}{json.dumps(key)}:'")
        parts.append(f"({value})")
    parts.append("'}'")
    return " || ".join(parts)


def _sources_sql(line: str) -> str:
    """The JSON array of the sources of the line whose key is `line` (SQL)."""
    source = _object(
        [
            ("publication", _value("p.kind")),
            ("table", _value("s.code")),
            ("row", _value("c.row_label")),
            ("column", _value('c."column"')),
            ("printed_text", _value("c.printed_text")),
        ]
    )
    return f"""'[' || COALESCE((SELECT string_agg({source}, ',' ORDER BY {CITATION_ORDER})
        {_citations_from()} WHERE c.fact_id = {line}), '') || ']'"""


def line_json_sql(column) -> str:
    """SQL writing `line_record` of a line whose columns (LINE_COLUMNS) are `column(name)`, its
    sources read by a subquery."""
    text = _object(
        [
            ("id", _value(column("pk"))),
            *((name, _value(column(name))) for name in ("year", "stage", "direction")),
            *((name, _value(column(name))) for name in ("unit_code", "unit_name", "breakdown")),
            ("subject_code", _none_if_empty(column("subject_code"))),
            (
                "subject_name",
                _value(
                    f"COALESCE(NULLIF({column('functional_name')}, ''),"
                    f" NULLIF({column('economic_name')}, ''))"
                ),
            ),
            *(
                (name, _value(column(name)))
                for name in ("expenditure_type", "expense_class", "fund_source")
            ),
            ("amount", _amount(column("amount"))),
            ("project_code", _none_if_empty(column("project_code"))),
            ("sources", _sources_sql(column("pk"))),
        ]
    )
    # DRF's JSONRenderer escapes the two line terminators JavaScript does not allow in strings.
    return f"replace(replace({text}, chr(8232), '\\u2028'), chr(8233), '\\u2029')"
