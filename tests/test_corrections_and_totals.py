"""A correction after publishing changes a figure that printed totals add up: the check calls
the gap it opens an inconsistency (不一致), not a rounding difference, until the totals are
corrected too, and the correction form says which printed totals the change affects."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from budgets import quality, reconciliation
from budgets.models import Fact, ProjectAmount, Publication, PublishedFigure, ThreePublicExpense
from tests.helpers import form_data
from tests.staff import fact_form, staff_user

pytestmark = pytest.mark.django_db
FIGURE_LINK = re.compile(r"/admin/budgets/publishedfigure/(\d+)/change/")


@pytest.fixture
def budget():
    return Publication.objects.get(kind="budget")


@pytest.fixture
def fact(budget):
    return Fact.objects.get(publication=budget, subject__code="2080199", direction="expenditure")


@pytest.fixture
def reviewer(client):
    client.force_login(staff_user("shenhe", "审核人员", "503033"))
    return client


def change_url(instance):
    meta = instance._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[instance.pk])


def mismatched(publication=None) -> set[int]:
    """The printed totals (amounts derived from the lines) that disagree with their lines."""
    figures = PublishedFigure.objects.filter(
        measure__in=["expenditure", "income", "three_public", "project"]
    )
    if publication is not None:
        figures = figures.filter(section__publication=publication)
    return {
        result.figure.pk
        for result in reconciliation.reconcile(figures)
        if result.status == reconciliation.Status.MISMATCH
    }


def correct_by_a_cent(reviewer, fact):
    form = fact_form(fact, amount="483.42", correction_reason="项目测算有误，更正为 483.42")
    assert reviewer.post(change_url(fact), form).status_code == 302


def test_a_gap_opened_by_a_correction_is_an_inconsistency_not_a_rounding(reviewer, budget, fact):
    assert quality.check(budget).mismatches == 0
    correct_by_a_cent(reviewer, fact)
    report = quality.check(budget)
    assert report.counts()["尾差"] == 0
    # Income no longer equals expenditure (the facts disagree), and each printed total of
    # the corrected line is 0.01 off: an inconsistency that names the correction.
    opened = [f for f in report.findings if f.severity != quality.Severity.NOTE]
    assert [f.rule for f in opened].count("income_expenditure") == 1
    totals = [f for f in opened if f.rule != "income_expenditure"]
    assert len(totals) == len(mismatched(budget)) > 20
    assert all(f.severity == quality.Severity.MISMATCH for f in totals)
    note = "对明细的更正（项目测算有误，更正为 483.42），此合计尚未随之更正。"
    assert all(note in f.message for f in totals)
    assert any(f.where == "表3 · 合计 · 合计" and f.derived == "720.95" for f in totals)


def test_once_the_totals_are_corrected_too_the_check_is_clean_again(reviewer, budget, fact):
    correct_by_a_cent(reviewer, fact)
    income = Fact.objects.get(publication=budget, direction="income")
    form = fact_form(income, amount=str(income.amount + Decimal("0.01")), correction_reason="同上")
    assert reviewer.post(change_url(income), form).status_code == 302
    for pk in mismatched(budget):
        figure = PublishedFigure.objects.get(pk=pk)
        data = form_data(reviewer.get(change_url(figure)).content.decode())
        data["value"] = str(figure.value + Decimal("0.01"))
        data["correction_reason"] = "随 2080199 的更正一并更正合计"
        assert reviewer.post(change_url(figure), data).status_code == 302
    report = quality.check(budget)
    assert report.mismatches == 0
    assert report.counts()["尾差"] == 0


def test_a_correction_of_a_total_that_leaves_a_cent_is_a_rounding_again(reviewer, budget, fact):
    correct_by_a_cent(reviewer, fact)
    total = PublishedFigure.objects.get(
        section__publication=budget, section__code="表3", row_label="合计", column="合计"
    )
    data = form_data(reviewer.get(change_url(total)).content.decode())
    data.update(value="720.96", correction_reason="合计按四舍五入列示")
    assert reviewer.post(change_url(total), data).status_code == 302
    found = [f for f in quality.check(budget).findings if f.where.startswith("表3 · 合计 · 合计")]
    assert [f.severity for f in found] == [quality.Severity.ROUNDING]


def test_the_correction_form_lists_the_printed_totals_the_change_affects(reviewer, fact):
    html = reviewer.get(change_url(fact)).content.decode()
    assert "此项更正影响的公开合计" in html
    listed = {int(pk) for pk in FIGURE_LINK.findall(html)}
    before = mismatched()
    response = reviewer.post(
        change_url(fact),
        fact_form(fact, amount="483.42", correction_reason="项目测算有误，更正为 483.42"),
        follow=True,
    )
    assert f"此更正影响 {len(listed)} 个公开合计" in response.content.decode()
    assert listed == mismatched() - before
    assert "表3 · 合计 · 合计：720.94" in html


@pytest.mark.parametrize(
    "record",
    [
        lambda: Fact.objects.get(
            publication__kind="final", subject__code="30101", stage="final", direction="expenditure"
        ),
        lambda: Fact.objects.filter(publication__kind="final", direction="income").first(),
        lambda: ThreePublicExpense.objects.filter(publication__kind="final", amount__gt=0).first(),
        lambda: ProjectAmount.objects.get(year=2024, stage="final"),
    ],
    ids=["economic fact", "income", "three public", "project amount"],
)
def test_the_totals_a_figure_adds_up_to_are_those_its_change_moves(record):
    record = record()
    before = mismatched()
    record.amount += Decimal("0.01")
    record.save()
    moved = mismatched() - before
    assert moved
    assert set(reconciliation.figures_adding_up(record).values_list("pk", flat=True)) == moved
