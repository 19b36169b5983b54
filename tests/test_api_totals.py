"""/api/totals/: sums of the published lines by code at a level (类、款、项) and stage, as the
publications print them; functional and economic never added together."""

from decimal import Decimal

import pytest

from budgets.models import PublishedFigure

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}
UNIT_2024 = {"year": 2024, "unit": "503033"}


def totals(client, **params):
    response = client.get("/api/totals/", params, **JSON)
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def printed(code: str, stage: str) -> Decimal:
    """The figure of `code` at `stage` as the functional tables print it."""
    values = set(
        PublishedFigure.objects.filter(
            year=2024, scheme="functional", subject_code=code, stage=stage,
            measure="expenditure", expenditure_type="",
        ).values_list("value", flat=True)
    )  # fmt: skip
    [value] = values
    return value


def test_a_class_total_is_its_printed_figure(client):
    status, body = totals(client, **UNIT_2024, breakdown="functional", level="class", stage="final")
    assert status == 200
    found = {row["code"]: row for row in body["results"]}
    assert Decimal(found["208"]["amount"]) == printed("208", "final") == Decimal("688.35")
    assert found["208"]["name"] == "社会保障和就业支出"
    assert found["208"]["lines"] > 1  # only 项 are stored: 208 is their sum
    assert {row["stage"] for row in body["results"]} == {"final"}
    assert (body["breakdown"], body["level"], body["unit"]) == ("functional", "class", "503033")


def test_code_208_sums_its_items_at_every_stage(client):
    _, body = totals(client, **UNIT_2024, breakdown="functional", code="208")
    found = {(row["code"], row["stage"]): Decimal(row["amount"]) for row in body["results"]}
    assert found == {
        ("208", "initial_budget"): printed("208", "initial_budget"),
        ("208", "final"): printed("208", "final"),
    }
    assert found[("208", "initial_budget")] == Decimal("674.79")


def test_sections_under_a_class(client):
    _, body = totals(client, **UNIT_2024, breakdown="functional", level="section", code="208",
                     stage="final")  # fmt: skip
    found = {row["code"]: Decimal(row["amount"]) for row in body["results"]}
    assert found["20801"] == printed("20801", "final") == Decimal("634.78")
    assert all(code.startswith("208") and len(code) == 5 for code in found)
    assert sum(found.values()) == Decimal("688.35")


def test_the_functional_classes_add_up_to_the_printed_total(client):
    _, body = totals(client, **UNIT_2024, breakdown="functional", stage="final")
    assert sum(Decimal(row["amount"]) for row in body["results"]) == Decimal("732.00")


def test_the_economic_breakdown_is_summed_on_its_own(client):
    _, body = totals(client, **UNIT_2024, breakdown="economic", stage="final")
    codes = {row["code"] for row in body["results"]}
    assert {"301", "302"} <= codes
    assert not codes & {"208", "210", "221"}
    # The economic classification has no 项: its finest level is 款.
    _, items = totals(client, **UNIT_2024, breakdown="economic", level="item", stage="final")
    assert items["level"] == "section"
    assert {len(row["code"]) for row in items["results"]} == {5}


def test_a_code_finer_than_the_level_is_summed_at_its_own_level(client):
    _, body = totals(client, **UNIT_2024, breakdown="functional", level="class", code="20801",
                     stage="final")  # fmt: skip
    assert body["level"] == "section"
    assert [(row["code"], row["amount"]) for row in body["results"]] == [("20801", "634.78")]


def test_without_a_unit_the_year_of_every_published_unit_is_summed(client):
    _, body = totals(client, year=2024, breakdown="functional", code="208", stage="final")
    assert [(row["code"], row["amount"]) for row in body["results"]] == [("208", "688.35")]
    assert body["unit"] is None


@pytest.mark.parametrize(
    ("params", "parameters"),
    [
        ({"year": 2024}, ["breakdown"]),
        ({"year": 2024, "breakdown": "both"}, ["breakdown"]),
        ({"breakdown": "functional"}, ["year"]),
        ({"year": 2024, "breakdown": "functional", "level": "类"}, ["level"]),
        ({"year": 2024, "breakdown": "functional", "code": "20a"}, ["code"]),
        ({"year": 2024, "breakdown": "functional", "stage": "planned"}, ["stage"]),
        ({"year": 2024, "breakdown": "functional", "scheme": "functional"}, ["scheme"]),
    ],
)
def test_a_missing_or_bad_parameter_is_a_400_naming_it(client, params, parameters):
    status, body = totals(client, **params)
    assert status == 400
    assert sorted(body["parameters"]) == parameters
    assert f"参数 {parameters[0]}：" in body["detail"]


def test_without_a_breakdown_the_answer_explains_why(client):
    _, body = totals(client, year=2024)
    assert "不能相加" in body["detail"]


def test_drafts_are_not_summed(client):
    from budgets.models import Publication

    Publication.objects.update(status="draft")
    _, body = totals(client, **UNIT_2024, breakdown="functional")
    assert body["results"] == []


@pytest.mark.parametrize("size", ["small", "tenfold"])
def test_totals_run_two_queries_whatever_the_size(client, request, size, django_assert_num_queries):
    if size == "tenfold":
        request.getfixturevalue("tenfold")
    # The sums, and the names of their codes.
    with django_assert_num_queries(2):
        _, body = totals(client, **UNIT_2024, breakdown="functional", level="item")
    assert len(body["results"]) > (100 if size == "tenfold" else 10)
