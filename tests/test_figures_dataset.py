"""figures.csv and /api/figures/: every printed figure as data; every printed cell of every
table in some download; the texts of the performance tables and projects in theirs."""

import csv
import io
from decimal import Decimal

import pytest

from budgets import downloads, quality
from budgets.datasets import KIND_LABELS
from budgets.datasets.figures import SEVERITIES, figure_value
from budgets.exports import csv_cell
from budgets.models import Publication, PublishedFigure, Section
from budgets.summaries import section_grid

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def read(name):
    text = (downloads.current_dir() / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.fixture
def files():
    downloads.build()
    return {name: read(f"{name}.csv") for name in (
        "figures", "lines", "three_public", "projects", "performance_goals", "project_details",
        "procurement_items",
    )}  # fmt: skip


def test_every_published_figure_is_a_row_of_figures_csv_with_its_exact_value(files):
    rows = files["figures"]
    assert len(rows) == PublishedFigure.objects.count() > 600
    by_place = {
        (r["publication_year"], r["publication"], r["section"], r["part"], r["row_order"],
         r["column"]): r
        for r in rows
    }  # fmt: skip
    assert len(by_place) == len(rows)
    for figure in PublishedFigure.objects.select_related("section__publication", "unit"):
        publication = figure.section.publication
        row = by_place[
            (str(publication.year), publication.kind, figure.section.code, figure.part,
             str(figure.row_order), figure.column)
        ]  # fmt: skip
        assert row["value"] == csv_cell(figure_value(figure.value, figure.unit_of_measure))
        assert row["unit_of_measure"] == figure.unit_of_measure
        assert row["printed_text"] == csv_cell(figure.printed_text)
        assert row["row_label"] == csv_cell(figure.row_label)
        assert row["unit_code"] == figure.unit.code
        assert row["stage"] == figure.stage
        assert row["derived"] == ("true" if figure.kind == "derived" else "false")


def test_every_printed_cell_of_every_section_is_in_some_file(files):
    """As tests/test_every_figure.py walks the pages: each cell of each section's grid is a
    figure of figures.csv at that place, or a stored amount whose row names the table."""
    figures = {
        (r["publication_year"], r["publication"], r["section"], r["part"], r["row_label"],
         r["column"]): r["value"]
        for r in files["figures"]
    }  # fmt: skip
    amounts = {}
    for name in ("lines", "three_public", "projects"):
        for row in files[name]:
            label, _, tables = row["source"].rpartition(" ")
            for table in tables.split("、"):
                amounts.setdefault((label, table), []).append(row["amount"])
    checked = 0
    for section in Section.objects.select_related("publication"):
        publication = section.publication
        for part in section_grid(section):
            for row in part.rows:
                for column, cell in row.cells.items():
                    if cell.is_fact:
                        label = f"{publication.year}年{KIND_LABELS[publication.kind]}"
                        assert csv_cell(cell.value) in amounts[(label, section.code)], (
                            section.code, row.label, column,
                        )  # fmt: skip
                    else:
                        place = (str(publication.year), publication.kind, section.code,
                                 part.name, row.label, column)  # fmt: skip
                        expected = figure_value(cell.value, cell.unit_of_measure)
                        assert figures[place] == csv_cell(expected), place
                    checked += 1
    assert checked > 800


def test_the_figures_the_issue_found_missing_are_there(files):
    values = {(r["value"], r["unit_of_measure"]) for r in files["figures"]}
    assert {("420.60", "万元"), ("388.15", "万元"), ("1196.15", "%"), ("99.17", "分"),
            ("1033.09", "万元"), ("427.27", "万元"), ("145.49", "%"), ("1.20", "万元"),
            ("200.60", "万元"), ("-4.17", "万元")} <= values  # fmt: skip
    counts = [r for r in files["figures"] if r["unit_of_measure"] in ("辆", "个", "台")]
    assert counts
    assert all(r["value"] in ("0", "1") for r in counts)  # stored as 1.00


def test_a_stored_quality_finding_is_the_figures_reconciliation_result(files):
    figure = PublishedFigure.objects.get(
        section__slug="table-1", section__publication__kind="budget", row_label="本年收入合计",
        column="预算数",
    )  # fmt: skip
    figure.value += Decimal(5)
    figure.save()
    quality.store(figure.section.publication)
    downloads.build()
    rows = read("figures.csv")
    [row] = [
        r for r in rows
        if r["section"] == figure.section.code and r["publication"] == "budget"
        and r["row_label"] == "本年收入合计" and r["column"] == "预算数"
    ]  # fmt: skip
    assert row["reconciled"] == "true"
    assert row["finding"] == "mismatch"
    assert "由明细数据算得" in row["finding_message"]
    assert {r["finding"] for r in rows} <= {"", *SEVERITIES}
    assert set(SEVERITIES) == set(quality.SEVERITY_LABELS)


def test_drafts_leave_figures_csv(files):
    Publication.objects.filter(kind="final").update(status="draft")
    downloads.build()
    assert {row["publication"] for row in read("figures.csv")} == {"budget"}


def test_goals_project_texts_and_purchases_have_their_datasets(files):
    [unit_plan] = [
        r for r in files["performance_goals"] if r["record"] == "target" and r["scope"] == "unit"
    ]
    assert unit_plan["overall_goal"].startswith("长期目标（截止2026年）")
    assert unit_plan["long_term_deadline"] == "2026"
    assert unit_plan["source"] == "2024年预算 表11"
    results = [r for r in files["performance_goals"] if r["record"] == "result"]
    assert results
    assert all(r["filled_on"] == "2025-05-20" for r in results)
    [project] = files["project_details"]
    assert project["project_code"] == "42010022503T000000136"
    assert project["application_reason"].startswith("建立全市人力资源和社会保障政策法规信息库")
    assert project["implementation_plan"].startswith("以“接听及时")
    assert project["programme"] == "部门预算项目"
    assert project["end_year"] == ""
    assert len(files["procurement_items"]) == 3


def test_the_figures_api_lists_them_with_exact_values_and_json_booleans(client):
    body = client.get("/api/figures/", {"page_size": 1000}, **JSON).json()
    assert body["count"] == PublishedFigure.objects.count()
    mine = client.get("/api/figures/", {"unit": "503033"}, **JSON).json()
    assert mine["count"] == PublishedFigure.objects.filter(unit__code="503033").count()
    rate = next(f for f in body["results"] if f["value"] == "1196.15")
    assert rate["unit_of_measure"] == "%"
    assert rate["text"] == "1196.15%"
    assert rate["derived"] is False
    assert all(isinstance(f["reconciled"], bool) for f in body["results"])
    finals = client.get("/api/figures/", {"publication": "final", "year": 2024}, **JSON).json()
    assert (
        finals["count"]
        == PublishedFigure.objects.filter(section__publication__kind="final", year=2024).count()
    )
    assert client.get("/api/figures/", {"kind": "narrative"}, **JSON).json()["count"] > 0


@pytest.mark.parametrize(
    ("params", "name"),
    [({"year": "abc"}, "year"), ({"publication": "draft"}, "publication"), ({"x": "1"}, "x")],
)
def test_the_figures_api_refuses_bad_parameters_by_name(client, params, name):
    response = client.get("/api/figures/", params, **JSON)
    assert response.status_code == 400
    assert name in response.json()["parameters"]
    assert response.json()["detail"]


def test_the_figures_api_leaves_drafts_out(client):
    Publication.objects.filter(kind="final").update(status="draft")
    body = client.get("/api/figures/", {"page_size": 1000}, **JSON).json()
    assert {f["publication"] for f in body["results"]} == {"budget"}


@pytest.mark.parametrize("size", ["small", "tenfold"])
def test_the_figures_api_runs_a_fixed_number_of_queries(
    client, request, size, django_assert_num_queries
):
    if size == "tenfold":
        request.getfixturevalue("tenfold")
    with django_assert_num_queries(3):  # count, figures, their publications' stored checks
        body = client.get("/api/figures/", {"page_size": 1000}, **JSON).json()
    assert len(body["results"]) > 1


def test_the_schema_documents_the_figures_endpoint(client):
    schema = client.get("/api/schema/?format=json").json()
    parameters = {p["name"] for p in schema["paths"]["/api/figures/"]["get"]["parameters"]}
    assert {"year", "unit", "publication", "kind", "measure"} <= parameters
    fields = schema["components"]["schemas"]["Figure"]["properties"]
    assert fields["derived"]["type"] == "boolean"
