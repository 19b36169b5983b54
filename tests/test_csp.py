"""A Content-Security-Policy (django-csp) on every answer: pages, error pages, CSV files, bulk
downloads, the API and the admin. Scripts only from the site itself, no eval, no inline script;
no framing. (The browser tests run with it and listen for violations.)"""

import pytest
from django.core.management import call_command

from budgets.models import Publication, Unit
from tests.staff import staff_user

pytestmark = pytest.mark.django_db
YEAR = "/units/503033/2024/"


def policy(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def assert_strict(response):
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    # plotly.js writes <style> elements: inline styles only, never inline scripts.
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        YEAR,
        f"{YEAR}subjects/functional/2080199/",
        f"{YEAR}functional.csv",
        f"{YEAR}final/gk01.csv",
        "/data/browse.csv?stage=final",
        "/api/lines/?page_size=1",
        "/api/schema/",
        f"{YEAR}functional/?sort=bogus",  # 400
        "/units/999999/",  # 404
        "/admin/login/",
    ],
)
def test_every_answer_carries_the_policy(client, path):
    response = client.get(path, HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert response.status_code in (200, 400, 404)
    assert_strict(response)


def test_bulk_downloads_carry_the_policy(client):
    call_command("build_downloads", verbosity=0)
    assert_strict(client.get("/data/lines.csv"))
    assert_strict(client.get("/data/datapackage.json"))


def test_the_admin_and_its_import_page_carry_the_policy(client):
    department = Unit.objects.get(code="503")
    unit = Unit.objects.create(code="503099", name="另一个单位", parent=department)
    draft = Publication.objects.create(unit=unit, year=2024, kind="budget", title="草稿")
    client.force_login(staff_user("caiwu", "财务人员", "503099"))
    for path in (
        "/admin/",
        "/admin/budgets/fact/",
        f"/admin/budgets/publication/{draft.pk}/change/",
        f"/admin/budgets/publication/{draft.pk}/import/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict(response)
