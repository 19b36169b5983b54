"""The fast lane of /api/lines/: a middleware that answers a valid page as JSON itself.

It sits in MIDDLEWARE after the guards every answer needs (the page cache, the security, CSP
and CORS headers, the NUL check) and before the ones a page of open lines never uses: the
session, CSRF (the API is exempt), authentication (DRF's list has none), messages, history,
django-axes and the URL resolver. On an uncached page those were a fifth of the CPU. What the
skipped middleware would still have added to this answer, it adds itself, in their order:
XFrameOptionsMiddleware's X-Frame-Options, CommonMiddleware's Content-Length,
LocaleMiddleware's Vary: Accept-Language and Content-Language (the API is not under
i18n_patterns: always the default language). tests/test_api_lines_fast.py compares every
header and body with DRF's answer through the whole stack.

A page is one query: each line's key and its record (OpenLine.api_json, the line's JSON as DRF
renders it, budgets.line_records), joined inside JSONRenderer's envelope. Every request it does
not answer (another address, method, format or Accept, indented JSON, a bad or unknown
parameter, a cursor past the end) goes on through the stack to DRF's LineViewSet, unchanged.
"""

import functools

from django.conf import settings
from django.db import router
from django.http import HttpResponse
from django.urls import resolve, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param

from budgets import keyset
from budgets.api import lines
from budgets.models import OpenLine

_NEGOTIATION = DefaultContentNegotiation()
_RENDERERS = [renderer() for renderer in api_settings.DEFAULT_RENDERER_CLASSES]
_RENDERER = JSONRenderer()
MAX_CACHED_ACCEPT = 200  # longer Accept headers are not remembered (and go to DRF)
ALLOW = "GET, HEAD, OPTIONS"  # what DRF's list view allows (finalize_response)
EMPTY_RESULTS = b'"results":[]}'  # how the envelope ends


class _Headers:
    """What DRF's content negotiation reads of a request without a `format` parameter."""

    def __init__(self, headers: dict):
        self.headers = headers
        self.query_params = {}


@functools.lru_cache(maxsize=64)
def json_media_type(accept: str | None) -> str | None:
    """The media type DRF accepts for this Accept header when it renders JSON (with its
    parameters: `indent=4` indents), or None when it would not answer JSON (browsable HTML,
    406)."""
    request = _Headers({} if accept is None else {"accept": accept})
    try:
        renderer, media_type = _NEGOTIATION.select_renderer(request, _RENDERERS)
    except Exception:
        return None
    return media_type if type(renderer) is JSONRenderer else None


@functools.lru_cache(maxsize=64)
def plain_json(media_type: str) -> bool:
    """Whether JSONRenderer writes this media type as the lines' records are written: not
    indented (`indent=4`), compact, with text as is (DRF's default settings)."""
    return (
        _RENDERER.get_indent(media_type, {}) is None
        and _RENDERER.compact
        and not _RENDERER.ensure_ascii
    )


def answer(request) -> HttpResponse | None:
    """The answer to a GET of /api/lines/ as the view alone writes it, or None when DRF must
    answer (see the module's docstring)."""
    accept = request.META.get("HTTP_ACCEPT")
    if accept is not None and len(accept) > MAX_CACHED_ACCEPT:
        return None
    media_type = json_media_type(accept)
    if not media_type or not plain_json(media_type):
        return None  # indented JSON, the browsable API, a 406: DRF's
    wanted = lines.asked(request.GET)
    if not wanted:
        return None
    # The router's choice, as for every read: a visitor's page from the replica if any.
    found = lines.page(wanted, router.db_for_read(OpenLine))
    if wanted.cursor is not None and not found.rows:
        return None  # past the end: DRF's 404
    base_url = request.build_absolute_uri()
    data = {
        "next": _link(base_url, found.next),
        "previous": _link(base_url, found.previous),
        "results": [],
    }
    # The envelope as JSONRenderer writes it, its empty list filled with the lines' records.
    envelope = _RENDERER.render(data, media_type, {})
    if not envelope.endswith(EMPTY_RESULTS):
        raise RuntimeError(f"unexpected envelope: {envelope!r}")
    records = ",".join(line["api_json"] for line in found.rows).encode()
    response = HttpResponse(
        b"".join((envelope[:-2], records, envelope[-2:])), content_type=_RENDERER.media_type
    )
    patch_vary_headers(response, ("Accept",))
    response["Allow"] = ALLOW
    return response


def _link(base_url: str, cursor: keyset.Cursor | None) -> str | None:
    """KeysetPagination's `next` and `previous` links."""
    if cursor is None:
        return None
    return replace_query_param(base_url, lines.CURSOR, cursor.encode())


@functools.cache
def _address():
    """(path, its ResolverMatch): the page cache reads the match to decide what it may keep."""
    path = reverse("line-list")
    return path, resolve(path)


class LinesFastLane:
    """See the module's docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path, match = _address()
        if request.method != "GET" or request.path_info != path:
            return self.get_response(request)
        response = answer(request)
        if response is None:
            return self.get_response(request)
        request.resolver_match = match
        # What the middleware after this one would have added (see the module's docstring).
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS.upper())
        response.headers["Content-Length"] = str(len(response.content))
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
