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
