"""The one aggregation path: sums of facts by dimension, stage and group (summaries.totals)."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from budgets.choices import Scheme, Stage
from budgets.models import Fact, Publication
from budgets.summaries import totals
from budgets.summaries.totals import ADJUSTED_BUDGET, Level, MixedBreakdowns, Slice
from tests import factories

pytestmark = pytest.mark.django_db
YEAR = 2031
INITIAL = totals.functional(Stage.INITIAL_BUDGET)


@pytest.fixture
def two_units():
    """Department 901 with units 901001 and 901002, each with a published budget."""
    dept = factories.department()
    first = factories.unit_in(dept, "901001")
    second = factories.unit_in(dept, "901002")
    a = factories.publication(first, YEAR)
    b = factories.publication(second, YEAR)
    factories.fact(a, "2080101", "10.50")
    factories.fact(a, "2080102", "1.25", expenditure_type="project")
    factories.fact(a, "2010101", "3.00")
    factories.fact(a, "30101", "11.75", scheme=Scheme.ECONOMIC, expense_class="personnel")
    factories.fact(b, "2080101", "7.00")
    factories.fact(b, "30201", "7.00", scheme=Scheme.ECONOMIC, expense_class="public")
    return dept, first, second


def test_sums_group_by_unit_over_two_units(two_units):
    _, first, second = two_units
    facts = totals.facts_of(units=[first, second], year=YEAR)
    by_unit = totals.sums(facts, {"initial": INITIAL}, by=("unit",))
    assert by_unit == {
        "901001": {"initial": Decimal("14.75")},
        "901002": {"initial": Decimal("7.00")},
    }
    assert totals.total(facts, INITIAL) == Decimal("21.75")


def test_stage_totals_by_unit_give_each_unit_its_totals_in_one_query(
    two_units, django_assert_num_queries
):
    _, first, second = two_units
    facts = totals.facts_of(units=[first, second], year=YEAR)
    with django_assert_num_queries(1):
        by_unit = totals.stage_totals_by(facts)
    assert by_unit["901001"].initial == Decimal("14.75")
    assert by_unit["901001"].initial_project == Decimal("1.25")
    assert by_unit["901001"].initial_personnel == Decimal("11.75")
    assert by_unit["901002"].initial_public == Decimal("7.00")
    assert by_unit["901002"].final is None


def test_sums_group_by_class_and_by_section(two_units):
    facts = totals.facts_of(units=two_units[1:], year=YEAR)
    by_class = totals.sums(facts, {"initial": INITIAL}, by=(Level(Scheme.FUNCTIONAL, 0),))
    assert by_class == {"201": {"initial": Decimal("3.00")}, "208": {"initial": Decimal("18.75")}}
    by_section = totals.sums(facts, {"initial": INITIAL}, by=(Level(Scheme.FUNCTIONAL, 1),))
    assert by_section["20801"] == {"initial": Decimal("18.75")}


def test_by_code_gives_every_level_in_one_query(two_units, django_assert_num_queries):
    facts = totals.facts_of(units=two_units[1:], year=YEAR)
    with django_assert_num_queries(1):
        rows = totals.by_code(facts, Scheme.FUNCTIONAL, {"initial": INITIAL})
    found = {row["code"]: row["initial"] for row in rows}
    assert found == {
        "201": Decimal("3.00"),
        "20101": Decimal("3.00"),
        "2010101": Decimal("3.00"),
        "208": Decimal("18.75"),
        "20801": Decimal("18.75"),
        "2080101": Decimal("17.50"),
        "2080102": Decimal("1.25"),
    }


def test_by_code_and_gives_the_same_rows_and_each_units_sums_in_one_query(
    two_units, django_assert_num_queries
):
    _, first, second = two_units
    blank = factories.publication(factories.unit_in(two_units[0], "901003"), YEAR)
    factories.fact(blank, "2080101", None)  # a unit printing only a blank line sums to None
    facts = totals.facts_of(units=[first, second, blank.unit], year=YEAR)
    slices = {"initial": INITIAL, "project": INITIAL.but(expenditure_type="project")}
    with django_assert_num_queries(1):
        rows, by_unit = totals.by_code_and(facts, Scheme.FUNCTIONAL, slices, by="unit")
    assert by_unit == totals.sums(facts, slices, by=("unit",))
    assert by_unit["901003"] == {"initial": None, "project": None}
    ordered = sorted(rows, key=lambda row: row["code"])
    expected = totals.by_code(facts, Scheme.FUNCTIONAL, slices)
    assert ordered == sorted(expected, key=lambda row: row["code"])


def test_a_blank_line_sums_to_none_and_a_zero_to_zero():
    unit = factories.unit_in(factories.department(), "901003")
    budget = factories.publication(unit, YEAR)
    factories.fact(budget, "2080101", None)
    factories.fact(budget, "2010101", "0.00")
    facts = totals.facts_of(publications=[budget])
    assert totals.total(facts, INITIAL.but(code_prefix="208")) is None
    assert totals.total(facts, INITIAL.but(code_prefix="201")) == Decimal("0.00")
    assert totals.total(facts, INITIAL.but(code_prefix="221")) is None  # nothing printed
    assert totals.total(facts, INITIAL) == Decimal("0.00")


def test_functional_and_economic_are_never_added_together(two_units):
    with pytest.raises(MixedBreakdowns):
        Slice(stage=Stage.INITIAL_BUDGET)  # expenditure without a breakdown
    with pytest.raises(MixedBreakdowns):
        Slice(scheme=totals.UNIT_WIDE, code_prefix="208")
    facts = totals.facts_of(units=two_units[1:], year=YEAR)
    with pytest.raises(MixedBreakdowns):
        totals.sums(
            facts,
            {"f": INITIAL, "e": totals.economic(Stage.INITIAL_BUDGET)},
            by=(Level(Scheme.FUNCTIONAL, 0),),
        )
    with pytest.raises(MixedBreakdowns):
        totals.by_code(facts, Scheme.FUNCTIONAL, {"e": totals.economic()})
    # Each breakdown sums its own lines only: 21.75 functional, 18.75 economic.
    both = totals.sums(facts, {"f": INITIAL, "e": totals.economic(Stage.INITIAL_BUDGET)})
    assert both == {"f": Decimal("21.75"), "e": Decimal("18.75")}


def test_the_published_filter_leaves_drafts_out(two_units):
    _, first, _ = two_units
    draft = factories.publication(first, YEAR + 1, status="draft")
    factories.fact(draft, "2080101", "99.00")
    assert totals.total(totals.facts_of(units=[first], year=YEAR + 1), INITIAL) is None
    checked = totals.facts_of(units=[first], year=YEAR + 1, published=False)
    assert totals.total(checked, INITIAL) == Decimal("99.00")
    assert draft not in Publication.objects.published()
    assert not Fact.objects.published().filter(publication=draft).exists()


def test_the_adjusted_budget_is_the_unit_wide_figure(two_units):
    _, first, _ = two_units
    final = factories.publication(first, YEAR, kind="final")
    factories.fact(final, None, "20.00", stage=Stage.ADJUSTED_BUDGET)
    factories.fact(final, "2080101", "19.00")
    facts = totals.facts_of(publications=[final])
    assert totals.total(facts, ADJUSTED_BUDGET) == Decimal("20.00")
    stage = totals.stage_totals(facts)
    assert (stage.adjusted, stage.final, stage.execution_rate) == (
        Decimal("20.00"),
        Decimal("19.00"),
        Decimal(95),
    )


def test_sums_of_many_cents_are_exact():
    unit = factories.unit_in(factories.department(), "901004")
    budget = factories.publication(unit, YEAR)
    for code in ("208", "20801"):
        factories.subject(Scheme.FUNCTIONAL, YEAR, code)
    subjects = [
        factories.Subject(scheme=Scheme.FUNCTIONAL, year=YEAR, code=f"20801{n:02d}", name="x")
        for n in range(100)
    ]
    factories.Subject.objects.bulk_create(subjects)
    lines = [
        Fact(
            publication=budget,
            unit=unit,
            direction="expenditure",
            stage=Stage.INITIAL_BUDGET,
            subject=subject,
            expenditure_type=kind,
            expense_class=expense_class,
            fund_source=source,
            amount=Decimal("0.01"),
        )
        for subject in factories.Subject.objects.filter(year=YEAR, code__startswith="20801")
        if len(subject.code) == 7
        for kind, expense_class in (("basic", "personnel"), ("basic", "public"), ("project", ""))
        for source in ("general_budget", "government_fund", "business", "other")
    ]
    Fact.objects.bulk_create(lines)
    facts = totals.facts_of(publications=[budget])
    assert len(lines) == 1200
    assert totals.total(facts, INITIAL) == Decimal("12.00")
    assert str(totals.total(facts, INITIAL.but(fund_source="fiscal"))) == "6.00"


def test_grouping_by_an_unknown_name_is_an_error(two_units):
    with pytest.raises(ValueError, match="cannot group"):
        totals.sums(Fact.objects.all(), {"initial": INITIAL}, by=("colour",))


BUDGETS = Path(__file__).resolve().parents[2] / "budgets"
PUBLISHED_FILTER = re.compile(
    r"status\s*=\s*(PublicationStatus\.PUBLISHED|PUBLISHED|['\"]published)"
)
STATUS_LOOKUP = re.compile(r"publication__status")


def test_no_published_filter_is_written_outside_the_one_published_queryset():
    """`Fact.objects.published()` and its siblings are the one "published" filter: no module
    of the app spells `publication__status` or filters on status=PUBLISHED itself."""
    home = BUDGETS / "models" / "organisation.py"
    offenders = []
    for path in sorted(BUDGETS.rglob("*.py")):
        if path == home or "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        for number, line in enumerate(source.splitlines(), 1):
            if STATUS_LOOKUP.search(line) or (PUBLISHED_FILTER.search(line) and "filter" in line):
                offenders.append(f"{path.relative_to(BUDGETS)}:{number}: {line.strip()}")
    assert offenders == []


def test_sums_of_facts_are_written_in_the_totals_module_only():
    """No other module sums fact amounts itself (Sum over a Fact queryset or `facts.aggregate`)."""
    home = BUDGETS / "summaries" / "totals.py"
    pattern = re.compile(r"Fact\.objects[^\n]*\.(aggregate|annotate)\(|Sum\(\"amount\"")
    offenders = [
        str(path.relative_to(BUDGETS))
        for path in sorted(BUDGETS.rglob("*.py"))
        if path != home
        and "migrations" not in path.parts
        and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_grouped_sums_equal_each_slice_summed_alone_with_every_condition(two_units):
    """Grouped sums filter each slice only by the dimensions in which the slices differ (the
    others are in the WHERE): each must still be the sum of its own slice, whatever mixes of
    stages, schemes, splits and directions are asked together."""
    _, first, second = two_units
    facts = totals.facts_of(units=[first, second], year=YEAR)
    slices = {
        **totals.STAGE_TOTAL_SLICES,
        "income": totals.income(Stage.INITIAL_BUDGET),
        "class_208": totals.functional(Stage.INITIAL_BUDGET, code_prefix="208"),
        "of_year": totals.functional(Stage.INITIAL_BUDGET, subject_year=YEAR),
    }
    by_unit = totals.sums(facts, slices, by=("unit",))
    assert by_unit["901001"]["initial_project"] == Decimal("1.25")
    for unit in (first, second):
        for name, piece in slices.items():
            alone = totals.total(totals.facts_of(units=[unit], year=YEAR), piece)
            assert by_unit.get(unit.code, {}).get(name) == alone, (unit.code, name)
    functional_pair = {"initial": INITIAL, "project": INITIAL.but(expenditure_type="project")}
    rows = {row["code"]: row for row in totals.by_code(facts, Scheme.FUNCTIONAL, functional_pair)}
    assert rows["208"]["initial"] == Decimal("18.75")
    assert rows["208"]["project"] == Decimal("1.25")
    assert rows["2010101"]["project"] is None
