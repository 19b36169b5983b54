"""The table pages in English: headers and labels translated, names shown as data (name_en
where staff gave one, otherwise the published Chinese marked lang="zh-Hans"), the same
figures, the same number of queries, and the Chinese CSV files unchanged."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets.models import Project, Subject, Unit
from tests.helpers import page_text
from tests.languages import AMOUNT, unmarked_chinese

pytestmark = pytest.mark.django_db

TABLE_PAGES = [
    "/units/503033/2024/functional/",
    "/units/503033/2024/economic/",
    "/units/503033/2024/subjects/functional/2080150/",
    "/units/503033/2024/three-public/",
    "/units/503033/2024/projects/",
    "/units/503033/2024/performance/",
    "/units/503033/years/functional/2080150/",
    "/departments/503/2024/subjects/functional/2080150/",
    "/units/503033/2024/similar/",
    "/data/browse/",
]


def english(client, path: str) -> str:
    response = client.get("/en" + path)
    assert response.status_code == 200
    return response.content.decode()


def headers(html: str) -> list[str]:
    return [
        " ".join(page_text(th).split()) for th in re.findall(r"<th[^>]*>(.*?)</th>", html, re.S)
    ]


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_functional_table_has_english_headers(client):
    html = english(client, "/units/503033/2024/functional/")
    assert headers(html)[:6] == [
        "Subject code",
        "Subject",
        "Initial budget (10,000 yuan)",
        "Final accounts (10,000 yuan)",
        "Difference (10,000 yuan)",
        "Share of the initial budget spent",
    ]
    # The cards on phones repeat each header without the unit the table states above.
    assert 'data-label="Initial budget"' in html
    assert "年初预算（万元）" not in html


def test_the_subject_page_has_english_headers_and_labels(client):
    html = english(client, "/units/503033/2024/subjects/functional/2080150/")
    assert "Initial budget (10,000 yuan)" in headers(html)
    assert "Why the final accounts differ from the initial budget (as published)" in html
    assert "Key figures" in html


def test_the_three_public_table_has_english_headers_and_row_labels(client):
    html = english(client, "/units/503033/2024/three-public/")
    assert headers(html)[:4] == [
        "Item",
        "Initial budget (10,000 yuan)",
        "Adjusted budget (10,000 yuan)",
        "Final accounts (10,000 yuan)",
    ]
    text = page_text(html)
    assert "Overseas travel" in text
    assert "Official hospitality" in text


def test_the_projects_page_has_english_headers(client):
    html = english(client, "/units/503033/2024/projects/")
    assert {"Stage", "Activity", "Amount (10,000 yuan)", "Basis of the estimate"} <= set(
        headers(html)
    )
    assert "2024 initial budget" in page_text(html)


def test_the_performance_page_has_english_headers(client):
    html = english(client, "/units/503033/2024/performance/")
    assert {"Level 1 indicator", "Level 3 indicator", "Met?", "Score"} <= set(headers(html))


def test_a_subject_without_an_english_name_shows_its_chinese_name_marked(client):
    Subject.objects.filter(code="2080150").update(name_en="")
    html = english(client, "/units/503033/2024/subjects/functional/2080150/")
    assert '<span lang="zh-Hans">事业运行</span>' in html
    functional = english(client, "/units/503033/2024/functional/")
    assert '<span lang="zh-Hans">事业运行</span>' in functional


def test_a_subject_with_an_english_name_shows_it_in_english_only(client):
    Subject.objects.filter(year=2024, scheme="functional", code="2080150").update(
        name_en="Operation of public institutions"
    )
    subject = english(client, "/units/503033/2024/subjects/functional/2080150/")
    assert '<span class="code">2080150</span> Operation of public institutions</h1>' in subject
    functional = english(client, "/units/503033/2024/functional/")
    assert '>Operation of public institutions <a class="cite"' in functional
    chinese = client.get("/units/503033/2024/functional/").content.decode()
    assert "Operation of public institutions" not in chinese
    assert "事业运行" in chinese


def test_a_project_with_an_english_name_shows_it(client):
    Project.objects.filter(code="42010022503T000000136").update(name_en="Service operations")
    html = english(client, "/units/503033/2024/projects/")
    assert "<h2>Service operations <span" in html


@pytest.mark.parametrize("path", TABLE_PAGES)
def test_the_tables_and_forms_of_english_pages_show_chinese_only_as_marked_data(client, path):
    # The shared header, source line, glossary, charts' descriptions and footer are other
    # files' (tests/test_i18n.py checks whole pages); here every table and form of the page.
    html = english(client, path)
    parts = re.findall(r"<table.*?</table>|<form.*?</form>", html, re.S)
    assert parts
    assert unmarked_chinese("<body>" + "".join(parts) + "</body>") == []


@pytest.mark.parametrize("path", TABLE_PAGES)
def test_an_english_table_page_has_the_chinese_pages_figures(client, path):
    chinese = page_text(client.get(path).content.decode())
    assert AMOUNT.findall(page_text(english(client, path))) == AMOUNT.findall(chinese)


@pytest.mark.parametrize("path", TABLE_PAGES)
def test_an_english_table_page_runs_the_chinese_pages_queries(
    client, path, django_assert_num_queries
):
    client.get("/en" + path)  # sessions, caches and translations warmed as for the other
    client.get(path)
    with CaptureQueriesContext(connection) as chinese:
        assert client.get(path).status_code == 200
    with django_assert_num_queries(len(chinese.captured_queries)):
        assert client.get("/en" + path).status_code == 200


def test_the_chinese_csv_keeps_its_chinese_headers(client):
    rows = csv_rows(client.get("/units/503033/2024/functional.csv"))
    assert rows[0] == [
        "科目编码",
        "科目名称",
        "年初预算（万元）",
        "决算（万元）",
        "差额（万元）",
        "完成年初预算",
        "决算与年初预算差异原因（公开说明）",
    ]
    assert rows[[row[0] for row in rows].index("2080150")][:6] == [
        "2080150",
        "事业运行",
        "168.73",
        "328.66",
        "159.93",
        "194.8%",
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/units/503033/2024/functional.csv",
        "/units/503033/2024/three-public.csv",
        "/units/503033/2024/performance.csv",
        "/units/503033/years/functional/2080150.csv",
    ],
)
def test_the_english_csv_has_english_headers_and_the_same_codes_and_figures(client, path):
    chinese = csv_rows(client.get(path))
    in_english = csv_rows(client.get("/en" + path))
    assert len(in_english) == len(chinese)
    assert in_english[0] != chinese[0]
    assert not any(re.search(r"[\u4e00-\u9fff]", header) for header in in_english[0])
    for chinese_row, english_row in zip(chinese[1:], in_english[1:], strict=True):
        numbers = [cell for cell in chinese_row if re.fullmatch(r"[\d.%+-]+", cell)]
        assert [cell for cell in english_row if cell in numbers] == numbers


def test_the_lines_page_marks_chinese_cells_and_translates_its_filters(client):
    html = english(client, "/data/browse/")
    assert '<span lang="zh-Hans">' in html
    assert "Rows per page" not in html  # the paging fields are not filters
    assert "<label>Stage<select" in html
    # The filter form is cached per language: Chinese afterwards is still Chinese.
    assert "<label>阶段<select" in client.get("/data/browse/").content.decode()


def test_a_bad_parameter_is_a_400_in_english(client):
    response = client.get("/en/units/503033/2024/functional/", {"page": "x"})
    assert response.status_code == 400
    assert "Parameter page: Must be a whole number" in response.content.decode()
    chinese = client.get("/units/503033/2024/functional/", {"page": "x"})
    assert "应为整数" in chinese.content.decode()


def test_a_unit_with_an_english_name_shows_it_in_the_departments_table(client):
    Unit.objects.filter(code="503033").update(name_en="Complaints and Enquiries Centre")
    html = english(client, "/departments/503/2024/")
    assert ">Complaints and Enquiries Centre</a>" in html
    assert (
        "Complaints and Enquiries Centre"
        not in client.get("/departments/503/2024/").content.decode()
    )
