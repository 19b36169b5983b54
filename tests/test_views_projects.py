"""Projects with their amounts by stage, history, cost lines and purchases."""

from decimal import Decimal

import pytest

from budgets.models import ProjectCostLine
from tests.helpers import csv_rows, links, page_text, row_starting, table_rows

pytestmark = pytest.mark.django_db
PROJECT_QUERIES = 10


def test_project_amounts_by_stage_and_history(client, year_url):
    html = client.get(year_url("projects/")).content.decode()
    assert "42010022503T000000136" in html
    assert row_starting(html, "2024 年年初预算")[1] == "483.41"
    assert row_starting(html, "2024 年全年预算（调整后）")[1] == "337.12"
    assert row_starting(html, "2024 年执行数（决算）")[1] == "337.12"
    assert row_starting(html, "执行率")[1] == "100%"
    assert row_starting(html, "2022 年预算安排")[1] == "896.00"
    assert row_starting(html, "2023 年预算安排")[1] == "85.41"


def test_cost_lines_are_listed_and_add_up_to_the_project_budget(client, year_url):
    html = client.get(year_url("projects/")).content.decode()
    amounts = {row[2]: row[4] for row in table_rows(html) if len(row) == 6 and row[3].isdigit()}
    assert amounts == {
        "办公费": "37.47",
        "印刷费": "5.00",
        "水费": "1.11",
        "电费": "15.23",
        "物业管理费": "20.00",
        "维修(护)费": "4.00",
        "劳务费": "400.00",
        "办公设备购置": "0.60",
    }
    assert "合计 483.41 万元" in html
    assert row_starting(html, "A3黑白打印机")[1:] == ["1台", "0.60"]
    assert "合计 420.60 万元" in html
    # The total is added up from the lines, not the project's budget copied: change a line and
    # it follows.
    printing = ProjectCostLine.objects.filter(economic_name="印刷费")
    assert printing.update(amount=Decimal("6.00")) == 1
    html = client.get(year_url("projects/")).content.decode()
    assert "合计 484.41 万元" in html


def test_links_to_functional_lines_are_marked_as_inferred(client, year_url):
    html = client.get(year_url("projects/")).content.decode()
    assert html.count(">推断</span>") == 3  # all three links of the project are inferred
    assert "2080799" in html


def test_project_stage_csv_matches_the_table_on_the_page(client, year_url):
    rows = csv_rows(client.get(year_url("projects.csv")))
    assert rows[0] == ["项目编码", "项目名称", "阶段", "金额（万元）或比率", "出处或算法"]
    assert rows[1] == [
        "42010022503T000000136",
        "服务运行经费",
        "2024 年年初预算",
        "483.41",
        "预算表10、预算表12",
    ]
    assert [row[3] for row in rows[1:]] == [
        "483.41",
        "337.12",
        "337.12",
        "100%",
        "69.7%",
        "896.00",
        "85.41",
    ]


def test_cost_line_and_purchase_csvs_list_each_line_with_its_project(client, year_url):
    rows = csv_rows(client.get(year_url("projects-cost-lines.csv")))
    assert rows[0][:2] == ["项目编码", "项目名称"]
    assert len(rows) == 9
    assert rows[1][0] == "42010022503T000000136"
    assert rows[7][4:7] == ["劳务费", "30226", "400.00"]
    purchases = csv_rows(client.get(year_url("projects-procurement.csv")))
    assert purchases[1:] == [
        ["42010022503T000000136", "服务运行经费", "劳务费", "1年", "400.00"],
        ["42010022503T000000136", "服务运行经费", "物业管理费", "1年", "20.00"],
        ["42010022503T000000136", "服务运行经费", "A3黑白打印机", "1台", "0.60"],
    ]


def test_projects_page_runs_a_fixed_number_of_queries(client, year_url, django_assert_num_queries):
    with django_assert_num_queries(PROJECT_QUERIES):
        client.get(year_url("projects/"))


def test_projects_page_runs_the_same_queries_with_ten_times_the_projects(
    client, year_url, tenfold, django_assert_num_queries
):
    with django_assert_num_queries(PROJECT_QUERIES):
        html = client.get(year_url("projects/")).content.decode()
    assert html.count("服务运行经费") >= 10
    with django_assert_num_queries(PROJECT_QUERIES):
        assert len(csv_rows(client.get(year_url("projects-cost-lines.csv")))) == 81
    with django_assert_num_queries(PROJECT_QUERIES):
        assert len(csv_rows(client.get(year_url("projects.csv")))) == 71
    with django_assert_num_queries(PROJECT_QUERIES):
        assert len(csv_rows(client.get(year_url("projects-procurement.csv")))) == 31


def test_the_projects_page_names_its_tables_as_the_publications_number_them(client, year_url):
    text = page_text(client.get(year_url("projects/")).content.decode())
    assert (
        "来源：2024年单位预算表10、表11、表12；"
        "2024年度单位决算公开03、公开05、第三部分五、项目自评表"
    ) in text
    assert text.count("来源：预算表12") == 2  # the cost lines and the purchases


def test_a_unit_with_two_projects_names_each_projects_table_12(client, year_url):
    from budgets.models import Project, ProjectAmount, Publication, Section

    budget = Publication.objects.get(unit__code="503033", year=2024, kind="budget")
    first = Project.objects.get()
    Section.objects.filter(publication=budget, code="表12").update(code=f"表12（{first.code}）")
    second_table = Section.objects.create(
        publication=budget, code="表12（P2）", slug="table-12-p2", title="项目支出绩效目标表",
        order=99, kind="form", topic="project_performance",
    )  # fmt: skip
    second = Project.objects.create(code="P2", name="信息系统运维", unit=first.unit)
    ProjectAmount.objects.create(
        project=second, publication=budget, year=2024, stage="initial_budget", amount=Decimal("1")
    )
    ProjectCostLine.objects.create(
        project=second, section=second_table, order=1, activity="运维", economic_name="维修(护)费",
        amount=Decimal("1"),
    )  # fmt: skip
    html = client.get(year_url("projects/")).content.decode()
    text = page_text(html)
    assert f"来源：2024年单位预算表10、表11、表12（{first.code}）、表12（P2）；" in text
    assert f"来源：预算表12（{first.code}）" in text
    assert "来源：预算表12（P2）" in text
    assert (year_url("budget/table-12-p2/"), "表12（P2）") in links(html)
