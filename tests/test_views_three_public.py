"""The three public expenses (三公经费) by kind and stage."""

import pytest

from tests.helpers import csv_row, csv_rows, row_starting, table_rows

pytestmark = pytest.mark.django_db


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
    with django_assert_num_queries(4):
        client.get(year_url("three-public/"))
    with django_assert_num_queries(3):
        csv_rows(client.get(year_url("three-public.csv")))
