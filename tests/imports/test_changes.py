"""Importing sheets into a draft: the exact figures written from a clean file, from one with
typing noise and from a GBK-encoded CSV; the exact messages for a file with errors, which
writes nothing; and templates filled from the fixtures reproduce them in an empty draft."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from budgets.imports import changes, sheets
from budgets.imports.parsing import Level
from budgets.models import (
    Citation,
    EvaluationItem,
    Fact,
    IndicatorTarget,
    ProjectAmount,
    Publication,
    PublishedFigure,
    Section,
    ThreePublicExpense,
)
from fixtures.transcription import budget_2024, final_2024
from tests.imports.files import (
    csv_file,
    empty_tables,
    filled_from,
    indicator_sheets_from,
    layouts_of,
    table_3_rows,
    xlsx,
)

pytestmark = pytest.mark.django_db


def run(publication, name, data, user=None):
    plan = changes.plan(publication, sheets.read_upload(name, data))
    assert [i.message for i in plan.issues if i.level == Level.ERROR] == []
    changes.apply(plan, user, name)
    return plan


def written(publication):
    facts = {
        (f.subject.code, f.expenditure_type, f.stage, f.fund_source): f.amount
        for f in Fact.objects.filter(publication=publication).select_related("subject")
    }
    figures = {
        (f.row_code or f.row_label, f.column): f.value
        for f in PublishedFigure.objects.filter(section__publication=publication)
    }
    return facts, figures


EXPECTED_FACTS = {("2080199", "project", "initial_budget", "general_budget"): Decimal("483.41")}
EXPECTED_FIGURES = {
    ("合计", "合计"): Decimal("652.14"),
    ("合计", "基本支出"): Decimal("168.73"),
    ("合计", "项目支出"): Decimal("483.41"),
    ("208", "合计"): Decimal("652.14"),
    ("208", "基本支出"): Decimal("168.73"),
    ("208", "项目支出"): Decimal("483.41"),
    ("20801", "合计"): Decimal("652.14"),
    ("20801", "基本支出"): Decimal("168.73"),
    ("20801", "项目支出"): Decimal("483.41"),
    ("2080150", "合计"): Decimal("168.73"),
    ("2080150", "基本支出"): Decimal("168.73"),
    ("2080199", "合计"): Decimal("483.41"),
}


def test_a_clean_file_writes_exactly_its_figures(draft):
    user = User.objects.create_user("caiwu")
    plan = run(draft, "表3.xlsx", xlsx({"表3": table_3_rows()}), user)
    assert plan.issues == []
    assert written(draft) == (EXPECTED_FACTS, EXPECTED_FIGURES)
    section = Section.objects.get(publication=draft, slug="table-3")
    assert (section.code, section.title) == ("表3", "支出总表")
    citation = Citation.objects.get(section=section)
    assert (citation.row_code, citation.column, citation.printed_text) == (
        "2080199",
        "项目支出",
        "483.41",
    )
    fact = Fact.objects.get(publication=draft)
    record = fact.history.get()
    assert (record.history_user, record.history_change_reason) == (user, "导入 表3.xlsx")


def test_typing_noise_with_one_reading_is_repaired_and_reported(draft):
    noisy = table_3_rows(
        {
            (3, "基本支出"): "１６８．７３",  # full-width digits
            (4, "项目支出"): "483. 41",  # a space inside the number
            (0, "合计"): "652, 14",  # a comma for the decimal point
        }
    )
    plan = run(draft, "表3.xlsx", xlsx({"表3": noisy}))
    assert [(i.where, i.message) for i in plan.issues] == [
        ("工作表“表3” 第 4 行 “合计”栏", "“652, 14”按 652.14 读入。"),
        ("工作表“表3” 第 7 行 “基本支出”栏", "“１６８．７３”按 168.73 读入（全角转半角）。"),
        ("工作表“表3” 第 8 行 “项目支出”栏", "“483. 41”按 483.41 读入。"),
    ]
    assert written(draft) == (EXPECTED_FACTS, EXPECTED_FIGURES)


def test_a_gbk_csv_as_chinese_excel_saves_it_is_imported(draft):
    run(draft, "支出总表.csv", csv_file(table_3_rows(), "gbk"))
    assert written(draft) == (EXPECTED_FACTS, EXPECTED_FIGURES)


def test_a_file_with_errors_lists_each_in_chinese_and_writes_nothing(draft):
    broken = table_3_rows(
        {
            (2, "合计"): "653.14",  # 20801 no longer equals its 项
            (3, "基本支出"): "十七点五",
        }
    )
    broken += [
        ["2089998", "不存在的科目", "1.00", "1.00"],
        ["2080", "位数不对", "1.00", "1.00"],
        ["", "不在表中的一行", "1.00"],
    ]
    plan = changes.plan(draft, sheets.read_upload("表3.xlsx", xlsx({"表3": broken})))
    errors = [(i.where, i.message) for i in plan.issues if i.level == Level.ERROR]
    assert errors == [
        ("工作表“表3” 第 7 行 “基本支出”栏", "“十七点五”不是金额（数字）。"),
        ("工作表“表3” 第 9 行 “编码”栏", "编码“2089998”不是本年度功能分类中的科目。"),
        (
            "工作表“表3” 第 10 行 “编码”栏",
            "编码“2080”的位数不对：功能分类编码应为 3 位（类）、5 位（款）或 7 位（项）。",
        ),
        ("工作表“表3” 第 11 行 “项目”栏", "本表没有“不在表中的一行”这一行，请对照模板填写。"),
        (
            "工作表“表3” 第 5 行 “合计”栏",
            "208 社会保障和就业支出为 652.14，其下级各行之和为 653.14，相差 1.00。",
        ),
        (
            "工作表“表3” 第 6 行 “合计”栏",
            "20801 人力资源和社会保障管理事务为 653.14，其下级各行之和为 652.14，相差 1.00。",
        ),
    ]
    assert not plan.has_changes
    assert not Fact.objects.filter(publication=draft).exists()


def test_a_total_off_by_a_rounding_difference_is_a_warning(draft):
    plan = changes.plan(
        draft,
        sheets.read_upload("表3.xlsx", xlsx({"表3": table_3_rows({(0, "合计"): "652.15"})})),
    )
    assert [(i.level, i.message) for i in plan.issues] == [
        (Level.WARNING, "合计为 652.15，其下级各行之和为 652.14，相差 0.01，按尾差处理。")
    ]


def test_a_sheet_that_is_no_table_of_the_publication_is_refused(draft):
    data = xlsx({"Sheet1": [["随便写的"], ["编码", "项目"]]})
    with pytest.raises(changes.ImportProblems) as raised:
        changes.plan(draft, sheets.read_upload("a.xlsx", data))
    assert [i.message for i in raised.value.issues] == [
        "无法识别这张表：第一格应为表号（如 表1）。"
    ]


def test_importing_the_same_file_again_changes_nothing(draft):
    data = xlsx({"表3": table_3_rows()})
    run(draft, "表3.xlsx", data)
    again = changes.plan(draft, sheets.read_upload("表3.xlsx", data))
    assert not again.has_changes


def test_a_changed_figure_is_shown_then_written_as_a_change(draft):
    run(draft, "表3.xlsx", xlsx({"表3": table_3_rows()}))
    fact = Fact.objects.get(publication=draft)
    edited = table_3_rows(
        {
            (0, "合计"): "652.15",
            (0, "项目支出"): "483.42",
            (1, "合计"): "652.15",
            (1, "项目支出"): "483.42",
            (2, "合计"): "652.15",
            (2, "项目支出"): "483.42",
            (4, "合计"): "483.42",
            (4, "项目支出"): "483.42",
        }
    )
    plan = run(draft, "表3 改.xlsx", xlsx({"表3": edited}))
    assert [(c.action, c.what, c.old, c.new) for c in plan.amounts] == [
        (
            "修改",
            "支出 年初预算 2080199 项目支出 一般公共预算财政拨款",
            Decimal("483.41"),
            Decimal("483.42"),
        )
    ]
    fact.refresh_from_db()
    assert fact.amount == Decimal("483.42")
    versions = fact.history.order_by("history_date", "history_id")
    assert [(v.amount, v.history_change_reason) for v in versions] == [
        (Decimal("483.41"), "导入 表3.xlsx"),
        (Decimal("483.42"), "导入 表3 改.xlsx"),
    ]


def _cited(citation):
    """What a citation stands for, by meaning rather than by database id."""
    if citation.fact is not None:
        fact = citation.fact
        subject = fact.subject.code if fact.subject else ""
        kinds = (fact.expenditure_type, fact.expense_class, fact.fund_source)
        return ("fact", fact.direction, fact.stage, subject, *kinds)
    if citation.three_public is not None:
        return ("three_public", citation.three_public.stage, citation.three_public.kind)
    if citation.project_amount is not None:
        amount = citation.project_amount
        return ("project", amount.project.code, amount.year, amount.stage, amount.fund_source)
    return ()


def _table_snapshot(publication):
    """Every table-derived record of the publication, without database ids."""
    facts = sorted(
        (
            f.direction,
            f.stage,
            f.subject.code if f.subject else "",
            f.expenditure_type,
            f.expense_class,
            f.fund_source,
            f.amount,
        )
        for f in Fact.objects.filter(publication=publication).select_related("subject")
    )
    three_public = sorted(
        (t.unit.code, t.stage, t.kind, t.amount)
        for t in ThreePublicExpense.objects.filter(publication=publication).select_related("unit")
    )
    project_amounts = sorted(
        (a.project.code, a.year, a.stage, a.fund_source, a.amount)
        for a in ProjectAmount.objects.filter(publication=publication).select_related("project")
    )
    citations = sorted(
        (c.section.slug, c.row_order, c.part, c.column, c.printed_text, c.row_label, _cited(c))
        for c in Citation.objects.filter(section__publication=publication).select_related(
            "section", "fact__subject", "three_public", "project_amount__project"
        )
    )
    figures = sorted(
        (f.section.slug, f.row_order, f.part, f.column, f.printed_text, f.measure, f.value)
        for f in PublishedFigure.objects.filter(section__publication=publication)
        .exclude(section__kind="narrative")
        .select_related("section")
    )
    targets = sorted(
        (
            t.plan.section.slug,
            t.horizon,
            t.order,
            t.level1,
            t.level2,
            t.level3,
            t.target,
            t.basis,
            tuple(sorted((v.year, v.value) for v in t.prior_values.all())),
        )
        for t in IndicatorTarget.objects.filter(plan__section__publication=publication)
        .select_related("plan__section")
        .prefetch_related("prior_values")
    )
    items = sorted(
        (
            i.evaluation.section.slug,
            i.order,
            i.kind,
            i.level1,
            i.level2,
            i.level3,
            i.weight,
            i.target,
            i.actual,
            i.score,
        )
        for i in EvaluationItem.objects.filter(
            evaluation__section__publication=publication
        ).select_related("evaluation__section")
    )
    return facts, three_public, project_amounts, citations, figures, targets, items


@pytest.mark.parametrize(("kind", "module"), [("budget", budget_2024), ("final", final_2024)])
def test_templates_filled_from_the_fixtures_reproduce_them_in_an_empty_draft(kind, module):
    publication = Publication.objects.get(kind=kind)
    before = _table_snapshot(publication)
    Publication.objects.filter(pk=publication.pk).update(status="draft")
    empty_tables(publication)
    assert _table_snapshot(publication) == ([], [], [], [], [], [], [])
    layouts = layouts_of(module)
    extra = indicator_sheets_from(module, layouts)
    data = sheets.write_workbook(layouts, filled_from(module, layouts), extra)
    plan = run(publication, f"{kind}.xlsx", data)
    assert len([t for t in plan.tables if t.uploaded]) == len(layouts)
    assert _table_snapshot(publication) == before


def test_a_project_table_of_a_unit_without_projects_is_refused(draft):
    layouts = [layout for layout in layouts_of(budget_2024) if layout.code == "表12"]
    data = sheets.write_workbook(layouts, filled_from(budget_2024, layouts))
    with pytest.raises(changes.ImportProblems) as refused:
        changes.plan(draft, sheets.read_upload("表12.xlsx", data))
    assert [i.message for i in refused.value.issues] == [
        "表12 是项目的表格，本单位（503099）2024 年没有项目，不能导入这张表。"
        "请下载本单位的模板填写；如缺少项目，请先在“项目”中为本单位添加。"
    ]
    assert not Fact.objects.filter(publication=draft).exists()
