"""The search page and its CSV twin: the same hits, grouped by kind on the page, one row each
in the file."""

from django import forms
from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from budgets import search as finder
from budgets.exports import stream_csv
from budgets.i18n import data_text
from budgets.parameters import parameter_problems

CSV_HEADER = [
    gettext_lazy("类别"),
    pgettext_lazy("search result", "说明"),
    gettext_lazy("编码"),
    gettext_lazy("名称"),
    gettext_lazy("单位编码"),
    gettext_lazy("单位名称"),
    gettext_lazy("年度"),
    gettext_lazy("所在位置"),
    gettext_lazy("内容"),
    gettext_lazy("示例数据"),
    gettext_lazy("链接"),
]


class SearchQuery(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("搜索词"),
        required=False,
        max_length=finder.MAX_LENGTH,
        error_messages={
            # Django fills in %(show_value)d; the limit is put in first, when the message is read.
            "max_length": format_lazy(
                gettext_lazy("搜索词最多 {limit} 个字（现在是 %(show_value)d 个）。"),
                limit=finder.MAX_LENGTH,
            ),
            "null_characters_not_allowed": gettext_lazy("搜索词不能含有空字符（%00）。"),
        },
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("类别"),
        required=False,
        choices=[("", gettext_lazy("全部")), *finder.KINDS.items()],
        error_messages={
            "invalid_choice": format_lazy(
                gettext_lazy("没有“%(value)s”这个类别，可用：{kinds}。"),
                kinds="、".join(finder.KINDS),
            )
        },
    )

    def parsed(self) -> dict:
        if not self.is_valid():
            raise BadRequest(parameter_problems(self.errors))
        return self.cleaned_data


def search(request, fmt=None):
    query = SearchQuery(request.GET).parsed()
    q, kind = query["q"], query["kind"]
    groups = finder.search(q, kind)
    if fmt == "csv":
        return stream_csv(CSV_HEADER, csv_rows(request, groups), "search.csv", _("搜索结果.csv"))
    for group in groups:
        group.more_url = f"{reverse('budgets:search')}?{urlencode({'q': q, 'kind': group.kind})}"
    csv_query = urlencode({"q": q, **({"kind": kind} if kind else {})})
    return render(
        request,
        "budgets/search.html",
        {
            "q": q,
            # What the reader typed, shown in the page: marked as Chinese on English pages.
            "q_html": data_text(q),
            "kind": kind,
            "kind_title": finder.KINDS.get(kind, ""),
            "words": finder.words(q),
            "groups": groups,
            "found": sum(len(group.hits) for group in groups),
            "not_found": _("、").join(str(group.title) for group in groups if not group.hits),
            "limit": finder.KIND_LIMIT if kind else finder.LIMIT,
            "csv_url": f"{reverse('budgets:search_csv')}?{csv_query}",
            "all_url": f"{reverse('budgets:search')}?{urlencode({'q': q})}",
        },
    )


def csv_rows(request, groups):
    for group in groups:
        for hit in group.hits:
            yield [
                group.title,
                hit.label,
                hit.code,
                hit.name,
                hit.unit_code,
                hit.unit_name,
                hit.year,
                finder.full_context(hit),
                hit.text,
                hit.is_example,
                request.build_absolute_uri(hit.url),
            ]
