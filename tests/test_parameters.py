"""Whole numbers in the address (page, per_page, page_size, year) are ASCII digits only, on the
API, the table pages and the lines browser: anything else is a 400 naming the parameter."""

import pytest

from budgets.parameters import whole_number

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}

NOT_ASCII_NUMBERS = [
    "²",  # superscript two: str.isdigit() is true, int() refuses it
    "¹",
    "①",
    "٢",  # Arabic-Indic two: int() reads it as 2
    "٢٠٢٤",
    "２０２４",  # full-width
    "9" * 4301,  # past int()'s 4,300-digit limit
    "9" * 10,
    " 5",
    "5 ",
    "+5",
    "-1",
    "1.0",
    "1e3",
    "0x10",
    "1_000",
]
API_LISTS = [
    "/api/units/",
    "/api/subjects/",
    "/api/lines/",
    "/api/projects/",
    "/api/indicator-targets/",
    "/api/indicator-results/",
    "/api/three-public/",
    "/api/cost-lines/",
    "/api/purchases/",
    "/api/corrections/",
    "/api/quality/",
]


@pytest.mark.parametrize("raw", NOT_ASCII_NUMBERS)
def test_only_ascii_digits_are_a_whole_number(raw):
    assert whole_number(raw) is None


def test_ascii_digits_are_a_whole_number():
    assert whole_number("2024") == 2024
    assert whole_number("007") == 7


@pytest.mark.parametrize("path", API_LISTS)
@pytest.mark.parametrize("parameter", ["page_size", "page"])
@pytest.mark.parametrize("raw", ["²", "¹", "①", "٢", "9" * 4301])
def test_every_api_list_refuses_a_page_that_is_not_ascii_digits_by_name(
    client, path, parameter, raw
):
    response = client.get(path, {parameter: raw}, **JSON)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()["parameters"]) == [parameter]


@pytest.mark.parametrize(
    "path",
    [
        "/api/subjects/",
        "/api/lines/",
        "/api/projects/",
        "/api/indicator-results/",
        "/api/three-public/",
        "/api/quality/",
        "/api/totals/",
    ],
)
@pytest.mark.parametrize("raw", ["٢٠٢٤", "２０２４", "2024.0", "²⁰²⁴"])
def test_the_api_year_filter_refuses_digits_that_are_not_ascii(client, path, raw):
    required = {"breakdown": "functional"} if path == "/api/totals/" else {}
    response = client.get(path, {"year": raw, **required}, **JSON)
    assert response.status_code == 400
    assert list(response.json()["parameters"]) == ["year"]


def test_an_ascii_year_and_page_still_filter(client):
    response = client.get("/api/lines/", {"year": "2024", "page_size": "5"}, **JSON)
    assert response.status_code == 200
    assert [row["year"] for row in response.json()["results"]] == [2024] * 5


@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        ("/units/503033/2024/functional/", {"page": "٢"}, "page"),
        ("/units/503033/2024/functional/", {"per_page": "²"}, "per_page"),
        ("/units/503033/2024/economic/", {"per_page": "9" * 4301}, "per_page"),
        ("/units/503033/2024/", {"page": "①"}, "page"),
        ("/data/browse/", {"year": "٢٠٢٤"}, "year"),
        ("/data/browse/", {"page": "２"}, "page"),
        ("/data/browse.csv", {"year": "２０２４"}, "year"),
    ],
)
def test_pages_refuse_digits_that_are_not_ascii_by_name(client, path, params, name):
    response = client.get(path, params)
    assert response.status_code == 400
    assert f"参数 {name}" in response.content.decode()


def test_an_unexpected_error_in_the_api_is_a_json_500(client, monkeypatch):
    from budgets.api import UnitViewSet

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("a defect")

    monkeypatch.setattr(UnitViewSet, "list", broken)
    client.raise_request_exception = False
    response = client.get("/api/units/", **JSON)
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "服务器出错，请稍后再试。"}
