"""Budget against final by functional subject (类/款/项 tree) and by economic subject."""

import pytest

from tests.helpers import csv_row, csv_rows, row_starting, table_rows

pytestmark = pytest.mark.django_db
PAGE_QUERIES = 4  # scope, amounts by prefix, names, reasons: nothing per row
CSV_QUERIES = 4


@pytest.mark.parametrize(
    ("code", "initial", "final", "difference", "rate"),
    [
        ("2080150", "168.73", "328.66", "+159.93", "194.8%"),
        ("2080199", "483.41", "306.12", "-177.29", "63.3%"),
        ("2080502", "8.38", "8.33", "-0.05", "99.4%"),
        ("2101199", "9.77", "8.50", "-1.27", "87%"),
        ("2210201", "17.73", "17.73", "0.00", "100%"),
        ("208", "674.79", "688.35", "+13.56", "102%"),
    ],
)
def test_each_line_shows_budget_final_difference_and_the_published_rate(
    client, year_url, code, initial, final, difference, rate
):
    html = client.get(year_url("functional/")).content.decode()
    assert row_starting(html, code)[2:6] == [initial, final, difference, rate]


def test_a_line_with_no_budget_says_so_instead_of_a_rate(client, year_url):
    html = client.get(year_url("functional/")).content.decode()
    row = row_starting(html, "2080799")
    assert row[1:6] == ["其他就业补助支出", "", "31.00", "", "年初预算未安排"]


def test_the_published_reason_stands_beside_its_line(client, year_url):
    html = client.get(year_url("functional/")).content.decode()
    assert "办公用房租赁费用" in row_starting(html, "2080150")[6]
    assert "分期支付" in row_starting(html, "2080199")[6]


def test_the_tree_runs_from_class_to_item_in_code_order(client, year_url):
    html = client.get(year_url("functional/")).content.decode()
    codes = [row[0] for row in table_rows(html)[1:]]
    assert codes[:4] == ["208", "20801", "2080150", "2080199"]
    assert codes == sorted(codes)
    assert len(codes) == 20


def test_filtering_by_level_keeps_only_that_level(client, year_url):
    html = client.get(year_url("functional/"), {"level": "class"}).content.decode()
    assert [row[0] for row in table_rows(html)[1:]] == ["208", "210", "221"]


def test_sorting_by_final_descending_orders_the_rows(client, year_url):
    html = client.get(year_url("functional/"), {"sort": "-final", "level": "item"}).content.decode()
    assert [row[0] for row in table_rows(html)[1:4]] == ["2080150", "2080199", "2080799"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sort": "bogus"}, "参数 sort"),
        ({"level": "department"}, "参数 level"),
        ({"per_page": "abc"}, "参数 per_page"),
        ({"per_page": "100000"}, "参数 per_page"),
        ({"page": "0"}, "参数 page"),
    ],
)
def test_a_bad_parameter_is_a_400_that_names_it(client, year_url, params, message):
    response = client.get(year_url("functional/"), params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_page_past_the_end_is_not_found(client, year_url):
    assert client.get(year_url("functional/"), {"per_page": "5", "page": "4"}).status_code == 200
    assert client.get(year_url("functional/"), {"per_page": "5", "page": "5"}).status_code == 404


def test_functional_csv_has_the_page_columns_and_every_row(client, year_url):
    response = client.get(year_url("functional.csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="503033-2024-functional.csv"' in response["Content-Disposition"]
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == [
        "科目编码",
        "科目名称",
        "年初预算（万元）",
        "决算（万元）",
        "差额（万元）",
        "完成年初预算",
        "决算与年初预算差异原因（公开说明）",
    ]
    assert len(rows) == 21
    assert csv_row(rows, "2080150")[:6] == [
        "2080150",
        "事业运行",
        "168.73",
        "328.66",
        "159.93",
        "194.8%",
    ]
    # Not published is blank, not 0.00; a real zero stays 0.00.
    assert csv_row(rows, "2080799")[2:6] == ["", "31.00", "", "年初预算未安排"]
    assert csv_row(rows, "2210201")[4] == "0.00"


def test_the_csv_link_keeps_the_filters_of_the_page(client, year_url):
    html = client.get(year_url("functional/"), {"level": "class"}).content.decode()
    assert 'href="/units/503033/2024/functional.csv?level=class"' in html
    rows = csv_rows(client.get(year_url("functional.csv"), {"level": "class"}))
    assert [row[0] for row in rows[1:]] == ["208", "210", "221"]


def test_economic_page_shows_items_that_moved_between_stages_with_a_blank_side(client, year_url):
    html = client.get(year_url("economic/")).content.decode()
    assert row_starting(html, "30399")[3:5] == ["7.44", ""]
    assert row_starting(html, "30302")[3:5] == ["", "7.44"]
    assert row_starting(html, "30214")[3:5] == ["", "143.95"]
    assert row_starting(html, "301")[1:5] == ["工资福利支出", "人员经费", "203.85", "218.49"]
    assert row_starting(html, "302")[1:5] == ["商品和服务支出", "公用经费", "24.41", "167.12"]


def test_economic_page_hides_codes_printed_without_amounts_unless_asked(client, year_url):
    html = client.get(year_url("economic/")).content.decode()
    assert "30106" not in [row[0] for row in table_rows(html)]
    assert "另有 37 个科目" in html
    shown = client.get(year_url("economic/"), {"blank": "show"}).content.decode()
    assert row_starting(shown, "30106")[3:5] == ["", ""]


def test_economic_page_filters_by_expense_class(client, year_url):
    html = client.get(year_url("economic/"), {"expense_class": "public"}).content.decode()
    codes = [row[0] for row in table_rows(html)[1:]]
    assert codes[0] == "302"
    assert all(code.startswith(("302", "310")) for code in codes)


def test_economic_csv_writes_blank_for_not_published(client, year_url):
    rows = csv_rows(client.get(year_url("economic.csv")))
    assert csv_row(rows, "30399")[3:5] == ["7.44", ""]
    assert csv_row(rows, "30103")[3:5] == ["0.30", "0.30"]


@pytest.mark.parametrize("page", ["functional/", "economic/"])
def test_comparison_pages_run_a_fixed_number_of_queries(
    client, year_url, page, django_assert_num_queries
):
    with django_assert_num_queries(PAGE_QUERIES):
        client.get(year_url(page))


@pytest.mark.parametrize("page", ["functional/", "economic/"])
def test_comparison_pages_run_the_same_queries_with_ten_times_the_facts(
    client, year_url, page, tenfold, django_assert_num_queries
):
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(year_url(page), {"per_page": "200"})
    assert len(table_rows(response.content.decode())) > 150


@pytest.mark.parametrize("csv", ["functional.csv", "economic.csv"])
def test_comparison_csvs_run_a_fixed_number_of_queries_with_ten_times_the_facts(
    client, year_url, csv, tenfold, django_assert_num_queries
):
    with django_assert_num_queries(CSV_QUERIES):
        rows = csv_rows(client.get(year_url(csv)))
    assert len(rows) > 150
