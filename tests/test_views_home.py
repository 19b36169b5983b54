"""The home page lists departments with their totals for a year (not every unit), and the
latest real publications; unit pages reach every year of a unit."""

from io import StringIO

import pytest
from django.core.management import call_command

from budgets.models import Publication

pytestmark = pytest.mark.django_db


def test_home_lists_the_department_and_reaches_the_unit_in_one_click(client):
    html = client.get("/").content.decode()
    assert "武汉市人力资源和社会保障局" in html
    assert 'href="/departments/503/2024/"' in html
    assert 'href="/units/503033/2024/"' in html
    assert "720.94" in html
    assert "732.00" in html


def test_home_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    with django_assert_num_queries(5):
        client.get("/")
    call_command("generate_city", "--departments=5", "--units=50", "--years=2", stdout=StringIO())
    with django_assert_num_queries(5):
        client.get("/")


def test_home_shows_departments_not_units_paginated_and_sortable(client):
    call_command("generate_city", "--departments=30", "--units=60", "--years=2", stdout=StringIO())
    html = client.get("/").content.decode()
    assert "示例单位" not in html  # units are on the department pages
    assert html.count('href="/departments/') == 25  # one page of departments
    assert "示例数据" in html
    second = client.get("/?page=2&sort=-final").content.decode()
    assert 'href="/departments/' in second
    assert client.get("/?per_page=101").status_code == 400
    assert client.get("/?sort=bad").status_code == 400
    assert client.get("/?year=1999").status_code == 404
    # The real unit stays one click away, however many example units there are.
    assert 'href="/units/503033/2024/"' in html


def test_unit_page_lists_its_years_and_the_department_its_units(client):
    html = client.get("/units/503033/").content.decode()
    assert 'href="/units/503033/2024/"' in html
    assert "2025年10月10日公开" in html
    department = client.get("/units/503/").content.decode()
    assert 'href="/units/503033/"' in department


def test_unknown_unit_is_not_found(client):
    response = client.get("/units/404404/")
    assert response.status_code == 404
    assert "没有找到这个页面" in response.content.decode()


def test_drafts_do_not_appear_on_the_home_page(client):
    Publication.objects.update(status="draft")
    html = client.get("/").content.decode()
    assert 'href="/units/503033/2024/"' not in html
    assert "还没有已公开的预算或决算" in html


def test_public_pages_refuse_to_write(client):
    assert client.post("/").status_code == 405
    assert client.post("/units/503033/2024/functional/").status_code == 405


def test_unit_and_publication_pages_run_a_fixed_number_of_queries(
    client, tenfold, django_assert_num_queries
):
    with django_assert_num_queries(3):
        client.get("/units/503033/")
    with django_assert_num_queries(3):
        client.get("/units/503033/2024/final/")


def finals_on(html: str) -> list[str]:
    import re

    return re.findall(r'<td class="num" data-label="决算">([^<]*)</td>', html)


def test_home_sorts_departments_by_their_totals_and_links_the_other_order(client):
    from decimal import Decimal

    call_command("generate_city", "--departments=30", "--units=60", "--years=2", stdout=StringIO())
    html = client.get("/?sort=-final&per_page=100").content.decode()
    finals = [Decimal(text) for text in finals_on(html) if text]
    assert len(finals) == 31  # 30 generated departments and 503
    assert finals == sorted(finals, reverse=True)
    # The sorted column says so and links the other order; a new order starts at page 1.
    assert '<th class="num orderable desc"><a href="?sort=final&amp;per_page=100">' in html
    assert (
        '<a href="?per_page=10&amp;sort=initial">'
        in client.get("/?page=2&per_page=10").content.decode()
    )
    ascending = [
        Decimal(t) for t in finals_on(client.get("/?sort=final&per_page=100").content.decode()) if t
    ]
    assert ascending == sorted(finals)


def test_home_cells_carry_their_labels_for_phones_and_mark_example_departments(client):
    call_command("generate_city", "--departments=2", "--units=4", "--years=1", stdout=StringIO())
    html = client.get("/").content.decode()
    assert '<td class="name" data-label="部门"><a href="/departments/901/2024/">' in html
    assert "（示例数据）</a></td>" in html
    assert '<td class="code" data-label="部门编码">503</td>' in html
    assert '<td class="num" data-label="年初预算">720.94</td>' in html
    assert '<td class="num" data-label="完成年初预算">101.5%</td>' in html
    assert '<div class="table-scroll" role="region"' in html
