"""generate_city: a synthetic city that is consistent, marked as example data everywhere, and
kept out of the real data and downloads."""

from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from budgets import datasets
from budgets.example_city import delete_example_data
from budgets.models import Fact, Project, Publication, Subject, Unit

pytestmark = pytest.mark.django_db


def generate(*extra, departments=2, units=6, years=2, seed=3):
    call_command(
        "generate_city",
        f"--departments={departments}",
        f"--units={units}",
        f"--years={years}",
        f"--seed={seed}",
        *extra,
        stdout=StringIO(),
    )


def example_facts():
    return Fact.objects.filter(unit__is_example=True)


def snapshot():
    return list(
        example_facts()
        .order_by("unit__code", "publication__year", "stage", "direction", "subject__code", "pk")
        .values_list(
            "unit__code",
            "publication__year",
            "stage",
            "direction",
            "subject__code",
            "expenditure_type",
            "expense_class",
            "amount",
        )
    )


def test_the_same_seed_gives_the_same_city_and_another_seed_another():
    generate(seed=3)
    first = snapshot()
    delete_example_data()
    generate(seed=3)
    assert snapshot() == first
    delete_example_data()
    generate(seed=4)
    assert snapshot() != first


def test_counts_are_as_asked():
    generate(departments=2, units=6, years=3)
    departments = Unit.objects.filter(is_example=True, kind="department")
    units = Unit.objects.filter(is_example=True, kind="unit")
    assert departments.count() == 2
    assert units.count() == 6
    publications = Publication.objects.filter(unit__is_example=True)
    assert publications.count() == 6 * 3 * 2
    assert set(publications.values_list("year", flat=True)) == {2022, 2023, 2024}
    assert Project.objects.filter(unit__is_example=True).count() == 6
    # Every unit-year has about as many lines as 503033's two publications (121).
    assert example_facts().count() > 6 * 3 * 120


def test_everything_generated_is_marked_as_example_data():
    generate()
    for unit in Unit.objects.filter(is_example=True):
        assert "示例" in unit.name
        if unit.kind == "department":
            assert 901 <= int(unit.code) <= 999
        else:
            assert unit.parent.is_example
            assert unit.code.startswith(unit.parent.code)
    assert all(
        "示例数据" in title
        for title in Publication.objects.filter(unit__is_example=True).values_list(
            "title", flat=True
        )
    )
    # The real unit and its department are untouched.
    assert not Unit.objects.filter(code__in=["503", "503033"], is_example=True).exists()


def test_budget_totals_agree_across_classifications_and_with_income():
    """Only leaves are stored, so every 类 and 款 is the sum of its children; the functional and
    economic breakdowns of basic expenditure and the income agree for every publication."""
    generate()
    totals = defaultdict(int)
    for (
        publication,
        direction,
        stage,
        scheme,
        expenditure_type,
        expense_class,
        amount,
    ) in example_facts().values_list(
        "publication",
        "direction",
        "stage",
        "subject__scheme",
        "expenditure_type",
        "expense_class",
        "amount",
    ):
        key = (publication, direction, stage, scheme, expenditure_type)
        totals[key] += amount or 0
        totals[(*key, expense_class)] += amount or 0
    publications = Publication.objects.filter(unit__is_example=True)
    for publication in publications.filter(kind="budget"):
        stage = ("initial_budget",)
        expenditure = (publication.pk, "expenditure", *stage)
        for expense_class in ("personnel", "public"):
            assert (
                totals[(*expenditure, "functional", "basic", expense_class)]
                == totals[(*expenditure, "economic", "basic", expense_class)]
                > 0
            )
        functional_total = (
            totals[(*expenditure, "functional", "basic")]
            + totals[(*expenditure, "functional", "project")]
        )
        assert totals[(publication.pk, "income", *stage, None, "")] == functional_total
    for publication in publications.filter(kind="final"):
        expenditure = (publication.pk, "expenditure", "final")
        assert (
            totals[(*expenditure, "functional", "basic")]
            == totals[(*expenditure, "economic", "basic")]
        )
        functional_total = (
            totals[(*expenditure, "functional", "basic")]
            + totals[(*expenditure, "functional", "project")]
        )
        assert totals[(publication.pk, "income", "final", "functional", "")] == functional_total
        assert totals[(publication.pk, "expenditure", "adjusted_budget", None, "")] >= (
            functional_total
        )


def test_some_lines_are_on_one_side_only():
    generate(units=10, years=2)
    sides = defaultdict(set)
    for unit, year, stage, code in (
        example_facts()
        .filter(direction="expenditure", subject__scheme="functional", amount__isnull=False)
        .values_list("unit", "publication__year", "stage", "subject__code")
    ):
        sides[(unit, year, code)].add(stage)
    assert {"initial_budget"} in sides.values()  # budgeted, not spent
    assert {"final"} in sides.values()  # spent, not budgeted
    assert example_facts().filter(amount__isnull=True).exists()  # printed blank


def test_years_without_subjects_get_a_copy_of_the_latest_list_once():
    real_2024 = Subject.objects.filter(year=2024).count()
    generate(years=2)
    assert Subject.objects.filter(year=2023).count() == real_2024
    delete_example_data()
    generate(years=2)
    assert Subject.objects.filter(year=2023).count() == real_2024
    assert Subject.objects.filter(year=2024).count() == real_2024


def test_a_second_run_is_refused_and_replace_removes_only_example_data():
    real_facts = Fact.objects.filter(unit__code="503033").count()
    generate(units=4)
    with pytest.raises(CommandError, match="--replace"):
        generate(units=4)
    generate("--replace", departments=1, units=3)
    assert Unit.objects.filter(is_example=True, kind="unit").count() == 3
    assert Unit.objects.filter(is_example=True, kind="department").count() == 1
    assert Fact.objects.filter(unit__code="503033").count() == real_facts
    assert Publication.objects.filter(unit__code="503033").count() == 2
    delete_example_data()
    assert not Unit.objects.filter(is_example=True).exists()
    assert not Publication.objects.filter(title__contains="示例数据").exists()
    assert Fact.objects.count() == real_facts


def test_draft_leaves_some_final_accounts_unpublished():
    generate("--draft", units=10)
    drafts = Publication.objects.filter(unit__is_example=True, status="draft")
    assert drafts.count() == 2
    assert set(drafts.values_list("kind", "year")) == {("final", 2024)}


def test_real_downloads_leave_example_units_out():
    generate()
    example_codes = set(Unit.objects.filter(is_example=True).values_list("code", flat=True))
    for name, rows in datasets.ROWS.items():
        codes = {cell for row in rows() for cell in row if isinstance(cell, str)}
        assert not codes & example_codes, name
    lines = list(datasets.line_rows())
    assert {row[3] for row in lines} == {"503033"}
    indicator_units = {row[1] for row in datasets.indicator_rows()}
    assert indicator_units == {"503033"}


def test_browse_page_leaves_example_units_out(client):
    generate()
    html = client.get("/data/browse/?unit=901001").content.decode()
    assert "示例单位" not in html


def test_every_page_of_an_example_unit_says_example_data(client):
    generate()
    for url in ["/units/901001/", "/units/901001/2024/", "/units/901001/2024/functional/"]:
        assert "示例数据" in client.get(url).content.decode(), url
    assert "example-banner" not in client.get("/units/503033/2024/").content.decode()
    response = client.get("/units/901001/2024/functional.csv")
    assert 'filename="example-901001-2024-' in response["Content-Disposition"]
