"""Source lines name a publication's sections by what they hold, not by their local number."""

import pytest

from budgets.choices import Topic
from budgets.models import Explanation, Publication, Section, Unit
from budgets.summaries import published_scope
from budgets.summaries.sources import VARIANCE_REASONS, topic_source

pytestmark = pytest.mark.django_db


def test_the_scope_reads_its_sections_with_its_publications_in_one_query(
    django_assert_num_queries,
):
    with django_assert_num_queries(1):
        scope = published_scope("503033", 2024)
        codes = [s.code for s in scope.sections_of("final", Topic.THREE_PUBLIC)]
    assert codes == ["公开09"]
    assert [s.code for s in scope.sections_of("budget", Topic.THREE_PUBLIC)] == ["表7"]


def test_the_2024_source_lines_read_as_the_publications_number_their_tables():
    scope = published_scope("503033", 2024)
    functional = topic_source(
        scope,
        (Topic.EXPENDITURE, Topic.GENERAL_BUDGET_BY_FUNCTION),
        (
            ((Topic.EXPENDITURE, Topic.GENERAL_BUDGET_BY_FUNCTION), ""),
            ((VARIANCE_REASONS,), "（差异原因）"),
        ),
    )
    assert str(functional) == (
        "2024年单位预算表3、表5-1；2024年度单位决算公开03、公开05、第三部分五（差异原因）"
    )
    # Only the publications asked for are named.
    assert str(topic_source(scope, final=(Topic.EXPENDITURE,))) == "2024年度单位决算公开03"


def test_the_variance_reasons_are_the_section_that_holds_them():
    final = Publication.objects.get(unit__code="503033", year=2024, kind="final")
    Explanation.objects.filter(kind="variance_reason").update(
        section=Section.objects.get(publication=final, slug="explanation-3")
    )
    scope = published_scope("503033", 2024)
    assert [s.code for s in scope.sections_of("final", VARIANCE_REASONS)] == ["第三部分三"]


def test_a_2025_budget_built_in_code_is_cited_by_its_own_year():
    unit = Unit.objects.get(code="503033")
    budget = Publication.objects.create(
        unit=unit, year=2025, kind="budget", title="2025年单位预算", status="published"
    )
    Section.objects.create(
        publication=budget, code="表3", slug="table-3", title="支出总表", order=3,
        kind="table", topic=Topic.EXPENDITURE,
    )  # fmt: skip
    scope = published_scope("503033", 2025)
    source = topic_source(scope, (Topic.EXPENDITURE,), (Topic.EXPENDITURE,))
    assert str(source) == "2025年单位预算表3"
    assert source.pieces[1][1] == "/units/503033/2025/budget/table-3/"
    # A publication without a table on the topic is still named, with no number.
    assert str(topic_source(scope, (Topic.THREE_PUBLIC,))) == "2025年单位预算"
