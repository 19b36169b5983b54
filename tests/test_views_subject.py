"""One page per functional and economic subject: figures, reason, chart, parent and children."""

import pytest

from tests.helpers import csv_rows, json_script, row_starting, table_rows

pytestmark = pytest.mark.django_db
SUBJECT_QUERIES = 8


def subject_url(year_url, scheme, code, suffix="/"):
    return year_url(f"subjects/{scheme}/{code}{suffix}")


def test_a_class_page_shows_its_figures_and_draws_its_sections(client, year_url):
    html = client.get(subject_url(year_url, "functional", "208")).content.decode()
    assert "社会保障和就业支出" in html
    assert "674.79" in html
    assert "688.35" in html
    assert "+13.56" in html
    figure = json_script(html, "chart-subject")
    budget, final = figure["data"]
    assert budget["y"] == [
        "人力资源和社会保障<br>管理事务",
        "行政事业单位养老<br>支出",
        "就业补助",
        "其他社会保障和就业<br>支出",
    ]
    assert budget["text"] == ["652.14", "21.73", "", "0.92"]
    assert final["text"] == ["634.78", "21.68", "31.00", "0.89"]
    assert final["customdata"][0] == "/units/503033/2024/subjects/functional/20801/"


def test_an_item_page_shows_rate_reason_splits_and_what_the_texts_say(client, year_url):
    html = client.get(subject_url(year_url, "functional", "2080150")).content.decode()
    assert "194.8%" in html
    assert "用于支付办公用房租赁费用" in html  # the published variance reason
    assert "主要是政策性调增基本工资" in html  # the budget's change from 2023
    assert row_starting(html, "年初预算")[1:] == ["168.73", "168.73", "", "145.26", "23.47"]
    assert row_starting(html, "决算")[1:] == ["328.66", "328.66", "", "", ""]
    # The 2023 budget the text implies, marked 推算 in its cell.
    assert "156.28推算" in [cell for row in table_rows(html) for cell in row]
    assert 'href="/units/503033/2024/subjects/functional/20801/"' in html
    assert 'href="/units/503033/2024/subjects/functional/208/"' in html


def test_a_line_with_no_budget_says_it_was_not_budgeted(client, year_url):
    html = client.get(subject_url(year_url, "functional", "2080799")).content.decode()
    assert "年初预算未安排" in html
    assert "一事一报" in html


def test_economic_subject_pages(client, year_url):
    html = client.get(subject_url(year_url, "economic", "30214")).content.decode()
    assert "租赁费" in html
    assert "143.95" in html
    blank = client.get(subject_url(year_url, "economic", "30106")).content.decode()
    assert "都没有它的金额" in blank


def test_a_class_printed_blank_has_a_page_that_says_so(client, year_url):
    html = client.get(subject_url(year_url, "functional", "201")).content.decode()
    assert "一般公共服务支出" in html
    assert "都没有它的金额" in html


def test_subject_csv_has_the_subject_and_its_children(client, year_url):
    rows = csv_rows(client.get(subject_url(year_url, "functional", "20801", ".csv")))
    assert [row[0] for row in rows] == ["科目编码", "20801", "2080150", "2080199"]
    assert rows[2][2:6] == ["168.73", "328.66", "159.93", "194.8%"]


@pytest.mark.parametrize(
    ("scheme", "code"),
    [("functional", "2089801"), ("functional", "abc"), ("budget", "208"), ("economic", "2080150")],
)
def test_an_unknown_code_or_scheme_is_not_found(client, year_url, scheme, code):
    assert client.get(subject_url(year_url, scheme, code)).status_code == 404


def test_the_comparison_tables_link_every_code_to_its_page(client, year_url):
    for scheme in ("functional", "economic"):
        html = client.get(year_url(f"{scheme}/"), {"per_page": "200"}).content.decode()
        codes = [row[0] for row in table_rows(html)[1:]]
        assert len(codes) >= 20
        for code in codes:
            assert f'href="{subject_url(year_url, scheme, code)}"' in html, (scheme, code)


def test_subject_page_runs_a_fixed_number_of_queries(
    client, year_url, tenfold, django_assert_num_queries
):
    with django_assert_num_queries(SUBJECT_QUERIES):
        client.get(subject_url(year_url, "functional", "208"))
    with django_assert_num_queries(SUBJECT_QUERIES):
        client.get(subject_url(year_url, "functional", "2080150"))
    with django_assert_num_queries(SUBJECT_QUERIES):
        csv_rows(client.get(subject_url(year_url, "functional", "208", ".csv")))
    with django_assert_num_queries(SUBJECT_QUERIES):
        assert len(csv_rows(client.get(subject_url(year_url, "economic", "302", ".csv")))) > 20


def test_a_name_that_looks_like_markup_is_shown_as_text(client, year_url):
    from budgets.models import Subject

    Subject.objects.filter(scheme="functional", code="208").update(name="<script>alert(1)</script>")
    for page in ("", "subjects/functional/208/", "functional/", "structure/"):
        html = client.get(year_url(page)).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "\\u003Cscript\\u003E" in html
    figure = json_script(client.get(year_url()).content.decode(), "chart-by-class")
    assert figure["data"][0]["y"][0].replace("<br>", "") == "&lt;script&gt;alert(1)&lt;/script&gt;"
