"""The lines API's short cuts (budgets/api/records.py, budgets/api/lines.py) answer exactly what
the long way did: the unfiltered list skips the FilterSet, the FilterSet is built without deep
copies, and the sources are read with one written SQL query on PostgreSQL."""

import pytest
from django.db import connection

from budgets import line_records
from budgets.api import records
from budgets.filters import OpenLineFilter
from budgets.models import Citation, OpenLine

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def body(client, path, **params):
    response = client.get(path, params, **JSON)
    assert response.status_code == 200, response.content
    return response.content


def test_the_unfiltered_list_is_the_same_bytes_with_or_without_the_filterset(client):
    # An empty filter value goes through the FilterSet, which ignores it.
    for size in ("1", "7", "1000"):
        skipped = body(client, "/api/lines/", page_size=size)
        filtered = body(client, "/api/lines/", page_size=size, year="")
        assert skipped == filtered.replace(b"&year=", b"").replace(b"year=&", b"")
    page = client.get("/api/lines/", {"page_size": 3}, **JSON).json()
    following = client.get(page["next"], **JSON).json()
    assert [line["id"] for line in following["results"]] == list(
        OpenLine.objects.order_by("pk").values_list("pk", flat=True)[3:6]
    )


def test_filter_parameters_still_filter_and_bad_values_are_still_400(client):
    assert client.get("/api/lines/", {"year": "abc"}, **JSON).status_code == 400
    assert client.get("/api/lines/", {"stage": "draft"}, **JSON).status_code == 400
    assert client.get("/api/lines/", {"nonsense": "1"}, **JSON).status_code == 400


@pytest.mark.parametrize(
    "params",
    [
        {"year": "2024", "stage": "final"},
        {"stage": "initial_budget"},  # after the one above: no filter carried over
        {"code_prefix": "208", "breakdown": "functional"},
        {"direction": "expenditure", "expense_class": "personnel", "year": "2024"},
        {"unit": "503033", "fund_source": "general_budget"},
    ],
)
def test_the_cheaper_filterset_finds_what_the_filterset_finds(client, params):
    found = client.get("/api/lines/", {**params, "page_size": 1000}, **JSON).json()
    expected = OpenLineFilter(params, OpenLine.objects.all()).qs.order_by("pk")
    assert expected.exists()
    assert [line["id"] for line in found["results"]] == list(expected.values_list("pk", flat=True))
    assert records.LineFilter(params, OpenLine.objects.all()).filters.keys() == (
        OpenLineFilter.base_filters.keys()
    )


def test_the_cheaper_filterset_never_changes_the_class_filters():
    first = records.LineFilter({"year": "2024"}, OpenLine.objects.all())
    second = records.LineFilter({"year": "2023"}, OpenLine.objects.all())
    assert first.filters["year"] is not second.filters["year"]
    assert first.filters["year"].parent is first
    assert not hasattr(records.LineFilter.base_filters["year"], "parent")
    assert first.qs.filter(year=2023).count() == 0


def test_the_sources_query_reads_what_the_orm_reads():
    # On PostgreSQL the written SQL; elsewhere the ORM: both against the ORM's own answer.
    ids = list(Citation.objects.values_list("fact_id", flat=True).distinct()[:200])
    assert ids
    expected = list(line_records.citations_of(ids))
    assert [tuple(row) for row in line_records.citations(ids)] == expected
    assert list(line_records.citations([])) == []
    assert connection.vendor in ("postgresql", "sqlite")
