"""Year navigation: every page of a unit's year links to the same page in the unit's other
published years; a year the unit has not published is a 404 that lists the years it has."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets.models import Publication, Unit

pytestmark = pytest.mark.django_db


def publish(year, kind, status="published"):
    return Publication.objects.create(
        unit=Unit.objects.get(code="503033"),
        year=year,
        kind=kind,
        title=f"{year}年{kind}",
        status=status,
    )


def year_nav(html: str) -> str:
    found = re.search(r'<nav class="years" aria-label="年度">(.*?)</nav>', html, re.S)
    assert found, "no year navigation"
    return found.group(1)


@pytest.mark.parametrize(
    "page",
    [
        "",
        "functional/",
        "economic/",
        "structure/",
        "projects/",
        "three-public/",
        "performance/",
        "history/",
        "budget/",
        "final/gk01/",
        "final/quality/",
        "subjects/functional/2080150/",
    ],
)
def test_every_page_of_a_year_marks_the_current_year(client, year_url, page):
    nav = year_nav(client.get(year_url(page)).content.decode())
    assert '<a href="/units/503033/2024/' in nav
    assert 'aria-current="page">2024</a>' in nav


def test_each_year_links_to_the_same_page_in_that_year(client, year_url):
    publish(2023, "final")
    nav = year_nav(client.get(year_url("functional/")).content.decode())
    assert '<a href="/units/503033/2023/functional/">2023</a>' in nav
    assert 'href="/units/503033/2024/functional/" aria-current="page">2024</a>' in nav
    assert nav.index(">2023<") < nav.index(">2024<")
    back = year_nav(client.get(year_url("functional/", year=2023)).content.decode())
    assert 'href="/units/503033/2023/functional/" aria-current="page">2023</a>' in back
    assert '<a href="/units/503033/2024/functional/">2024</a>' in back


def test_a_publication_page_links_to_that_kind_where_the_year_has_it(client, year_url):
    publish(2023, "final")
    final = year_nav(client.get(year_url("final/")).content.decode())
    assert '<a href="/units/503033/2023/final/">2023</a>' in final
    budget = year_nav(client.get(year_url("budget/")).content.decode())
    assert '<a href="/units/503033/2023/">2023</a>' in budget  # no 2023 budget: its overview


def test_drafts_and_other_units_years_are_not_offered(client, year_url):
    publish(2025, "budget", status="draft")
    other = Unit.objects.create(
        code="503099", name="另一个单位", parent=Unit.objects.get(code="503")
    )
    Publication.objects.create(unit=other, year=2022, kind="budget", title="x", status="published")
    nav = year_nav(client.get(year_url()).content.decode())
    assert "2025" not in nav
    assert "2022" not in nav


def test_a_year_not_published_is_a_404_listing_the_years_that_are(client, year_url):
    publish(2022, "budget")
    for page in ("", "functional/", "final/", "final/gk01/"):
        response = client.get(year_url(page, year=2023))
        assert response.status_code == 404
        html = response.content.decode()
        assert "武汉市人力资源和社会保障投诉咨询中心没有 2023 年已公开的预算或决算" in html
        assert '<a href="/units/503033/2022/">2022 年</a>' in html
        assert '<a href="/units/503033/2024/">2024 年</a>' in html


def test_an_unknown_unit_is_a_plain_404(client, year_url):
    response = client.get(year_url(unit="999999"))
    assert response.status_code == 404
    html = response.content.decode()
    assert "已公开的年度" not in html
    assert "没有找到单位“999999”" in html


def test_a_unit_with_nothing_published_says_so(client, year_url):
    Publication.objects.update(status="draft")
    html = client.get(year_url()).content.decode()
    assert "该单位还没有公开任何年度的预算或决算。" in html


def test_more_years_cost_no_query(client, year_url):
    def queries(page):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(year_url(page)).status_code == 200
        return len(captured)

    pages = ["", "functional/", "final/", "history/"]
    before = [queries(page) for page in pages]
    for year in (2019, 2020, 2021, 2022, 2023):
        publish(year, "budget")
        publish(year, "final")
    assert [queries(page) for page in pages] == before


def test_the_404_of_a_year_runs_a_fixed_number_of_queries(
    client, year_url, django_assert_num_queries
):
    with django_assert_num_queries(3):
        client.get(year_url(year=2023))
    for year in (2019, 2020, 2021):
        publish(year, "budget")
    with django_assert_num_queries(3):
        client.get(year_url(year=2023))


def test_a_subject_page_links_to_its_classification_in_the_other_years(client, year_url):
    publish(2023, "final")
    nav = year_nav(client.get(year_url("subjects/functional/2080150/")).content.decode())
    assert '<a href="/units/503033/2023/functional/">2023</a>' in nav
