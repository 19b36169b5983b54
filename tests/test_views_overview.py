"""The overview of a unit's year: budget against final, rates, split, chart, links."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from budgets.models import Publication, Section
from tests.helpers import csv_rows, json_script, links, page_text, row_starting

pytestmark = pytest.mark.django_db
OVERVIEW_QUERIES = 6  # the sections come with the year's publications; + the quality reports
CSV_QUERIES = OVERVIEW_QUERIES - 1  # the CSV twins need no quality report


def key_figure(html, label):
    """The value shown under `label` among the page's key figures, as text."""
    match = re.search(rf'<p class="label">{label}</p>\s*<p class="value">(.*?)</p>', html, re.S)
    assert match, f"no key figure {label}"
    return re.sub(r"<[^>]+>", "", match.group(1))


def test_overview_states_the_budget_the_final_and_both_rates(client, year_url):
    html = client.get(year_url()).content.decode()
    assert key_figure(html, "年初预算") == "720.94万元"
    assert key_figure(html, "决算（实际支出）") == "732.00万元"
    assert key_figure(html, "完成年初预算") == "101.5%"  # 732.00 ÷ 720.94
    assert key_figure(html, "预算执行率") == "100%"  # against the adjusted budget 732.00
    assert "差额 +11.06 万元" in html


def test_overview_splits_basic_and_project_expenditure_at_the_published_precision(client, year_url):
    html = client.get(year_url()).content.decode()
    assert row_starting(html, "基本支出") == ["基本支出", "237.53", "32.95%", "394.88", "53.9%"]
    assert row_starting(html, "项目支出") == ["项目支出", "483.41", "67.05%", "337.12", "46.1%"]
    assert row_starting(html, "合计") == ["合计", "720.94", "100%", "732.00", "100%"]


def test_overview_chart_compares_each_class_with_exact_labels(client, year_url):
    html = client.get(year_url()).content.decode()
    figure = json_script(html, "chart-by-class")
    budget, final = figure["data"]
    assert budget["y"] == ["社会保障和就业支出", "卫生健康支出", "住房保障支出"]
    assert budget["text"] == ["674.79", "21.05", "25.10"]
    assert final["text"] == ["688.35", "18.55", "25.10"]
    assert budget["customdata"][0].endswith("/functional/208/")
    assert figure["layout"]["xaxis"]["title"]["text"] == "万元"


def test_basic_and_project_split_has_a_csv_twin(client, year_url):
    rows = csv_rows(client.get(year_url("basic-project.csv")))
    assert rows == [
        ["项目", "年初预算（万元）", "占年初预算", "决算（万元）", "占决算"],
        ["基本支出", "237.53", "32.95%", "394.88", "53.9%"],
        ["项目支出", "483.41", "67.05%", "337.12", "46.1%"],
        ["合计", "720.94", "100%", "732.00", "100%"],
    ]


def test_overview_says_the_unit_and_the_source_of_its_figures(client, year_url):
    html = client.get(year_url()).content.decode()
    assert "单位：万元" in html
    text = page_text(html)
    assert "来源：2024年单位预算表3；2024年度单位决算公开03" in text
    assert "2024年单位预算，表3" in text
    assert "2024年度单位决算，公开03" in text
    assert "万元（整体绩效自评表）" in text
    assert "来源：2024年单位预算表3；2024年度单位决算公开03、第三部分五（差异原因）" in text
    # Each table number links to the table.
    assert (year_url("budget/table-3/"), "表3") in links(html)
    assert (year_url("final/gk03/"), "公开03") in links(html)
    assert (year_url("final/explanation-5/"), "第三部分五") in links(html)


def test_plotly_is_served_from_our_static_files_not_a_cdn(client, year_url):
    html = client.get(year_url()).content.decode()
    assert (
        '<script src="/static/js/charts.js" '
        'data-plotly="/static/js/vendor/plotly-custom.min.js" defer></script>'
    ) in html
    assert "cdn" not in html.lower()
    # The tests' plain static storage writes that address whether or not a file is behind it:
    # ask the finders, as collectstatic does, for what it serves.
    found = finders.find("js/vendor/plotly-custom.min.js")
    assert found, "no static file js/vendor/plotly-custom.min.js"
    assert Path(found).read_bytes().startswith(b"/**\n* plotly.js v")


def test_overview_links_to_every_table_of_both_publications(client, year_url):
    html = client.get(year_url()).content.decode()
    sections = Section.objects.filter(publication__unit__code="503033", publication__year=2024)
    assert sections.count() > 40
    for section in sections:
        assert f'href="{section.get_absolute_url()}"' in html


def test_overview_of_an_unknown_unit_or_year_is_not_found(client, year_url):
    assert client.get(year_url(unit="999999")).status_code == 404
    response = client.get(year_url(year=2023))
    assert response.status_code == 404
    assert "2023 年已公开的预算或决算" in response.content.decode()


def test_a_draft_publication_is_not_shown(client, year_url):
    Publication.objects.filter(kind="final").update(status="draft")
    html = client.get(year_url()).content.decode()
    assert "732.00" not in html
    assert "决算尚未公开" in html
    Publication.objects.update(status="draft")
    assert client.get(year_url()).status_code == 404


def test_overview_runs_a_fixed_number_of_queries(client, year_url, django_assert_num_queries):
    with django_assert_num_queries(OVERVIEW_QUERIES):
        client.get(year_url())


def test_overview_runs_the_same_queries_with_ten_times_the_facts(
    client, year_url, tenfold, django_assert_num_queries
):
    with django_assert_num_queries(OVERVIEW_QUERIES):
        assert client.get(year_url()).status_code == 200
    # The CSV twins run the page's queries, but for the answers' quality reports.
    with django_assert_num_queries(CSV_QUERIES):
        assert len(csv_rows(client.get(year_url("basic-project.csv")))) == 4
    with django_assert_num_queries(CSV_QUERIES):
        assert len(csv_rows(client.get(year_url("changes.csv")))) > 60


def test_waterfall_steps_from_720_94_to_732_00_with_the_published_reasons(client, year_url):
    html = client.get(year_url()).content.decode()
    [trace] = json_script(html, "chart-waterfall")["data"]
    assert trace["text"] == [
        "720.94",
        "+159.93",
        "-177.29",
        "-0.05",
        "+31.00",
        "-0.03",
        "-1.23",
        "-1.27",
        "732.00",
    ]
    assert "办公用房租赁费用" in trace["hovertext"][1].replace("<br>", "")
    assert "分期支付" in trace["hovertext"][2]
    assert trace["customdata"][1] == "/units/503033/2024/subjects/functional/2080150/"


def test_the_waterfall_steps_have_a_csv_twin(client, year_url):
    rows = csv_rows(client.get(year_url("changes.csv")))
    assert rows[0] == [
        "科目编码",
        "科目名称",
        "年初预算（万元）",
        "决算（万元）",
        "变化（万元）",
        "公开说明的原因",
    ]
    assert rows[4][:5] == ["2080799", "其他就业补助支出", "", "31.00", "31.00"]
    assert len(rows) == 8


def test_class_bars_link_to_their_subject_pages(client, year_url):
    html = client.get(year_url()).content.decode()
    budget, _ = json_script(html, "chart-by-class")["data"]
    assert budget["customdata"] == [
        "/units/503033/2024/subjects/functional/208/",
        "/units/503033/2024/subjects/functional/210/",
        "/units/503033/2024/subjects/functional/221/",
    ]
