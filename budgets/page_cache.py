"""The full-page cache of the public pages, keyed by the version of the published data.

A public page is rendered once per data version: the answer to an anonymous GET or HEAD of a
page of the `budgets` namespace is kept in the "pages" cache (Redis when REDIS_URL is set,
this process's memory otherwise; portal/settings.py) under a key made of

- the data version (budgets.models.DataVersion), read from the database on every request:
  one indexed one-row query, so every worker process sees a change at the moment it is
  committed, whichever cache backend holds the pages (a version kept in a per-process local
  memory cache would leave the other workers serving old pages);
- the scheme, host, path and the whole query string as sent (so `?page=2` and `?sort=-final`
  never share an entry);
- the language the request is answered in (the path's /en/ prefix, or the default);
- for the API, the Accept header as sent (DRF chooses JSON or its browsable HTML by it);
- the Origin header as sent, if any (the CORS headers of the API and the CSVs depend on it).

A hit is answered by the first middleware, as stored: the body (or its gzip twin for a client
that accepts gzip, with `Vary: Accept-Encoding`) and the headers the whole middleware stack
gave the page when it was rendered.

The JSON answers of the API (/api/…, not its schema or browsable HTML) are kept the same way:
a cursor page of /api/lines/ is as much a function of the data version as a page of
/data/browse/, and a client following `next` links is the commonest reader of the API.

The version is increased by `bump()` in the same transaction as every change of what the public
sees (a publication published or corrected, data loaded or generated, a unit or subject renamed,
a year opened; any save or delete of a budgets model counts, see `connect()`), so a correction is
served on the very next request and an entry of an older version is never read again (it
expires after PAGE_CACHE_SECONDS).

Never cached: requests of staff (any request carrying the admin's session cookie, so an
authenticated user never gets or fills a cached page) or with an Authorization header; answers
other than 200; streamed answers (the CSV twins and downloads, built as they are sent); answers
that set a cookie or use the CSRF token, carry a CSP nonce, vary on anything the key does not
hold, or say they must not be stored; the open-data index (/data/), which shows the last downloads
build, a file rather than the database. Cache errors (Redis down) are logged and the page is
rendered as if there were no cache.
"""

import hashlib
import logging
import re
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.exceptions import DisallowedHost
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.db.models import F
from django.db.models.signals import post_delete, post_migrate, post_save
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import cc_delim_re, patch_cache_control, patch_vary_headers
from django.utils.text import compress_string

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
ROW = 1  # the primary key of the one DataVersion row
MAX_BYTES = 2 * 1024 * 1024  # larger answers are rendered each time rather than stored
# Pages of the `budgets` namespace that are not stored: the open-data index shows the last
# build of the downloads (a file), which a change of the database does not announce.
UNCACHED_PAGES = {"data", "data_download"}
API_PREFIX = "/api/"
# The API's schema is generated from the code, not the data; its own address is never stored.
UNCACHED_API = {"api-schema"}
# Headers that belong to one answer only, not to the stored page.
# Vary is kept: a hit varies on what the stored answer varied on (the API on Accept).
HOP_HEADERS = {"date", "set-cookie", "x-cache", "cache-control", "content-length"}
# After a cache error (Redis down or slow), this process renders pages without the cache for
# this many seconds instead of waiting for the cache's timeout on every request.
BACK_OFF_SECONDS = 10


# -- the data version -----------------------------------------------------------------------


def bump(**_signal_kwargs) -> None:
    """What the public sees changed: give the data a new version. Called inside the
    transaction that makes the change, the new number is committed (and seen) with it; outside
    a transaction it is committed at once. Also a signal receiver (its arguments are ignored)."""
    from budgets.models import DataVersion

    changed = DataVersion.objects.filter(pk=ROW).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    if not changed:
        DataVersion.objects.get_or_create(
            pk=ROW,
            defaults={"version": secrets.randbits(62), "changed_at": timezone.now()},
        )


def current_version(db=None) -> int | None:
    """The data version now, in one query; None when the row does not exist yet (nothing is
    cached then).

    Asked on every request, cache hits included, so it is kept cheap. On PostgreSQL, on a
    connection Django already holds and outside a transaction, it is one prepared statement
    sent through psycopg's libpq interface: 11 µs of this process's CPU and 24 µs in all,
    against 85 and 150 µs through a Django cursor (measured, benchmarks/bench_cpu.py), which
    was a quarter of a hit. It is read from the primary (`default`) even when public pages are
    read from a replica: a new version is seen at the moment it is committed, and
    portal.db_routers renders a page to be stored from the replica only once the replica shows
    the same version (a lagging replica would otherwise fill the new version's key with old
    figures). It is also the request's first query: with CONN_HEALTH_CHECKS
    Django would first send a `SELECT 1` to test a kept connection, a second round trip on
    every hit; this query is the test instead (a connection that fails it is closed and the
    version read through Django on a new one, as Django's own health check would)."""
    db = db or connections[DEFAULT_DB_ALIAS]
    if db.vendor == "postgresql" and db.connection is not None and not db.in_atomic_block:
        try:
            version = _prepared_version(db.connection.pgconn)
        except _NotIdle:
            pass
        except Exception:  # a broken connection: let Django make a new one
            logger.info("page cache: the kept connection failed; reconnecting", exc_info=True)
            db.close()
        else:
            db.health_check_done = True  # it answered: this was the health check
            return version
    return _read_version(db)


class _NotIdle(Exception):
    """The connection is inside a transaction: read the version through Django."""


STATEMENT = b"portal_page_cache_version"  # psycopg names its own prepared statements _pg3_…


def _prepared_version(pgconn) -> int | None:
    from psycopg import pq

    if pgconn.transaction_status != pq.TransactionStatus.IDLE:
        raise _NotIdle
    result = pgconn.exec_prepared(STATEMENT, [])
    if result.status == pq.ExecStatus.FATAL_ERROR:
        if result.error_field(pq.DiagnosticField.SQLSTATE) != b"26000":  # not prepared yet
            raise RuntimeError(pgconn.get_error_message())
        prepared = pgconn.prepare(STATEMENT, _version_sql().encode())
        if prepared.status != pq.ExecStatus.COMMAND_OK:
            raise RuntimeError(pgconn.get_error_message())
        result = pgconn.exec_prepared(STATEMENT, [])
    if result.status != pq.ExecStatus.TUPLES_OK:
        raise RuntimeError(pgconn.get_error_message())
    return int(result.get_value(0, 0)) if result.ntuples else None


def _version_sql() -> str:
    from budgets.models import DataVersion

    return f"SELECT version FROM {DataVersion._meta.db_table} WHERE id = {ROW}"


def _read_version(db=connection) -> int | None:
    with db.cursor() as cursor:
        cursor.execute(_version_sql())
        row = cursor.fetchone()
    return row[0] if row else None


def _bump_on_save(sender, raw=False, **kwargs):
    bump()


def connect() -> None:
    """Every save and delete of a budgets model (an admin edit, an import, loaddata) gives the
    data a new version: a rename of a unit or subject changes pages without a publish. Bulk
    writes (bulk_create, update(), COPY) send no signal: the code that makes them calls bump()
    (data_changed, generate_city, open_year). Not for the historical records (each comes with
    the save it records), the open lines (written by data_changed, which bumps) and DataVersion
    itself; nor the records no public page shows (downloads builds, staff memberships: the
    download pages are not cached). Receivers are connected per model, since a receiver for
    every sender would stop Django's fast deletes everywhere. `migrate` bumps too: a deploy may
    change how pages look."""
    from django.apps import apps

    from budgets.models import DataVersion, DownloadBuild, ErrorReport, OpenLine, UnitMembership

    # Error reports from the public are shown to staff only: a report must not empty the cache.
    unannounced = (DataVersion, OpenLine, DownloadBuild, UnitMembership, ErrorReport)
    for model in apps.get_app_config("budgets").get_models():
        if model in unannounced or hasattr(model, "instance_type"):
            continue
        uid = f"page_cache.bump:{model._meta.label}"
        post_save.connect(_bump_on_save, sender=model, dispatch_uid=uid)
        post_delete.connect(bump, sender=model, dispatch_uid=uid)
    post_migrate.connect(_bump_after_migrate, dispatch_uid="page_cache.bump:migrate")


def _bump_after_migrate(sender, app_config=None, using="default", **kwargs):
    if app_config is not None and app_config.label == "budgets":
        bump()


# -- the middleware -------------------------------------------------------------------------


def _never_cached(path: str) -> bool:
    """The admin, the API's schema and the static files (WhiteNoise's, inside this middleware):
    not even the version is read."""
    return path.startswith((f"/{settings.ADMIN_PATH}", f"{API_PREFIX}schema/", _static_prefix()))


def _static_prefix() -> str:
    return "/" + settings.STATIC_URL.lstrip("/") if settings.STATIC_URL else "/static/"


def is_staff_request(request) -> bool:
    """Staff never get a cached page: any request with the admin's session cookie (logged in
    or not, a session means the admin) or credentials."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META


def language(request) -> str:
    """The language the page will be answered in, before LocaleMiddleware has run: with
    i18n_patterns and prefix_default_language=False it is the path's prefix (/en/…) or the
    default, never a cookie or Accept-Language (LocaleMiddleware decides the same way)."""
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def cache_key(request, version: int) -> str:
    meta = request.META
    raw = "|".join(
        [
            str(version),
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            language(request),
            meta.get("HTTP_ACCEPT", "") if _is_api(request) else "",
            # django-cors-headers runs inside this middleware, so a stored answer carries the
            # CORS headers of its Origin; a navigation or a plain client sends none.
            meta.get("HTTP_ORIGIN", ""),
        ]
    )
    return "page2:" + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def _is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _storable_address(request, response) -> bool:
    match = request.resolver_match
    if match is None:
        return False
    if _is_api(request):
        # JSON only: the browsable HTML carries forms and a login link for one visitor.
        content_type = response.get("Content-Type", "")
        return match.url_name not in UNCACHED_API and content_type.startswith("application/json")
    return match.namespace == "budgets" and match.url_name not in UNCACHED_PAGES


def storable(request, response) -> bool:
    """Whether this answer to an anonymous GET may be served to everyone who asks the same."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if len(response.content) > MAX_BYTES:
        return False
    if not _storable_address(request, response):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False  # the page holds this visitor's CSRF token
    if isinstance(getattr(request, "_csp_nonce", None), str):
        return False  # its scripts carry this answer's nonce, which must never repeat
    vary = {v.lower() for v in cc_delim_re.split(response.get("Vary", "")) if v}
    # The language, the Origin (and the API's Accept) are in the key; nothing else is.
    in_key = {"accept-language", "origin", "accept"} if _is_api(request) else IN_KEY
    if vary - in_key:
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-store", "no-cache"))


IN_KEY = {"accept-language", "origin"}
# Worth compressing: text a browser or client reads, not already compressed, not tiny.
COMPRESSIBLE = ("text/", "application/json", "application/javascript", "application/xml")
MIN_GZIP_BYTES = 200
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def accepts_gzip(request) -> bool:
    return bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


@dataclass(frozen=True)
class Stored:
    """A page as kept: its body as sent, the same gzip-compressed (None when not worth it), and
    the headers every hit answers with, Cache-Control, Vary and X-Cache included (not
    Content-Length and Content-Encoding, which depend on the body chosen). Serving a hit is
    choosing a body: nothing is parsed, compressed or patched."""

    body: bytes
    gzipped: bytes | None
    headers: tuple


def _stored(response) -> Stored:
    body = response.content
    gzipped = None
    content_type = response.get("Content-Type", "")
    if (
        len(body) >= MIN_GZIP_BYTES
        and content_type.startswith(COMPRESSIBLE)
        and not response.has_header("Content-Encoding")
    ):
        gzipped = compress_string(body)  # gzip level 6, mtime 0: the same bytes every time
        if len(gzipped) >= len(body):
            gzipped = None
    hit = HttpResponse(b"")
    for name, value in response.headers.items():
        if name.lower() not in HOP_HEADERS:
            hit.headers[name] = value
    _public(hit, "hit")
    if gzipped is not None:
        # Shared caches and browsers keep the two bodies apart.
        patch_vary_headers(hit, ("Accept-Encoding",))
    return Stored(body, gzipped, tuple(hit.headers.items()))


def _answer(stored: Stored, gzip: bool) -> HttpResponse:
    """The HTTP answer of a stored page: the headers as stored, the body chosen."""
    response = HttpResponse(headers=stored.headers)
    if gzip and stored.gzipped is not None:
        response.content = stored.gzipped
        response.headers["Content-Encoding"] = "gzip"
    else:
        response.content = stored.body
    response.headers["Content-Length"] = str(len(response.content))
    return response


def _public(response, state: str) -> None:
    """Browsers and proxies may keep a public page PAGE_MAX_AGE seconds (0: ask each time). A
    shared cache must not give it to staff: it varies on the cookie."""
    max_age = settings.PAGE_MAX_AGE
    if max_age:
        patch_cache_control(response, public=True, max_age=max_age)
        patch_vary_headers(response, ("Cookie",))
    else:
        patch_cache_control(response, no_cache=True)
    response["X-Cache"] = state


class PageCacheMiddleware:
    """Serve and store the public pages (see the module's docstring).

    First in MIDDLEWARE: a hit is answered before any other middleware runs (no session,
    language, CSRF, auth, messages, history, security or CSP work), with the headers the
    whole stack gave the page when it was stored (the security and CSP headers included:
    they are the same for every visitor, and a page that carries a CSP nonce is never
    stored). What the stack adds per visitor is either in the key (the language, from the
    path; the Origin CORS answers vary on; the API's Accept) or makes the answer unstorable
    (a cookie, a CSRF token, a nonce). Staff requests, and everything but GET and HEAD, pass
    through untouched. Stored pages keep a gzip twin, sent to clients that accept gzip."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.down_until = 0.0  # see BACK_OFF_SECONDS

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or request.method not in ("GET", "HEAD") or _never_cached(request.path_info):
            return self.get_response(request)
        if is_staff_request(request):
            response = self.get_response(request)
            patch_cache_control(response, private=True)
            response.headers.setdefault("X-Cache", "bypass")
            return response
        if time.monotonic() < self.down_until:
            return self.get_response(request)

        cache = caches[CACHE_ALIAS]
        if isinstance(cache, DummyCache):
            # Keeps nothing (benchmarks/citybench/nocache_settings.py): as if the page cache
            # were off, rather than reading the version and compressing pages for nothing.
            return self.get_response(request)
        key = self._key(request)
        if key is not None:
            stored = self._get(cache, key)
            if isinstance(stored, Stored):
                return _answer(stored, accepts_gzip(request))
        response = self.get_response(request)
        if key is not None and time.monotonic() >= self.down_until and storable(request, response):
            stored = _stored(response)
            self._set(cache, key, stored, seconds)
            _public(response, "miss")
            if stored.gzipped is not None:
                patch_vary_headers(response, ("Accept-Encoding",))
                if accepts_gzip(request):
                    response.content = stored.gzipped
                    response.headers["Content-Encoding"] = "gzip"
                    response.headers["Content-Length"] = str(len(stored.gzipped))
        return response

    @staticmethod
    def _key(request) -> str | None:
        try:
            version = current_version()
        except DatabaseError:
            logger.warning("page cache: data version unreadable", exc_info=True)
            return None
        if version is None:
            return None
        # For portal.db_routers: a page stored under this version must not be rendered from a
        # replica that has not reached it.
        request.data_version = version
        try:
            return cache_key(request, version)
        except DisallowedHost:
            return None  # CommonMiddleware answers it, with the other middleware's headers

    def _get(self, cache, key):
        try:
            return cache.get(key)
        except Exception:  # the cache backend is down: render the page instead
            self._failed("get")
            return None

    def _set(self, cache, key, value, seconds) -> None:
        try:
            cache.set(key, value, seconds)
        except Exception:
            self._failed("set")

    def _failed(self, operation: str) -> None:
        logger.warning(
            "page cache: %s failed; pages are rendered without it for %s s",
            operation,
            BACK_OFF_SECONDS,
            exc_info=True,
        )
        self.down_until = time.monotonic() + BACK_OFF_SECONDS
