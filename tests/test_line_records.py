"""The lines' JSON as PostgreSQL writes it (budgets.line_records.page_sql) is the JSON DRF
writes of the same lines, whatever their text: quotes, backslashes, control characters, the
two line terminators DRF escapes, characters beyond the BMP; blanks, negative and large
amounts; a subject of either scheme or none. Elsewhere the same tests check the Python path."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets import open_lines
from budgets.api import lines
from budgets.models import Citation, OpenLine
from tests.api_line_cases import JSON, LINES, answer

pytestmark = pytest.mark.django_db

HOSTILE = '"引号" \\ 反斜杠 \\u2028 \x01\x1f\x7f \n\t\r\b\f \u2028\u2029 😀 </script> é'


def fast_and_drf(client, monkeypatch, params):
    """The answer of budgets.api.lines (and its queries), then DRF's."""
    with CaptureQueriesContext(connection) as queries:
        fast = client.get(LINES, params, **JSON)
    count = len(queries)  # read before the next request empties Django's query log
    with monkeypatch.context() as patch:
        patch.setattr(lines, "asked", lambda query: None)
        drf = client.get(LINES, params, **JSON)
    return fast, count, drf


@pytest.fixture
def hostile_lines():
    keys = list(OpenLine.objects.order_by("pk").values_list("pk", flat=True)[:8])
    OpenLine.objects.filter(pk=keys[0]).update(
        unit_name=HOSTILE,
        project_code=HOSTILE,
        fund_source=HOSTILE[:32],
        breakdown='"\\\u2028\x01',  # at most 16 characters
    )
    OpenLine.objects.filter(pk=keys[1]).update(
        subject_code="", functional_name="", economic_name=HOSTILE, amount=None
    )
    OpenLine.objects.filter(pk=keys[2]).update(
        subject_code="3019999", functional_name="", economic_name="", amount=Decimal("-0.01")
    )
    OpenLine.objects.filter(pk=keys[3]).update(amount=Decimal("0"), project_code="")
    OpenLine.objects.filter(pk=keys[4]).update(amount=Decimal("9999999999.99"))
    OpenLine.objects.filter(pk=keys[5]).update(amount=Decimal("-123456.70"))
    cited = Citation.objects.filter(fact_id__in=keys[:3]).values_list("pk", flat=True)
    assert cited
    Citation.objects.filter(pk__in=cited).update(
        row_label=HOSTILE, column=HOSTILE, printed_text=HOSTILE
    )
    # update() sends no signal: the records are written again as a refresh would.
    assert open_lines.rewrite_records(OpenLine.objects.filter(pk__in=keys)) == len(keys)
    return keys


def test_hostile_text_and_every_kind_of_amount_are_written_as_drf_writes_them(
    client, monkeypatch, hostile_lines
):
    fast, queries, drf = fast_and_drf(client, monkeypatch, {"page_size": 8})
    assert fast.status_code == 200
    assert answer(fast) == answer(drf)
    assert queries == 1
    results = {line["id"]: line for line in fast.json()["results"]}
    first, second, third = (results[key] for key in hostile_lines[:3])
    assert first["unit_name"] == HOSTILE
    assert first["project_code"] == HOSTILE
    assert first["sources"]
    assert first["sources"][0]["printed_text"] == HOSTILE
    assert second["subject_code"] is None
    assert second["subject_name"] == HOSTILE
    assert second["amount"] is None
    assert third["subject_name"] is None
    assert third["amount"] == "-0.01"
    amounts = [results[key]["amount"] for key in hostile_lines[3:6]]
    assert amounts == ["0.00", "9999999999.99", "-123456.70"]
    assert results[hostile_lines[3]]["project_code"] is None
    # As DRF writes them: the line terminators escaped, everything else beyond ASCII as is.
    assert b"\\u2028\\u2029" in fast.content
    assert "\u2028".encode() not in fast.content
    assert "😀".encode() in fast.content
    assert b'\\"' in fast.content


@pytest.mark.parametrize(
    "params",
    [
        {"page_size": 3, "ordering": "-amount"},
        {"page_size": 5, "ordering": "amount", "year": "2024"},
        {"page_size": 4, "ordering": "-year", "unit_prefix": "503"},
    ],
)
def test_every_order_and_both_directions_keep_the_pages_order(client, monkeypatch, params):
    fast, _queries, drf = fast_and_drf(client, monkeypatch, params)
    assert answer(fast) == answer(drf)
    following = client.get(fast.json()["next"], **JSON)
    back = client.get(following.json()["previous"], **JSON)
    assert back.content == fast.content


def test_an_indented_answer_is_left_to_drf(client, monkeypatch):
    headers = {"HTTP_ACCEPT": "application/json; indent=4"}
    with CaptureQueriesContext(connection) as queries:
        fast = client.get(LINES, {"page_size": 3}, **headers)
    count = len(queries)  # read before the next request empties Django's query log
    with monkeypatch.context() as patch:
        patch.setattr(lines, "asked", lambda query: None)
        drf = client.get(LINES, {"page_size": 3}, **headers)
    assert answer(fast) == answer(drf)
    assert b'\n    "next"' in fast.content
    assert count == 2  # the page and its sources, rendered by JSONRenderer
