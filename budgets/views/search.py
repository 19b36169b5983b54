"""The search page and its CSV twin: the same hits, grouped by kind on the page, one row each
in the file."""

from django import forms
from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from budgets import search as finder
from budgets.exports import stream_csv
from budgets.parameters import parameter_problems

CSV_HEADER = [
    "类别",
    "说明",
    "编码",
    "名称",
    "单位编码",
    "单位名称",
    "年度",
    "所在位置",
    "内容",
    "示例数据",
    "链接",
]


class SearchQuery(forms.Form):
    q = forms.CharField(
        label="搜索词",
        required=False,
        max_length=finder.MAX_LENGTH,
        error_messages={
            "max_length": f"搜索词最多 {finder.MAX_LENGTH} 个字（现在是 %(show_value)d 个）。",
            "null_characters_not_allowed": "搜索词不能含有空字符（%00）。",
        },
    )
    kind = forms.ChoiceField(
        label="类别",
        required=False,
        choices=[("", "全部"), *finder.KINDS.items()],
        error_messages={
            "invalid_choice": f"没有“%(value)s”这个类别，可用：{'、'.join(finder.KINDS)}。"
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
        return stream_csv(CSV_HEADER, csv_rows(request, groups), "search.csv", "搜索结果.csv")
    for group in groups:
        group.more_url = f"{reverse('budgets:search')}?{urlencode({'q': q, 'kind': group.kind})}"
    csv_query = urlencode({"q": q, **({"kind": kind} if kind else {})})
    return render(
        request,
        "budgets/search.html",
        {
            "q": q,
            "kind": kind,
            "kind_title": finder.KINDS.get(kind, ""),
            "words": finder.words(q),
            "groups": groups,
            "found": sum(len(group.hits) for group in groups),
            "not_found": [group.title for group in groups if not group.hits],
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
                hit.context,
                hit.text,
                hit.is_example,
                request.build_absolute_uri(hit.url),
            ]
