"""The crosswalk (科目调整): a subject's code in other years, following the changes both ways."""

import pytest

from budgets.crosswalk import CodeMoves, changes_from, codes_by_year
from budgets.models import SubjectChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def reclassified():
    SubjectChange.objects.create(
        scheme="functional", year=2025, old_code="2080150", new_code="2080199", note="合并"
    )
    SubjectChange.objects.create(
        scheme="functional", year=2026, old_code="2080199", new_code="2080188"
    )


def test_a_code_without_changes_keeps_its_code_every_year():
    assert codes_by_year("functional", "2080501", 2024, [2022, 2024, 2026]) == {
        2022: "2080501",
        2024: "2080501",
        2026: "2080501",
    }


def test_a_replaced_code_is_followed_forward_across_two_changes(reclassified):
    assert codes_by_year("functional", "2080150", 2024, [2024, 2025, 2026, 2027]) == {
        2024: "2080150",
        2025: "2080199",
        2026: "2080188",
        2027: "2080188",
    }


def test_a_new_code_is_followed_backward_to_its_old_code(reclassified):
    assert codes_by_year("functional", "2080188", 2026, [2023, 2025]) == {
        2023: "2080150",
        2025: "2080199",
    }


def test_the_other_scheme_is_not_followed(reclassified):
    assert codes_by_year("economic", "2080150", 2024, [2025]) == {2025: "2080150"}


def test_a_retired_or_split_code_has_no_single_code_after_the_change():
    SubjectChange.objects.create(scheme="economic", year=2025, old_code="30101", new_code="")
    SubjectChange.objects.create(scheme="economic", year=2025, old_code="30102", new_code="30110")
    SubjectChange.objects.create(scheme="economic", year=2025, old_code="30102", new_code="30111")
    assert codes_by_year("economic", "30101", 2024, [2025, 2026]) == {2025: None, 2026: None}
    assert codes_by_year("economic", "30102", 2024, [2025]) == {2025: None}


def test_a_merged_code_has_no_single_code_before_the_merge():
    SubjectChange.objects.create(scheme="economic", year=2025, old_code="30101", new_code="30199")
    SubjectChange.objects.create(scheme="economic", year=2025, old_code="30102", new_code="30199")
    assert codes_by_year("economic", "30199", 2025, [2024]) == {2024: None}


def test_codes_by_year_runs_one_query(reclassified, django_assert_num_queries):
    with django_assert_num_queries(1):
        codes_by_year("functional", "2080150", 2024, range(2020, 2030))


def test_changes_from_groups_a_years_lines_by_old_code(reclassified):
    changes = changes_from("functional", 2025, ["2080150", "2080501"])
    assert list(changes) == ["2080150"]
    assert changes["2080150"][0].new_code == "2080199"


def test_an_importer_is_told_where_a_code_went_with_the_crosswalk_note(reclassified):
    moves = CodeMoves("functional")
    in_2025 = {"2080199", "2080501"}.__contains__
    assert moves.explain("2080150", in_2025) == (
        "2080150 已于 2025 年调整为 2080199（合并），请按新编码填写。"
    )
    in_2026 = {"2080188"}.__contains__
    assert moves.explain("2080150", in_2026) == (
        "2080150 已于 2025 年调整为 2080199（合并），又已于 2026 年调整为 2080188，请按新编码填写。"
    )
    assert moves.explain("2080501", in_2025) is None


def test_a_retired_code_is_explained_as_no_longer_used():
    SubjectChange.objects.create(scheme="economic", year=2025, old_code="30101", new_code="")
    assert CodeMoves("economic").explain("30101", set().__contains__) == (
        "30101 已于 2025 年取消，不再使用。"
    )
