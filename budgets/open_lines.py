"""Keeping the open lines (budgets.models.OpenLine) equal to the published facts.

`refresh(publications)` rewrites the rows of some publications from their facts, in the
transaction that changed them; `refresh_all()` rewrites every row (after a bulk load or a change
of settings). On PostgreSQL a refresh is two statements (DELETE, then INSERT … SELECT computing
every column, the source and the project codes in SQL); elsewhere the rows are built in Python
by `budgets.datasets._line`, the function that writes lines.csv. Both give the same rows
(tests/test_open_lines.py).

Reading them out as lines.csv is `budgets.lines_csv` (`csv_chunks`, `write_csv`, imported
here too).

Signals (`connect()`) keep the rows in step with the records they are read from when a person
changes one (a unit renamed, a project re-linked, a correction); bulk writes (generate_city,
loaddata) refresh explicitly.
"""

from collections.abc import Iterable, Iterator

from django.db import connections, router, transaction
from django.db.models import F, QuerySet
from django.db.models.signals import post_delete, post_save

from budgets import line_records
from budgets.choices import LEVEL_LENGTHS, LEVEL_SLUGS, Scheme
from budgets.datasets import (
    CHUNK,
    KIND_LABELS,
    LINE_FIELDS,
    _batches,
    _line,
    fact_sources,
    open_facts,
    project_links,
)
from budgets.lines_csv import CSV_FIELDS, csv_chunks, csv_record, csv_row_sql, write_csv
from budgets.models import (
    Citation,
    Fact,
    OpenLine,
    Project,
    ProjectSubjectLink,
    Publication,
    Section,
    Subject,
    Unit,
)


def _ids(publications) -> list[int] | QuerySet:
    """Publication ids: a queryset stays a query (a city's 17,000 publications are a subquery,
    not a list of parameters)."""
    if isinstance(publications, QuerySet):
        return publications.values("pk")
    return [getattr(p, "pk", p) for p in publications]


def _on_postgresql(using: str) -> bool:
    return connections[using].vendor == "postgresql"


# ---- writing the rows ---------------------------------------------------------------------


def _open_lines(facts) -> Iterator[OpenLine]:
    """The rows, built in Python with lines.csv's own function (the path on SQLite)."""
    fields = (*LINE_FIELDS, "publication_id")
    for batch in _batches(facts.order_by("pk").values_list(*fields).iterator(chunk_size=CHUNK)):
        keys = [row[0] for row in batch]
        sources = fact_sources(keys)
        citations = line_records.sources(keys)
        links = project_links({row[-2] for row in batch})
        for row in batch:
            cells = _line(row[:-1], sources.get(row[0], ""), links)
            values = dict(zip(CSV_FIELDS, cells, strict=True))
            subject_code = row[7] or ""
            line = {"pk": row[0], "subject_code": subject_code, **values}
            yield OpenLine(
                fact_id=row[0],
                publication_id=row[-1],
                unit_id=row[-2],
                subject_code=subject_code,
                csv_row=csv_record(cells),
                api_json=line_records.line_record(line, citations.get(row[0], [])),
                **values,
            )


def _write_python(facts) -> int:
    count = 0
    for batch in _batches(_open_lines(facts)):
        OpenLine.objects.bulk_create(batch)
        count += len(batch)
    return count


def _table(model) -> str:
    return connections["default"].ops.quote_name(model._meta.db_table)


def _case(column: str, mapping: dict, default: str = "''") -> str:
    """SQL CASE mapping the text values of `column` (constants of this module, never input)."""
    whens = " ".join(f"WHEN '{key}' THEN '{value}'" for key, value in mapping.items())
    return f"CASE {column} {whens} ELSE {default} END"


# The facts' own columns, read by the ORM's query of the open facts (its joins and its one
# published filter), named for the SQL around it.
_BASE = {
    "f_id": "pk",
    "f_publication": "publication_id",
    "f_unit": "unit_id",
    "f_subject": "subject_id",
    "f_year": "publication__year",
    "f_kind": "publication__kind",
    "f_stage": "stage",
    "f_direction": "direction",
    "f_unit_code": "unit__code",
    "f_unit_name": "unit__name",
    "f_scheme": "subject__scheme",
    "f_code": "subject__code",
    "f_name": "subject__name",
    "f_type": "expenditure_type",
    "f_class": "expense_class",
    "f_fund": "fund_source",
    "f_amount": "amount",
}


# The table's column of a name of budgets.serializers.LINE_COLUMNS where they differ.
_COLUMN = {"pk": "fact_id"}


def _insert_sql(base_sql: str, ids_sql: str, *, by_year: bool = False) -> str:
    """INSERT … SELECT of the open lines of the facts `base_sql` reads (columns named as in
    _BASE; `ids_sql` selects their ids): every column as `datasets._line` computes it."""
    functional, economic = Scheme.FUNCTIONAL.value, Scheme.ECONOMIC.value
    levels = dict(zip((str(n) for n in LEVEL_LENGTHS[Scheme.FUNCTIONAL]), LEVEL_SLUGS, strict=True))
    level = _case("length(b.f_code)", levels)
    # A line's source: "2024年预算 表3、表5-1", each table once, in the order of its first
    # citation (section order, row, table code: datasets._citations reads them in that order).
    # Aggregated once for the facts' citations and joined (a subquery per line would probe
    # the citations a million times).
    sources = f"""
        SELECT first.fact_id, string_agg(first.code, '、'
               ORDER BY first.section_order, first.row_order, first.code) AS codes
        FROM (
            SELECT DISTINCT ON (c.fact_id, sec.code)
                   c.fact_id, sec.code, sec."order" AS section_order, c.row_order
            FROM {_table(Citation)} c JOIN {_table(Section)} sec ON sec.id = c.section_id
            WHERE c.fact_id IN ({ids_sql})
            ORDER BY c.fact_id, sec.code, sec."order", c.row_order
        ) first
        GROUP BY first.fact_id"""
    # The projects of the line's own unit linked to its subject and stage (datasets.project_links),
    # looked up for project lines only (CASE evaluates the subquery only when its branch is taken).
    projects = f"""
        SELECT string_agg(DISTINCT pr.code, ';' ORDER BY pr.code)
        FROM {_table(ProjectSubjectLink)} l JOIN {_table(Project)} pr ON pr.id = l.project_id
        WHERE l.subject_id = b.f_subject AND l.stage = b.f_stage AND pr.unit_id = b.f_unit"""
    names = ["fact_id", "publication_id", "unit_id", "subject_code", *CSV_FIELDS]
    quote = connections["default"].ops.quote_name
    columns = ", ".join(quote(name) for name in names)
    # A rewrite of every line stores them year by year, each year in key order: a year's lines
    # are then neighbours on disk, and a year's CSV or page reads a fifth of the table through
    # the (year, key) index instead of every page of it in key order (a year's facts are
    # spread over all the keys: the units' publications of every year interleave).
    order = f"ORDER BY l.{quote('year')}, l.fact_id" if by_year else ""
    # The line's CSV and API records (csv_row, api_json) from the columns computed below,
    # named as the table's.
    record = csv_row_sql(lambda name: f"l.{quote(name)}")
    api_record = line_records.line_json_sql(lambda name: f"l.{quote(_COLUMN.get(name, name))}")
    return f"""
        INSERT INTO {_table(OpenLine)} ({columns}, {quote("csv_row")}, {quote("api_json")})
        SELECT l.*, {record}, {api_record} FROM (
        SELECT b.f_id, b.f_publication, b.f_unit, COALESCE(b.f_code, ''),
            b.f_year, b.f_stage, b.f_direction, b.f_unit_code, b.f_unit_name,
            COALESCE(b.f_scheme, ''),
            CASE WHEN b.f_scheme = '{functional}' THEN b.f_code ELSE '' END,
            CASE WHEN b.f_scheme = '{functional}' THEN b.f_name ELSE '' END,
            CASE WHEN b.f_scheme = '{functional}' THEN {level} ELSE '' END,
            CASE WHEN b.f_scheme = '{economic}' THEN b.f_code ELSE '' END,
            CASE WHEN b.f_scheme = '{economic}' THEN b.f_name ELSE '' END,
            b.f_type, b.f_class, b.f_fund,
            CASE WHEN b.f_type = 'project' AND b.f_direction = 'expenditure'
                 THEN COALESCE(({projects}), '') ELSE '' END,
            b.f_amount,
            CASE WHEN src.codes IS NULL THEN ''
                 ELSE b.f_year || '年' || {_case("b.f_kind", KIND_LABELS)} || ' ' || src.codes END
        FROM ({base_sql}) b
        LEFT JOIN ({sources}) src ON src.fact_id = b.f_id
        ) l ({columns})
        {order}"""


def _write_sql(facts, using: str, *, by_year: bool = False) -> int:
    facts = facts.order_by()
    compiled = facts.values(**{name: F(path) for name, path in _BASE.items()})
    base_sql, base_params = compiled.query.get_compiler(using).as_sql()
    ids_sql, ids_params = facts.values("pk").query.get_compiler(using).as_sql()
    with connections[using].cursor() as cursor:
        sql = _insert_sql(base_sql, ids_sql, by_year=by_year)
        cursor.execute(sql, (*base_params, *ids_params))
        return cursor.rowcount


def _take_apart(cursor) -> list[str]:
    """Drop OpenLine's indexes and constraints; returns the statements that restore them as
    they were (names and definitions read from the catalog, so that the migrations' state
    holds). Built once over a million rows, they take a fifth of the time that inserting
    into them row by row does (7 indexes and 3 deferred foreign-key checks a row: 150 s
    against 27 s measured at 1.2 M lines)."""
    table, quote = OpenLine._meta.db_table, connections["default"].ops.quote_name
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f')"
        " ORDER BY contype = 'f', conname",
        [quote(table)],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes"
        " WHERE schemaname = current_schema() AND tablename = %s ORDER BY indexname",
        [table],
    )
    owned = {name for name, *_ in constraints}
    indexes = [(name, definition) for name, definition in cursor.fetchall() if name not in owned]
    keys, foreign = [], []
    for name, kind, definition in constraints:
        cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        statement = f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
        (foreign if kind == "f" else keys).append(statement)
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {quote(name)}")
    # The primary key first: the foreign keys' checks are the last and longest.
    return [*keys, *(definition for _name, definition in indexes), *foreign]


def _rewrite(lines, facts, *, python: bool = False, bulk: bool = False) -> int:
    """Replace `lines` (None: every line) by those of `facts`."""
    using = router.db_for_write(OpenLine)
    with transaction.atomic(using=using):
        if python or not _on_postgresql(using):
            # One DELETE statement: OpenLine has no dependents and no signal receivers.
            (OpenLine.objects.all() if lines is None else lines)._raw_delete(using)
            return _write_python(facts)
        with connections[using].cursor() as cursor:
            # One writer at a time (two reviewers publishing at once would both delete, then
            # both insert the same keys); readers wait only for a bulk rewrite.
            mode = "ACCESS EXCLUSIVE" if bulk else "SHARE ROW EXCLUSIVE"
            cursor.execute(f"LOCK TABLE {_table(OpenLine)} IN {mode} MODE")
            # The project lookup's estimated cost would start JIT compilation: about 1.8 s
            # of compiling for a statement that runs in a few (measured at 1.2 M facts).
            cursor.execute("SET LOCAL jit = off")
            restore = []
            if bulk:
                # A table with checks still queued in this transaction (the facts generate_city
                # has just copied, the lines written before) cannot be altered: they run now,
                # as they would at commit, and the constraints are deferred again below.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                restore = _take_apart(cursor)
            if lines is None:
                # Locked already: an empty table instead of a million dead rows to vacuum.
                cursor.execute(f"TRUNCATE {_table(OpenLine)}")
            else:
                lines._raw_delete(using)
            count = _write_sql(facts, using, by_year=bulk)
            for statement in restore:
                cursor.execute(statement)
            if bulk:
                # Django creates every foreign key DEFERRABLE INITIALLY DEFERRED.
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                # Fresh statistics, or the planner guesses the filters' costs.
                cursor.execute(f"ANALYZE {_table(OpenLine)}")
        return count


def refresh(publications: Iterable, *, python: bool = False, bulk: bool = False) -> int:
    """Rewrite the open lines of these publications (objects, ids or a queryset of
    publications) from their facts: none when a publication is not (or no longer) open.
    Returns the number of lines written. `bulk` (for hundreds of thousands of lines, as
    generate_city writes) rebuilds the table's indexes after writing instead of updating them
    row by row; on PostgreSQL readers of the open lines then wait until it commits. `python`
    forces the Python path on PostgreSQL (tests compare the two)."""
    ids = _ids(publications)
    return _rewrite(
        OpenLine.objects.filter(publication__in=ids),
        open_facts().filter(publication__in=ids),
        python=python,
        bulk=bulk,
    )


def refresh_all(*, python: bool = False) -> int:
    """Rewrite every open line (after loaddata, generate_city or a change of settings), in
    bulk: on PostgreSQL the open lines are locked, readers included, until it commits
    (12–34 s for 1.2 million lines on a shared 2-core machine)."""
    return _rewrite(None, open_facts(), python=python, bulk=True)


def rewrite_records(lines=None) -> int:
    """Recompute the CSV and API records (OpenLine.csv_row, api_json) of these lines (a
    queryset; None: every line) from their columns and citations, for a change written around
    `refresh` (an `update()` of the columns). Returns the number of lines."""
    lines = OpenLine.objects.all() if lines is None else lines
    using = router.db_for_write(OpenLine)
    if not _on_postgresql(using):
        count = 0
        fields = ("pk", "subject_code", *CSV_FIELDS)
        rows = lines.order_by("pk").values(*fields).iterator(chunk_size=CHUNK)
        for batch in _batches(rows):
            citations = line_records.sources([line["pk"] for line in batch])
            records = [
                OpenLine(
                    pk=line["pk"],
                    csv_row=csv_record([line[name] for name in CSV_FIELDS]),
                    api_json=line_records.line_record(line, citations.get(line["pk"], [])),
                )
                for line in batch
            ]
            count += OpenLine.objects.bulk_update(records, ["csv_row", "api_json"])
        return count
    quote = connections[using].ops.quote_name
    table = _table(OpenLine)
    api_record = line_records.line_json_sql(
        lambda name: f"{table}.{quote(_COLUMN.get(name, name))}"
    )
    ids_sql, params = lines.order_by().values("pk").query.get_compiler(using).as_sql()
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {quote('csv_row')} = {csv_row_sql(quote)},"
            f" {quote('api_json')} = {api_record}"
            f" WHERE {quote('fact_id')} IN ({ids_sql})",
            params,
        )
        return cursor.rowcount


# ---- keeping them in step with what people edit ---------------------------------------------


def _follow(publications) -> None:
    """Refresh those of these publications (a queryset) that are published; a draft has no
    lines to follow (an import saving a draft's figures one by one costs one query each)."""
    published = publications.published()
    if published.exists():
        refresh(published)


def _publications_of_unit_lines(unit_id, year=None):
    """Publications holding facts of this unit (a unit's lines may sit in its department's
    publication), of one year if given."""
    facts = Fact.objects.filter(unit_id=unit_id)
    if year is not None:
        facts = facts.filter(publication__year=year)
    return Publication.objects.filter(pk__in=facts.values("publication_id"))


def _fact_saved(sender, instance, raw=False, **kwargs):
    # A correction saves its Correction (whose data_changed refreshes) before the figure
    # itself: the line follows the figure once it is saved.
    if not raw and instance.publication_id:
        _follow(Publication.objects.filter(pk=instance.publication_id))


def _citation_saved(sender, instance, raw=False, **kwargs):
    # Not on delete: citations are deleted with their fact, whose line goes with it (a refresh
    # in between would write the line of a fact about to be deleted).
    if not raw and instance.fact_id:
        fact = Fact.objects.filter(pk=instance.fact_id).values("publication_id")
        _follow(Publication.objects.filter(pk__in=fact))


def _unit_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        _follow(_publications_of_unit_lines(instance.pk))


def _subject_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        facts = Fact.objects.filter(subject_id=instance.pk).values("publication_id")
        _follow(Publication.objects.filter(pk__in=facts))


def _project_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created and instance.unit_id:
        _follow(_publications_of_unit_lines(instance.unit_id))


def _link_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    unit_id = Project.objects.filter(pk=instance.project_id).values_list("unit_id", flat=True)
    year = Subject.objects.filter(pk=instance.subject_id).values_list("year", flat=True)
    if unit_id and year:
        _follow(_publications_of_unit_lines(unit_id[0], year[0]))


def _publication_saved(sender, instance, raw=False, **kwargs):
    # Publishing refreshes through budgets.apps.data_changed; a publication taken back to
    # draft loses its lines here.
    stale = not raw and not instance.is_published
    if stale and OpenLine.objects.filter(publication=instance).exists():
        refresh([instance])


def connect() -> None:
    """Connect the signals that keep the open lines in step (from BudgetsConfig.ready)."""
    uid = "budgets.open_lines"
    post_save.connect(_fact_saved, sender=Fact, dispatch_uid=f"{uid}.fact")
    post_save.connect(_citation_saved, sender=Citation, dispatch_uid=f"{uid}.citation")
    post_save.connect(_unit_saved, sender=Unit, dispatch_uid=f"{uid}.unit")
    post_save.connect(_subject_saved, sender=Subject, dispatch_uid=f"{uid}.subject")
    post_save.connect(_project_saved, sender=Project, dispatch_uid=f"{uid}.project")
    post_save.connect(_link_changed, sender=ProjectSubjectLink, dispatch_uid=f"{uid}.link")
    post_delete.connect(_link_changed, sender=ProjectSubjectLink, dispatch_uid=f"{uid}.link-")
    post_save.connect(_publication_saved, sender=Publication, dispatch_uid=f"{uid}.publication")


__all__ = [
    "CSV_FIELDS",
    "connect",
    "csv_chunks",
    "refresh",
    "refresh_all",
    "rewrite_records",
    "write_csv",
]
