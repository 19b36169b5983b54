"""Importing the indicator rows of the performance tables: targets of a budget's 绩效目标表 and
the scored items of a self-evaluation, with their problems in Chinese."""

import pytest

from budgets.imports import changes, sheets
from budgets.imports.parsing import Level
from budgets.models import EvaluationItem, IndicatorTarget, Publication
from tests.imports.files import xlsx

pytestmark = pytest.mark.django_db

PLAN_HEADERS = [
    "目标期限",
    "一级指标",
    "二级指标",
    "三级指标",
    "2022年指标值",
    "2023年指标值",
    "指标值",
    "指标值确定依据",
]
ITEM_HEADERS = ["一级指标", "二级指标", "三级指标", "分值", "年初目标值", "实际完成值", "得分"]


@pytest.fixture
def budget():
    publication = Publication.objects.get(kind="budget")
    Publication.objects.filter(pk=publication.pk).update(status="draft")
    publication.refresh_from_db()
    return publication


@pytest.fixture
def final():
    publication = Publication.objects.get(kind="final")
    Publication.objects.filter(pk=publication.pk).update(status="draft")
    publication.refresh_from_db()
    return publication


def plan_of(publication, rows, code="表11-指标"):
    sheet = [[f"{code} 指标"], ["单位：万元"], PLAN_HEADERS, *rows]
    return changes.plan(publication, sheets.read_upload("指标.xlsx", xlsx({code: sheet})))


def test_new_targets_replace_the_tables_targets(budget):
    rows = [
        [
            "年度目标",
            "产出指标",
            "数量指标",
            "电话投诉咨询服务人数",
            "70万人次",
            "90万人次",
            "65万人次",
            "计划数据",
        ]
    ]
    result = plan_of(budget, rows)
    assert result.issues == []
    assert [sheet.layout.code for sheet in result.changed_indicators] == ["表11-指标"]
    changes.apply(result, None, "指标.xlsx")
    targets = IndicatorTarget.objects.filter(plan__section__slug="table-11")
    target = targets.get()
    assert (target.horizon, target.level3, target.target) == (
        "annual",
        "电话投诉咨询服务人数",
        "65万人次",
    )
    assert sorted(target.prior_values.values_list("year", "value")) == [
        (2022, "70万人次"),
        (2023, "90万人次"),
    ]
    assert target.history.get().history_change_reason == "导入 指标.xlsx"


def test_target_rows_with_problems_are_listed_in_chinese(budget):
    rows = [["明年", "产出指标", "数量指标", "", "", "", "", "计划数据"]]
    result = plan_of(budget, rows)
    assert [(i.where, i.message) for i in result.issues if i.level == Level.ERROR] == [
        (
            "工作表“表11-指标” 第 4 行 “目标期限”栏",
            "“明年”不是目标期限，应为“长期目标”或“年度目标”。",
        ),
        ("工作表“表11-指标” 第 4 行 “三级指标”栏", "此格不能为空。"),
        ("工作表“表11-指标” 第 4 行 “指标值”栏", "此格不能为空。"),
    ]


def test_a_score_that_is_not_a_number_is_refused(final):
    sheet = [
        ["整体绩效自评表-指标 指标"],
        ["单位：万元"],
        ITEM_HEADERS,
        ["预算执行情况", None, None, "20", None, None, "二十"],
    ]
    data = xlsx({"整体绩效自评表-指标": sheet})
    result = changes.plan(final, sheets.read_upload("自评.xlsx", data))
    assert [(i.where, i.message) for i in result.issues] == [
        ("工作表“整体绩效自评表-指标” 第 4 行 “得分”栏", "“二十”不是分数（如 8 或 7.5）。")
    ]


def test_scored_items_are_written_with_their_points(final):
    sheet = [
        ["整体绩效自评表-指标 指标"],
        ["单位：万元"],
        ITEM_HEADERS,
        ["预算执行情况", None, None, "20", None, None, "20"],
        ["产出指标", "数量指标", "电话投诉咨询服务人数", "8", "60万人次", "187.72万人次", "7.5分"],
    ]
    result = changes.plan(
        final, sheets.read_upload("自评.xlsx", xlsx({"整体绩效自评表-指标": sheet}))
    )
    changes.apply(result, None, "自评.xlsx")
    items = EvaluationItem.objects.filter(evaluation__section__slug="self-evaluation-unit")
    assert [(i.kind, i.level3, str(i.weight), i.actual, str(i.score)) for i in items] == [
        ("budget_execution", "", "20.00", "", "20.00"),
        ("indicator", "电话投诉咨询服务人数", "8.00", "187.72万人次", "7.50"),
    ]


def test_indicators_of_a_table_the_draft_does_not_have_are_refused(draft):
    rows = [["年度目标", "产出指标", "数量指标", "服务人数", "", "", "60万人次", ""]]
    result = plan_of(draft, rows)
    assert [i.message for i in result.issues] == ["请同时导入 表11：指标属于这张表。"]
    assert not result.has_changes
