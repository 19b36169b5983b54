"""Every error the portal answers is its own page in Chinese with a way back: a method other
than GET or HEAD on a public page (405, not a CSRF 403), a failed CSRF check, a refused
permission, and an error while a streamed CSV starts (not gunicorn's English page)."""

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

from budgets.models import Publication
from tests.addresses import public_paths
from tests.staff import staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client():
    """A client that is checked for CSRF tokens as a browser is."""
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize("path", public_paths(read_only=True))
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_a_public_page_answers_only_get_and_head_with_a_405_in_chinese(strict_client, path, method):
    response = getattr(strict_client, method)(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    html = response.content.decode()
    assert "只能浏览" in html
    assert f'href="{path}"' in html


@pytest.mark.parametrize("path", ["/", "/units/503033/2024/", "/data/browse.csv"])
def test_get_and_head_still_answer_with_enforced_csrf_checks(strict_client, path):
    assert strict_client.get(path).status_code == 200
    assert strict_client.head(path).status_code == 200


def test_a_failed_csrf_check_is_explained_in_chinese_with_a_way_back(strict_client):
    login = reverse("admin:login")
    response = strict_client.post(login, {"username": "someone", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert 'lang="zh-Hans"' in html
    assert "安全校验" in html
    assert f'href="{login}"' in html
    assert "Forbidden" not in html


def test_a_refused_import_is_a_403_in_chinese_with_a_way_back(client):
    client.force_login(staff_user("finance", "财务人员", "503033"))
    publication = Publication.objects.get(unit__code="503033", year=2024, kind="budget")
    response = client.get(reverse("admin:budgets_publication_import", args=[publication.pk]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "没有权限" in html
    assert "只能向草稿导入表格" in html
    assert f'href="{reverse("admin:index")}"' in html
    assert "403 Forbidden" not in html


def test_a_403_under_the_api_is_json(rf):
    from django.core.exceptions import PermissionDenied

    from budgets.views import permission_denied

    response = permission_denied(rf.get("/api/lines/"), PermissionDenied())
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"


def _failing_rows(*args, **kwargs):
    """Rows whose query fails when the stream starts, as a lost connection would fail it (a
    statement timeout is a 503 of its own, below)."""
    raise DatabaseError("canceling statement due to statement timeout")
    yield  # a generator: nothing runs until the response is iterated


def test_an_error_when_a_csv_starts_streaming_is_the_portals_500_page(client, monkeypatch):
    monkeypatch.setattr("budgets.views.lines_csv.csv_chunks", _failing_rows)
    client.raise_request_exception = False
    response = client.get("/data/browse.csv", {"stage": "final"})
    assert response.status_code == 500
    assert "服务器出了点问题" in response.content.decode()


def test_an_address_that_matches_no_route_says_so_without_listing_the_routes(client):
    response = client.get("/units/503033/2024/9999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "没有找到这个页面" in html
    assert "URLPattern" not in html
    assert "urls.py" not in html


class _Cancelled(Exception):
    """What psycopg raises for a statement PostgreSQL cancelled (SQLSTATE 57014)."""

    class diag:  # psycopg's name
        sqlstate = "57014"


def _timed_out_rows(lines, **kwargs):
    raise DatabaseError("canceling statement due to statement timeout") from _Cancelled()
    yield


def test_a_query_past_the_statement_timeout_is_a_503_that_says_so(client, monkeypatch):
    monkeypatch.setattr("budgets.views.lines_csv.csv_chunks", _timed_out_rows)
    client.raise_request_exception = False
    response = client.get("/data/browse.csv", {"stage": "final"}, HTTP_REFERER="/data/browse/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "查询用时过长，已被中止" in html
    assert 'href="/data/browse/"' in html
    english = client.get("/en/data/browse.csv", {"stage": "final"})
    assert "took too long" in english.content.decode()


@pytest.fixture
def lines_locked(settings):
    """Another session holds the open lines' table locked (a migration, a VACUUM FULL), and this
    one has a statement timeout of 300 ms, as the web processes have theirs (portal/wsgi.py)."""
    from django.db import connection

    from budgets.models import OpenLine

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's statement timeout")
    other = connection.get_new_connection(connection.get_connection_params())
    other.execute("SET lock_timeout = '5s'")
    other.execute(f"LOCK TABLE {OpenLine._meta.db_table} IN ACCESS EXCLUSIVE MODE")
    settings.DB_STATEMENT_TIMEOUT_MS = 300  # the streams' lock_timeout
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 300")
    yield
    other.rollback()
    other.close()


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/data/browse/?year=2024", "text/html"),
        ("/data/browse.csv?year=2024", "text/html"),
        ("/api/lines/?year=2024", "application/json"),
    ],
)
def test_a_page_waiting_on_a_lock_past_the_timeout_is_a_503_not_a_hang(
    client, lines_locked, path, content_type
):
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == 503
    assert response["Content-Type"].startswith(content_type)
    text = response.json()["detail"] if "json" in content_type else response.content.decode()
    assert "查询用时过长" in text
