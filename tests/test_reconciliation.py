"""Totals derived from the stored facts equal every total the publications print."""

from decimal import Decimal

import pytest

from budgets.models import Fact, PublishedFigure
from budgets.reconciliation import NOT_DERIVABLE, Status, derive_amount, reconcile

pytestmark = pytest.mark.django_db

UNITS = ["503033"]


def amount(measure, **dims):
    dims = {"year": 2024, **dims}
    value = derive_amount(measure, dims, UNITS)
    assert value is not NOT_DERIVABLE
    return value


@pytest.mark.parametrize(
    ("description", "measure", "dims", "printed"),
    [
        (
            "budget total",
            "expenditure",
            {"stage": "initial_budget", "scheme": "functional"},
            "720.94",
        ),
        ("final total", "expenditure", {"stage": "final", "scheme": "functional"}, "732.00"),
        (
            "budget basic",
            "expenditure",
            {"stage": "initial_budget", "scheme": "functional", "expenditure_type": "basic"},
            "237.53",
        ),
        (
            "budget project",
            "expenditure",
            {"stage": "initial_budget", "scheme": "functional", "expenditure_type": "project"},
            "483.41",
        ),
        (
            "final basic",
            "expenditure",
            {"stage": "final", "scheme": "functional", "expenditure_type": "basic"},
            "394.88",
        ),
        (
            "final project",
            "expenditure",
            {"stage": "final", "scheme": "functional", "expenditure_type": "project"},
            "337.12",
        ),
        (
            "budget personnel",
            "expenditure",
            {"stage": "initial_budget", "scheme": "economic", "expense_class": "personnel"},
            "213.12",
        ),
        (
            "budget public",
            "expenditure",
            {"stage": "initial_budget", "scheme": "economic", "expense_class": "public"},
            "24.41",
        ),
        (
            "budget personnel by function",
            "expenditure",
            {"stage": "initial_budget", "scheme": "functional", "expense_class": "personnel"},
            "213.12",
        ),
        (
            "final personnel",
            "expenditure",
            {"stage": "final", "scheme": "economic", "expense_class": "personnel"},
            "227.76",
        ),
        (
            "final public",
            "expenditure",
            {"stage": "final", "scheme": "economic", "expense_class": "public"},
            "167.12",
        ),
        (
            "final basic by economic subject",
            "expenditure",
            {"stage": "final", "scheme": "economic"},
            "394.88",
        ),
        ("budget 三公", "three_public", {"stage": "initial_budget"}, "1.20"),
        (
            "budget 公务用车",
            "three_public",
            {"stage": "initial_budget", "three_public_kind": "vehicle"},
            "1.00",
        ),
        ("adjusted 三公", "three_public", {"stage": "adjusted_budget"}, "0.96"),
        ("final 三公", "three_public", {"stage": "final"}, "0.96"),
        ("budget income", "income", {"stage": "initial_budget"}, "720.94"),
        ("final income", "income", {"stage": "final"}, "732.00"),
        ("project budget", "project", {"stage": "initial_budget"}, "483.41"),
        ("project adjusted budget", "project", {"stage": "adjusted_budget"}, "337.12"),
        ("project executed", "project", {"stage": "final"}, "337.12"),
    ],
)
def test_total_derived_from_facts_equals_the_published_total(description, measure, dims, printed):
    assert amount(measure, **dims) == Decimal(printed), description


def test_personnel_and_public_funds_are_the_economic_classes_301_303_and_302_310():
    for stage, personnel, public in (
        ("initial_budget", "213.12", "24.41"),
        ("final", "227.76", "167.12"),
    ):
        economic = {"stage": stage, "scheme": "economic"}
        assert amount("expenditure", subject_code="301", **economic) + amount(
            "expenditure", subject_code="303", **economic
        ) == Decimal(personnel)
        public_total = amount("expenditure", subject_code="302", **economic)
        capital = amount("expenditure", subject_code="310", **economic)
        assert public_total + (capital or 0) == Decimal(public)


# The explanation 五（三） of the final accounts states each 项's initial budget and final
# figure; these are its words, typed from the publication independently of the fixtures.
FIVE_THREE = [
    ("2080150", "168.73", "328.66"),
    ("2080199", "483.41", "306.12"),
    ("2080502", "8.38", "8.33"),
    ("2080505", "13.35", "13.35"),
    ("2080799", None, "31.00"),  # 年初预算未安排
    ("2089999", "0.92", "0.89"),
    ("2101102", "11.28", "10.05"),
    ("2101199", "9.77", "8.50"),
    ("2210201", "17.73", "17.73"),
    ("2210202", "3.62", "3.62"),
    ("2210203", "3.75", "3.75"),
]


@pytest.mark.parametrize(("code", "initial", "final"), FIVE_THREE)
def test_each_item_of_the_final_accounts_equals_the_explanation_five_three(code, initial, final):
    functional = {"scheme": "functional", "subject_code": code}
    derived_initial = amount("expenditure", stage="initial_budget", **functional)
    assert derived_initial == (Decimal(initial) if initial else None)
    assert amount("expenditure", stage="final", **functional) == Decimal(final)


def test_the_explanation_lists_every_item_of_the_final_accounts_and_no_other():
    stated = set(
        PublishedFigure.objects.filter(
            section__slug="explanation-5", section__publication__kind="final", column="支出决算"
        )
        .exclude(subject_code="")
        .values_list("subject_code", flat=True)
    )
    assert stated == {code for code, _, _ in FIVE_THREE}
    items = Fact.objects.filter(
        publication__kind="final",
        stage="final",
        direction="expenditure",
        subject__scheme="functional",
        subject__code__regex=r"^[0-9]{7}$",
    )
    assert set(items.values_list("subject__code", flat=True)) == stated


# What the publications say that their own tables contradict (shown by the reconciliation).
KNOWN_CONTRADICTIONS = {
    ("第三部分九", "2. 公务用车购置及运行费", "完成年初预算"),  # 100% of 1.00 is stated for 0.96
    ("第三部分九", "（2）公务用车运行维护费", "完成年初预算"),
    ("第三部分九", "3. 公务接待费", "预算"),  # "无预算安排" against the budget's 0.20
}
# Narrative zeros ("0 万元", "无支出决算数") where the tables leave the figure blank.
KNOWN_BLANK_VS_ZERO = {
    ("第三部分七", "1.因公出国（境）经费", "金额"),
    ("第三部分七", "2.其中：公务用车购置费", "金额"),
    ("第三部分五", "5. 社会保障和就业支出(类)就业补助(款)其他就业补助支出(项)", "年初预算"),
    ("第三部分九", "1. 因公出国(境)费", "预算"),
    ("第三部分九", "1. 因公出国(境)费", "决算"),
    ("第三部分九", "（1）公务用车购置费", "决算"),
    ("第三部分九", "3. 公务接待费", "决算"),
}


def _by_status(results, status):
    return {
        (r.figure.section.code, r.figure.row_label, r.figure.column)
        for r in results
        if r.status == status
    }


def test_every_derivable_printed_figure_agrees_except_the_publications_own_contradictions():
    results = reconcile(PublishedFigure.objects.all())
    assert _by_status(results, Status.MISMATCH) == KNOWN_CONTRADICTIONS
    assert _by_status(results, Status.BLANK_VS_ZERO) == KNOWN_BLANK_VS_ZERO
    assert len(_by_status(results, Status.MATCH)) > 500


def test_every_printed_total_of_the_2024_tables_can_be_derived_from_facts():
    tables = PublishedFigure.objects.filter(
        kind="table", year=2024, measure__in=["expenditure", "income", "three_public", "project"]
    ).exclude(stage="adjusted_budget")
    results = reconcile(tables)
    assert results
    assert {r.status for r in results} == {Status.MATCH}


def test_every_class_and_section_subtotal_of_both_classifications_is_checked():
    subtotals = PublishedFigure.objects.filter(
        kind="table", measure="expenditure", year=2024
    ).exclude(subject_code="")
    checked = {(f.scheme, f.subject_code) for f in subtotals}
    for code in ("208", "20801", "20805", "20899", "210", "21011", "221", "22102"):
        assert ("functional", code) in checked
    assert ("functional", "20807") in checked  # final accounts only
    for code in ("301", "302", "303"):
        assert ("economic", code) in checked
    assert {r.status for r in reconcile(subtotals)} == {Status.MATCH}


def test_scores_of_each_self_evaluation_add_up_to_the_published_total():
    totals = PublishedFigure.objects.filter(measure="score", row_label="总分")
    results = reconcile(totals)
    assert [(r.derived, r.status) for r in results] == [(Decimal("99.17"), Status.MATCH)] * 2


@pytest.mark.parametrize(
    ("code", "rate"),
    [
        ("2080150", "194.8"),
        ("2080199", "63.3"),
        ("2080502", "99.4"),
        ("2101199", "87"),
        ("2089999", "96.7"),
        ("2101102", "89.1"),
        ("2080505", "100"),
    ],
)
def test_completion_rates_are_reproduced_at_the_published_precision(code, rate):
    figure = PublishedFigure.objects.get(measure="completion_rate", subject_code=code)
    [result] = reconcile(PublishedFigure.objects.filter(pk=figure.pk))
    assert result.status == Status.MATCH
    assert result.derived == Decimal(rate)
