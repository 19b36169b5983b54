"""What every endpoint of the API shares: booleans are JSON booleans, every error is JSON with
a Chinese `detail` (unknown addresses under /api/ included), and every list offers a few named
orders, documented in the schema, any other being a 400."""

import re

import pytest

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def get(client, path, **params):
    response = client.get(path, params, **JSON)
    assert response["Content-Type"] == "application/json", path
    return response.status_code, response.json()


def list_paths(client) -> list[str]:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    return [path for path in schema["paths"] if "{" not in path and path != "/api/totals/"]


def values(tree):
    if isinstance(tree, dict):
        for value in tree.values():
            yield from values(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from values(value)
    else:
        yield tree


def test_no_answer_writes_a_boolean_as_a_string(client):
    for path in list_paths(client):
        _, body = get(client, path, page_size=1000)
        assert not {"true", "false", "True", "False"} & {
            v for v in values(body) if isinstance(v, str)
        }, path


def test_a_projects_inferred_subject_is_a_boolean(client):
    _, body = get(client, "/api/projects/")
    links = body["results"][0]["functional_codes"]
    assert links
    assert all(link["inferred"] is True for link in links)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    inferred = schema["components"]["schemas"]["FunctionalCode"]["properties"]["inferred"]
    assert inferred["type"] == "boolean"


def test_an_indicator_result_met_is_a_boolean_or_null(client):
    _, body = get(client, "/api/indicator-results/", page_size=1000)
    assert {type(row["met"]) for row in body["results"]} <= {bool, type(None)}


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/nothing/", 404),  # outside the API's routes
        ("/api/lines/x/", 404),  # no such shape of id
        ("/api/lines/999999999/", 404),  # no such line
        ("/api/units/999999/", 404),
        ("/api/corrections/999999/", 404),
        ("/api/projects/?page=99", 404),
        ("/api/units/?format=xml", 404),
        ("/api/lines/?year=abc", 400),
        ("/api/quality/?nothing=1", 400),
        ("/api/three-public/?ordering=name", 400),
    ],
)
def test_every_error_is_json_with_a_chinese_detail(client, path, status):
    response = client.get(path, **JSON)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert CHINESE.search(response.json()["detail"]), response.json()


def test_a_method_other_than_get_is_a_json_405_in_chinese(client):
    response = client.post("/api/totals/", {}, **JSON)
    assert response.status_code == 405
    assert CHINESE.search(response.json()["detail"])


def test_the_schema_documents_json_errors_with_a_detail(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path, operations in schema["paths"].items():
        for status in ("400", "404"):
            body = operations["get"]["responses"][status]["content"]["application/json"]
            assert body["schema"]["required"] == ["detail"], (path, status)


def orderings(client) -> dict[str, list[str]]:
    """{list address: the orders its schema offers}."""
    schema = client.get("/api/schema/", {"format": "json"}).json()
    found = {}
    for path, operations in schema["paths"].items():
        for parameter in operations["get"].get("parameters", []):
            if parameter["name"] == "ordering":
                found[path] = [name for name in parameter["schema"]["enum"] if name]
    return found


def test_every_list_offers_orders_and_documents_them(client):
    offered = orderings(client)
    assert set(offered) == set(list_paths(client))
    for path, names in offered.items():
        for name in names:
            status, body = get(client, path, ordering=name, page_size=5)
            assert status == 200, (path, name)
        status, body = get(client, path, ordering="no_such_order")
        assert status == 400
        assert list(body["parameters"]) == ["ordering"]
        assert names[0] in body["parameters"]["ordering"][0]


@pytest.mark.parametrize(
    ("path", "ordering", "key"),
    [
        ("/api/units/", "-code", "code"),
        ("/api/subjects/", "code", "code"),
        ("/api/three-public/", "-amount", "amount"),
        ("/api/cost-lines/", "amount", "amount"),
        ("/api/purchases/", "-amount", "amount"),
    ],
)
def test_a_list_comes_in_the_order_asked(client, path, ordering, key):
    from decimal import Decimal

    _, body = get(client, path, ordering=ordering, page_size=1000)
    column = [row[key] for row in body["results"]]
    present = [Decimal(v) if key == "amount" else v for v in column if v is not None]
    assert len(set(present)) > 1
    assert present == sorted(present, reverse=ordering.startswith("-"))
    # Blank amounts last both ways.
    assert column[len(present) :] == [None] * (len(column) - len(present))


@pytest.mark.parametrize(("params", "name"), [({}, "yaml"), ({"format": "json"}, "json")])
def test_the_schema_is_sent_under_an_ascii_file_name(client, params, name):
    response = client.get("/api/schema/", params)
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition == f'inline; filename="open-budget-portal-api.{name}"'
