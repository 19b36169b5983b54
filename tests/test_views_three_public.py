"""The three public expenses (三公经费) by kind and stage."""

import pytest

from budgets.models import Publication, Section, Unit
from tests.helpers import csv_row, csv_rows, links, page_text, row_starting, table_rows

pytestmark = pytest.mark.django_db


def test_the_three_public_page_names_its_tables_as_printed(client, year_url):
    text = page_text(client.get(year_url("three-public/")).content.decode())
    assert "来源：2024年单位预算表7；2024年度单位决算公开09" in text
    assert "年初预算见预算表7；调整后预算即决算公开09 的“预算数”" in text


def test_three_public_expenses_by_kind_and_stage(client, year_url):
    html = client.get(year_url("three-public/")).content.decode()
    assert row_starting(html, "“三公”经费合计")[1:] == ["1.20", "0.96", "0.96"]
    assert row_starting(html, "公务用车购置及运行维护费")[1:] == ["1.00", "0.96", "0.96"]
    assert row_starting(html, "公务用车运行维护费")[1:] == ["1.00", "0.96", "0.96"]
    assert row_starting(html, "公务接待费")[1:] == ["0.20", "", ""]
    assert row_starting(html, "因公出国（境）费")[1:] == ["", "", ""]


def test_the_texts_statements_are_shown_as_printed(client, year_url):
    html = client.get(year_url("three-public/")).content.decode()
    assert "无预算安排" in html
    assert "年初预算（表7）安排公务接待费 0.20 万元" in html
    # The 2023 figure implied by "较上年减少0.23万元", marked 推算 in its cell.
    cells = [cell for row in table_rows(html) for cell in row]
    assert "1.19推算" in cells


def test_three_public_csv(client, year_url):
    rows = csv_rows(client.get(year_url("three-public.csv")))
    assert rows[0] == ["项目", "年初预算（万元）", "调整后预算（万元）", "决算（万元）"]
    assert csv_row(rows, "“三公”经费合计") == ["“三公”经费合计", "1.20", "0.96", "0.96"]
    assert csv_row(rows, "公务接待费") == ["公务接待费", "0.20", "", ""]


def test_three_public_page_runs_a_fixed_number_of_queries(
    client, year_url, tenfold, django_assert_num_queries
):
    with django_assert_num_queries(5):  # + the quality reports, for the findings' notes
        client.get(year_url("three-public/"))
    with django_assert_num_queries(3):
        csv_rows(client.get(year_url("three-public.csv")))


def test_a_final_whose_three_public_table_is_coded_gongkai07_is_cited_as_gongkai07(
    client, year_url
):
    # Elsewhere than Wuhan the 三公 table is 公开07: swap the codes of the two tables.
    final = Section.objects.filter(publication__kind="final", publication__unit__code="503033")
    final.filter(code="公开07").update(code="公开07（原）")
    final.filter(code="公开09").update(code="公开07")
    final.filter(code="公开07（原）").update(code="公开09")
    html = client.get(year_url("three-public/")).content.decode()
    text = page_text(html)
    assert "来源：2024年单位预算表7；2024年度单位决算公开07" in text
    assert "调整后预算即决算公开07 的“预算数”" in text
    assert "决算见公开07。" in text
    # (The notes of the figures below are transcribed from the publication as printed.)
    assert "公开09" not in text.split("公开文件中的文字说明")[0]
    assert (year_url("final/gk09/"), "公开07") in links(html)


def test_a_2025_budget_is_cited_by_its_own_year_on_the_three_public_page(client, year_url):
    unit = Unit.objects.get(code="503033")
    budget = Publication.objects.create(
        unit=unit, year=2025, kind="budget", title="2025年单位预算", status="published"
    )
    Section.objects.create(
        publication=budget, code="表7", slug="table-7", title="“三公”经费支出表", order=7,
        kind="table", topic="three_public",
    )  # fmt: skip
    text = page_text(client.get(year_url("three-public/", year=2025)).content.decode())
    assert "来源：2025年单位预算表7" in text
    assert "年初预算见预算表7；" in text
    assert "2024" not in text.split("来源：")[1].split("合计、小计")[0]
