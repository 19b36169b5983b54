"""The API's records of published publications beyond their lines: 三公 expenses, projects'
cost lines and purchases, corrections with the figures before and after, and each
publication's data-quality check; each against the 2024 publications of unit 503033, each
list in a fixed number of queries at two sizes."""

import pytest
from django.urls import reverse

from budgets import quality
from budgets.models import (
    Fact,
    Publication,
    QualityReport,
    ThreePublicExpense,
    Unit,
)
from tests.staff import fact_form, staff_user

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}
PROJECT = "42010022503T000000136"


def get(client, path, **params):
    response = client.get(path, params, **JSON)
    assert response["Content-Type"] == "application/json", path
    return response.status_code, response.json()


def test_three_public_expenses_are_the_printed_ones_by_item_and_stage(client):
    status, body = get(client, "/api/three-public/", year=2024, unit="503033")
    assert status == 200
    found = {(r["publication"], r["stage"], r["item"]): r["amount"] for r in body["results"]}
    # 表7 of the budget (total 1.20) and the final accounts' 三公 table (0.96 both stages).
    assert found[("budget", "initial_budget", "vehicle_running")] == "1.00"
    assert found[("budget", "initial_budget", "reception")] == "0.20"
    assert found[("final", "adjusted_budget", "vehicle_running")] == "0.96"
    assert found[("final", "final", "vehicle_running")] == "0.96"
    # Printed blank ("无支出决算数") is null, not 0.00.
    assert found[("final", "final", "reception")] is None
    assert len(found) == body["count"] == 12
    first = body["results"][0]
    assert first["item_name"] == "因公出国（境）费"


def test_three_public_filter_by_publication_stage_and_item(client):
    _, body = get(
        client, "/api/three-public/", publication="final", stage="final", item="reception"
    )
    assert [(r["publication"], r["stage"], r["item"]) for r in body["results"]] == [
        ("final", "final", "reception")
    ]


def test_cost_lines_and_purchases_are_the_project_tables_lines(client):
    status, body = get(client, "/api/cost-lines/", project=PROJECT, ordering="-amount")
    assert status == 200
    top = body["results"][0]
    assert (top["economic_name"], top["economic_code"], top["amount"]) == (
        "劳务费",
        "30226",
        "400.00",
    )
    assert top["table"] == "表12"
    assert top["publication"] == "budget"
    assert body["count"] == 8
    status, body = get(client, "/api/purchases/", year=2024, unit="503033")
    assert status == 200
    assert [(r["item"], r["quantity"], r["amount"]) for r in body["results"][:2]] == [
        ("劳务费", "1年", "400.00"),
        ("物业管理费", "1年", "20.00"),
    ]
    assert body["count"] == 3


@pytest.fixture
def checked():
    for publication in Publication.objects.all():
        quality.store(publication)


def test_quality_lists_what_each_publications_check_found(client, checked):
    status, body = get(client, "/api/quality/", year=2024, unit="503033", publication="final")
    assert status == 200
    [report] = body["results"]
    # What the quality page says (tests/test_views_quality.py).
    assert report["summary"] == "核对 288 项：不一致 5 处，尾差 0 处，提示 5 处"
    assert sum(report["checks"].values()) == 288
    messages = [finding["message"] for finding in report["findings"]]
    assert any("说明中为 96.8%，整体绩效自评表中实际完成值为 83.2%。" in m for m in messages)
    assert {f["severity"] for f in report["findings"]} == {"mismatch", "note"}


@pytest.fixture
def corrected(client):
    """Two corrections of the final accounts, made in the admin as staff make them."""
    client.force_login(staff_user("shenhe", "审核人员", "503033"))
    for code, amount, reason in (
        ("2080150", "328.67", "房租结算单据核对后调整"),
        ("2080199", "306.13", "项目支出核对后调整"),
    ):
        fact = Fact.objects.get(
            publication__kind="final", subject__code=code, stage="final", direction="expenditure"
        )
        data = fact_form(fact, amount=amount, correction_reason=reason)
        change = reverse("admin:budgets_fact_change", args=[fact.pk])
        assert client.post(change, data).status_code == 302
    client.logout()


def test_a_correction_shows_the_figure_before_and_after_its_date_and_reason(client, corrected):
    status, body = get(client, "/api/corrections/", year=2024, unit="503033")
    assert status == 200
    newest, oldest = body["results"]
    assert oldest["reason"] == "房租结算单据核对后调整"
    assert oldest["publication"] == "final"
    assert oldest["corrected_at"]
    assert "2080150" in oldest["record"]
    [amount] = [change for change in oldest["changes"] if change["field"].startswith("金额")]
    assert (amount["before"], amount["after"]) == ("328.66", "328.67")
    assert newest["reason"] == "项目支出核对后调整"
    status, detail = get(client, f"/api/corrections/{oldest['id']}/")
    assert (status, detail) == (200, oldest)
    _, earliest_first = get(client, "/api/corrections/", ordering="corrected_at")
    assert [r["id"] for r in earliest_first["results"]] == [oldest["id"], newest["id"]]
    assert get(client, "/api/corrections/", publication="budget")[1]["count"] == 0


def test_drafts_records_are_not_served(client, checked, corrected):
    Publication.objects.update(status="draft")
    for path in ("/api/three-public/", "/api/cost-lines/", "/api/purchases/", "/api/quality/",
                 "/api/corrections/"):  # fmt: skip
        assert get(client, path)[1]["count"] == 0, path


@pytest.fixture
def earlier_years(checked):
    """Nine more published budgets of 503033 (2015–2023), each with its 三公 rows and a
    quality report: ten times the 三公 and five times the reports."""
    unit = Unit.objects.get(code="503033")
    budget = Publication.objects.get(unit=unit, year=2024, kind="budget")
    rows = list(ThreePublicExpense.objects.filter(publication=budget))
    report = QualityReport.objects.get(publication=budget).report
    for year in range(2015, 2024):
        publication = Publication.objects.create(
            unit=unit, year=year, kind="budget", title=f"{year}年预算", status="published"
        )
        ThreePublicExpense.objects.bulk_create(
            ThreePublicExpense(
                publication=publication, unit=unit, stage=r.stage, kind=r.kind, amount=r.amount
            )
            for r in rows
        )
        QualityReport.objects.create(publication=publication, report=report)


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("/api/three-public/", 2),  # count, rows with their publication and unit
        ("/api/quality/", 2),
        ("/api/cost-lines/", 2),
        ("/api/purchases/", 2),
    ],
)
@pytest.mark.parametrize("size", ["small", "large"])
def test_every_list_runs_a_fixed_number_of_queries(
    client, request, checked, django_assert_num_queries, path, queries, size
):
    if size == "large":
        request.getfixturevalue("earlier_years")
        request.getfixturevalue("tenfold")
    with django_assert_num_queries(queries):
        status, body = get(client, path, page_size=1000)
    assert status == 200
    assert len(body["results"]) > (10 if size == "large" else 1)


@pytest.mark.parametrize("more", [False, True])
def test_corrections_run_the_same_queries_however_many(
    client, corrected, django_assert_num_queries, more
):
    if more:
        client.force_login(staff_user("fuhe", "审核人员", "503033"))
        for code, amount in (("2101199", "8.51"), ("2210201", "25.11")):
            fact = Fact.objects.get(
                publication__kind="final", subject__code=code, stage="final",
                direction="expenditure",
            )  # fmt: skip
            data = fact_form(fact, amount=amount, correction_reason=f"{code} 核对后调整")
            change = reverse("admin:budgets_fact_change", args=[fact.pk])
            assert client.post(change, data).status_code == 302
        client.logout()
    # Count, the page's corrections, and two for the kind of record they changed (facts).
    with django_assert_num_queries(4):
        _, body = get(client, "/api/corrections/")
    assert len(body["results"]) == (4 if more else 2)
