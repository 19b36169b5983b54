"""Chart figures are built from plain rows, without a database."""

from dataclasses import dataclass
from decimal import Decimal

import plotly.graph_objects as go

from budgets.charts import budget_vs_final_by_class, describe_by_class


@dataclass
class Row:
    code: str
    name: str
    initial: Decimal | None
    final: Decimal | None


ROWS = [
    Row("208", "社会保障和就业支出", Decimal("674.79"), Decimal("688.35")),
    Row("210", "卫生健康支出", Decimal("21.05"), Decimal("18.55")),
    Row("221", "住房保障支出", Decimal("25.10"), Decimal("25.10")),
]


def test_bars_hold_each_class_in_order_with_exact_labels():
    figure = budget_vs_final_by_class(ROWS)
    budget, final = figure["data"]
    assert (budget["name"], final["name"]) == ("年初预算", "决算")
    assert budget["y"] == ["社会保障和就业支出", "卫生健康支出", "住房保障支出"]
    assert budget["x"] == [674.79, 21.05, 25.10]
    assert final["text"] == ["688.35", "18.55", "25.10"]
    assert final["customdata"] == ["208", "210", "221"]


def test_the_figure_is_valid_for_plotly():
    go.Figure(budget_vs_final_by_class(ROWS))


def test_a_class_without_a_budget_has_no_bar_and_says_so():
    rows = [Row("208", "社会保障和就业支出", None, Decimal("31.00"))]
    figure = budget_vs_final_by_class(rows)
    assert figure["data"][0]["x"] == [None]
    assert figure["data"][0]["text"] == [""]
    assert "年初预算未安排" in describe_by_class(rows, 2024)


def test_summary_sentence_reads_every_class():
    text = describe_by_class(ROWS, 2024)
    assert text.startswith(
        "2024 年按功能分类（类）：社会保障和就业支出年初预算 674.79 万元、决算 688.35 万元"
    )
