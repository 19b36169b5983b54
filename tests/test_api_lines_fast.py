"""/api/lines/ is answered without DRF (budgets.api.lines) when the request is a valid page as
JSON, and by DRF otherwise: every answer, valid or refused, is byte for byte the one DRF gave
before (recorded in tests/api_line_answers.json from the code before budgets.api.lines) and
the one DRF gives now, with the same SQL."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets import filters
from budgets.api import lines, lines_lane
from budgets.api.records import LineViewSet
from tests.api_line_cases import (
    JSON,
    LINES,
    REQUESTS,
    VALID,
    answer,
    ask,
    every_answer,
    recorded,
    walk,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def drf_calls(monkeypatch):
    """The requests DRF's list view answered (the others were answered by budgets.api.lines)."""
    calls = []
    original = LineViewSet.list

    def counted(self, request, *args, **kwargs):
        calls.append(request.get_full_path())
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(LineViewSet, "list", counted)
    return calls


def test_every_answer_is_the_one_recorded_before_the_fast_path(client, drf_calls):
    expected = recorded()
    found = dict(every_answer(client))
    assert found.keys() == expected.keys()
    for key, response in found.items():
        assert answer(response) == expected[key], key
    # The valid pages were written by budgets.api.lines, not by DRF.
    assert not {f"{LINES}?{query}".rstrip("?") for query in VALID} & set(drf_calls)


def drf_only(monkeypatch):
    monkeypatch.setattr(lines, "asked", lambda query: None)


def both(client, monkeypatch, drf_calls, method, path, headers):
    """(answer, SQL, answered by DRF) of the request through budgets.api.lines, then through
    DRF alone."""
    found = []
    for slow in (False, True):
        drf_calls.clear()
        with monkeypatch.context() as patch, CaptureQueriesContext(connection) as queries:
            if slow:
                drf_only(patch)
            response = ask(client, method, path, headers)
        found.append((answer(response), [query["sql"] for query in queries], bool(drf_calls)))
    return found


def after_columns(sql: str) -> str:
    """The query after its columns, ORDER BY's references to its columns by number written out
    (which number a column has depends on the columns chosen)."""
    head, tail = sql.split(' FROM "budgets_openline"', 1)
    columns, depth, start = [], 0, len("SELECT ")
    for index, char in enumerate(head):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            columns.append(head[start:index])
            start = index + 2
    columns.append(head[start:])
    columns = [re.sub(r' AS "\w+"$', "", column) for column in columns]
    return re.sub(
        r"(ORDER BY |, )(\d+) (ASC|DESC)",
        lambda match: f"{match[1]}{columns[int(match[2]) - 1]} {match[3]}",
        tail,
    )


@pytest.mark.parametrize("narrow", [filters.NARROW_UNIT_PREFIX, 0])
def test_the_fast_path_answers_what_drf_answers_with_the_same_queries(
    client, monkeypatch, drf_calls, many_lines, narrow
):
    # `narrow` 0: a unit prefix walks its order's index (the city's departments) rather
    # than sorting its few lines' keys (the tests' few lines): both shapes of the query.
    monkeypatch.setattr(filters, "NARROW_UNIT_PREFIX", narrow)
    fast_pages = 0
    for method, path, headers in REQUESTS:
        fast, slow = both(client, monkeypatch, drf_calls, method, path, headers)
        assert fast[0] == slow[0], path
        if fast[2] or not slow[1]:  # DRF answered, or a middleware before any view (a NUL)
            continue
        fast_pages += 1
        # One query less: DRF's query of the page's rows as DRF writes it, reading each line's
        # record instead of its columns (the sources are in the record). The same estimate
        # first for a unit prefix (an EXPLAIN, budgets.filters.walks_order_index).
        *estimate, records = fast[1]
        assert slow[1][: len(estimate)] == estimate, path
        assert after_columns(records) == after_columns(slow[1][len(estimate)]), path
    assert fast_pages > 20


@pytest.mark.parametrize("query", ["page_size=100", "ordering=-amount&page_size=70&year=2024",
                                   "ordering=amount&unit_prefix=503&page_size=90"])  # fmt: skip
def test_every_page_of_a_long_list_is_drfs_both_ways(client, monkeypatch, many_lines, query):
    pages = 0
    for path, response in walk(client, query):
        with monkeypatch.context() as patch:
            drf_only(patch)
            slow = ask(client, "GET", path, JSON)
        assert response.status_code == 200
        assert answer(response) == answer(slow), path
        pages += 1
    assert pages > 4


@pytest.fixture
def many_lines(tenfold):
    from budgets import open_lines

    open_lines.refresh_all()


def test_a_page_is_one_query_and_the_query_is_written_once_per_shape(
    client, django_assert_num_queries
):
    lines._statements.cache_clear()
    for stage in ("final", "initial_budget", "adjusted_budget"):
        with django_assert_num_queries(1):  # the page's records, their sources in them
            response = client.get(LINES, {"year": "2024", "stage": stage}, **JSON)
        assert response.json()["results"]
    assert lines._statements.cache_info().misses == 1


def test_a_page_past_the_end_is_drfs_404(client, drf_calls):
    response = client.get(LINES, {"page_size": 500}, **JSON)
    last = response.json()["results"][-1]["id"]
    from budgets.keyset import Cursor

    cursor = Cursor("pk", False, None, last).encode()
    response = client.get(LINES, {"cursor": cursor}, **JSON)
    assert response.status_code == 404
    assert "最后一条" in response.json()["detail"]
    assert drf_calls == [f"{LINES}?cursor={cursor}"]


def test_only_what_drf_renders_as_plain_json_is_answered_without_it():
    assert lines_lane.json_media_type(None) == "application/json"
    assert lines_lane.json_media_type("*/*") == "application/json"
    assert lines_lane.json_media_type("application/json; indent=4") == "application/json; indent=4"
    assert lines_lane.json_media_type("text/html,*/*;q=0.8") is None  # the browsable API
    assert lines_lane.json_media_type("application/xml") is None  # 406
