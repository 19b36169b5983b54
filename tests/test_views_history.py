"""Earlier years as the publications cite them, derived figures marked."""

import pytest

from tests.helpers import csv_rows, json_script

pytestmark = pytest.mark.django_db


def test_history_shows_cited_and_implied_totals_by_stage(client, year_url):
    html = client.get(year_url("history/")).content.decode()
    traces = {trace["name"]: trace for trace in json_script(html, "chart-history")["data"]}
    assert traces["支出合计·预算"]["text"] == ["1088.44", "293.67", "720.94"]
    assert traces["支出合计·决算"]["text"] == ["", "1033.09（推算）", "732.00"]
    assert traces["项目·预算"]["text"] == ["896.00", "85.41", "483.41"]
    assert traces["项目·执行"]["text"] == ["", "", "337.12"]


def test_history_csv_marks_what_is_derived(client, year_url):
    rows = csv_rows(client.get(year_url("history.csv")))
    assert rows[0] == ["年度", "口径", "阶段", "金额（万元）", "是否推算", "出处"]
    assert ["2023", "支出合计", "决算", "1033.09", "由文字推算", "2024年决算第三部分一"] in rows
    assert ["2022", "支出合计", "年初预算", "1088.44", "公开数", "2024年预算表11"] in rows


def test_history_page_runs_a_fixed_number_of_queries(
    client, year_url, tenfold, django_assert_num_queries
):
    with django_assert_num_queries(4):
        client.get(year_url("history/"))
    with django_assert_num_queries(4):
        assert len(csv_rows(client.get(year_url("history.csv")))) == 10


def test_the_history_of_another_year_names_that_years_sources_and_implied_figures(client):
    from decimal import Decimal

    from budgets.models import Publication, PublishedFigure, Section, Unit

    unit = Unit.objects.get(code="503033")
    budget = Publication.objects.create(
        unit=unit, year=2025, kind="budget", title="2025年单位预算", status="published"
    )
    figures = [
        ("表11", "table", 2023, "initial_budget", "650.00"),
        ("第三部分一", "derived", 2024, "final", "700.00"),
    ]
    for order, (code, kind, year, stage, value) in enumerate(figures, start=1):
        section = Section.objects.create(
            publication=budget,
            code=code,
            slug=f"s{order}",
            title=code,
            order=order,
            kind="form" if kind == "table" else "narrative",
            topic="explanation",
        )
        PublishedFigure.objects.create(
            section=section,
            row_order=1,
            row_label="合计",
            column="金额",
            kind=kind,
            measure="expenditure",
            unit=unit,
            year=year,
            stage=stage,
            value=Decimal(value),
        )
    html = client.get("/units/503033/2025/history/").content.decode()
    assert "2025年预算表11、2025年预算第三部分一（2024 年决算为推算）" in html
    assert "2024 年决算 700.00 万元是由公开文件的文字" in html
    assert "2023 年决算" not in html


def test_the_2024_history_says_which_figure_is_implied(client, year_url):
    html = client.get(year_url("history/")).content.decode()
    assert "（2023 年决算为推算）" in html
    assert "2023 年决算 1033.09 万元是由公开文件的文字" in html
