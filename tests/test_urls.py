"""Addresses match unit codes, years, subject codes and names by their real shapes, and a NUL
byte (which PostgreSQL text cannot hold) never reaches a query: in the path it is a 404, in a
parameter a 400 naming it. These tests fail on PostgreSQL without the guards (DataError, 500)."""

import pytest
from django.urls import Resolver404, resolve

from tests.addresses import public_paths

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}

API_DETAILS = ["/api/units/503033/", "/api/projects/42010022503T000000136/", "/api/lines/1/"]


def with_nul_in_each_segment(path: str) -> list[str]:
    segments = path.split("/")
    return [
        "/".join([*segments[:i], segments[i] + "%00", *segments[i + 1 :]])
        for i in range(1, len(segments))
        if segments[i]
    ]


NUL_PATHS = sorted(
    {
        nul_path
        for path in public_paths() + API_DETAILS
        for nul_path in with_nul_in_each_segment(path)
    }
    | {"/units/%00/", "/units/%00/2024/", "/api/projects/%00/", "/api/units/%00/"}
)


@pytest.mark.parametrize("path", NUL_PATHS)
def test_a_nul_byte_anywhere_in_an_address_is_not_found(client, path):
    response = client.get(path, **JSON)
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/units/503033x/",
        "/units/503033\x00/2024/",
        "/units/五〇三/2024/",
        "/units/503033/24/",
        "/units/503033/20240/",
        "/units/503033/２０２４/",
        "/units/503033/2024/draft/",
        "/units/503033/2024/subjects/functional/2080/",
        "/units/503033/2024/subjects/functional/20801500/",
        "/units/503033/2024/subjects/functional/208O1/",
        "/units/503033/2024/subjects/other/208/",
        "/units/503033/2024/final/gk01\x00/",
        "/data/lines.exe",
        "/data/../settings.py",
        "/api/units/503-033/",
        "/api/units/503033\x00/",
        "/api/projects/T-1/",
        "/api/projects/\x00/",
        "/api/lines/x/",
    ],
)
def test_an_address_of_the_wrong_shape_matches_no_pattern(path):
    with pytest.raises(Resolver404):
        resolve(path)


@pytest.mark.parametrize(
    "path",
    [
        "/units/503033/",
        "/units/503033/2024/",
        "/units/503033/2024/subjects/economic/302/",
        "/units/503033/2024/subjects/functional/20801/",
        "/units/503033/2024/subjects/functional/2080150.csv",
        "/units/503033/2024/budget/explanation-5/",
        "/data/budget-data.xlsx",
        "/data/datapackage.json",
        "/api/projects/42010022503T000000136/",
    ],
)
def test_real_addresses_still_match(path):
    assert resolve(path)


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/units/503033/2024/functional/", "sort"),
        ("/data/browse/", "code"),
        ("/api/lines/", "unit"),
        ("/api/lines/", "ordering"),
        ("/api/units/503033/", "format"),
    ],
)
def test_a_nul_byte_in_a_parameter_is_a_400_naming_it(client, path, parameter):
    response = client.get(path, {parameter: "\x00"}, **JSON)
    assert response.status_code == 400
    assert parameter in response.content.decode()


@pytest.mark.parametrize(
    ("path", "params"),
    [
        (
            "/admin/autocomplete/",
            {"app_label": "budgets", "model_name": "publication", "field_name": "unit"},
        ),
        ("/admin/budgets/unit/", {}),
        ("/admin/budgets/fact/", {}),
    ],
)
@pytest.mark.parametrize("name", ["term", "q", "code"])
def test_a_nul_byte_in_an_admin_search_is_a_400_not_a_database_error(
    admin_client, path, params, name
):
    response = admin_client.get(path, {**params, name: "503\x00"})
    assert response.status_code == 400
    assert f"参数 {name}" in response.content.decode()


def test_a_session_cookie_with_a_nul_byte_is_ignored(client):
    # A quoted cookie may spell a NUL as the octal escape \000, which Django decodes.
    client.cookies.load('sessionid="abcdefgh\\000ijklmnop"')
    response = client.get("/admin/login/")
    assert response.status_code == 200
