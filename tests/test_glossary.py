"""The glossary (issue 12): the portal's terms as accessible tooltips where they are used, and
/glossary/ with those terms and the publications' 名词解释."""

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError

from budgets.glossary import TERMS, lookup
from budgets.models import Publication

pytestmark = pytest.mark.django_db

REQUIRED = ["一般公共预算", "财政拨款", "基本支出", "项目支出", "三公经费", "调整后预算",
            "结转和结余", "类/款/项"]  # fmt: skip


def render(source: str, **context) -> str:
    return Template("{% load glossary %}" + source).render(Context(context))


@pytest.mark.parametrize("name", REQUIRED)
def test_every_term_the_issue_names_is_defined(name):
    assert lookup(name) is not None
    assert len(lookup(name).definition) > 20


def test_a_term_is_a_button_described_by_its_definition():
    html = render('{% term "财政拨款" %}')
    button = re.search(
        r'<button type="button" class="term" aria-describedby="([^"]+)">财政拨款</button>', html
    )
    assert button
    tip = re.search(
        rf'<span class="term-tip" role="tooltip" id="{button.group(1)}">(.*?)</span>', html
    )
    assert tip
    assert tip.group(1).startswith("财政拨款：财政部门当年拨付给单位的资金")
    assert "title=" not in html


def test_the_same_term_twice_in_a_page_gets_two_ids():
    html = render('{% term "基本支出" %}{% term "基本支出" "基本" %}')
    ids = re.findall(r'aria-describedby="([^"]+)"', html)
    assert len(set(ids)) == 2
    assert ">基本</button>" in html  # the text shown can differ from the term


def test_an_alias_finds_its_term_and_an_unknown_word_is_an_error():
    assert "“三公”经费：用财政拨款安排" in render('{% term "三公经费" %}')
    with pytest.raises(TemplateSyntaxError):
        render('{% term "不存在的词" %}')


def test_the_text_shown_is_escaped():
    html = render('{% term "项目支出" text %}', text="<b>x</b>")
    assert "<b>" not in html
    assert "&lt;b&gt;" in html


def test_the_overview_explains_its_jargon_and_loads_the_glossary_script(client, year_url):
    html = client.get(year_url()).content.decode()
    for term in ("调整后预算", "基本支出", "项目支出"):
        assert 'aria-describedby="term-' in html
        assert re.search(rf'class="term" aria-describedby="[^"]+">{term}</button>', html), term
    assert "/static/js/glossary.js" in html


def test_the_three_public_page_explains_its_title(client, year_url):
    html = client.get(year_url("three-public/")).content.decode()
    assert re.search(r'class="term" aria-describedby="term-three-public-\d+">', html)


def test_the_glossary_page_lists_the_portal_terms_and_the_published_definitions(client):
    response = client.get("/glossary/")
    assert response.status_code == 200
    html = response.content.decode()
    for term in TERMS:
        assert f'id="{term.slug}"' in html
        assert term.definition in html
    final = Publication.objects.get(kind="final")
    assert "指在基本支出之外为完成特定行政任务或事业发展目标所发生的支出。" in html
    assert f"来源：{final.title} 第五部分" in html
    assert 'href="/units/503033/2024/final/glossary/"' in html


def test_the_glossary_shows_no_definition_of_a_draft(client):
    Publication.objects.update(status="draft")
    html = client.get("/glossary/").content.decode()
    assert "已公开的文件中没有名词解释" in html


def test_the_glossary_page_runs_a_fixed_number_of_queries(
    client, tenfold, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert client.get("/glossary/").status_code == 200


def test_the_glossary_refuses_parameters_it_does_not_know(client):
    assert client.get("/glossary/?page=x").status_code == 400


@pytest.mark.parametrize(
    ("page", "terms"),
    [
        ("functional/", ["class-section-item", "basic-expenditure"]),
        ("economic/", ["basic-expenditure"]),
    ],
)
def test_the_classification_tables_explain_their_terms_once_above_the_table(
    client, year_url, page, terms
):
    html = client.get(year_url(page)).content.decode()
    for slug in terms:
        assert len(re.findall(rf'aria-describedby="term-{slug}-\d+"', html)) == 1
    assert html.index('class="term"') < html.index("<table")
    assert "/static/js/glossary.js" in html
