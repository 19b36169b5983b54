"""Comparison pages: a subject across years, a subject across a department's units, units like
this one; on the real publications and on units built in code."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from budgets.formatting import wan
from budgets.models import Fact, Publication, SubjectChange, Unit
from tests import factories
from tests.helpers import csv_rows, row_starting

pytestmark = pytest.mark.django_db

YEARS_URL = "/units/503033/years/functional/2080150/"
DEPARTMENT_URL = "/departments/503/2024/subjects/functional/2080150/"
SIMILAR_URL = "/units/503033/2024/similar/"
# unit, publications' years, subject, crosswalk, sums, cited figures, names (+ the session's
# nothing: pages are anonymous)
YEARS_QUERIES = 7
DEPARTMENT_QUERIES = 6  # department, subject, units, published kinds, sums by unit, total
SIMILAR_QUERIES = 6  # scope, main classes, siblings, same-class units, stage totals, 类 name


# -- on the real publications of 503033 -------------------------------------------------------


def test_a_subject_across_years_shows_the_implied_earlier_budget_marked(client):
    html = client.get(YEARS_URL).content.decode()
    row = row_starting(html, "2023 年")
    assert row[1:4] == ["2080150", "事业运行", "156.28推算"]
    assert row[4] == ""  # the 2023 final of this item is printed nowhere
    assert row_starting(html, "2024 年")[3:6] == ["168.73", "328.66", "194.8%"]
    assert "2022 年" in html  # a year the publications cite, with nothing about this item
    assert row[-1] == "2024年预算第三部分五（仅一般公共预算财政拨款）"


def test_a_year_with_no_figure_for_the_subject_says_unpublished_not_published(client):
    row = row_starting(client.get(YEARS_URL).content.decode(), "2022 年")
    assert row[3:5] == ["", ""]
    assert row[-2:] == ["未公开", "未公开"]


def test_a_subject_across_years_has_a_csv_twin_with_the_same_rows(client):
    rows = csv_rows(client.get(YEARS_URL.rstrip("/") + ".csv"))
    assert rows[0][:6] == [
        "年度",
        "当年科目编码",
        "当年科目名称",
        "年初预算（万元）",
        "决算（万元）",
        "完成年初预算",
    ]
    by_year = {row[0]: row for row in rows[1:]}
    assert by_year["2023"][3] == "156.28"
    assert by_year["2023"][6] == "由文字推算"
    assert by_year["2024"][3:5] == ["168.73", "328.66"]


def test_a_class_across_years_sums_this_years_lines_and_cites_nothing_it_does_not_print(client):
    html = client.get("/units/503033/years/functional/208/").content.decode()
    assert row_starting(html, "2024 年")[3:5] == ["674.79", "688.35"]
    assert row_starting(html, "2023 年")[3:5] == ["", ""]


def test_the_department_page_gives_each_unit_its_share_and_the_total(client):
    response = client.get(DEPARTMENT_URL)
    html = response.content.decode()
    assert row_starting(html, "503033")[2:8] == [
        "168.73", "100%", "328.66", "100%", "194.8%", "预算、决算"
    ]  # fmt: skip
    assert "1 个单位中有 1 个已公开" in html


def test_units_like_this_one_lists_the_department_and_the_same_main_class(client):
    html = client.get(SIMILAR_URL).content.decode()
    assert row_starting(html, "503033")[2:6] == ["208", "720.94", "732.00", "101.5%"]
    assert "社会保障和就业支出" in html


def test_the_subject_page_links_to_its_comparisons(client):
    html = client.get("/units/503033/2024/subjects/functional/2080150/").content.decode()
    assert f'href="{YEARS_URL}"' in html
    assert f'href="{DEPARTMENT_URL}"' in html
    overview = client.get("/units/503033/2024/").content.decode()
    assert f'href="{SIMILAR_URL}"' in overview


@pytest.mark.parametrize(
    "url",
    [
        "/units/999999/years/functional/2080150/",
        "/units/503033/years/functional/2999999/",
        "/units/503033/years/economic/2080150/",
        "/departments/999/2024/subjects/functional/2080150/",
        "/departments/503033/2024/subjects/functional/2080150/",  # a unit, not a department
        "/departments/503/2019/subjects/functional/2080150/",
        "/departments/503/2024/subjects/functional/2999999/",
        "/units/503033/2019/similar/",
        "/units/999999/2024/similar.csv",
    ],
)
def test_unknown_units_departments_years_and_codes_are_a_chinese_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "没有" in response.content.decode()


@pytest.mark.parametrize("url", [YEARS_URL, DEPARTMENT_URL, SIMILAR_URL])
def test_a_bad_parameter_is_a_400(client, url):
    response = client.get(url, {"per_page": "１０"})
    assert response.status_code == 400


# -- on units built in code: counts that stay fixed as units are added ------------------------

YEAR = 2031


def _department(units: int, code: str = "902", example: bool = False):
    dept = factories.department(code, "示例部门")
    made = []
    for n in range(1, units + 1):
        unit = factories.unit_in(dept, f"{code}{n:03d}", is_example=example)
        for year in (YEAR - 1, YEAR):
            budget = factories.publication(unit, year)
            factories.fact(budget, "2080101", f"{n}.00")
            factories.fact(budget, "2010101", "1.00")
            final = factories.publication(unit, year, kind="final")
            factories.fact(final, "2080101", f"{n}.50")
        made.append(unit)
    return dept, made


@pytest.mark.parametrize("units", [2, 6])
def test_comparison_pages_run_a_fixed_number_of_queries(client, django_assert_num_queries, units):
    _department(units)
    pages = [
        ("/units/902001/years/functional/2080101/", YEARS_QUERIES),
        ("/units/902001/years/functional/2080101.csv", YEARS_QUERIES),
        (f"/departments/902/{YEAR}/subjects/functional/208/", DEPARTMENT_QUERIES),
        (f"/departments/902/{YEAR}/subjects/functional/208.csv", DEPARTMENT_QUERIES),
        (f"/units/902001/{YEAR}/similar/", SIMILAR_QUERIES),
        (f"/units/902001/{YEAR}/similar.csv", SIMILAR_QUERIES),
    ]
    for url, queries in pages:
        with django_assert_num_queries(queries):
            response = client.get(url)
            if url.endswith(".csv"):
                b"".join(response.streaming_content)
        assert response.status_code == 200, url


def test_a_department_sums_its_units_and_says_how_many_published(client):
    dept, _ = _department(3)
    # A fourth unit that has not published this year.
    factories.unit_in(dept, "902004")
    html = client.get(f"/departments/902/{YEAR}/subjects/functional/2080101/").content.decode()
    assert "年初预算 6.00 万元，决算 7.50 万元" in html
    assert "4 个单位中有 3 个已公开" in html
    assert "部门合计不完整" in html
    assert row_starting(html, "902003")[2:4] == ["3.00", "50%"]
    assert row_starting(html, "902004")[-1] == "未公开"
    rows = csv_rows(client.get(f"/departments/902/{YEAR}/subjects/functional/2080101.csv"))
    assert [row[0] for row in rows[1:]] == ["902001", "902002", "902003", "902004"]


def test_a_subject_follows_its_code_through_the_crosswalk(client):
    _, (unit, *_) = _department(1)
    later = factories.publication(unit, YEAR + 1)
    factories.fact(later, "2080109", "4.00")
    SubjectChange.objects.create(
        scheme="functional", year=YEAR + 1, old_code="2080101", new_code="2080109"
    )
    rows = csv_rows(client.get("/units/902001/years/functional/2080109.csv"))
    by_year = {row[0]: row[1:4] for row in rows[1:]}
    assert by_year[str(YEAR)] == ["2080101", "科目2080101", "1.00"]
    assert by_year[str(YEAR + 1)] == ["2080109", "科目2080109", "4.00"]


def test_similar_units_share_the_main_class(client):
    _department(3)
    other = factories.department("903", "另一部门")
    unit = factories.unit_in(other, "903001")
    budget = factories.publication(unit, YEAR)
    factories.fact(budget, "2080101", "2.00")
    elsewhere = factories.unit_in(other, "903002")
    factories.fact(factories.publication(elsewhere, YEAR), "2010101", "9.00")
    html = client.get(f"/units/902001/{YEAR}/similar/").content.decode()
    assert "903001" in html  # same main 类 208, another department
    assert "903002" not in html  # its main 类 is 201


def test_a_real_unit_is_never_compared_with_example_units_nor_an_example_with_real_ones(client):
    """Example data (示例数据) stays among examples: a real unit's page says nothing invented."""
    _department(1)
    _department(2, code="904", example=True)
    real = client.get(f"/units/902001/{YEAR}/similar/").content.decode()
    assert "904001" not in real
    assert "示例数据" not in real
    assert "本单位" in row_starting(real, "902001")[-1]
    example = client.get(f"/units/904001/{YEAR}/similar/").content.decode()
    assert "902001" not in example
    rows = csv_rows(client.get(f"/units/902001/{YEAR}/similar.csv"))
    assert {row[1] for row in rows[1:]} == {"902001"}


def test_example_units_say_so_on_every_comparison_page_and_file(client):
    _department(2, code="904", example=True)
    for url in (
        "/units/904001/years/functional/2080101/",
        f"/departments/904/{YEAR}/subjects/functional/208/",
        f"/units/904001/{YEAR}/similar/",
    ):
        assert "示例数据" in client.get(url).content.decode(), url
    response = client.get(f"/units/904001/{YEAR}/similar.csv")
    assert "example-" in response["Content-Disposition"]


# -- on a small generated city (generate_city, 示例数据) --------------------------------------


def _generated(units: int):
    call_command(
        "generate_city",
        "--departments=2",
        f"--units={units}",
        "--years=3",
        "--seed=5",
        stdout=StringIO(),
    )
    unit = Unit.objects.filter(is_example=True, parent__code="901").order_by("code").first()
    year = max(Publication.objects.published().filter(unit=unit).values_list("year", flat=True))
    return unit, year


@pytest.mark.parametrize("units", [6, 24])
def test_comparison_pages_on_a_generated_city_run_a_fixed_number_of_queries(
    client, django_assert_num_queries, units
):
    unit, year = _generated(units)
    pages = [
        (f"/units/{unit.code}/years/functional/208/", YEARS_QUERIES),
        (f"/departments/901/{year}/subjects/functional/208/", DEPARTMENT_QUERIES),
        (f"/units/{unit.code}/{year}/similar/", SIMILAR_QUERIES),
    ]
    for url, queries in pages:
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == 200, url
        assert "示例数据" in response.content.decode(), url
        with django_assert_num_queries(queries):
            b"".join(client.get(url.rstrip("/") + ".csv").streaming_content)


def test_a_generated_department_total_is_the_sum_of_its_units_facts(client):
    _, year = _generated(8)
    facts = Fact.objects.published().filter(
        unit__parent__code="901",
        publication__year=year,
        subject__scheme="functional",
        subject__code__startswith="208",
        direction="expenditure",
    )
    expected = {
        stage: sum(
            (f.amount for f in facts.filter(stage=stage) if f.amount is not None), Decimal(0)
        )
        for stage in ("initial_budget", "final")
    }
    html = client.get(f"/departments/901/{year}/subjects/functional/208/").content.decode()
    assert (
        f"年初预算 {wan(expected['initial_budget'])} 万元，决算 {wan(expected['final'])} 万元"
        in html
    )
    rows = csv_rows(client.get(f"/departments/901/{year}/subjects/functional/208.csv"))
    units = Unit.objects.filter(parent__code="901").count()
    assert len(rows) - 1 == units
    assert sum(Decimal(row[2]) for row in rows[1:] if row[2]) == expected["initial_budget"]
