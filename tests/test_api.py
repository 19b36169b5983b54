"""The read-only JSON API: filters, order, pages, decimal strings, errors, CORS, and conformance
to its own OpenAPI schema (schemathesis)."""

import base64
import os
from decimal import Decimal

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from budgets import open_lines
from budgets.keyset import Cursor
from budgets.models import OpenLine
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
    assert list(body["parameters"]) == [parameter]
    assert f"参数 {parameter}：" in body["detail"]


@pytest.mark.parametrize(
    ("path", "params", "unknown"),
    [
        ("/api/lines/", {"unit_code": "999"}, ["unit_code"]),
        ("/api/lines/", {"page": "2"}, ["page"]),
        ("/api/lines/", {"sort": "-amount"}, ["sort"]),
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
    assert sorted(body["parameters"]) == unknown
    assert "未知参数" in body["detail"]
    if path == "/api/lines/":
        assert "code_prefix" in body["parameters"][unknown[0]][0]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/lines/", {"cursor": "", "page_size": "5", "format": "json", "year": "2024"}),
        ("/api/lines/", {"ordering": "-amount", "page_size": "5", "format": "json"}),
        ("/api/units/", {"page": "1", "page_size": "5", "format": "json"}),
        ("/api/units/503033/", {"format": "json"}),
        ("/api/lines/", {"format": "api", "page_size": "5", "stage": "final"}),
        ("/api/", {"format": "json"}),
    ],
)
def test_paging_and_format_parameters_are_known_everywhere_they_apply(client, path, params):
    assert client.get(path, params).status_code == 200


REQUIRED = {"year": "2024", "breakdown": "functional"}


def test_the_schema_documents_exactly_the_parameters_each_list_accepts(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path, operations in schema["paths"].items():
        if "{" in path:
            continue
        query = [p for p in operations["get"].get("parameters", []) if p["in"] == "query"]
        # An empty value means "no filter" or "the default page" for every parameter that is
        # not required (the totals' year and breakdown are).
        params = {p["name"]: REQUIRED[p["name"]] if p.get("required") else "" for p in query}
        assert client.get(path, params, **JSON).status_code == 200, path
        assert client.get(path, {"undocumented": ""}, **JSON).status_code == 400, path


@pytest.fixture
def many_lines(tenfold):
    """Ten times the lines of 503033's 2024 in the open lines, too."""
    open_lines.refresh_all()


def every_line(client, **params) -> list[dict]:
    """Every line of a list, page after page through the `next` links."""
    _, body = get(client, "/api/lines/", **params)
    found = body["results"]
    while body["next"] is not None:
        body = client.get(body["next"], **JSON).json()
        found += body["results"]
    return found


def test_pages_are_bounded_ordered_and_never_counted(client, many_lines):
    _, body = get(client, "/api/lines/", page_size=100000)
    assert set(body) == {"next", "previous", "results"}
    assert body["previous"] is None
    assert len(body["results"]) == 1000  # cut to the cap
    ids = [row["id"] for row in body["results"]]
    assert ids == sorted(ids)
    rest = client.get(body["next"], **JSON).json()["results"]
    assert min(row["id"] for row in rest) > ids[-1]
    _, page = get(client, "/api/lines/", page_size=5)
    following = client.get(page["next"], **JSON).json()
    assert [row["id"] for row in following["results"]] == ids[5:10]
    back = client.get(following["previous"], **JSON).json()
    assert [row["id"] for row in back["results"]] == ids[:5]
    assert back["previous"] is None


def parse_qs(address: str) -> dict:
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(address).query))


@pytest.mark.parametrize("ordering", ["pk", "amount", "-amount", "year", "-year"])
def test_following_next_visits_every_line_once_in_the_order_asked(client, many_lines, ordering):
    paged = every_line(client, ordering=ordering, page_size=97)
    ids = [row["id"] for row in paged]
    assert len(ids) == len(set(ids)) == OpenLine.objects.count() > 1000
    if ordering.endswith("amount"):
        amounts = [None if row["amount"] is None else Decimal(row["amount"]) for row in paged]
        present = [value for value in amounts if value is not None]
        # Blanks come last both ways; ties in the key's order.
        assert amounts == present + [None] * (len(amounts) - len(present))
        assert present == sorted(present, reverse=ordering.startswith("-"))
        assert len(present) < len(amounts)
    else:
        key = "id" if ordering == "pk" else "year"
        values = [(row[key], row["id"]) for row in paged]
        assert values == sorted(values, reverse=ordering.startswith("-"))


def test_a_unit_prefix_pages_in_the_key_order_whichever_way_it_is_read(
    client, many_lines, monkeypatch
):
    from budgets import filters

    narrow = [row["id"] for row in every_line(client, unit_prefix="503", page_size=50)]
    monkeypatch.setattr(filters, "NARROW_UNIT_PREFIX", 0)
    walked = [row["id"] for row in every_line(client, unit_prefix="503", page_size=50)]
    expected = OpenLine.objects.filter(unit_code__startswith="503").order_by("pk")
    assert narrow == walked == list(expected.values_list("pk", flat=True))
    assert len(narrow) > 1000


@pytest.mark.parametrize(
    "ordering", ["unit_code", "stage", "-pk", "amount,pk", "id", " amount", "AMOUNT"]
)
def test_only_the_indexed_orders_are_offered(client, ordering):
    status, body = get(client, "/api/lines/", ordering=ordering)
    assert status == 400
    assert list(body["parameters"]) == ["ordering"]
    assert "-amount" in body["parameters"]["ordering"][0]


@pytest.mark.parametrize(
    "cursor",
    [
        "x",
        "cGt-bn5-MTAw=",  # padding is never written
        base64.urlsafe_b64encode(b"pk~n~~-1").decode(),
        base64.urlsafe_b64encode(b"pk~n~5~1").decode(),  # a value in the key's order
        base64.urlsafe_b64encode(b"amount~n~~1").decode(),  # no value in the amount order
        base64.urlsafe_b64encode(b"pk~n~~99999999999999999999").decode(),
        base64.urlsafe_b64encode("pk~n~~1２".encode()).decode(),
        "a" * 500,
    ],
)
def test_a_malformed_cursor_is_a_404_with_a_message(client, cursor):
    status, body = get(client, "/api/lines/", cursor=cursor)
    assert status == 404
    assert "cursor" in body["detail"]


def test_a_cursor_of_another_order_or_past_the_end_is_a_404(client):
    _, body = get(client, "/api/lines/", page_size=5)
    cursor = parse_qs(body["next"])["cursor"]
    assert get(client, "/api/lines/", cursor=cursor)[0] == 200
    assert get(client, "/api/lines/", cursor=cursor, ordering="-amount")[0] == 404
    last = OpenLine.objects.order_by("pk").last().pk
    status, body = get(client, "/api/lines/", cursor=Cursor("pk", False, None, last).encode())
    assert status == 404
    assert "最后一条" in body["detail"]


def test_a_deep_page_is_one_query_like_the_first(client, many_lines, django_assert_num_queries):
    lines = list(OpenLine.objects.order_by("-amount", "pk").values_list("amount", "pk"))
    amount, key = next((a, k) for a, k in lines[700:] if a is not None)
    stored = int(amount * 10_000)
    deep = Cursor("-amount", False, stored, key).encode()
    with django_assert_num_queries(1):  # the page's records, sources in them
        status, body = get(client, "/api/lines/", ordering="-amount", cursor=deep, page_size=5)
    assert status == 200
    assert all(Decimal(row["amount"]) <= amount for row in body["results"] if row["amount"])


def test_a_line_names_its_own_units_project(client):
    status, body = get(client, "/api/lines/", stage="final", direction="expenditure",
                       expenditure_type="project", code="2080199")  # fmt: skip
    assert status == 200
    assert [(row["subject_code"], row["project_code"]) for row in body["results"]] == [
        ("2080199", "42010022503T000000136")
    ]
    line = body["results"][0]
    status, detail = get(client, f"/api/lines/{line['id']}/")
    assert status == 200
    assert detail == line
    assert detail["sources"]


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
    open_lines.refresh(Publication.objects.all())  # what unpublishing does
    assert get(client, "/api/lines/")[1]["results"] == []
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


@pytest.mark.parametrize("size", ["small", "tenfold"])
def test_lines_list_runs_a_fixed_number_of_queries(
    client, request, size, django_assert_num_queries
):
    if size == "tenfold":
        request.getfixturevalue("many_lines")
    # One page of the lines' records (their sources in them), at any depth, in any order; no
    # count. DRF's own answer (indented here) reads the columns, then the sources.
    for params in ({"page_size": 1000}, {"ordering": "-amount", "year": 2024}):
        with django_assert_num_queries(1):
            _, body = get(client, "/api/lines/", **params)
        with django_assert_num_queries(2):
            client.get("/api/lines/", params, HTTP_ACCEPT="application/json; indent=2")
    assert body["results"]
    with django_assert_num_queries(1):
        client.get(body["next"], **JSON)


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


def test_a_blank_project_code_is_refused_not_read_as_no_filter(client):
    response = client.get("/api/cost-lines/", {"project": " "})
    assert response.status_code == 400
    assert "project" in response.json()["parameters"]
