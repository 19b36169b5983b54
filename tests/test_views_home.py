"""The home page and unit pages: a visitor reaches every year of every published unit."""

import pytest

from budgets.models import Publication

pytestmark = pytest.mark.django_db


def test_home_lists_the_department_its_unit_and_the_year(client):
    html = client.get("/").content.decode()
    assert "武汉市人力资源和社会保障局" in html
    assert 'href="/units/503033/"' in html
    assert 'href="/units/503033/2024/"' in html
    assert 'href="/units/503033/2024/budget/"' in html
    assert 'href="/units/503033/2024/final/"' in html


def test_home_runs_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/")


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
    assert 'href="/units/503033/2024/"' not in client.get("/").content.decode()


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
