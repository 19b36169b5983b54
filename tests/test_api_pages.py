"""The browsable API's pages speak Chinese: the page's language, titles from the views'
docstrings, labelled controls. (axe-core checks them in tests/browser/test_every_page.py.)"""

import re
from html import unescape

import pytest

pytestmark = pytest.mark.django_db
HTML = {"HTTP_ACCEPT": "text/html"}


def test_api_pages_are_in_chinese_with_titles_from_their_views(client):
    html = client.get("/api/lines/", **HTML).content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "<title>逐条数据 · 预决算公开平台</title>" in html
    assert "<h1>逐条数据</h1>" in html
    assert 'aria-label="选择返回格式"' in html
    assert "Django REST framework" not in html
    detail = client.get("/api/units/503033/", **HTML).content.decode()
    assert "<h1>预算单位与部门（单条）</h1>" in detail


def test_a_disabled_page_link_is_not_a_link(client):
    first = client.get("/api/lines/", {"page_size": 5}, **HTML).content.decode()
    assert 'href="#"' not in first
    assert 'aria-label="上一页"' not in first  # nothing before the first page
    following = re.search(r'<a href="([^"]+)" rel="next" aria-label="下一页">', first)[1]
    html = client.get(unescape(following), **HTML).content.decode()
    assert 'href="#"' not in html
    assert 'aria-label="上一页"' in html
    assert 'aria-label="下一页"' in html


def test_the_json_answers_are_unchanged(client):
    response = client.get("/api/lines/", {"page_size": 1}, HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert len(body["results"]) == 1
    assert body["next"].startswith("http://testserver/api/lines/?")
