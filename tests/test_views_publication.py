"""A publication's contents and each of its tables and narrative sections as printed."""

import pytest

from budgets.models import Section
from tests.helpers import csv_row, csv_rows, row_starting, table_rows

pytestmark = pytest.mark.django_db


def test_contents_link_every_section_of_the_publication(client, year_url):
    for kind, count in (("budget", 25), ("final", 26)):
        html = client.get(year_url(f"{kind}/")).content.decode()
        sections = Section.objects.filter(publication__kind=kind)
        assert sections.count() == count
        for section in sections:
            assert f'href="{section.get_absolute_url()}"' in html


def test_the_budget_prints_no_date_and_the_final_accounts_do(client, year_url):
    assert "未载明" in client.get(year_url("budget/")).content.decode()
    assert "2025年10月10日" in client.get(year_url("final/")).content.decode()


def test_income_and_expenditure_summary_is_shown_as_the_publication_presents_it(client, year_url):
    html = client.get(year_url("final/gk01/")).content.decode()
    assert row_starting(html, "1") == ["1", "一、一般公共预算财政拨款收入", "732.00"]
    assert row_starting(html, "38") == ["38", "八、社会保障和就业支出", "688.35"]
    assert row_starting(html, "59") == ["59", "年末结转和结余", ""]
    assert "收入" in html
    assert "支出" in html


def test_nested_headers_and_every_cell_of_table_5_1(client, year_url):
    html = client.get(year_url("budget/table-5-1/")).content.decode()
    assert 'colspan="3"' in html
    assert row_starting(html, "2080150")[1:] == [
        "事业运行",
        "168.73",
        "168.73",
        "145.26",
        "23.47",
        "",
    ]


def test_ocr_noise_is_read_and_the_printed_text_kept_for_hover(client, year_url):
    html = client.get(year_url("final/gk02/")).content.decode()
    assert row_starting(html, "2080199")[2:4] == ["306.12", "306.12"]
    assert 'title="原文：306, 12"' in html


def test_a_narrative_section_lists_its_figures_and_reasons(client, year_url):
    html = client.get(year_url("final/explanation-5/")).content.decode()
    row = row_starting(html, "2080799")
    assert row[-3:] == ["年初预算未安排", "31.00", ""]
    assert "一事一报" in html


def test_a_table_with_no_figures_shows_its_printed_note(client, year_url):
    html = client.get(year_url("budget/table-8/")).content.decode()
    assert "2024 年没有使用政府性基金预算拨款安排的支出。" in html


def test_section_csv_has_every_printed_column(client, year_url):
    rows = csv_rows(client.get(year_url("budget/table-5-1.csv")))
    assert rows[0] == [
        "行次或编码",
        "项目",
        "合计",
        "基本支出/小计",
        "基本支出/人员经费",
        "基本支出/公用经费",
        "项目支出",
        "计量单位",
        "备注",
    ]
    assert csv_row(rows, "2080199")[2:7] == ["483.41", "", "", "", "483.41"]


def test_unknown_kind_and_section_are_not_found(client, year_url):
    assert client.get(year_url("draft/")).status_code == 404
    assert client.get(year_url("budget/table-99/")).status_code == 404
    assert client.get(year_url("budget/table-99.csv")).status_code == 404


def test_section_page_runs_a_fixed_number_of_queries(
    client, year_url, tenfold, django_assert_num_queries
):
    with django_assert_num_queries(6):
        html = client.get(year_url("final/gk03/")).content.decode()
    assert len(table_rows(html)) > 150
    with django_assert_num_queries(5):  # the page's queries but its explanations
        assert len(csv_rows(client.get(year_url("final/gk03.csv")))) > 150


def test_a_printed_decrease_in_a_section_csv_stays_a_number(client, year_url):
    response = client.get(year_url("final/explanation-1.csv"))
    body = b"".join(response.streaming_content).decode()
    assert ",-29.1%," in body
    assert "'-29.1%" not in body
