"""The full-page cache of the public pages (budgets/page_cache.py): a second anonymous visit is
served from the cache, a correction is seen on the very next request, staff always see the
database, and no two addresses or languages share an entry."""

import gzip
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import resolve, reverse

from budgets import page_cache
from budgets.models import DataVersion, Fact, Subject, Unit
from tests.helpers import new_process_settings
from tests.staff import fact_form, staff_user

pytestmark = pytest.mark.django_db

FUNCTIONAL = "/units/503033/2024/functional/"


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60
    caches[page_cache.CACHE_ALIAS].clear()
    yield
    caches[page_cache.CACHE_ALIAS].clear()


def version():
    return DataVersion.objects.get().version


def correct(client, code: str, amount: str, reason: str) -> None:
    """A correction of a published final figure in the admin, as a reviewer makes it."""
    fact = Fact.objects.get(
        publication__kind="final", subject__code=code, stage="final", direction="expenditure"
    )
    client.force_login(staff_user(f"shenhe-{code}", "审核人员", "503033"))
    data = fact_form(fact, amount=amount, correction_reason=reason)
    response = client.post(reverse("admin:budgets_fact_change", args=[fact.pk]), data)
    assert response.status_code == 302
    client.logout()


def test_a_second_anonymous_request_is_served_from_the_cache_with_one_query(
    client, page_cache_on, django_assert_max_num_queries
):
    first = client.get(FUNCTIONAL)
    assert first["X-Cache"] == "miss"
    with django_assert_max_num_queries(1):  # the data version, nothing else
        second = client.get(FUNCTIONAL)
    assert second["X-Cache"] == "hit"
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # The headers added outside the cache are there on a hit too.
    assert "Content-Security-Policy" in second
    assert second["X-Frame-Options"] == "DENY"
    assert client.head(FUNCTIONAL)["X-Cache"] == "hit"


def test_a_correction_is_visible_on_the_next_anonymous_request(client, page_cache_on):
    before = client.get(FUNCTIONAL)
    assert "328.66" in before.content.decode()
    assert client.get(FUNCTIONAL)["X-Cache"] == "hit"
    correct(client, "2080150", "328.67", "房租结算单据核对后调整")
    after = client.get(FUNCTIONAL)
    assert after["X-Cache"] == "miss"
    html = after.content.decode()
    assert "328.67" in html
    assert "房租结算单据核对后调整" in html


def test_staff_see_the_database_and_never_fill_the_cache(client, page_cache_on):
    client.force_login(staff_user("shenhe", "审核人员", "503033"))
    staff_page = client.get(FUNCTIONAL)
    assert staff_page["X-Cache"] == "bypass"
    assert "private" in staff_page["Cache-Control"]
    client.logout()
    assert client.get(FUNCTIONAL)["X-Cache"] == "miss"  # the staff visit stored nothing
    # A change that announces nothing (no signal, no bump): anonymous visitors get the page as
    # cached, staff the figures as they are.
    Fact.objects.filter(
        publication__kind="final", subject__code="2080150", stage="final", direction="expenditure"
    ).update(amount="400.01")
    assert "400.01" not in client.get(FUNCTIONAL).content.decode()
    client.force_login(staff_user("fuhe", "审核人员", "503033"))
    assert "400.01" in client.get(FUNCTIONAL).content.decode()


def test_a_session_cookie_alone_bypasses_the_cache(client, page_cache_on):
    client.get(FUNCTIONAL)
    client.cookies["sessionid"] = "anything"
    assert client.get(FUNCTIONAL)["X-Cache"] == "bypass"


def test_addresses_and_languages_never_share_an_entry(client, page_cache_on, settings):
    settings.LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
    call_command("generate_city", "--departments=30", "--units=60", "--years=2", stdout=StringIO())
    addresses = ["/", "/?page=2", "/?page=2&sort=-final", "/?sort=-final&page=2", "/?year=2023"]
    pages = {}
    for address in addresses:
        response = client.get(address)
        assert response["X-Cache"] == "miss", address
        pages[address] = response.content
    assert len(set(pages.values())) >= 4  # the two orders of the same parameters may agree
    for address in addresses:
        response = client.get(address)
        assert response["X-Cache"] == "hit", address
        assert response.content == pages[address]
    english = client.get("/en/")
    assert english["X-Cache"] == "miss"
    assert english["Content-Language"] == "en"
    assert client.get("/en/")["X-Cache"] == "hit"
    # The language is the path's: Accept-Language changes nothing, the Chinese entry serves.
    chinese = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert chinese["X-Cache"] == "hit"
    assert chinese["Content-Language"] == "zh-hans"
    assert chinese.content == pages["/"]


def test_a_version_changed_by_another_process_is_seen_at_once(client, page_cache_on):
    # Another worker's locmem cache is not this one's: the version is read from the database.
    client.get(FUNCTIONAL)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE budgets_dataversion SET version = version + 1")
    assert client.get(FUNCTIONAL)["X-Cache"] == "miss"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a libpq prepared statement")
def test_the_version_query_is_also_the_health_check_and_survives_a_lost_connection():
    # A connection of its own, outside the test's transaction, as a worker's between requests.
    worker = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        expected = page_cache._read_version(worker)
        assert expected is not None
        worker.health_check_done = False  # a new request on a kept connection
        assert page_cache.current_version(worker) == expected
        assert worker.health_check_done  # Django sends no SELECT 1 before the next query
        with worker.cursor() as cursor:
            cursor.execute("SELECT name FROM pg_prepared_statements")
            assert (page_cache.STATEMENT.decode(),) in cursor.fetchall()
            cursor.execute("DEALLOCATE ALL")  # what a pooler's reset does
        assert page_cache.current_version(worker) == expected
        # The server dropped the connection (a restart, a failover): a new one answers.
        lost = worker.connection.info.backend_pid
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [lost])
        assert page_cache.current_version(worker) == expected
        assert worker.connection.info.backend_pid != lost
    finally:
        worker.close()


def test_the_admin_and_the_api_schema_do_not_even_read_the_version(
    client, page_cache_on, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert client.get("/admin/login/").status_code == 200
    for _ in range(2):
        assert "X-Cache" not in client.get("/api/schema/")


LINES_API = "/api/lines/?year=2024&stage=final&page_size=5"


def test_a_second_anonymous_api_request_is_served_from_the_cache_with_one_query(
    client, page_cache_on, django_assert_max_num_queries
):
    first = client.get(LINES_API, HTTP_ACCEPT="application/json")
    assert first["X-Cache"] == "miss"
    with django_assert_max_num_queries(1):  # the data version, nothing else
        second = client.get(LINES_API, HTTP_ACCEPT="application/json")
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == "application/json"
    # A shared cache downstream must not give this JSON to a browser asking for HTML.
    assert "Accept" in second["Vary"]
    following = client.get(first.json()["next"], HTTP_ACCEPT="application/json")
    assert following["X-Cache"] == "miss"
    assert following.json()["results"] != first.json()["results"]


def test_the_api_answers_json_and_html_from_separate_entries_and_never_stores_the_html(
    client, page_cache_on
):
    client.get(LINES_API, HTTP_ACCEPT="application/json")
    html = client.get(LINES_API, HTTP_ACCEPT="text/html")
    assert html["Content-Type"].startswith("text/html")
    assert "X-Cache" not in html
    assert "X-Cache" not in client.get(LINES_API, HTTP_ACCEPT="text/html")
    assert client.get(LINES_API, HTTP_ACCEPT="application/json")["X-Cache"] == "hit"


def test_a_correction_is_visible_on_the_next_anonymous_api_request(client, page_cache_on):
    address = "/api/lines/?year=2024&stage=final&code_prefix=2080150&page_size=100"

    def amounts():
        answer = client.get(address, HTTP_ACCEPT="application/json")
        return answer, {line["amount"] for line in answer.json()["results"]}

    before = amounts()[1]
    assert "328.66" in before
    assert "328.67" not in before
    assert amounts()[0]["X-Cache"] == "hit"
    correct(client, "2080150", "328.67", "房租结算单据核对后调整")
    answer, after = amounts()
    assert answer["X-Cache"] == "miss"
    assert "328.67" in after


def test_clients_that_accept_gzip_get_the_same_page_compressed(client, page_cache_on):
    plain = client.get(FUNCTIONAL)
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    for state in ("hit", "hit"):
        packed = client.get(FUNCTIONAL, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert packed["X-Cache"] == state
        assert packed["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in packed["Vary"]
        assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 3
        assert gzip.decompress(packed.content) == plain.content
    again = client.get(FUNCTIONAL)  # and the plain body stays plain
    assert "Content-Encoding" not in again
    assert again.content == plain.content
    assert int(again["Content-Length"]) == len(plain.content)


def test_a_miss_is_compressed_for_a_client_that_accepts_gzip(client, page_cache_on):
    first = client.get(FUNCTIONAL, HTTP_ACCEPT_ENCODING="gzip")
    assert first["X-Cache"] == "miss"
    assert first["Content-Encoding"] == "gzip"
    assert int(first["Content-Length"]) == len(first.content)
    assert client.get(FUNCTIONAL).content == gzip.decompress(first.content)


def test_cors_answers_are_kept_apart_by_origin(client, page_cache_on):
    address = "/api/lines/?page_size=2"
    json = {"HTTP_ACCEPT": "application/json"}
    for state in ("miss", "hit"):
        plain = client.get(address, **json)
        assert plain["X-Cache"] == state
        assert "Access-Control-Allow-Origin" not in plain
    for state in ("miss", "hit"):
        cross = client.get(address, HTTP_ORIGIN="https://newsroom.example", **json)
        assert cross["X-Cache"] == state
        assert cross["Access-Control-Allow-Origin"] == "*"
    assert cross.content == plain.content


def test_a_hit_runs_no_other_middleware(client, page_cache_on, settings):
    client.get(FUNCTIONAL)
    # Were the session, locale or security middleware asked, these would fail the request.
    settings.MIDDLEWARE = ["budgets.page_cache.PageCacheMiddleware", "tests.test_page_cache.Fail"]
    only_the_cache = Client()  # a client loads the middleware once
    hit = only_the_cache.get(FUNCTIONAL)
    assert hit["X-Cache"] == "hit"
    assert hit["X-Frame-Options"] == "DENY"  # as stored
    with pytest.raises(AssertionError, match="rendered"):
        only_the_cache.get("/units/503033/2024/economic/")


class Fail:
    def __init__(self, get_response):
        pass

    def __call__(self, request):
        raise AssertionError("rendered")


def test_api_errors_are_not_cached(client, page_cache_on):
    for address in ["/api/lines/?year=abc", "/api/lines/?unknown=1", "/api/units/999999/"]:
        client.get(address, HTTP_ACCEPT="application/json")
        answer = client.get(address, HTTP_ACCEPT="application/json")
        assert answer.status_code in (400, 404), address
        assert "X-Cache" not in answer, address


def test_errors_redirects_and_streams_are_not_cached(client, page_cache_on):
    for address in ["/units/404404/", "/units/503033/2024/functional/?sort=bad", "/data/"]:
        client.get(address)
        assert "X-Cache" not in client.get(address), address
    for _ in range(2):
        redirect = client.get("/units/503033/2024")
        assert redirect.status_code == 301
        assert "X-Cache" not in redirect
    csv = client.get("/units/503033/2024/functional.csv")
    assert csv.streaming
    assert "X-Cache" not in csv
    b"".join(csv.streaming_content)
    assert "X-Cache" not in client.get("/units/503033/2024/functional.csv")


def page_request(path="/units/503033/2024/functional/"):
    request = RequestFactory().get(path)
    request.resolver_match = resolve(path)
    return request


def rendered(content=b"<p>page</p>"):
    from django.http import HttpResponse

    return HttpResponse(content)


def test_answers_that_belong_to_one_visitor_are_never_stored():
    assert page_cache.storable(page_request(), rendered())

    with_cookie = rendered()
    with_cookie.set_cookie("anything", "1")
    assert not page_cache.storable(page_request(), with_cookie)

    with_token = page_request()
    get_token(with_token)
    assert not page_cache.storable(with_token, rendered())

    with_nonce = page_request()
    with_nonce._csp_nonce = "r4nd0m"
    assert not page_cache.storable(with_nonce, rendered())

    varying = rendered()
    varying["Vary"] = "Accept-Language, Cookie"
    assert not page_cache.storable(page_request(), varying)
    language_only = rendered()
    language_only["Vary"] = "Accept-Language"
    assert page_cache.storable(page_request(), language_only)

    private = rendered()
    private["Cache-Control"] = "private"
    assert not page_cache.storable(page_request(), private)

    assert not page_cache.storable(page_request("/data/"), rendered())
    admin = RequestFactory().get("/admin/")
    admin.resolver_match = resolve("/admin/")
    assert not page_cache.storable(admin, rendered())


def test_publishing_loading_generating_renaming_and_opening_a_year_change_the_version(client):
    seen = [version()]

    def changed():
        seen.append(version())
        return seen[-1] != seen[-2]

    call_command("generate_city", "--departments=1", "--units=2", "--years=1", stdout=StringIO())
    assert changed()
    unit = Unit.objects.get(code="503033")
    unit.name = "武汉市人力资源和社会保障投诉咨询中心（更名）"
    unit.save()
    assert changed()
    subject = Subject.objects.get(year=2024, scheme="functional", code="2080150")
    subject.name = "其他人力资源和社会保障管理事务（更名）"
    subject.save()
    assert changed()
    call_command("open_year", "2025", stdout=StringIO())
    assert changed()
    fixtures = sorted(str(p) for p in (Path(__file__).parent.parent / "fixtures").glob("*.json"))
    call_command("loaddata", fixtures[0], verbosity=0)
    assert changed()


def test_a_dummy_cache_is_no_page_cache(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    first, second = client.get(FUNCTIONAL), client.get(FUNCTIONAL)
    assert "X-Cache" not in first
    assert "X-Cache" not in second
    assert "Content-Encoding" not in client.get(FUNCTIONAL, HTTP_ACCEPT_ENCODING="gzip")


def test_redis_holds_the_pages_when_configured(client, settings):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"portal-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        },
    }
    settings.PAGE_CACHE_SECONDS = 60
    server = redis.Redis.from_url(url)
    try:
        assert client.get(FUNCTIONAL)["X-Cache"] == "miss"
        keys = server.keys(f"{prefix}:*")
        assert len(keys) == 1
        assert client.get(FUNCTIONAL)["X-Cache"] == "hit"
    finally:
        for key in server.keys(f"{prefix}:*"):
            server.delete(key)


def test_pages_are_rendered_when_the_cache_is_down(client, settings, caplog):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    settings.PAGE_CACHE_SECONDS = 60
    pytest.importorskip("redis")
    for _ in range(3):
        response = client.get(FUNCTIONAL)
        assert response.status_code == 200
        assert "328.66" in response.content.decode()
    # Once: the process stops asking the cache for a while rather than wait on every page.
    failures = [r for r in caplog.records if r.name == "budgets.page_cache"]
    assert len(failures) == 1


def settings_in_a_new_process(**environ) -> dict:
    """The caches as a fresh process reads them (tests.helpers)."""
    return new_process_settings(("CACHES", "PAGE_CACHE_SECONDS"), **environ)


def test_redis_url_chooses_the_shared_cache_and_bad_values_stop_the_process():
    local = settings_in_a_new_process()
    assert local["CACHES"]["pages"]["BACKEND"].endswith("LocMemCache")
    assert local["PAGE_CACHE_SECONDS"] == 86400
    shared = settings_in_a_new_process(REDIS_URL="redis://127.0.0.1:6379/0")
    assert shared["CACHES"]["pages"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert shared["CACHES"]["pages"]["LOCATION"] == "redis://127.0.0.1:6379/0"
    assert shared["CACHES"]["pages"]["KEY_PREFIX"] != shared["CACHES"]["default"]["KEY_PREFIX"]
    assert "REDIS_URL" in settings_in_a_new_process(REDIS_URL="127.0.0.1:6379")["error"]
    off = settings_in_a_new_process(PORTAL_PAGE_CACHE_SECONDS="0")
    assert off["PAGE_CACHE_SECONDS"] == 0
    assert (
        "PORTAL_PAGE_CACHE_SECONDS"
        in settings_in_a_new_process(PORTAL_PAGE_CACHE_SECONDS="-1")["error"]
    )
