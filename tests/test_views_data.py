"""The open-data pages: downloads with their facts, the dictionary, and the lines browser whose
CSV is exactly the filtered view."""

import pytest

from budgets import downloads
from budgets.datasets import DATASETS, LINES
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


def test_browse_filters_sorts_and_pages(client):
    html = client.get(
        "/data/browse/", {"stage": "final", "breakdown": "economic", "sort": "-amount"}
    ).content.decode()
    header, *rows = table_rows(html)
    # The columns of lines.csv, the amount moved forward to the first screen (after the names).
    assert sorted(header) == sorted(LINES.header)
    assert header[:9] == [
        "year", "stage", "direction", "breakdown", "functional_code", "functional_name",
        "economic_code", "economic_name", "amount",
    ]  # fmt: skip
    first = dict(zip(header, rows[0], strict=True))
    assert (first["economic_code"], first["economic_name"]) == ("30214", "租赁费")
    assert first["amount"] == "143.95"
    params = {"stage": "final", "breakdown": "economic", "sort": "-amount"}

    def page(**paging):
        html = client.get("/data/browse/", {**params, **paging}).content.decode()
        return [row for row in table_rows(html)[1:] if len(row) == len(LINES.header)]

    first_ten = page(per_page="10")
    assert len(first_ten) == 10
    assert page(per_page="5", page="2") == first_ten[5:]


def test_browse_csv_is_exactly_the_filtered_sorted_view(client):
    params = {"stage": "final", "breakdown": "economic", "sort": "-amount"}
    header, *page = table_rows(client.get("/data/browse/", params).content.decode())
    rows = csv_rows(client.get("/data/browse.csv", params))
    assert rows[0] == LINES.header
    # The page shows the same cells in another column order.
    cells = [dict(zip(header, row, strict=True)) for row in page]
    assert rows[1:] == [[row[column] for column in LINES.header] for row in cells]
    html = client.get("/data/browse/", params).content.decode()
    assert 'href="/data/browse.csv?stage=final&amp;breakdown=economic&amp;sort=-amount"' in html


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"year": "去年"}, "year"),
        ({"stage": "x"}, "stage"),
        ({"sort": "unit_name"}, "sort"),
        ({"code_prefix": "2a"}, "code_prefix"),
        ({"per_page": "0"}, "per_page"),
    ],
)
def test_browse_refuses_bad_parameters_by_name(client, params, name):
    response = client.get("/data/browse/", params)
    assert response.status_code == 400
    assert f"参数 {name}" in response.content.decode()


def test_browse_and_its_csv_run_a_fixed_number_of_queries(
    client, tenfold, django_assert_num_queries
):
    with django_assert_num_queries(4):
        client.get("/data/browse/", {"per_page": "200"})
    # One COPY (or one SELECT on SQLite) of the open lines: no build yet in the tests.
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
