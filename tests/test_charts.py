"""Chart figures are built from plain rows, without a database, and are valid for Plotly."""

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

import plotly.graph_objects as go
import pytest

from budgets import charts
from budgets.measurements import is_met, parse_measurement
from budgets.summaries.history import HistoryPoint


@dataclass
class Row:
    code: str
    name: str
    initial: Decimal | None
    final: Decimal | None
    url: str = ""
    reason: str = ""
    expense_class: str = ""

    @property
    def change(self):
        return (self.final or Decimal(0)) - (self.initial or Decimal(0))


def D(text):
    return Decimal(text)


CLASSES = [
    Row("208", "社会保障和就业支出", D("674.79"), D("688.35"), "/s/208/"),
    Row("210", "卫生健康支出", D("21.05"), D("18.55"), "/s/210/"),
    Row("221", "住房保障支出", D("25.10"), D("25.10"), "/s/221/"),
]


def test_bars_hold_each_row_in_order_with_exact_labels_and_links():
    figure = charts.budget_vs_final(CLASSES)
    budget, final = figure["data"]
    assert (budget["name"], final["name"]) == ("年初预算", "决算")
    assert budget["y"] == ["社会保障和就业支出", "卫生健康支出", "住房保障支出"]
    assert budget["x"] == [674.79, 21.05, 25.10]
    assert final["text"] == ["688.35", "18.55", "25.10"]
    assert final["customdata"] == ["/s/208/", "/s/210/", "/s/221/"]
    go.Figure(figure)


def test_a_row_without_a_budget_has_no_bar_and_the_summary_says_so():
    rows = [Row("2080799", "其他就业补助支出", None, D("31.00"))]
    figure = charts.budget_vs_final(rows)
    assert figure["data"][0]["x"] == [None]
    assert figure["data"][0]["text"] == [""]
    assert "年初预算未安排" in charts.describe_budget_vs_final(rows, "2024 年")


def test_summary_sentence_reads_every_row():
    text = charts.describe_budget_vs_final(CLASSES, "2024 年按功能分类（类）")
    assert text.startswith(
        "2024 年按功能分类（类）：社会保障和就业支出 年初预算 674.79 万元、决算 688.35 万元"
    )


STEPS = [
    Row("2080150", "事业运行", D("168.73"), D("328.66"), "/s/2080150/", "办公用房租赁费用"),
    Row(
        "2080199", "其他人力资源和社会保障管理事务支出", D("483.41"), D("306.12"), "/x/", "分期支付"
    ),
    Row("2080502", "事业单位离退休", D("8.38"), D("8.33")),
    Row("2080799", "其他就业补助支出", None, D("31.00"), "", "一事一报"),
    Row("2089999", "其他社会保障和就业支出", D("0.92"), D("0.89")),
    Row("2101102", "事业单位医疗", D("11.28"), D("10.05")),
    Row("2101199", "其他行政事业单位医疗支出", D("9.77"), D("8.50")),
]


def test_waterfall_steps_from_the_initial_budget_to_the_final_figure():
    figure = charts.variance_waterfall(D("720.94"), D("732.00"), STEPS)
    [trace] = figure["data"]
    assert trace["measure"] == ["absolute", *["relative"] * 7, "total"]
    assert trace["text"] == [
        "720.94",
        "+159.93",
        "-177.29",
        "-0.05",
        "+31.00",
        "-0.03",
        "-1.23",
        "-1.27",
        "732.00",
    ]
    assert trace["x"][1:3] == [159.93, -177.29]
    assert trace["hovertext"][1] == "办公用房租赁费用"
    assert trace["hovertext"][3] == charts.NO_REASON
    assert trace["customdata"][1] == "/s/2080150/"
    go.Figure(figure)


def test_a_remainder_the_steps_do_not_explain_is_shown_not_hidden():
    figure = charts.variance_waterfall(D("720.94"), D("732.00"), STEPS[:2])
    [trace] = figure["data"]
    assert trace["y"][-2] == "其他（未列明细）"
    assert trace["text"][-2] == "+28.42"


def test_waterfall_summary_names_every_step():
    text = charts.describe_waterfall(D("720.94"), D("732.00"), STEPS)
    assert text.startswith("从年初预算 720.94 万元到决算 732.00 万元")
    assert "事业运行+159.93 万元" in text


def test_functional_treemap_nests_item_in_section_in_class_and_values_only_leaves():
    rows = [
        Row("208", "社会保障和就业支出", None, D("688.35")),
        Row("20801", "人力资源和社会保障管理事务", None, D("634.78")),
        Row("2080150", "事业运行", None, D("328.66"), "/s/2080150/"),
        Row("2080199", "其他人力资源和社会保障管理事务支出", None, D("306.12")),
        Row("20807", "就业补助", None, D("31.00")),
        Row("2080799", "其他就业补助支出", None, D("31.00")),
        Row("20899", "空白款", None, None),
    ]
    figure = charts.functional_treemap(rows, D("665.78"))
    [trace] = figure["data"]
    assert trace["ids"] == ["total", "208", "20801", "2080150", "2080199", "20807", "2080799"]
    assert trace["parents"] == ["", "total", "208", "20801", "20801", "208", "20807"]
    assert trace["values"] == [0, 0, 0, 328.66, 306.12, 0, 31.00]
    assert trace["text"][0] == "665.78"
    assert trace["customdata"][3] == "/s/2080150/"
    go.Figure(figure)


@dataclass
class Totals:
    final: Decimal
    final_personnel: Decimal
    final_public: Decimal
    final_project: Decimal


def test_economic_treemap_splits_personnel_public_and_projects():
    personnel = [
        Row("301", "工资福利支出", None, D("218.49")),
        Row("30101", "基本工资", None, D("28.16")),
    ]
    public = [
        Row("302", "商品和服务支出", None, D("167.12")),
        Row("30214", "租赁费", None, D("143.95")),
    ]
    totals = Totals(D("732.00"), D("227.76"), D("167.12"), D("337.12"))
    figure = charts.economic_treemap(personnel, public, [("服务运行经费", D("337.12"))], totals)
    [trace] = figure["data"]
    by_id = dict(
        zip(
            trace["ids"],
            zip(trace["parents"], trace["text"], trace["values"], strict=True),
            strict=True,
        )
    )
    assert by_id["personnel"] == ("total", "227.76", 0)
    assert by_id["30101"] == ("301", "28.16", 28.16)
    assert by_id["30214"] == ("302", "143.95", 143.95)
    assert by_id["projects"] == ("total", "337.12", 0)
    assert by_id["project-0"] == ("projects", "337.12", 337.12)
    go.Figure(figure)


@dataclass
class Item:
    level3: str
    target: str
    actual: str
    score: Decimal
    weight: Decimal

    @property
    def parsed_target(self):
        return parse_measurement(self.target)

    @property
    def parsed_actual(self):
        return parse_measurement(self.actual)

    @property
    def met(self):
        return is_met(self.parsed_target, self.parsed_actual)


ITEMS = [
    Item("服务外包人员人数", "44人", "51人", D("8"), D("8")),
    Item("投诉、疑难问题处置回告时间", "≤5个工作日", "≤5个工作日", D("8"), D("8")),
    Item("服务质量提升率", "≥90%", "87.5%", D("29.17"), D("30")),
]


def test_performance_bars_show_attainment_against_the_target_mark():
    figure = charts.performance_bullets(ITEMS)
    [trace] = figure["data"]
    assert trace["x"][0] == pytest.approx(115.909, abs=0.001)  # 51 of 44
    assert trace["x"][2] == pytest.approx(97.222, abs=0.001)  # 87.5 of 90
    assert trace["marker"]["color"] == [
        charts.MET_COLOUR,
        charts.NEUTRAL_COLOUR,
        charts.MISSED_COLOUR,
    ]
    # The published actual and the score are written beside the bar, under the indicator's
    # name, never on the plot where the target line runs.
    assert "text" not in trace
    assert [label.split("<br>")[-2:] for label in trace["y"]] == [
        ["完成 51人", "得分 8/8分"],
        ["完成 ≤5个工作日", "得分 8/8分"],
        ["完成 87.5%", "得分 29.17/30分"],
    ]
    assert trace["marker"]["pattern"]["shape"] == ["", "/", ""]
    assert figure["layout"]["shapes"][0]["x0"] == 100
    go.Figure(figure)


def broken_inside_a_number(label: str) -> list[str]:
    """The line breaks of a label that fall inside a number ("29.1|7", "8|/8分")."""
    lines = label.split("<br>")
    return [
        f"{before}|{after}"
        for before, after in itertools.pairwise(lines)
        if re.search(r"[0-9./]$", before) and re.match(r"[0-9./%]", after)
    ]


def test_performance_labels_never_break_inside_a_number():
    items = [
        *ITEMS,
        Item("12333电话端、微信端服务综合接通率", "≥80%", "83.2%", D("8"), D("8")),
        Item("电话投诉咨询服务人数", "60万人次", "187.72万人次", D("8"), D("8")),
    ]
    labels = charts.performance_bullets(items)["data"][0]["y"]
    assert [broken_inside_a_number(label) for label in labels] == [[]] * len(items)
    assert "29.17/30分" in labels[2].replace("<br>", "")


def test_performance_summary_names_the_missed_indicator_and_the_total():
    text = charts.describe_performance(ITEMS, D("99.17"))
    assert text.startswith("总分 99.17 分。未达成目标的指标：服务质量提升率。")


POINTS = [
    HistoryPoint("total", 2022, "initial_budget", D("1088.44"), False, "2024年预算表11"),
    HistoryPoint("total", 2023, "initial_budget", D("293.67"), False, "2024年预算表11"),
    HistoryPoint("total", 2023, "final", D("1033.09"), True, "2024年决算第三部分一"),
    HistoryPoint("total", 2024, "initial_budget", D("720.94"), False, ""),
    HistoryPoint("total", 2024, "final", D("732.00"), False, ""),
    HistoryPoint("project", 2022, "initial_budget", D("896.00"), False, ""),
]


def test_history_marks_figures_the_text_only_implies():
    figure = charts.history_bars(POINTS)
    budget, final, project = figure["data"]
    assert budget["x"] == ["2022 年", "2023 年", "2024 年"]
    assert budget["text"] == ["1088.44", "293.67", "720.94"]
    assert final["text"] == ["", "1033.09（推算）", "732.00"]
    assert final["marker"]["pattern"]["shape"] == ["", "/", ""]
    assert project["name"] == "项目·预算"
    assert project["y"] == [896.0, None, None]
    go.Figure(figure)
    assert "2023 年支出合计·决算 1033.09 万元（由文字推算）" in charts.describe_history(POINTS)


def test_markup_in_a_label_from_the_database_is_escaped_for_plotly():
    rows = [Row("208", '<a href="javascript:alert(1)">x</a>', D("1.00"), D("2.00"))]
    figure = charts.budget_vs_final(rows)
    label = figure["data"][0]["y"][0].replace("<br>", "")
    assert label == '&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;'
    step = Row("2080150", "事业运行", D("1"), D("2"), reason="<b>原因</b>")
    [trace] = charts.variance_waterfall(D("1"), D("2"), [step])["data"]
    assert trace["hovertext"][1] == "&lt;b&gt;原因&lt;/b&gt;"
