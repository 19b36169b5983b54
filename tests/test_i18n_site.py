"""The site-wide pages in English under /en/: the home page, search, the glossary and its
tooltips, the departments, open data, 报告数据错误 and the error pages. Interface text is
English, published text stays Chinese and is marked lang="zh-Hans", the Chinese pages are
unchanged, and English costs no query."""

import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from budgets.models import ErrorReport
from budgets.report_forms import issue_token
from tests.helpers import page_text
from tests.languages import unmarked_chinese

pytestmark = pytest.mark.django_db

SUBJECT = "/en/units/503033/2024/subjects/functional/2080150/"


@pytest.fixture(autouse=True)
def _empty_rate_counts():
    cache.clear()
    yield
    cache.clear()


def english_text(client, path: str, **params) -> str:
    response = client.get("/en" + path, params)
    assert response.status_code == 200
    return page_text(response.content.decode())


def test_the_english_home_page_says_what_the_site_is_in_english(client):
    text = english_text(client, "/")
    assert "Budgets and final accounts you can read" in text
    assert "Recently published" in text
    assert "看得懂的预算与决算" not in text
    assert "看得懂的预算与决算" in page_text(client.get("/").content.decode())


def test_the_english_footer_names_the_publisher_and_offers_the_report_in_english(client):
    html = client.get("/en/units/503033/2024/").content.decode()
    footer = html.split('<p class="publisher"', 1)[1].split("</p>", 1)[0]
    assert "Figures on this page published by:" in footer
    assert "Report a data error" in footer
    assert unmarked_chinese("<body><p" + footer + "</p>") == []


def test_an_english_search_lists_the_published_names_marked_as_chinese(client):
    html = client.get("/en/search/", {"q": "事业运行"}).content.decode()
    text = page_text(html)
    assert "Search: 事业运行" in text
    assert "listed by kind" in text
    assert "Download the results as CSV" in text
    assert '<span lang="zh-Hans"><mark>事业运行</mark></span>' in html
    # The subject's English name first, then the published name the search matched.
    assert (
        'Operation of public institutions (<span lang="zh-Hans"><mark>事业运行</mark></span>)'
        in html
    )
    assert '<span lang="zh-Hans">事业运行</span>' in html  # what the reader typed, in the h1


def test_an_english_search_that_finds_nothing_says_so_in_english(client):
    text = english_text(client, "/search/", q="没有这个词")
    assert "No published data contains" in text


def test_the_english_glossary_shows_no_unmarked_chinese(client):
    html = client.get("/en/glossary/").content.decode()
    assert unmarked_chinese(html) == []
    text = page_text(html)
    assert "Fiscal appropriation" in text
    assert "Money the finance bureau pays to a unit" in text
    # The publications' 名词解释 are published text: shown as printed, marked Chinese.
    assert '<span lang="zh-Hans">一般公共预算财政拨款收入</span>' in html


def test_the_english_glossary_gives_each_terms_chinese_forms(client):
    html = client.get("/en/glossary/").content.decode()
    assert '<span lang="zh-Hans">结转和结余、年末结转和结余、结转、结余</span>' in html


def render_term(language: str, source: str) -> str:
    with translation.override(language):
        return Template("{% load glossary %}" + source).render(Context({}))


def test_a_term_explains_itself_in_english_on_english_pages():
    html = render_term("en", '{% term "财政拨款" %}')
    assert ">Fiscal appropriation</button>" in html
    assert 'role="tooltip"' in html
    assert "Fiscal appropriation: Money the finance bureau pays to a unit" in html
    assert unmarked_chinese("<body>" + html) == []


def test_an_alias_shows_the_english_term_on_english_pages():
    assert ">Class/section/item</button>" in render_term("en", '{% term "类" %}')
    assert ">类</button>" in render_term("zh-hans", '{% term "类" %}')


def test_a_term_stays_chinese_on_chinese_pages():
    html = render_term("zh-hans", '{% term "财政拨款" %}')
    assert ">财政拨款</button>" in html
    assert "财政拨款：财政部门当年拨付给单位的资金" in html


def test_the_english_report_form_speaks_english(client):
    response = client.get("/en/report/", {"page": SUBJECT, "figure": "2080150"})
    assert response.status_code == 200
    html = response.content.decode()
    assert unmarked_chinese(html) == []
    text = page_text(html)
    assert "What is wrong?" in text
    assert "Send the report" in text
    assert 'action="/en/report/"' in html


def test_a_report_posted_in_english_is_stored_and_its_number_given_in_english(client):
    data = {
        "page": SUBJECT,
        "figure": "2080150",
        "description": "The final figure differs from table 3.",
        "contact": "",
        "website": "",
        "token": issue_token(time.time() - 10),
    }
    response = client.post("/en/report/", data)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/report/sent/?r=")
    report = ErrorReport.objects.get()
    assert report.page == SUBJECT
    assert report.figure == "2080150"
    assert report.unit_code == "503033"
    sent = client.get(response["Location"])
    html = sent.content.decode()
    assert unmarked_chinese(html) == []
    text = page_text(html)
    assert f"Reference number: {report.reference}" in text
    assert "Back to the page you reported" in text


def test_a_report_sent_too_fast_in_english_is_refused_in_english(client):
    data = {"page": SUBJECT, "description": "x", "website": "", "token": issue_token()}
    response = client.post("/en/report/", data)
    assert response.status_code == 400
    assert "That was sent too quickly" in page_text(response.content.decode())
    assert not ErrorReport.objects.exists()


def test_an_unknown_english_address_explains_itself_in_english(client):
    response = client.get("/en/departments/999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert unmarked_chinese(html) == []
    text = page_text(html)
    assert "Page not found (404)" in text
    assert 'No department has the code "999".' in text


def test_a_bad_english_parameter_is_a_400_in_english(client):
    response = client.get("/en/report/", {"page": "/nowhere/"})
    assert response.status_code == 400
    assert "Wrong parameters in the address (400)" in page_text(response.content.decode())


def test_a_post_to_an_english_page_is_a_405_in_english(client):
    response = client.post("/en/glossary/")
    assert response.status_code == 405
    assert "This page can only be viewed, not sent to (405)" in page_text(response.content.decode())


@pytest.mark.parametrize("path", ["/data/", "/data/dictionary/", "/data/builds/"])
def test_the_open_data_pages_are_english_only_in_english(client, path):
    html = client.get("/en" + path).content.decode()
    assert unmarked_chinese(html) == []
    chinese = page_text(client.get(path).content.decode())
    assert "开放数据" in chinese or "数据字典" in chinese or "历次生成" in chinese


def test_the_english_department_pages_mark_names_and_translate_the_rest(client):
    text = english_text(client, "/departments/503/2024/")
    assert "The department's budget and final accounts for 2024" in text
    assert "Budget and final accounts of each unit" in text


PAGES = [
    "/",
    "/search/?q=事业运行",
    "/glossary/",
    "/departments/503/",
    "/departments/503/2024/",
    "/data/",
    "/data/dictionary/",
    "/report/?page=/",
]


@pytest.mark.parametrize("path", PAGES)
def test_an_english_page_costs_the_queries_of_the_chinese_one(
    client, path, django_assert_num_queries
):
    client.get(path)  # warm per-process caches (ContentTypes, sessions) for both
    with CaptureQueriesContext(connection) as chinese:
        assert client.get(path).status_code == 200
    with django_assert_num_queries(len(chinese.captured_queries)):
        assert client.get("/en" + path).status_code == 200


def test_an_english_search_shows_the_english_names_staff_gave(client):
    html = client.get("/en/search/", {"q": "2080150"}).content.decode()
    # The unit has an English name in the fixtures: shown instead of the Chinese one.
    assert "Wuhan Human Resources and Social Security" in html
    assert ">武汉市人力资源和社会保障投诉咨询中心<" not in html
    chinese = client.get("/search/", {"q": "2080150"}).content.decode()
    assert ">武汉市人力资源和社会保障投诉咨询中心<" in chinese
