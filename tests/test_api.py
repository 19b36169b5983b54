"""The read-only JSON API: filters, order, pages, decimal strings, errors, CORS, and conformance
to its own OpenAPI schema (schemathesis)."""

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from portal.wsgi import application

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def get(client, path, **params):
    response = client.get(path, params, **JSON)
    return response.status_code, response.json()


def test_api_root_lists_every_endpoint_and_the_schema(client):
    status, body = get(client, "/api/")
    assert status == 200
    assert {"units", "subjects", "lines", "projects", "indicator-targets",
            "indicator-results", "schema", "downloads"} <= set(body)  # fmt: skip


def test_lines_filter_by_year_stage_and_code_prefix_with_amounts_as_decimal_strings(client):
    status, body = get(
        client, "/api/lines/", year=2024, stage="final", direction="expenditure",
        breakdown="functional", code_prefix="20801",
    )  # fmt: skip
    assert status == 200
    assert [(r["subject_code"], r["expenditure_type"], r["amount"]) for r in body["results"]] == [
        ("2080150", "basic", "328.66"),
        ("2080199", "project", "306.12"),
    ]
    first = body["results"][0]
    assert [source["table"] for source in first["sources"]] == ["公开03", "公开05"]


def test_a_blank_amount_is_null_not_zero(client):
    _, body = get(client, "/api/lines/", stage="initial_budget", code="30202")
    assert [row["amount"] for row in body["results"]] == [None]


def test_the_functional_final_lines_add_up_to_732(client):
    _, body = get(client, "/api/lines/", year=2024, stage="final", direction="expenditure",
                  breakdown="functional", page_size=1000)  # fmt: skip
    from decimal import Decimal

    assert sum(Decimal(row["amount"]) for row in body["results"]) == Decimal("732.00")


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"year": "二〇二四"}, "year"),
        ({"stage": "planned"}, "stage"),
        ({"code_prefix": "20a"}, "code_prefix"),
        ({"unit": "503-033"}, "unit"),
        ({"breakdown": "both"}, "breakdown"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(client, params, parameter):
    status, body = get(client, "/api/lines/", **params)
    assert status == 400
    assert list(body) == [parameter]


@pytest.mark.parametrize(
    ("path", "params", "unknown"),
    [
        ("/api/lines/", {"unit_code": "999"}, ["unit_code"]),
        ("/api/lines/", {"ordering": "-amount"}, ["ordering"]),
        ("/api/lines/", {"year": "2024", "Year": "2023", "limit": "5"}, ["Year", "limit"]),
        ("/api/units/", {"unit": "503033"}, ["unit"]),
        ("/api/units/503033/", {"page": "2"}, ["page"]),
        ("/api/projects/", {"code": "x"}, ["code"]),
        ("/api/indicator-results/", {"horizon": "annual"}, ["horizon"]),
        ("/api/", {"q": "budget"}, ["q"]),
    ],
)
def test_an_unknown_parameter_is_a_400_naming_it_and_the_known_ones(client, path, params, unknown):
    status, body = get(client, path, **params)
    assert status == 400
    assert sorted(body) == unknown
    if path == "/api/lines/":
        assert "code_prefix" in body[unknown[0]][0]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/lines/", {"page": "1", "page_size": "5", "format": "json", "year": "2024"}),
        ("/api/units/", {"page": "1", "page_size": "5", "format": "json"}),
        ("/api/units/503033/", {"format": "json"}),
        ("/api/lines/", {"format": "api", "page": "2", "page_size": "5", "stage": "final"}),
        ("/api/", {"format": "json"}),
    ],
)
def test_paging_and_format_parameters_are_known_everywhere_they_apply(client, path, params):
    assert client.get(path, params).status_code == 200


def test_the_schema_documents_exactly_the_parameters_each_list_accepts(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path, operations in schema["paths"].items():
        if "{" in path:
            continue
        documented = {
            p["name"] for p in operations["get"].get("parameters", []) if p["in"] == "query"
        }
        # An empty value means "no filter" or "the default page" for every parameter.
        assert client.get(path, dict.fromkeys(documented, ""), **JSON).status_code == 200, path
        assert client.get(path, {"undocumented": ""}, **JSON).status_code == 400, path


def test_pages_are_bounded_and_ordered(client, tenfold):
    _, body = get(client, "/api/lines/", page_size=100000)
    assert body["count"] > 1000
    assert len(body["results"]) == 1000  # cut to the cap
    ids = [row["id"] for row in body["results"]]
    assert ids == sorted(ids)
    _, page = get(client, "/api/lines/", page_size=5, page=2)
    assert [row["id"] for row in page["results"]] == ids[5:10]
    status, _ = get(client, "/api/lines/", page=999)
    assert status == 404


def test_projects_units_subjects_and_indicators(client):
    _, projects = get(client, "/api/projects/")
    [project] = projects["results"]
    assert project["code"] == "42010022503T000000136"
    assert {(a["year"], a["stage"], a["amount"]) for a in project["amounts"]} >= {
        (2022, "initial_budget", "896.00"),
        (2024, "adjusted_budget", "337.12"),
        (2024, "final", "337.12"),
    }
    _, unit = get(client, "/api/units/503033/")
    assert unit["parent"] == "503"
    _, subjects = get(client, "/api/subjects/", scheme="functional", code_prefix="20801")
    assert [s["code"] for s in subjects["results"]] == ["20801", "2080150", "2080199"]
    _, results = get(client, "/api/indicator-results/", scope="project")
    scores = [r["score"] for r in results["results"]]
    assert scores[0] == "20.00"
    assert "29.17" in scores
    _, targets = get(client, "/api/indicator-targets/", horizon="annual", scope="unit")
    assert targets["results"][0]["prior_values"] == {"2022": "70人", "2023": "90人"}


def test_drafts_are_not_served(client):
    from budgets.models import Publication

    Publication.objects.update(status="draft")
    assert get(client, "/api/lines/")[1]["count"] == 0
    assert get(client, "/api/projects/")[1]["count"] == 0


def test_the_api_is_read_only_and_open_to_every_origin(client):
    assert client.post("/api/lines/", {}).status_code == 405
    response = client.get("/api/lines/", HTTP_ORIGIN="https://example.org", **JSON)
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_schema_is_served_at_a_fixed_address_and_linked_from_data(client):
    response = client.get("/api/schema/", **JSON)
    assert response.status_code == 200
    assert response.json()["info"]["version"] == "1.0.0"
    assert 'href="/api/schema/"' in client.get("/data/").content.decode()


def test_lines_list_runs_a_fixed_number_of_queries(client, tenfold, django_assert_num_queries):
    with django_assert_num_queries(3):
        get(client, "/api/lines/", page_size=1000)


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("/api/units/", 2),  # count, units with their parents
        ("/api/subjects/", 2),
        ("/api/projects/", 5),  # + amounts, subject links, their subjects
        ("/api/indicator-targets/", 3),  # + prior values
        ("/api/indicator-results/", 2),
    ],
)
def test_every_other_list_runs_a_fixed_number_of_queries(
    client, tenfold, django_assert_num_queries, path, queries
):
    with django_assert_num_queries(queries):
        _, body = get(client, path, page_size=1000)
    assert len(body["results"]) > 1


schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture
def wsgi_within_the_test_transaction():
    """Schemathesis calls the WSGI application itself; like Django's test client, keep the
    request signals from closing the test's database connection (PostgreSQL would lose the
    transaction the test runs in)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("PORTAL_SCHEMATHESIS_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_conforms_to_its_openapi_schema(case, wsgi_within_the_test_transaction):
    case.call_and_validate()
