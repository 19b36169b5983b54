"""Performance targets of the budget and the self-evaluations of the final accounts."""

from decimal import Decimal

import pytest

from budgets.models import EvaluationItem
from tests.helpers import csv_row, csv_rows, row_starting

pytestmark = pytest.mark.django_db


def test_scores_add_up_to_the_published_total_with_the_budget_execution_item(client, year_url):
    html = client.get(year_url("performance/")).content.decode()
    assert html.count("<strong>99.17</strong>") == 2
    assert "自评表填报总分 99.17 分" in html
    assert row_starting(html, "预算执行情况")[-2:] == ["20", "20"]
    # The total shown is added up from the items, not the printed one copied: change an item
    # and it follows, while the printed total stays as printed.
    unit_items = EvaluationItem.objects.filter(evaluation__section__slug="self-evaluation-unit")
    assert unit_items.filter(level3="服务质量提升率").update(score=Decimal("28.17")) == 1
    html = client.get(year_url("performance/")).content.decode()
    assert html.count("<strong>99.17</strong>") == 1
    assert html.count("<strong>98.17</strong>") == 1
    assert html.count("自评表填报总分 99.17 分") == 2


def test_each_indicator_shows_target_actual_and_score(client, year_url):
    html = client.get(year_url("performance/")).content.decode()
    assert row_starting(html, "效益指标")[1:] == [
        "社会效益指标",
        "服务质量提升率",
        "≥90%",
        "87.5%",
        "未达成",
        "30",
        "29.17",
    ]
    row = row_starting(html, "产出指标")
    assert row[1:6] == ["数量指标", "服务外包人员人数", "44人", "51人", "达成"]
    assert "≤5个工作日" in html


def test_targets_keep_comparator_unit_and_prior_years(client, year_url):
    html = client.get(year_url("performance/")).content.decode()
    assert "2022 年 70万人次；2023 年 90万人次" in html
    assert "80%以上" in html
    assert "60万人次" in html


def test_performance_csv(client, year_url):
    rows = csv_rows(client.get(year_url("performance.csv")))
    assert rows[0][0] == "自评表"
    assert len(rows) == 17
    row = csv_row(rows, "服务运行经费项目自评表")
    assert row[1] == "预算执行情况"
    assert rows[7][3:] == ["服务质量提升率", "≥90%", "87.5%", "未达成", "30.00", "29.17"]


def test_targets_csv_lists_every_target_with_its_table(client, year_url):
    rows = csv_rows(client.get(year_url("performance-targets.csv")))
    assert rows[0][:2] == ["绩效目标表", "目标期限"]
    assert len(rows) == 27
    assert rows[7][4:8] == ["服务外包人员人数", "44人", "2022 年 70人；2023 年 90人", "计划数据"]


def test_performance_page_runs_a_fixed_number_of_queries(
    client, year_url, tenfold, django_assert_num_queries
):
    with django_assert_num_queries(8):  # + the quality reports, for the findings' notes
        client.get(year_url("performance/"))
    with django_assert_num_queries(4):
        csv_rows(client.get(year_url("performance.csv")))
    with django_assert_num_queries(4):
        assert len(csv_rows(client.get(year_url("performance-targets.csv")))) == 27
