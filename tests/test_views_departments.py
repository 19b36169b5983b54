"""Department pages: the units of a department side by side, its totals by functional and
economic subject, how many units published; on the real data and on a generated city."""

from io import StringIO

import pytest
from django.core.management import call_command

from budgets.models import Fact, Publication
from budgets.summaries import totals

pytestmark = pytest.mark.django_db


def generate_city(units=50, *extra):
    call_command(
        "generate_city",
        "--departments=5",
        f"--units={units}",
        "--years=3",
        "--seed=11",
        *extra,
        stdout=StringIO(),
    )


def test_department_503_shows_its_unit_with_its_totals(client):
    html = client.get("/departments/503/2024/").content.decode()
    assert "武汉市人力资源和社会保障投诉咨询中心" in html
    assert 'href="/units/503033/2024/"' in html
    assert "720.94" in html
    assert "732.00" in html
    assert "101.5%" in html
    assert "1 个单位中 1 个已公开 2024 年决算" in html


def test_department_503_lists_its_years(client):
    html = client.get("/departments/503/").content.decode()
    assert 'href="/departments/503/2024/"' in html
    assert "720.94" in html


def test_department_totals_by_subject_never_mix_the_classifications(client):
    rows = list(csv_rows(client, "/departments/503/2024/functional.csv"))
    assert rows[0][:4] == ["科目编码", "科目名称", "年初预算（万元）", "决算（万元）"]
    classes = {row[0]: row for row in rows[1:] if len(row[0]) == 3}
    assert sum(float(row[2]) for row in classes.values()) == pytest.approx(720.94)
    economic = list(csv_rows(client, "/departments/503/2024/economic.csv"))
    economic_classes = [row for row in economic[1:] if len(row[0]) == 3]
    # Basic expenditure only: personnel 213.12 + public 24.41 in the budget.
    assert sum(float(row[2] or 0) for row in economic_classes) == pytest.approx(237.53)


def test_each_subject_row_of_a_department_year_links_to_its_comparison_across_units(client):
    import re

    html = client.get("/departments/503/2024/").content.decode()
    links = set(re.findall(r'href="(/departments/503/2024/subjects/[^"]+)"', html))
    assert "/departments/503/2024/subjects/functional/208/" in links
    assert "/departments/503/2024/subjects/functional/20801/" in links
    assert "/departments/503/2024/subjects/economic/30101/" in links
    codes = {row[0] for row in csv_rows(client, "/departments/503/2024/functional.csv")}
    codes |= {row[0] for row in csv_rows(client, "/departments/503/2024/economic.csv")}
    assert len(links) == len(codes - {"科目编码"})
    for link in sorted(links)[:5]:
        assert client.get(link).status_code == 200, link


def csv_rows(client, url):
    import csv

    response = client.get(url)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return csv.reader(text.splitlines())


def test_unknown_departments_and_years_are_a_chinese_404(client):
    for url in ["/departments/999/", "/departments/503033/", "/departments/503/2019/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "没有" in response.content.decode()
    assert client.get("/departments/503/2024/?sort=nothing").status_code == 400


def test_generated_department_totals_are_the_sums_of_its_units(client):
    generate_city(units=50)
    facts = totals.facts_of(unit_codes=None, year=2024).filter(unit__parent__code="902")
    expected = totals.sums(facts, {"i": totals.functional("initial_budget")})["i"]
    expected_final = totals.sums(facts, {"f": totals.functional("final")})["f"]
    rows = list(csv_rows(client, "/departments/902/2024/units.csv"))
    assert len(rows) == 1 + 10
    assert sum(float(row[2]) for row in rows[1:]) == pytest.approx(float(expected))
    assert sum(float(row[3]) for row in rows[1:]) == pytest.approx(float(expected_final))
    html = client.get("/departments/902/2024/").content.decode()
    assert f"{expected:.2f}" in html
    assert f"{expected_final:.2f}" in html
    assert "示例数据" in html


def test_a_department_says_how_many_units_published(client):
    generate_city(50, "--draft")
    html = client.get("/departments/901/2024/").content.decode()
    assert "10 个单位中 8 个已公开 2024 年决算" in html
    assert "尚不完整" in html
    assert (
        "10 个单位中 10 个已公开 2023 年决算"
        in client.get("/departments/901/2023/").content.decode()
    )


def test_csv_twins_hold_the_page_tables(client):
    generate_city(units=10)
    for table in ("units", "functional", "economic"):
        response = client.get(f"/departments/901/2024/{table}.csv")
        assert response.status_code == 200
        assert "example-901-2024-" in response["Content-Disposition"]
    html = client.get("/departments/901/2024/").content.decode()
    for table in ("units", "functional", "economic"):
        assert f'href="/departments/901/2024/{table}.csv"' in html


@pytest.mark.parametrize("units", [5, 50])
def test_department_pages_run_a_fixed_number_of_queries(client, units, django_assert_num_queries):
    generate_city(units=units)
    # 6: the units' totals come from the functional tree's query (totals.by_code_and).
    with django_assert_num_queries(6):
        client.get("/departments/901/2024/")
    with django_assert_num_queries(4):
        client.get("/departments/901/")
    with django_assert_num_queries(6):
        b"".join(client.get("/departments/901/2024/units.csv").streaming_content)


def test_drafts_are_left_out_of_department_totals(client):
    Publication.objects.filter(unit__code="503033", kind="final").update(status="draft")
    html = client.get("/departments/503/2024/").content.decode()
    assert "1 个单位中 0 个已公开 2024 年决算" in html
    assert "732.00" not in html
    assert Fact.objects.filter(unit__code="503033").exists()


def test_a_department_year_links_the_departments_other_years(client):
    generate_city(units=10)
    html = client.get("/departments/901/2023/").content.decode()
    assert 'aria-label="年度"' in html
    assert '<a href="/departments/901/2023/" aria-current="page">2023</a>' in html
    for year in (2022, 2024):
        assert f'<a href="/departments/901/{year}/">{year}</a>' in html


def test_a_long_list_of_units_is_paginated_and_sorted_with_blanks_last(client):
    import re

    generate_city(50, "--draft")
    html = client.get("/departments/901/2024/?per_page=3&page=2&sort=-final").content.decode()
    units = re.findall(r'data-label="单位"><a href="/units/(\d+)/', html)
    assert len(units) == 3
    assert "第 2 / 4 页" in html
    assert 'href="?per_page=3&amp;page=1&amp;sort=-final">上一页' in html
    assert 'href="?per_page=3&amp;page=3&amp;sort=-final">下一页' in html
    rows = list(csv_rows(client, "/departments/901/2024/units.csv?sort=-final"))[1:]
    finals = [row[3] for row in rows]
    # Two of its ten units left their final accounts as drafts: blank, after every figure.
    assert finals[-2:] == ["", ""]
    assert [float(f) for f in finals[:-2]] == sorted((float(f) for f in finals[:-2]), reverse=True)
    assert units == [row[1] for row in rows[3:6]]


def test_department_totals_by_subject_are_the_sums_at_each_level(client):
    from budgets.choices import Scheme, Stage
    from budgets.summaries import departments as rollups
    from budgets.summaries.totals import Level

    generate_city(units=50)
    department = rollups.department_or_none("903")
    summary = rollups.department_year(department, 2024)
    facts = totals.facts_of(units=list(department.children.all()), year=2024)
    for scheme, rows, levels in (
        (Scheme.FUNCTIONAL, summary.functional, 2),
        (Scheme.ECONOMIC, summary.economic, 2),
    ):
        slices = {
            "initial": totals.Slice(Stage.INITIAL_BUDGET, scheme),
            "final": totals.Slice(Stage.FINAL, scheme),
        }
        expected = {}
        for index in range(levels):
            expected |= totals.sums(facts, slices, by=(Level(scheme, index),))
        assert {row.code: {"initial": row.initial, "final": row.final} for row in rows} == expected
    city = {row.code: row for row in rollups.city_year(2024)}
    functional = {
        "initial": totals.Slice(Stage.INITIAL_BUDGET, Scheme.FUNCTIONAL),
        "final": totals.Slice(Stage.FINAL, Scheme.FUNCTIONAL),
    }
    whole = totals.sums(facts, functional)  # without the year's subjects to start from
    assert (city["903"].initial, city["903"].final) == (whole["initial"], whole["final"])


def test_every_department_of_the_city_year_sums_the_facts_of_its_own_units():
    """The home page groups the year's facts by the units' parent id: every department's
    row is the sum of its own units' facts, none of another's."""
    from budgets.choices import Scheme, Stage
    from budgets.summaries import departments as rollups

    generate_city(units=20)
    functional = {
        "initial": totals.Slice(Stage.INITIAL_BUDGET, Scheme.FUNCTIONAL),
        "final": totals.Slice(Stage.FINAL, Scheme.FUNCTIONAL),
    }
    rows = rollups.city_year(2024)
    assert len(rows) >= 5
    for row in rows:
        department = rollups.department_or_none(row.code)
        facts = totals.facts_of(units=list(department.children.all()), year=2024)
        whole = totals.sums(facts, functional)
        assert (row.initial, row.final) == (whole["initial"], whole["final"])
        assert row.initial is not None
