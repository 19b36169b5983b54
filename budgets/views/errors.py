"""The portal's own answer to every error, in the page's language with a way back (JSON, in
Chinese, under /api/), and the guard that keeps public pages to GET and HEAD."""

import sys
from functools import wraps

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, JsonResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.urls import Resolver404, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

SAFE_METHODS = ("GET", "HEAD")


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def is_admin(request) -> bool:
    return request.path.startswith(f"/{settings.ADMIN_PATH}")


def way_back(request) -> dict:
    """Where an error page sends the visitor: the page they came from when it is on this
    site, and the start of the part of the site they are in."""
    if is_admin(request):
        links = {"home_url": reverse("admin:index"), "home_label": _("回到管理首页")}
    else:
        links = {"home_url": reverse("budgets:home"), "home_label": _("回到首页")}
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        links["back_url"] = referer
    return links


def read_only(view):
    """A public page answers GET and HEAD; any other method is a 405 in the page's language. The
    check comes before Django's CSRF check, which would answer a POST with its own 403: these views
    never read a request body nor write, so there is nothing for CSRF to protect."""

    @wraps(view)
    def page(request, *args, **kwargs):
        if request.method not in SAFE_METHODS:
            response = render(request, "405.html", {"method": request.method}, status=405)
            response["Allow"] = ", ".join(SAFE_METHODS)
            return response
        return view(request, *args, **kwargs)

    return csrf_exempt(page)


def bad_request(request, exception):
    message = str(exception) if isinstance(exception, BadRequest) else ""
    if is_api(request):
        return JsonResponse({"detail": message or "请求有误。"}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


def permission_denied(request, exception):
    message = str(exception) if isinstance(exception, PermissionDenied) else ""
    if is_api(request):
        return JsonResponse({"detail": message or "没有权限。"}, status=403)
    return render(request, "403.html", {"message": message, **way_back(request)}, status=403)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form posted without a valid token (an expired page, a blocked
    cookie, another site's form)."""
    context = {
        "retry_url": request.get_full_path(),
        "no_cookie": reason == REASON_NO_CSRF_COOKIE,
        **way_back(request),
    }
    return render(request, "403_csrf.html", context, status=403)


def page_not_found(request, exception):
    # Only a view's own Http404 explains itself; the resolver's (Resolver404) carries the list
    # of every route it tried, with file paths, which is no visitor's business.
    own = isinstance(exception, Http404) and not isinstance(exception, Resolver404)
    message = str(exception) if own else ""
    if is_api(request):
        # An address outside the API's routes still answers in the API's format.
        return JsonResponse({"detail": "未找到。"}, status=404)
    context = {"message": message, "year_links": getattr(exception, "year_links", None)}
    return render(request, "404.html", context, status=404)


# PostgreSQL's cancelling of a statement (its statement timeout, PORTAL_DB_STATEMENT_TIMEOUT_MS,
# or an operator's pg_cancel_backend), and a lock not had within lock_timeout (a CSV stream's).
TIMEOUTS = {"57014", "55P03"}


def statement_timed_out(error: BaseException | None) -> bool:
    """Whether `error` (a Django DatabaseError raised from psycopg's) is a timeout."""
    while error is not None:
        if getattr(getattr(error, "diag", None), "sqlstate", None) in TIMEOUTS:
            return True
        error = error.__cause__
    return False


# Seconds a client is asked to wait before asking again for a page whose query timed out.
RETRY_AFTER = 30


def server_error(request):
    # Django calls this while it handles the exception, which sys.exc_info() therefore holds.
    if statement_timed_out(sys.exc_info()[1]):
        return query_timeout(request)
    if is_api(request):
        return JsonResponse({"detail": "服务器出错，请稍后再试。"}, status=500)
    return render(request, "500.html", {"home_url": reverse("budgets:home")}, status=500)


def query_timeout(request):
    """A query that ran past the statement timeout: 503, say so, and when to try again; not the
    generic 500 (nothing is broken: the page asked too much of a busy database)."""
    if is_api(request):
        response = JsonResponse(
            {"detail": "查询用时过长，已被中止。请稍后再试，或缩小查询范围。"}, status=503
        )
    else:
        response = render(request, "503_timeout.html", way_back(request), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response
