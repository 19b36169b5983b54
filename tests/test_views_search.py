"""The search page (/search/) and its CSV twin: what it finds and where its hits lead, that it
shows published data only, marks the words safely, refuses bad parameters and runs a fixed
number of queries."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from budgets import search
from budgets.choices import PublicationStatus
from budgets.models import (
    EvaluationItem,
    Explanation,
    Fact,
    IndicatorTarget,
    Project,
    Publication,
    Subject,
)
from tests.helpers import csv_rows, links, page_text

pytestmark = pytest.mark.django_db

SUBJECT_PAGE = "/units/503033/2024/subjects/functional/2080150/"


def get(client, q, **params):
    return client.get("/search/", {"q": q, **params})


def hrefs(response) -> list[str]:
    return [href for href, _ in links(response.content.decode())]


def subjects_with_published_amounts() -> list[Subject]:
    """The 2024 subjects that 503033's pages show amounts under: the leaves of its facts and
    their 类 and 款."""
    leaves = set(
        Fact.objects.published()
        .filter(subject__year=2024)
        .values_list("subject__scheme", "subject__code")
    )
    return [
        subject
        for subject in Subject.objects.filter(year=2024)
        if any(s == subject.scheme and c.startswith(subject.code) for s, c in leaves)
    ]


# -- what it finds ----------------------------------------------------------------------------


def test_shiye_yunxing_finds_subject_2080150_linking_to_its_subject_page(client):
    response = get(client, "事业运行")
    assert response.status_code == 200
    assert SUBJECT_PAGE in hrefs(response)
    text = page_text(response.content.decode())
    assert "2080150 事业运行" in text
    assert "<mark>事业运行</mark>" in response.content.decode()


def test_the_code_2080150_finds_the_same_subject_page(client):
    response = get(client, "2080150")
    assert SUBJECT_PAGE in hrefs(response)
    assert '<span class="code"><mark>2080150</mark></span>' in response.content.decode()


def test_a_code_prefix_finds_the_section_and_the_items_below_it(client):
    found = hrefs(get(client, "20801"))
    assert "/units/503033/2024/subjects/functional/20801/" in found
    assert SUBJECT_PAGE in found
    assert "/units/503033/2024/subjects/functional/208/" not in found


def test_every_subject_with_published_amounts_is_found_by_code_and_by_name(client):
    subjects = subjects_with_published_amounts()
    assert len(subjects) > 40
    for subject in subjects:
        url = f"/units/503033/2024/subjects/{subject.scheme}/{subject.code}/"
        for q in (subject.code, subject.name):
            assert url in hrefs(get(client, q, kind="subjects")), (q, url)


def test_every_project_is_found_by_code_and_by_name(client):
    projects = list(Project.objects.published())
    assert projects
    for project in projects:
        url = f"/units/503033/2024/projects/#project-{project.code}"
        for q in (project.code, project.name):
            assert url in hrefs(get(client, q)), q


def test_the_project_link_lands_on_the_project(client):
    html = client.get("/units/503033/2024/projects/").content.decode()
    assert 'id="project-42010022503T000000136"' in html


def test_every_indicator_is_found_by_name_linking_to_its_table(client):
    rows = [
        (target.level3, target.plan.section.slug)
        for target in IndicatorTarget.objects.published().select_related("plan__section")
    ] + [
        (item.level3 or item.level1, item.evaluation.section.slug)
        for item in EvaluationItem.objects.published().select_related("evaluation__section")
    ]
    assert len(rows) == 42
    for name, slug in rows:
        response = get(client, name, kind="indicators")
        assert f"/units/503033/2024/performance/#{slug}" in hrefs(response), name
        performance = client.get("/units/503033/2024/performance/").content.decode()
        assert f'id="{slug}"' in performance


def test_units_and_departments_are_found_by_name_and_code(client):
    found = hrefs(get(client, "人力资源和社会保障"))
    assert "/units/503033/2024/" in found
    assert "/departments/503/" in found
    assert "/units/503033/2024/" in hrefs(get(client, "503033"))


def test_the_publications_texts_are_found_with_the_words_around_them(client):
    response = get(client, "过紧日子")
    html = response.content.decode()
    sections = [href for href in hrefs(response) if href.startswith("/units/503033/2024/final/")]
    assert sections
    assert all(client.get(href).status_code == 200 for href in sections)
    assert "<mark>过紧日子</mark>" in html


def test_all_the_words_must_be_found(client):
    assert SUBJECT_PAGE in hrefs(get(client, "事业 运行"))
    assert SUBJECT_PAGE not in hrefs(get(client, "事业运行 国防"))


def test_full_width_and_other_unicode_digits_are_read_as_digits(client):
    assert SUBJECT_PAGE in hrefs(get(client, "２０８０１５０"))
    assert SUBJECT_PAGE in hrefs(get(client, "٢٠٨٠١٥٠"))
    response = get(client, "²")
    assert response.status_code == 200
    assert "没有找到" in page_text(response.content.decode())


def test_like_wildcards_are_searched_as_characters(client):
    assert SUBJECT_PAGE not in hrefs(get(client, "%"))
    assert SUBJECT_PAGE not in hrefs(get(client, "208015_"))


# -- published data only, example units marked --------------------------------------------------


def test_an_unpublished_publication_is_not_searched(client):
    assert "/units/503033/2024/final/" in str(hrefs(get(client, "过紧日子")))
    Publication.objects.filter(kind="final").update(status=PublicationStatus.DRAFT)
    found = str(hrefs(get(client, "过紧日子")))
    assert "/units/503033/2024/final/" not in found


def test_a_unit_without_published_publications_is_not_found(client):
    Publication.objects.update(status=PublicationStatus.DRAFT)
    response = get(client, "人力资源和社会保障")
    assert "/units/503033/2024/" not in hrefs(response)
    assert "/departments/503/" not in hrefs(response)
    assert SUBJECT_PAGE not in hrefs(get(client, "事业运行"))


def test_example_units_are_found_after_the_real_ones_and_marked(client):
    call_command(
        "generate_city", "--departments=1", "--units=2", "--years=1", "--seed=3", stdout=StringIO()
    )
    response = get(client, "2080150")
    found = [href for href in hrefs(response) if "/subjects/functional/2080150/" in href]
    assert found[0] == SUBJECT_PAGE
    assert any(href.startswith("/units/901") for href in found)
    assert "示例" in page_text(response.content.decode())
    real_only = get(client, "投诉咨询中心").content.decode()
    assert "example-tag" not in real_only


# -- marking and escaping ---------------------------------------------------------------------


def test_words_are_marked_in_escaped_text(client):
    Explanation.objects.filter(pk=Explanation.objects.order_by("pk").first().pk).update(
        text='<b>说明</b><script>alert("x")</script>&结束'
    )
    html = get(client, "<script>").content.decode()
    assert (
        "&lt;b&gt;说明&lt;/b&gt;<mark>&lt;script&gt;</mark>alert(&quot;x&quot;)&lt;/script&gt;&amp;结束"
    ) in html
    assert '<script>alert("x")' not in html


def test_highlight_escapes_the_text_and_marks_each_word_case_insensitively():
    marked = search.highlight("A<b>c & abc", ["b", "ABC"])
    assert marked == "A&lt;<mark>b</mark>&gt;c &amp; <mark>abc</mark>"


def test_a_long_text_is_cut_around_the_first_word():
    text = "甲" * 200 + "过紧日子" + "乙" * 200
    cut = search.excerpt(text, ["过紧日子"])
    assert cut.startswith("…")
    assert cut.endswith("…")
    assert "过紧日子" in cut
    assert len(cut) < 200


# -- the page without a query, the CSV twin, bad parameters -------------------------------------


def test_without_a_query_the_page_shows_the_box_only(client, django_assert_num_queries):
    for params in ({}, {"q": ""}, {"q": "   \u3000 "}):
        with django_assert_num_queries(0):
            response = client.get("/search/", params)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'role="search"' in html
        assert "search-group" not in html


def test_every_page_has_a_labelled_search_box_in_its_header(client):
    for url in ("/", "/units/503033/2024/", "/data/", "/no-such-page/"):
        html = client.get(url).content.decode()
        assert '<form class="site-search" role="search" action="/search/"' in html, url
        assert '<label class="site-search-label" for="site-search-q">搜索</label>' in html


def test_the_csv_twin_lists_the_same_hits(client):
    response = client.get("/search.csv", {"q": "事业运行"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0] == [
        "类别",
        "说明",
        "编码",
        "名称",
        "单位编码",
        "单位名称",
        "年度",
        "所在位置",
        "内容",
        "示例数据",
        "链接",
    ]
    subject = next(row for row in rows if row[2] == "2080150")
    assert subject[:7] == [
        "科目",
        "支出功能分类 项",
        "2080150",
        "事业运行",
        "503033",
        "武汉市人力资源和社会保障投诉咨询中心",
        "2024",
    ]
    assert subject[9] == "否"
    assert subject[10] == f"http://testserver{SUBJECT_PAGE}"
    assert len(rows) - 1 == sum(len(group.hits) for group in search.search("事业运行"))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "事" * 101}, "参数 q：搜索词最多 100 个字（现在是 101 个）。"),
        # budgets.middleware refuses a NUL in any parameter before the form sees it.
        ({"q": "事业\x00运行"}, "参数 q：含有空字符（NUL），不是有效的值。"),
        ({"q": "事业", "kind": "people"}, "参数 kind：没有“people”这个类别"),
    ],
)
def test_bad_parameters_are_a_400_in_chinese(client, params, message):
    for url in ("/search/", "/search.csv"):
        response = client.get(url, params)
        assert response.status_code == 400
        assert message in response.content.decode()


def test_a_query_of_100_characters_is_searched(client):
    assert get(client, "事" * 100).status_code == 200


def test_one_kind_lists_more_rows_and_the_page_links_to_it(client):
    response = get(client, "指标")
    html = response.content.decode()
    assert "/search/?q=%E6%8C%87%E6%A0%87&amp;kind=indicators" in html
    more = get(client, "指标", kind="indicators")
    assert more.content.decode().count("/performance/#") > search.LIMIT


def test_only_get_and_head_are_answered(client):
    assert client.post("/search/", {"q": "事业"}).status_code == 405


# -- a fixed number of queries ----------------------------------------------------------------

# units, subjects (the hits, then the names of their subjects and units), projects,
# indicators, texts
SEARCH_QUERIES = 7


def test_a_search_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    with django_assert_num_queries(SEARCH_QUERIES):
        get(client, "服务")
    with django_assert_num_queries(SEARCH_QUERIES):
        client.get("/search.csv", {"q": "服务"})
    with django_assert_num_queries(1):
        get(client, "服务", kind="projects")


def test_a_search_runs_the_same_queries_with_ten_times_the_data(
    client, tenfold, django_assert_num_queries
):
    with django_assert_num_queries(SEARCH_QUERIES):
        html = get(client, "服务").content.decode()
    assert html.count('class="more"') >= 2
    with django_assert_num_queries(SEARCH_QUERIES):
        rows = csv_rows(client.get("/search.csv", {"q": "服务"}))
    assert len(rows) > 2 * search.LIMIT
    with django_assert_num_queries(3):
        html = get(client, "测试科目", kind="subjects").content.decode()
    assert html.count("/subjects/") == search.KIND_LIMIT


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_postgresql_makes_trigrams_of_chinese_characters():
    # With a ctype that did not count CJK characters as letters, pg_trgm would make no
    # trigrams of '事业运行' and the trigram indexes of migration 0014 could not help.
    with connection.cursor() as cursor:
        cursor.execute("SELECT array_length(show_trgm('事业运行'), 1)")
        assert cursor.fetchone()[0] == 5
