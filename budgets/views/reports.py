"""报告数据错误: a form tied to the page (and table row) it was opened from, stored as an
ErrorReport for staff; the reporter gets a reference number (POST, redirect, GET).

Never in the page cache: the form carries this visitor's CSRF token and a fresh signed time,
and the answers say `no-store` (budgets.page_cache.storable refuses them). A report does not
change the data version either (budgets.page_cache.connect), so it does not empty the cache.
"""

from functools import wraps

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from budgets.models import ErrorReport
from budgets.parameters import parameter_problems
from budgets.report_forms import REJECTED, ErrorReportForm, ReportTarget, issue_token

SENT_SALT = "budgets.report-sent"
RATE_WINDOW = 60 * 60
TOO_MANY = gettext_lazy(
    "一小时内从您的网络提交的报告已达 %(limit)s 份，请一小时后再试。已提交的报告都已收到。"
)


def portal_operator(request) -> dict:
    """Context processor: who runs the portal, for every page's footer."""
    return {
        "portal_operator": {
            "name": settings.PORTAL_OPERATOR_NAME,
            "email": settings.PORTAL_OPERATOR_EMAIL,
        }
    }


def client_hash(request) -> str:
    """A keyed hash of the client's address (SECRET_KEY): the same client gives the same
    value, which cannot be turned back into the address without the key."""
    header = settings.PORTAL_CLIENT_IP_HEADER
    if header:
        address = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        address = address.split(",")[0].strip()
    else:
        address = request.META.get("REMOTE_ADDR", "")
    return salted_hmac("budgets.report-client", address, algorithm="sha256").hexdigest()


def _rate_key(client: str) -> str:
    return f"report-rate:{client}"


def over_limit(client: str) -> bool:
    return (cache.get(_rate_key(client)) or 0) >= settings.PORTAL_REPORTS_PER_HOUR


def count_report(client: str) -> None:
    """One more report from this client in the current hour (the hour starts at its first)."""
    key = _rate_key(client)
    if not cache.add(key, 1, RATE_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, RATE_WINDOW)


def allowed(*methods):
    """Other methods get a 405 in the page's language (the read-only pages' 405 says 只能浏览,
    not so here)."""

    def decorate(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if request.method not in methods:
                message = _("本页不支持 %(method)s 请求。") % {"method": request.method}
                context = {"message": message, "target_page": "/"}
                response = render(request, "budgets/report_refused.html", context, status=405)
                response["Allow"] = ", ".join(methods)
                return response
            return view(request, *args, **kwargs)

        return checked

    return decorate


def _page_context(form, target: dict) -> dict:
    return {
        "form": form,
        "target_page": target.get("page") or reverse("budgets:home"),
        "target_figure": target.get("figure", ""),
    }


@never_cache
@allowed("GET", "HEAD", "POST")
def report(request):
    if request.method == "POST":
        return _receive(request)
    target = ReportTarget(request.GET)
    if not target.is_valid():
        raise BadRequest(parameter_problems(target.errors))
    initial = {**target.cleaned_data, "token": issue_token()}
    return render(
        request, "budgets/report.html", _page_context(ErrorReportForm(initial=initial), initial)
    )


def _receive(request):
    form = ErrorReportForm(request.POST)
    client = client_hash(request)
    if over_limit(client):
        limit = settings.PORTAL_REPORTS_PER_HOUR
        context = {"message": TOO_MANY % {"limit": limit}, "target_page": "/"}
        return render(request, "budgets/report_refused.html", context, status=429)
    if form.is_spam:
        context = {"message": REJECTED, "target_page": "/"}
        return render(request, "budgets/report_refused.html", context, status=400)
    if not form.is_valid():
        target = ReportTarget(request.POST)
        shown = target.cleaned_data if target.is_valid() else {}
        # A fresh time for the next attempt: the reader has the form in front of them now.
        form.data = form.data.copy()
        form.data["token"] = issue_token()
        return render(request, "budgets/report.html", _page_context(form, shown), status=400)
    data = form.cleaned_data
    created = ErrorReport.submit(
        page=data["page"],
        figure=data["figure"],
        unit_code=form.unit_code,
        description=data["description"],
        contact=data["contact"],
        client_hash=client,
    )
    count_report(client)
    sent = signing.dumps({"ref": created.reference, "page": created.page}, salt=SENT_SALT)
    return redirect(f"{reverse('budgets:report_sent')}?{urlencode({'r': sent})}")


@never_cache
@allowed("GET", "HEAD")
def report_sent(request):
    """The reference number, read from the signed address the POST redirected to: no query,
    and nobody can make this page show a reference that was not given."""
    try:
        sent = signing.loads(request.GET.get("r", ""), salt=SENT_SALT)
    except signing.BadSignature:
        raise BadRequest(_("参数 r：不是本站给出的受理回执。")) from None
    context = {"reference": sent["ref"], "target_page": sent["page"]}
    return render(request, "budgets/report_sent.html", context)
