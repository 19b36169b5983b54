"""Opening a year's subject lists: `manage.py open_year` copies 2024's lists into 2025 once,
following the crosswalk (科目调整) recorded for 2025."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from budgets.classification import open_year
from budgets.models import Subject, SubjectChange

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("open_year", *args, stdout=out)
    return out.getvalue()


def codes(year, scheme="functional"):
    return set(Subject.objects.filter(year=year, scheme=scheme).values_list("code", flat=True))


def test_open_year_copies_both_lists_with_names_and_definitions_and_says_so():
    Subject.objects.filter(year=2024, code="2080150").update(definition="反映事业单位的基本支出。")
    output = run("2025")
    assert codes(2025) == codes(2024)
    assert codes(2025, "economic") == codes(2024, "economic")
    copied = Subject.objects.get(year=2025, scheme="functional", code="2080150")
    assert (copied.name, copied.definition) == ("事业运行", "反映事业单位的基本支出。")
    assert copied.level_name == "项"
    assert "已开启 2025 年度科目（自 2024 年复制）" in output
    assert "支出功能分类新增 44 个科目" in output
    assert "支出经济分类新增 63 个科目" in output


def test_opening_a_year_twice_adds_nothing_and_says_so():
    run("2025")
    output = run("2025")
    assert Subject.objects.filter(year=2025).count() == 44 + 63
    expected = "2025 年度科目已经开启（支出功能分类 44 个，支出经济分类 63 个），没有新增科目。"
    assert expected in output


def test_opening_a_partly_open_year_adds_only_the_missing_codes():
    Subject.objects.create(scheme="functional", year=2025, code="208", name="社保（新名称）")
    run("2025")
    assert Subject.objects.filter(year=2025, scheme="functional").count() == 44
    assert Subject.objects.get(year=2025, scheme="functional", code="208").name == "社保（新名称）"


def test_every_new_subject_has_a_history_version_with_the_reason():
    run("2025")
    history = Subject.history.filter(year=2025)
    assert history.count() == 44 + 63
    assert set(history.values_list("history_change_reason", flat=True)) == {
        "开启 2025 年度科目（自 2024 年复制）"
    }


def test_the_crosswalk_renumbers_and_retires_codes_of_the_new_year():
    SubjectChange.objects.create(
        scheme="functional", year=2025, old_code="2080150", new_code="2080160", note="编码调整"
    )
    SubjectChange.objects.create(scheme="economic", year=2025, old_code="30106", new_code="")
    output = run("2025")
    assert "2080150" not in codes(2025)
    assert Subject.objects.get(year=2025, code="2080160").name == "事业运行"
    assert "30106" not in codes(2025, "economic")
    assert "按科目调整改用新编码 1 个（2080150→2080160）" in output
    assert "按科目调整取消 1 个（30106）" in output


def test_a_new_code_whose_parent_is_missing_stops_the_whole_opening():
    SubjectChange.objects.create(
        scheme="functional", year=2025, old_code="2080150", new_code="2088850"
    )
    with pytest.raises(CommandError, match="2088850（上级 20888）"):
        run("2025")
    assert not Subject.objects.filter(year=2025).exists()


def test_from_copies_an_older_year_and_bad_years_are_explained():
    run("2026", "--from", "2024")
    assert codes(2026) == codes(2024)
    with pytest.raises(CommandError, match="年度应在 1990–2100 之间"):
        run("2101")
    with pytest.raises(CommandError, match="2023 年没有科目，无从复制"):
        run("2027", "--from", "2023")
    with pytest.raises(CommandError, match="2024 年以前没有任何年度的科目"):
        run("2024")
    with pytest.raises(CommandError, match="2025 年不早于 2025 年"):
        run("2025", "--from", "2025")


def test_the_default_source_is_the_latest_earlier_year():
    run("2025")
    Subject.objects.filter(year=2025, code="2080150").update(name="事业运行（2025）")
    result = open_year(2026)
    assert result.source_year == 2025
    assert Subject.objects.get(year=2026, code="2080150").name == "事业运行（2025）"
