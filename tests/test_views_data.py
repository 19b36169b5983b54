"""The open-data pages: downloads with their facts, the dictionary, and the lines browser whose
CSV is exactly the filtered view."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets import downloads, open_lines
from budgets.datasets import DATASETS, LINES
from budgets.formatting import wan
from budgets.keyset import Cursor
from budgets.models import OpenLine
from tests.helpers import csv_rows, table_rows

pytestmark = pytest.mark.django_db


def test_data_page_lists_each_file_with_rows_size_hash_and_build_time(client):
    manifest = downloads.build()
    html = client.get("/data/").content.decode()
    for entry in manifest["files"]:
        assert f'href="/data/{entry["name"]}"' in html
        assert entry["sha256"] in html
        assert f">{entry['bytes']}<" in html
    assert manifest["built_at"] in html
    assert "CC BY 4.0" in html or "CC-BY-4.0" in html
    assert 'href="/api/schema/"' in html


def test_dictionary_explains_every_column_of_every_file_in_both_languages(client):
    html = client.get("/data/dictionary/").content.decode()
    for dataset in DATASETS:
        for column in dataset.columns:
            assert f'<td class="code">{column.name}</td>' in html
            assert column.en in html
    for note in ("尾差", "不等于 0", "Creative Commons Attribution 4.0", "引用", "general_budget"):
        assert note in html


def browse(client, **params):
    response = client.get("/data/browse/", params)
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def lines(html: str) -> list[dict]:
    """The lines of a browse page, as {column: cell text}."""
    header, *rows = table_rows(html)
    return [dict(zip(header, row, strict=True)) for row in rows if len(row) == len(header)]


def link(html: str, label: str) -> str | None:
    """The address of the page link labelled `label` (上一页, 下一页), None without one."""
    match = re.search(rf'<a href="([^"]*)" rel="(?:prev|next)">{label}</a>', html)
    return unescape(match[1]) if match else None


def every_line(client, **params) -> list[dict]:
    """Every line of a view, page after page through the 下一页 links."""
    html = browse(client, **params)
    found = lines(html)
    while (address := link(html, "下一页")) is not None:
        html = client.get(f"/data/browse/{address}").content.decode()
        found += lines(html)
    return found


def amount(line) -> Decimal | None:
    return Decimal(line["amount"]) if line["amount"] else None


@pytest.fixture
def many_lines(tenfold):
    """Ten times the lines of 503033's 2024 in the open lines, too."""
    open_lines.refresh_all()


def test_browse_filters_sorts_and_pages(client):
    html = browse(client, stage="final", breakdown="economic", sort="-amount")
    header = table_rows(html)[0]
    # The columns of lines.csv, the amount moved forward to the first screen (after the names).
    assert sorted(header) == sorted(LINES.header)
    assert header[:9] == [
        "year", "stage", "direction", "breakdown", "functional_code", "functional_name",
        "economic_code", "economic_name", "amount",
    ]  # fmt: skip
    first = lines(html)[0]
    assert (first["economic_code"], first["economic_name"]) == ("30214", "租赁费")
    assert first["amount"] == "143.95"
    assert {line["stage"] for line in lines(html)} == {"final"}
    params = {"stage": "final", "breakdown": "economic", "sort": "-amount"}
    first_ten = lines(browse(client, **params, per_page="10"))
    assert len(first_ten) == 10
    second = browse(client, **params, per_page="5")
    second = client.get(f"/data/browse/{link(second, '下一页')}").content.decode()
    assert lines(second) == first_ten[5:]
    # 上一页 goes back to exactly the first page.
    back = client.get(f"/data/browse/{link(second, '上一页')}").content.decode()
    assert lines(back) == first_ten[:5]
    assert link(back, "上一页") is None


def test_browse_keeps_the_look_of_the_lines_table_and_its_phone_layout(client):
    html = browse(client, code="2080199")
    assert '<table class="data lines stack">' in html
    assert '<td class="num" data-label="amount">306.12</td>' in html
    assert '<td class="name" data-label="functional_name">' in html
    assert '<td data-label="unit_code">503033</td>' in html
    assert 'aria-label="数据表"' in html
    # Only the indexed orders are offered, each header linking to its other direction.
    assert '<th class="orderable"><a href="?code=2080199&amp;sort=year">year</a></th>' in html
    assert '<th class="num orderable"><a href="?code=2080199&amp;sort=amount">amount</a></th>' in (
        html
    )
    sorted_html = browse(client, code="2080199", sort="amount")
    assert '<th class="asc num orderable"><a href="?code=2080199&amp;sort=-amount">' in sorted_html
    assert "<th>stage</th>" in html
    assert "<th>functional_name</th>" in html
    assert "没有符合条件的数据。" in browse(client, code="9999999")
    # The filter form holds the filters in force.
    form = browse(client, code="2080199", stage="final")
    assert re.search(r'<input type="text" name="code" value="2080199"[^>]*>', form)
    assert re.search(r'<option value="final" selected>决算</option>', form)
    assert not re.search(r'<option value="final" selected>', html)


def test_the_first_page_says_what_it_knows_of_the_size_without_counting(client):
    total = len(every_line(client, per_page="200"))
    assert f"共 {total} 条" in browse(client, per_page="200")
    first = browse(client, per_page="10")
    assert "超过 10 条" in first
    following = client.get(f"/data/browse/{link(first, '下一页')}").content.decode()
    assert "超过" not in following
    assert "共 " not in following
    assert "本页 10 条" in following


@pytest.mark.parametrize("sort", ["pk", "amount", "-amount", "year", "-year"])
def test_paging_through_an_order_visits_every_line_once_in_that_order(client, many_lines, sort):
    paged = every_line(client, sort=sort, per_page="97")
    everything = every_line(client, per_page="200")
    assert len(paged) == len(everything) > 1000
    assert sorted(map(str, paged)) == sorted(map(str, everything))
    if sort.endswith("amount"):
        amounts = [amount(line) for line in paged]
        present = [value for value in amounts if value is not None]
        # Blanks come last both ways.
        assert amounts == present + [None] * (len(amounts) - len(present))
        assert present == sorted(present, reverse=sort.startswith("-"))
        assert len(present) < len(amounts)
    elif sort.endswith("year"):
        years = [line["year"] for line in paged]
        assert years == sorted(years, reverse=sort.startswith("-"))


def test_a_unit_prefix_matching_few_lines_is_read_through_its_index_in_the_same_order(
    client, monkeypatch
):
    from budgets import filters

    def page_sql(**params) -> str:
        with CaptureQueriesContext(connection) as queries:
            browse(client, **params)
        return queries.captured_queries[-1]["sql"]

    narrow = every_line(client, unit_prefix="503", per_page="7")
    assert '"fact_id" + 0' in page_sql(unit_prefix="503")
    assert '"fact_id" + 0' not in page_sql()
    monkeypatch.setattr(filters, "NARROW_UNIT_PREFIX", 0)
    assert '"fact_id" + 0' not in page_sql(unit_prefix="503")
    assert every_line(client, unit_prefix="503", per_page="7") == narrow
    expected = OpenLine.objects.filter(unit_code__startswith="503").order_by("pk")
    assert [(line["stage"], line["amount"]) for line in narrow] == [
        (stage, wan(amount)) for stage, amount in expected.values_list("stage", "amount")
    ]


def test_the_csv_link_is_the_view_without_its_page(client):
    html = browse(client, stage="final", breakdown="economic", sort="-amount", per_page="5")
    assert 'href="/data/browse.csv?stage=final&amp;breakdown=economic&amp;sort=-amount"' in html
    after = client.get(f"/data/browse/{link(html, '下一页')}").content.decode()
    assert 'href="/data/browse.csv?stage=final&amp;breakdown=economic&amp;sort=-amount"' in after
    assert 'href="/data/browse.csv"' in browse(client)


def test_browse_csv_is_exactly_the_filtered_sorted_view(client):
    params = {"stage": "final", "breakdown": "economic", "sort": "-amount"}
    page = lines(browse(client, **params))
    rows = csv_rows(client.get("/data/browse.csv", params))
    assert rows[0] == LINES.header
    # The page shows the same cells in another column order.
    assert rows[1:] == [[line[column] for column in LINES.header] for line in page]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"year": "去年"}, "year"),
        ({"stage": "x"}, "stage"),
        ({"sort": "unit_name"}, "sort"),
        ({"sort": "stage"}, "sort"),
        ({"code_prefix": "2a"}, "code_prefix"),
        ({"per_page": "0"}, "per_page"),
        ({"per_page": "201"}, "per_page"),
        ({"cursor": "x"}, "cursor"),
        ({"cursor": "cGt-bn5-MTAw\x00"}, "cursor"),
        ({"page": "2"}, "page"),
        ({"unit_code": "503033"}, "unit_code"),
    ],
)
def test_browse_refuses_bad_parameters_by_name(client, params, name):
    response = client.get("/data/browse/", params)
    assert response.status_code == 400
    assert f"参数 {name}" in response.content.decode()


def test_a_cursor_is_refused_in_another_order(client):
    html = browse(client, per_page="5")
    address = link(html, "下一页")
    assert client.get(f"/data/browse/{address}").status_code == 200
    response = client.get(f"/data/browse/{address}&sort=-amount")
    assert response.status_code == 400
    assert "参数 cursor" in response.content.decode()


def test_a_page_past_the_end_is_a_404(client):
    html = browse(client, per_page="5")
    assert link(html, "上一页") is None
    # The page after the last line, and the page before the first.
    last = OpenLine.objects.order_by("pk").last().pk
    assert (
        client.get(
            "/data/browse/", {"cursor": Cursor("pk", False, None, last).encode()}
        ).status_code
        == 404
    )
    first = OpenLine.objects.order_by("pk").first().pk
    assert (
        client.get(
            "/data/browse/", {"cursor": Cursor("pk", True, None, first).encode()}
        ).status_code
        == 404
    )
    response = client.get("/data/browse/", {"cursor": Cursor("pk", False, None, last - 1).encode()})
    assert response.status_code == 200
    assert link(response.content.decode(), "下一页") is None


@pytest.mark.parametrize("size", ["small", "tenfold"])
def test_browse_runs_a_fixed_number_of_queries(client, request, size, django_assert_num_queries):
    if size == "tenfold":
        request.getfixturevalue("many_lines")
    # One page of lines, whatever the number of lines, the order or the page; no count.
    for params in ({"per_page": "200"}, {"sort": "-amount", "year": "2024"}):
        with django_assert_num_queries(1):
            html = browse(client, **params)
    address = link(html, "下一页")
    with django_assert_num_queries(1):
        client.get(f"/data/browse/{address}")
    # A unit prefix also asks how many lines it matches (an estimate, or a count up to a bound).
    with django_assert_num_queries(2):
        browse(client, unit_prefix="503")


def test_browse_csv_runs_a_fixed_number_of_queries(client, many_lines, django_assert_num_queries):
    # One SELECT of the open lines (their stored records on PostgreSQL): no build yet in the tests.
    with django_assert_num_queries(1):
        rows = csv_rows(client.get("/data/browse.csv"))
    assert len(rows) > 1000


def test_the_data_pages_name_their_sources_from_the_published_publications(client):
    from budgets.models import Publication

    Publication.objects.filter(kind="final").update(title="某单位某年度单位决算公开")
    for page in ("/data/", "/data/dictionary/"):
        html = client.get(page).content.decode()
        assert "武汉市人力资源和社会保障投诉咨询中心2024年单位预算" in html
        assert (
            "某单位某年度单位决算公开（武汉市人力资源和社会保障投诉咨询中心，2025年10月10日）"
            in html
        )
