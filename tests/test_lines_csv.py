"""/data/browse.csv: unfiltered, the built lines.csv served from its file; filtered and sorted
as the lines page offers, streamed from the open lines in one query; bad values a 400 naming
the parameter."""

import csv
import io
import itertools

import pytest
from django.db.models import F
from django.http import FileResponse

from budgets import downloads, open_lines
from budgets.datasets import LINES
from budgets.models import OpenLine
from tests.helpers import csv_rows

pytestmark = pytest.mark.django_db
URL = "/data/browse.csv"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def expected(lines) -> bytes:
    return b"".join(open_lines.csv_chunks(lines))


def test_unfiltered_it_is_the_built_lines_csv_without_a_query(client, django_assert_num_queries):
    manifest = downloads.build()
    entry = next(e for e in manifest["files"] if e["name"] == "lines.csv")
    with django_assert_num_queries(0):
        response = client.get(URL)
        served = body(response)
    assert isinstance(response, FileResponse)
    assert served == downloads.file_path("lines.csv").read_bytes()
    assert response["X-Content-SHA256"] == entry["sha256"]
    assert response["Content-Disposition"].startswith('attachment; filename="lines.csv"')
    # The same bytes as the stream of every open line, as a filter that keeps all would give.
    assert served == expected(OpenLine.objects.all())
    assert body(client.get(URL, {"sort": "pk", "year": "", "page": "2"})) == served


def test_before_the_first_build_it_streams_every_line(client):
    response = client.get(URL)
    assert not isinstance(response, FileResponse)
    assert body(response) == expected(OpenLine.objects.all())


@pytest.mark.parametrize(
    ("params", "lines"),
    [
        ({"stage": "final"}, lambda: OpenLine.objects.filter(stage="final").order_by("pk")),
        (
            {"year": "2024", "breakdown": "economic", "sort": "-amount"},
            # Blanks last, as the page sorts them (PostgreSQL puts NULL first when descending).
            lambda: OpenLine.objects.filter(year=2024, breakdown="economic").order_by(
                F("amount").desc(nulls_last=True), "-pk"
            ),
        ),
        (
            {"code_prefix": "208", "sort": "amount", "page": "3", "per_page": "10"},
            lambda: OpenLine.objects.filter(subject_code__startswith="208").order_by(
                "amount", "pk"
            ),
        ),
        (
            {"unit": "503033", "sort": "-year"},
            lambda: OpenLine.objects.filter(unit_code="503033").order_by("-year", "-pk"),
        ),
        ({"unit_prefix": "999"}, lambda: OpenLine.objects.none()),
    ],
    ids=[
        "stage",
        "year, breakdown, -amount",
        "code prefix, amount, paging ignored",
        "-year",
        "none",
    ],
)
def test_filtered_it_streams_exactly_the_filtered_sorted_lines(client, params, lines):
    downloads.build()
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    streamed = body(response)
    assert streamed == expected(lines())
    rows = list(csv.reader(io.StringIO(streamed.decode("utf-8-sig"))))
    assert rows[0] == LINES.header
    assert len(rows) - 1 == lines().count()


def test_sorted_by_amount_the_largest_line_comes_first(client):
    rows = csv_rows(client.get(URL, {"sort": "-amount", "direction": "expenditure"}))
    amounts = [row[LINES.header.index("amount")] for row in rows[1:]]
    numbers = [float(a) for a in amounts if a]
    assert numbers == sorted(numbers, reverse=True)
    assert numbers[0] == 732.00


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"year": "去年"}, "year"),
        ({"year": "２０２４"}, "year"),
        ({"stage": "x"}, "stage"),
        ({"sort": "unit_name"}, "sort"),
        ({"sort": "amount,year"}, "sort"),
        ({"code_prefix": "2a"}, "code_prefix"),
        ({"unit": "50303３"}, "unit"),
    ],
)
def test_bad_values_are_a_400_naming_the_parameter(client, params, name):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert f"参数 {name}" in response.content.decode()


def test_a_filtered_csv_is_one_query_however_many_lines(client, django_assert_num_queries, tenfold):
    assert OpenLine.objects.count() > 1000
    with django_assert_num_queries(1):
        rows = csv_rows(client.get(URL, {"year": "2024", "sort": "-amount"}))
    assert len(rows) - 1 == OpenLine.objects.count()


def test_a_filtered_csv_of_the_published_fixtures_is_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = csv_rows(client.get(URL, {"year": "2024"}))
    assert len(rows) - 1 == OpenLine.objects.count() == 121


def test_head_and_only_get_and_head(client):
    assert client.head(URL, {"stage": "final"}).status_code == 200
    assert client.post(URL, {"stage": "final"}).status_code == 405


def test_the_csv_starts_with_the_bom_and_the_header_of_lines_csv(client):
    streamed = body(client.get(URL, {"stage": "final"}))
    assert streamed.startswith(b"\xef\xbb\xbf" + ",".join(LINES.header).encode() + b"\r\n")


def test_write_csv_writes_every_line_as_the_stream_gives_it(tmp_path):
    path = tmp_path / "lines.csv"
    assert open_lines.write_csv(path) == OpenLine.objects.count() == 121
    assert path.read_bytes() == expected(OpenLine.objects.all())


@pytest.mark.skipif(
    not open_lines._on_postgresql("default"), reason="the order rows are stored in (ctid)"
)
def test_a_rewrite_of_every_line_stores_each_years_lines_together(settings):
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    settings.OPEN_DATA_INCLUDES_EXAMPLES = True
    call_command("generate_city", "--departments=1", "--units=3", "--years=3", stdout=StringIO())
    open_lines.refresh_all()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT year, fact_id FROM {OpenLine._meta.db_table} ORDER BY ctid")
        stored = cursor.fetchall()
    assert len({year for year, _ in stored}) > 1
    years = [year for year, _ in stored]
    switches = sum(1 for before, after in itertools.pairwise(years) if before != after)
    # Each year one run, but for the odd short row PostgreSQL fits into an earlier page's
    # free space (stored key by key, the generated years interleave every few rows).
    assert len(set(years)) == 3
    assert switches <= 3 + 2 * len(stored) // 100, switches
    key_order = sorted(stored, key=lambda line: line[1])
    interleaved = sum(1 for a, b in itertools.pairwise(key_order) if a[0] != b[0])
    assert switches < interleaved  # the generated units' years interleave by key


# -- the stored CSV record (OpenLine.csv_row) the PostgreSQL stream copies ---------------------

HOSTILE_TEXTS = [
    "=cmd|' /C calc'!A0", "+1", "-1+2", "@SUM(1)", "\tleading tab", "\rleading cr",
    'say "hi"', "a,b", "multi\nline", "crlf\r\ninside", "back\\slash", "\\N", "\\",
    "vt\x0bff\x0cbs\x08", "tab\tinside", "ünïcödé 😀 𠀀 e\u0301 预算", " leading space",
    "trailing space ", '"', "-0.5", "+5%", "-1,033.09", "=", "\\.", ",", "\r", "\n",
]  # fmt: skip


@pytest.fixture
def hostile_texts():
    """A line for each text a spreadsheet would run, a CSV writer must quote or PostgreSQL's
    COPY used to escape (backslashes, tabs, line breaks, other control characters), in its subject's
    name, with a unit and a table named hostile too."""
    from budgets.models import Subject
    from tests import factories

    unit = factories.unit_in(factories.department("905", "部门"), "905001", name='@unit,"\\\n')
    budget = factories.publication(unit, 2024)
    for index, text in enumerate(HOSTILE_TEXTS):
        fact = factories.fact(budget, f"5019{index:03d}", f"{index}.{index % 10}0")
        Subject.objects.filter(pk=fact.subject_id).update(name=text)
        section = budget.sections.create(
            code=text or "表", slug=f"h{index}", title="表", kind="table", topic="expenditure",
            order=index,
        )  # fmt: skip
        fact.citations.create(section=section, row_order=1, row_label="行", column="金额")
    open_lines.refresh_all()
    return OpenLine.objects.filter(unit_code="905001")


def records(lines) -> list[tuple[str, str]]:
    """(stored record, the record Python's csv module writes of the line's columns)."""
    rows = lines.order_by("pk").values_list("csv_row", *open_lines.CSV_FIELDS)
    return [(stored, open_lines.csv_record(columns)) for stored, *columns in rows]


def test_the_stored_record_of_hostile_lines_is_python_csvs(hostile_texts):
    found = records(hostile_texts)
    assert len(found) == len(HOSTILE_TEXTS)
    assert [stored for stored, _ in found] == [written for _, written in found]
    names = {row[7] for row in csv.reader(io.StringIO("\r\n".join(s for s, _ in found)))}
    assert {"'=cmd|' /C calc'!A0", "+1", "'-1+2", "'@SUM(1)", "'\tleading tab", "'\rleading cr",
            "back\\slash", "\\N", "vt\x0bff\x0cbs\x08", "multi\nline", "crlf\r\ninside",
            "ünïcödé 😀 𠀀 e\u0301 预算", "-0.5", "+5%", "-1,033.09", "'="} <= names  # fmt: skip


def test_the_stored_record_follows_an_update_of_the_columns(hostile_texts):
    line = hostile_texts.order_by("pk").first()
    hostile_texts.filter(pk=line.pk).update(unit_name="=changed", amount=None)
    assert open_lines.rewrite_records(hostile_texts.filter(pk=line.pk)) == 1
    stored, written = records(hostile_texts.filter(pk=line.pk))[0]
    assert stored == written
    assert ",'=changed," in stored


def test_the_stream_of_hostile_lines_is_byte_identical_on_both_paths(client, hostile_texts):
    copied = b"".join(open_lines.csv_chunks(hostile_texts.order_by("-amount", "pk")))
    written = b"".join(open_lines.csv_chunks(hostile_texts.order_by("-amount", "pk"), python=True))
    assert copied == written
    assert body(client.get(URL, {"unit": "905001", "sort": "-amount"})) == written
    assert len(list(csv.reader(io.StringIO(written.decode("utf-8-sig"))))) == len(HOSTILE_TEXTS) + 1


@pytest.mark.parametrize(("rows", "chunked"), [(4, 3), (5, 1), (1, 2)])
def test_rows_read_in_blocks_are_joined_the_same_across_every_block_boundary(
    monkeypatch, hostile_texts, rows, chunked
):
    """Blocks of rows in a response chunk and in libpq's results of other sizes than the
    rows (one row a result: the path of a libpq before 17)."""
    from budgets import lines_csv

    monkeypatch.setattr(lines_csv, "STREAM_ROWS", rows)
    monkeypatch.setattr(lines_csv, "_CHUNKED", chunked)
    lines = hostile_texts.order_by("amount", "pk")
    chunks = list(open_lines.csv_chunks(lines))
    assert b"".join(chunks) == b"".join(open_lines.csv_chunks(lines, python=True))
    if open_lines._on_postgresql("default"):
        assert len(chunks) == -(-len(HOSTILE_TEXTS) // rows)


@pytest.mark.skipif(not open_lines._on_postgresql("default"), reason="the SQL path")
def test_the_sql_and_python_writers_store_the_same_records(hostile_texts):
    in_sql = records(OpenLine.objects.all())
    open_lines.refresh_all(python=True)
    assert records(OpenLine.objects.all()) == in_sql


@pytest.mark.skipif(not open_lines._on_postgresql("default"), reason="a PostgreSQL setting")
def test_a_stream_read_whole_or_abandoned_leaves_the_planner_as_it_was():
    from django.db import connection

    def planner():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_sort'), current_setting('jit')")
            return cursor.fetchone()

    before = planner()
    assert before[0] == "on"
    assert b"".join(open_lines.csv_chunks(OpenLine.objects.filter(stage="final")))
    assert planner() == before
    chunks = open_lines.csv_chunks(OpenLine.objects.all())
    next(chunks)
    chunks.close()
    assert planner() == before


@pytest.mark.skipif(not open_lines._on_postgresql("default"), reason="PostgreSQL settings")
@pytest.mark.django_db(transaction=True)
def test_a_streams_settings_hold_in_a_transaction_of_its_own_and_end_with_it(settings):
    """Outside any transaction, as in a request: behind PgBouncer in transaction mode only a
    transaction stays on one server connection, so the stream's query must run in the
    transaction that set its settings (after the statement that set them, hence
    statement_timestamp() is later than the transaction's start), with its own timeouts, and
    leave the session as it found it."""
    from django.core.management import call_command
    from django.db import connection
    from psycopg import pq

    from tests.conftest import FIXTURES

    if not OpenLine.objects.exists():  # a transactional test before this one emptied it
        call_command("loaddata", *FIXTURES, verbosity=0)
        open_lines.refresh_all()
    settings.DB_STATEMENT_TIMEOUT_MS = 4000
    settings.DB_STREAM_STATEMENT_TIMEOUT_MS = 123456
    inside = OpenLine.objects.extra(
        where=[
            "current_setting('enable_sort') = 'off'",
            "current_setting('jit') = 'off'",
            "current_setting('statement_timeout') = '123456ms'",
            "current_setting('lock_timeout') = '4s'",
            "statement_timestamp() > transaction_timestamp()",
        ]
    )
    rows = b"".join(open_lines.csv_chunks(inside)).count(b"\r\n") - 1
    assert rows == OpenLine.objects.count() > 0
    assert connection.connection.info.transaction_status == pq.TransactionStatus.IDLE
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_sort'), current_setting('statement_timeout')"
        )
        assert cursor.fetchone() == ("on", "0")
