"""The data-quality check: each rule finds nothing on consistent data and reports inconsistent
data, and on the two real publications it reports what they really contain."""

from decimal import Decimal

import pytest

from budgets import quality
from budgets.models import (
    EvaluationItem,
    Explanation,
    Fact,
    Publication,
    PublishedFigure,
    QualityReport,
    ThreePublicExpense,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget():
    return Publication.objects.get(kind="budget")


@pytest.fixture
def final():
    return Publication.objects.get(kind="final")


def findings(publication, rule, severity=quality.Severity.MISMATCH):
    report = quality.check(publication)
    assert report.checks.get(rule, 0) > 0, f"rule {rule} compared nothing"
    return [f for f in report.findings if f.rule == rule and f.severity == severity]


def shift(fact_filter, by):
    fact = Fact.objects.get(**fact_filter)
    fact.amount += Decimal(by)
    fact.save()
    return fact


BUDGET_2080199 = {
    "publication__kind": "budget",
    "subject__code": "2080199",
    "direction": "expenditure",
}


# -- the real publications ----------------------------------------------------------------


def test_the_budget_has_no_inconsistency(budget):
    report = quality.check(budget)
    assert report.mismatches == 0
    assert report.total_checks > 250


def test_the_final_accounts_show_four_known_inconsistencies_one_of_them_in_two_rows(final):
    report = quality.check(final)
    messages = [f.message for f in report.findings if f.severity == quality.Severity.MISMATCH]
    kinds = {
        "综合接通率 96.8% in the text, 83.2% in the self-evaluation": [
            m for m in messages if "96.8%" in m and "83.2%" in m
        ],
        "公务接待费 said to have no budget, which set 0.20": [
            m for m in messages if m.startswith("公开为 无预算安排，由明细数据算得 0.20")
        ],
        # Printed for 公务用车购置及运行费 and again for its 运行维护费.
        "the vehicle cost 0.96 called 100% of the initial budget 1.00": [
            m for m in messages if m.startswith("公开为 100%，由明细数据算得 96%")
        ],
        "unspent money carried over while 年末结转和结余 is blank": [
            m for m in messages if "结转下一年度" in m and "年末结转和结余为空白" in m
        ],
    }
    assert {kind: len(found) for kind, found in kinds.items()} == {
        "综合接通率 96.8% in the text, 83.2% in the self-evaluation": 1,
        "公务接待费 said to have no budget, which set 0.20": 1,
        "the vehicle cost 0.96 called 100% of the initial budget 1.00": 2,
        "unspent money carried over while 年末结转和结余 is blank": 1,
    }
    assert sorted(messages) == sorted(m for found in kinds.values() for m in found)


def test_blanks_stated_as_words_are_noted_not_counted_as_errors(final):
    notes = findings(final, "narrative", quality.Severity.NOTE)
    assert "写作“无预算安排”，对应的数据为空白（未公开）。" in [n.message for n in notes]


# -- each rule: consistent data passes, inconsistent data is reported ------------------------


def test_subtotals_agree_with_their_lines(budget):
    assert findings(budget, "subtotals") == []


def test_a_line_that_no_longer_adds_up_to_its_subtotal_is_reported(budget):
    shift(BUDGET_2080199, "1.00")
    reported = findings(budget, "subtotals")
    assert reported
    assert any(f.printed == "720.94" and f.derived == "721.94" for f in reported)


def test_a_difference_within_the_rounding_tolerance_is_reported_as_rounding(budget):
    shift(BUDGET_2080199, "0.01")
    assert findings(budget, "subtotals") == []
    rounding = findings(budget, "subtotals", quality.Severity.ROUNDING)
    assert any("相差 0.01 万元，属尾差" in f.message for f in rounding)


def test_basic_and_project_add_up_to_the_total(budget):
    assert findings(budget, "basic_project") == []


def test_a_line_without_basic_or_project_is_reported(budget):
    Fact.objects.filter(**BUDGET_2080199).update(expenditure_type="")
    reported = findings(budget, "basic_project")
    assert any("有支出未注明是基本支出还是项目支出" in f.message for f in reported)


def test_income_equals_expenditure(budget, final):
    assert findings(budget, "income_expenditure") == []
    assert findings(final, "income_expenditure") == []


def test_income_that_differs_from_expenditure_is_reported(budget):
    income = Fact.objects.get(publication=budget, direction="income")
    income.amount = Decimal("700.00")
    income.save()
    reported = findings(budget, "income_expenditure")
    assert any(f.message.startswith("收入合计 700.00 不等于支出合计 720.94") for f in reported)


def test_the_two_classifications_of_basic_expenditure_agree(budget, final):
    assert findings(budget, "classifications") == []
    assert findings(final, "classifications") == []


def test_classifications_that_disagree_are_reported(budget):
    economic = Fact.objects.filter(publication=budget, subject__scheme="economic").first()
    economic.amount += Decimal("2.00")
    economic.save()
    reported = findings(budget, "classifications")
    assert [f.message for f in reported] == [
        "按功能分类的基本支出 237.53 与按经济分类的 239.53 不一致。"
    ]


def test_the_fiscal_appropriation_tables_agree_with_the_totals(budget):
    assert findings(budget, "fiscal_tables") == []


def test_a_fiscal_appropriation_table_that_disagrees_is_reported(budget):
    shift(BUDGET_2080199, "3.00")
    assert findings(budget, "fiscal_tables")


def test_the_three_public_expenses_add_up(budget):
    assert findings(budget, "three_public") == []


def test_three_public_expenses_that_do_not_add_up_are_reported(budget):
    ThreePublicExpense.objects.filter(publication=budget, kind="reception").update(
        amount=Decimal("0.50")
    )
    reported = findings(budget, "three_public")
    assert any(f.printed == "1.20" and f.derived == "1.50" for f in reported)


def test_printed_rates_equal_the_computed_rates(final):
    assert findings(final, "rates") == []


def test_a_printed_rate_that_no_longer_holds_is_reported(final):
    shift({"publication": final, "subject__code": "2080199", "direction": "expenditure"}, "9.00")
    assert findings(final, "rates")


def test_large_variances_have_a_published_reason(final):
    assert findings(final, "variance_reasons") == []


def test_a_large_variance_without_a_reason_is_reported(final):
    Explanation.objects.filter(section__publication=final, subject__code="2080150").delete()
    reported = findings(final, "variance_reasons")
    assert len(reported) == 1
    assert reported[0].where.startswith("2080150")
    assert "（194.8%），差异超过 10%，但没有公开原因" in reported[0].message


def test_a_narrative_indicator_equal_to_its_table_passes(final):
    EvaluationItem.objects.filter(level3__contains="综合接通率").update(actual="96.8%")
    assert not any("接通率" in f.where for f in findings(final, "narrative"))


def test_carrying_money_forward_with_a_balance_printed_passes(final):
    PublishedFigure.objects.filter(
        section__publication=final, measure="balance", row_label="年末结转和结余"
    ).update(value=Decimal("177.00"))
    assert not any("结转下一年度" in f.message for f in findings(final, "narrative"))


def test_a_narrative_three_public_figure_equal_to_the_budget_passes(final, budget):
    ThreePublicExpense.objects.filter(publication=budget, kind="reception").update(amount=None)
    assert not any("无预算安排，由明细" in f.message for f in findings(final, "narrative"))


# -- stored reports -------------------------------------------------------------------------


def test_a_stored_report_reads_back_as_it_was_checked(final):
    checked = quality.store(final)
    stored = quality.stored(final)
    assert stored.findings == checked.findings
    assert stored.checks == checked.checks
    assert stored.summary() == "核对 288 项：不一致 5 处，尾差 0 处，提示 5 处"


def test_an_unchecked_publication_has_no_stored_report(budget):
    QualityReport.objects.filter(publication=budget).delete()
    assert quality.stored(budget) is None
