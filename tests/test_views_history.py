"""Earlier years as the publications cite them, derived figures marked."""

import pytest

from tests.helpers import csv_rows, json_script

pytestmark = pytest.mark.django_db


def test_history_shows_cited_and_implied_totals_by_stage(client, year_url):
    html = client.get(year_url("history/")).content.decode()
    traces = {trace["name"]: trace for trace in json_script(html, "chart-history")["data"]}
    assert traces["支出合计·预算"]["text"] == ["1088.44", "293.67", "720.94"]
    assert traces["支出合计·决算"]["text"] == ["", "1033.09（推算）", "732.00"]
    assert traces["项目·预算"]["text"] == ["896.00", "85.41", "483.41"]
    assert traces["项目·执行"]["text"] == ["", "", "337.12"]


def test_history_csv_marks_what_is_derived(client, year_url):
    rows = csv_rows(client.get(year_url("history.csv")))
    assert rows[0] == ["年度", "口径", "阶段", "金额（万元）", "是否推算", "出处"]
    assert ["2023", "支出合计", "决算", "1033.09", "由文字推算", "2024年决算第三部分一"] in rows
    assert ["2022", "支出合计", "年初预算", "1088.44", "公开数", "2024年预算表11"] in rows


def test_history_page_runs_a_fixed_number_of_queries(
    client, year_url, tenfold, django_assert_num_queries
):
    with django_assert_num_queries(4):
        client.get(year_url("history/"))
    with django_assert_num_queries(4):
        assert len(csv_rows(client.get(year_url("history.csv")))) == 10
