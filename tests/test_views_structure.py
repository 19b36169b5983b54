"""Where the money went: final spending by functional subject and by economic nature."""

import pytest

from tests.helpers import json_script

pytestmark = pytest.mark.django_db


def test_functional_treemap_holds_every_line_of_the_final_accounts(client, year_url):
    html = client.get(year_url("structure/")).content.decode()
    [trace] = json_script(html, "chart-functional-treemap")["data"]
    assert trace["text"][0] == "732.00"
    assert len(trace["ids"]) == 21  # the total, 3 类, 6 款, 11 项
    leaves = sum(value for value in trace["values"] if value)
    assert leaves == pytest.approx(732.00)
    assert "社会保障和就业支出 688.35 万元（94%）" in html


def test_economic_treemap_splits_personnel_public_and_projects(client, year_url):
    html = client.get(year_url("structure/")).content.decode()
    [trace] = json_script(html, "chart-economic-treemap")["data"]
    texts = dict(zip(trace["ids"], trace["text"], strict=True))
    assert (texts["personnel"], texts["public"], texts["projects"]) == (
        "227.76",
        "167.12",
        "337.12",
    )
    assert texts["30214"] == "143.95"
    assert "人员经费 227.76 万元（31.1%），公用经费 167.12 万元（22.8%）" in html
    assert "项目支出 337.12 万元（46.1%）" in html


def test_structure_page_runs_a_fixed_number_of_queries(
    client, year_url, tenfold, django_assert_num_queries
):
    with django_assert_num_queries(9):
        client.get(year_url("structure/"))
