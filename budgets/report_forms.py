"""The form of "报告数据错误": what the reporter writes, the page and row it concerns, and two
checks against automated submissions that need no outside service:

- a honeypot: a field hidden from people (CSS and aria-hidden, out of the tab order) that a
  bot filling every field fills;
- a signed timestamp (django.core.signing) given with the form: a form sent back less than
  MIN_SECONDS after it was shown was not read, one older than MAX_SECONDS is stale (or the
  token was kept to replay), and a token that was altered does not verify.
"""

import re
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

SALT = "budgets.report-form"
MIN_SECONDS = 3
MAX_SECONDS = 24 * 60 * 60
FIGURE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")  # a row id: 2080150, change-2080150
MAX_PAGE = 300
TOO_FAST = _("提交得太快了：请读一下表单，几秒钟后再提交。")
EXPIRED = _("表单已过期（超过一天）或已被改动，请重新打开本页再提交。")
REJECTED = _("无法受理这份报告。")


def issue_token(shown_at: float | None = None) -> str:
    """The signed time at which the form is shown (now unless given)."""
    return signing.dumps({"shown_at": time.time() if shown_at is None else shown_at}, salt=SALT)


def page_kwargs(page: str) -> dict | None:
    """The URL arguments of a public page of the portal at this path (its unit or department
    code among them), or None when the path is not one: a report is about a page of ours."""
    if not page.startswith("/") or page.startswith("//") or len(page) > MAX_PAGE:
        return None
    try:
        # In the language of the page's own address: "/" is a page of ours in Chinese, and
        # "/en/" in English, whichever language the form itself is shown in.
        with translation.override(
            translation.get_language_from_path(page) or settings.LANGUAGE_CODE
        ):
            match = resolve(page)
    except Resolver404:
        return None
    if match.namespace != "budgets" or match.url_name == "report":
        return None
    return match.kwargs


class ReportTarget(forms.Form):
    """The page and row a report is about, as given in the address of the form or posted."""

    page = forms.CharField(label=_("页面"), max_length=MAX_PAGE, required=False)
    figure = forms.CharField(label=_("数字（表格行）"), max_length=64, required=False)

    def clean_page(self):
        page = self.cleaned_data["page"] or reverse("budgets:home")
        if page_kwargs(page) is None:
            raise forms.ValidationError(
                _("应为本站一个页面的路径，如 %(example)s。")
                % {"example": reverse("budgets:overview", args=["503033", 2024])}
            )
        return page

    def clean_figure(self):
        figure = self.cleaned_data["figure"]
        if figure and not FIGURE.fullmatch(figure):
            raise forms.ValidationError(_("应为表格中一行的编号（字母、数字、-、_，如 2080150）。"))
        return figure

    @property
    def unit_code(self) -> str:
        kwargs = page_kwargs(self.cleaned_data["page"]) or {}
        return str(kwargs.get("unit_code") or kwargs.get("department_code") or "")


class ErrorReportForm(ReportTarget):
    description = forms.CharField(
        label=_("哪里错了？"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请写明看到的数字、您认为正确的数字及出处（如公开文件的表号、页码）。"),
        error_messages={"required": _("请写明哪里有错。")},
    )
    contact = forms.CharField(
        label=_("联系方式（选填）"),
        max_length=200,
        required=False,
        help_text=_("电子邮箱或电话，仅供工作人员核实时联系您，不会公开。"),
    )
    # The honeypot: its label tells the rare person who sees it (no CSS) to leave it empty.
    website = forms.CharField(label=_("网址（请留空）"), required=False)
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].widget = forms.HiddenInput()
        self.fields["figure"].widget = forms.HiddenInput()
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")
        self.fields["description"].widget.attrs.update(required=True)

    @property
    def is_spam(self) -> bool:
        """A filled honeypot: refused as a whole, no field errors to help the sender."""
        return bool(self.data.get("website"))

    def clean_token(self):
        """The form was shown between MIN_SECONDS and MAX_SECONDS ago, by this site."""
        try:
            shown_at = float(signing.loads(self.cleaned_data["token"], salt=SALT)["shown_at"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise forms.ValidationError(EXPIRED, code="bad") from None
        age = time.time() - shown_at
        if age < MIN_SECONDS:
            raise forms.ValidationError(TOO_FAST, code="too_fast")
        if age > MAX_SECONDS:
            raise forms.ValidationError(EXPIRED, code="expired")
        return self.cleaned_data["token"]
