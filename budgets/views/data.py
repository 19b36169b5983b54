"""Open data: the bulk downloads, served as the bytes that were built, the data dictionary,
and the lines page. A request never builds anything."""

from functools import lru_cache
from html import escape
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import BadRequest
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets import downloads, keyset, served_files
from budgets.choices import FundSource, ThreePublicKind
from budgets.datasets import DATASETS
from budgets.filters import (
    DEFAULT_LINE_ORDER,
    LINE_ORDERS,
    LineFilter,
    OpenLineFilter,
    walks_order_index,
)
from budgets.formatting import wan
from budgets.forms import DEFAULT_PER_PAGE, MAX_PER_PAGE
from budgets.i18n import HAN, current, in_english
from budgets.keyset import Cursor
from budgets.models import OpenLine
from budgets.parameters import WholeNumberField, parameter_problems
from budgets.views.common import no_parameters

CODE_LISTS = [
    ("stage", gettext_lazy("阶段 Stage"), [("initial_budget", "年初预算", "initial budget"),
                             ("adjusted_budget", "调整预算（全年预算数）", "adjusted budget"),
                             ("final", "决算", "final accounts")]),
    ("breakdown", gettext_lazy("分类 Breakdown"), [("functional", "支出功能分类", "functional"),
                                     ("economic", "支出经济分类（基本支出）", "economic"),
                                     ("", "空白：未细分的单位合计", "blank: unit-wide total")]),
    ("functional_level", gettext_lazy("功能分类层级 Level"), [("class", "类", "class (3 digits)"),
                                               ("section", "款", "section (5 digits)"),
                                               ("item", "项", "item (7 digits)")]),
    ("expenditure_type", gettext_lazy("支出类型"), [("basic", "基本支出", "basic"),
                                      ("project", "项目支出", "project")]),
    ("expense_class", gettext_lazy("经费性质"),
     [("personnel", "人员经费（经济分类 301、303）", "personnel"),
      ("public", "公用经费（经济分类 302、310）", "public")]),
    ("fund_source", gettext_lazy("资金来源"), [(value, label, value.replace("_", " "))
                                 for value, label in FundSource.choices]),
    ("kind", gettext_lazy("“三公”经费项目"), [(value, label, value.replace("_", " "))
                                for value, label in ThreePublicKind.choices]),
]  # fmt: skip


def attribution() -> str:
    """downloads.ATTRIBUTION says it in Chinese, then in English (its last sentence): English
    pages give the English sentence only."""
    if in_english():
        return downloads.ATTRIBUTION.partition("。")[2]
    return downloads.ATTRIBUTION


def index(request):
    no_parameters(request)
    manifest = downloads.manifest()
    return render(
        request,
        "budgets/data.html",
        {
            "manifest": manifest,
            "datasets": DATASETS,
            "license": downloads.LICENSE,
            "attribution": attribution(),
            "sources": downloads.publication_sources(),
        },
    )


def dictionary(request):
    no_parameters(request)
    return render(
        request,
        "budgets/dictionary.html",
        {
            "datasets": DATASETS,
            "code_lists": CODE_LISTS,
            "license": downloads.LICENSE,
            "attribution": attribution(),
            "sources": downloads.publication_sources(),
        },
    )


def download(request, name):
    """A file of the latest build, at the address that always holds the latest (cached a few
    minutes, then revalidated; budgets.served_files)."""
    found = downloads.built_file(name)
    if found is None:
        raise Http404(_("没有名为“%(name)s”的下载文件，或文件尚未生成。") % {"name": name})
    path, entry, listed = found
    return served_files.serve(request, path, entry, listed["built_at"], immutable=False)


def applied_filters(form) -> str:
    """The filters in force, as the form labels them ("阶段：决算、分类：支出功能分类")."""
    applied = []
    for name, value in form.cleaned_data.items():
        if value in (None, ""):
            continue
        choices = dict(getattr(form.fields[name], "choices", ()))
        applied.append(
            _("%(filter)s：%(value)s")
            % {"filter": form.fields[name].label, "value": choices.get(value, value)}
        )
    return _("、").join(applied)


# The columns of lines.csv, the amount moved forward to the first screen (lines.csv keeps its
# own order): (column, class of its cells, whether the address can sort by it).
LINE_COLUMNS = [
    ("year", "", True),
    ("stage", "", False),
    ("direction", "", False),
    ("breakdown", "", False),
    ("functional_code", "", False),
    ("functional_name", "name", False),
    ("economic_code", "", False),
    ("economic_name", "name", False),
    ("amount", "num", True),
    ("unit_code", "", False),
    ("unit_name", "", False),
    ("functional_level", "", False),
    ("expenditure_type", "", False),
    ("expense_class", "", False),
    ("fund_source", "", False),
    ("project_code", "", False),
    ("source", "", False),
]
BAD_CURSOR = gettext_lazy(
    "翻页位置无效：请用本页的“上一页”“下一页”链接翻页（换了排序要从第一页开始）。"
)


class LinesQuery(forms.Form):
    """The lines page's own parameters: the order, the page (a cursor from its links) and the
    page size."""

    sort = forms.CharField(label=gettext_lazy("排序"), required=False)
    cursor = forms.CharField(label=gettext_lazy("翻页位置"), required=False, strip=False)
    per_page = WholeNumberField(
        label=gettext_lazy("每页行数"), required=False, min_value=1, max_value=MAX_PER_PAGE
    )

    def clean_sort(self):
        sort = self.cleaned_data["sort"] or DEFAULT_LINE_ORDER
        if sort not in LINE_ORDERS:
            raise forms.ValidationError(
                _("不能按“%(key)s”排序，可用：%(allowed)s（前加“-”为降序）。")
                % {"key": sort, "allowed": _("、").join(LINE_ORDERS)}
            )
        return sort

    def clean(self):
        data = super().clean()
        token = data.get("cursor")
        data["cursor"] = None
        if token and data.get("sort"):
            try:
                data["cursor"] = Cursor.decode(token, LINE_ORDERS[data["sort"]])
            except ValueError:
                self.add_error("cursor", BAD_CURSOR)
        return data


def _header(name: str, css: str, sortable: bool, sort: str, request) -> dict:
    """A column header as django-tables2 drew it: sortable ones link to their order (the
    other direction when already sorted by it), keeping the filters, leaving the page."""
    classes = [css] if css == "num" else []  # "name" is for the cells alone
    if sortable:
        current = {name: "asc", f"-{name}": "desc"}.get(sort)
        if current:
            classes.insert(0, current)
        classes.append("orderable")
        params = request.GET.copy()
        params.pop("cursor", None)
        params["sort"] = f"-{name}" if sort == name else name
        return {"name": name, "class": " ".join(classes), "url": f"?{params.urlencode()}"}
    return {"name": name, "class": " ".join(classes), "url": ""}


# Each cell's opening tag, as django-tables2 wrote it (its column's header as data-label for the
# stacked layout on phones).
_CELL_TAGS = [
    (name, f'<td class="{css}" data-label="{name}">' if css else f'<td data-label="{name}">')
    for name, css, _sortable in LINE_COLUMNS
]


def _row_html(row: dict, english: bool = False) -> str:
    """One table row. Written here rather than cell by cell in the template: 1,700 cells
    through template tags took ~40 ms of a 100-line page, this takes ~1 ms. (The standard
    library's escape: Django's, the same function behind a lazy-text wrapper, is 3× slower.)
    On English pages a cell of Chinese text (a name, a source) is published data, marked
    lang="zh-Hans" (budgets.i18n.data_text's rule, inlined for the same reason)."""
    cells = "".join(
        f"{tag}{_cell(escape(wan(row[name]) if name == 'amount' else str(row[name])), english)}"
        "</td>"
        for name, tag in _CELL_TAGS
    )
    return mark_safe(f"<tr>{cells}</tr>")  # every value is escaped above


def _cell(text: str, english: bool) -> str:
    if english and HAN.search(text):
        return f'<span lang="zh-Hans">{text}</span>'
    return text


@lru_cache(maxsize=512)
def _filter_fields(values: tuple, language: str) -> str:
    """The filter form's fields holding these (name, value) pairs, as HTML. Eleven widgets
    rendered through their templates were a third of the page's time; they depend on the
    values and the language alone (the choices are fixed), so each combination is rendered
    once a process; the language is part of the key because labels are translated."""
    form = OpenLineFilter(QueryDict(urlencode(values)), queryset=OpenLine.objects.none()).form
    return mark_safe(  # labels are escaped here, widgets by Django
        "".join(f"<label>{escape(str(field.label))}{field}</label>" for field in form)
    )


def _page_url(request, cursor) -> str:
    params = request.GET.copy()
    params["cursor"] = cursor.encode()
    return f"?{params.urlencode()}"


def _count(page, cursor, per_page: int) -> str:
    """What the first page knows of the view's size without counting it: counting a view of
    a million lines read all of them on every request (170 ms), and even a count bounded at
    10,000 cost more than the page wherever the filters have no index of their own."""
    if cursor is not None:
        return ""
    if page.next is None:
        return _("共 %(count)s 条") % {"count": len(page.rows)}
    return _("超过 %(count)s 条") % {"count": per_page}


def browse(request):
    """Every open line (budgets.models.OpenLine), filtered and sorted by the address, a page at
    a time after the cursor of the page before (keyset pagination: page 1,000 costs what page 1
    costs), with the CSV of exactly this view. Amounts in 万元, as lines.csv prints them."""
    filters = LineFilter(request.GET, queryset=OpenLine.objects.all())
    query = LinesQuery(request.GET)
    known = set(query.fields) | set(filters.base_filters)
    unknown = sorted(set(request.GET) - known)
    if unknown:
        message = _("未知参数。可用的参数：%(known)s。") % {"known": _("、").join(sorted(known))}
        raise BadRequest(parameter_problems({name: [message] for name in unknown}))
    if not query.is_valid():
        raise BadRequest(parameter_problems(query.errors))
    if not filters.is_valid():
        raise BadRequest(parameter_problems(filters.errors))
    sort, cursor = query.cleaned_data["sort"], query.cleaned_data["cursor"]
    per_page = query.cleaned_data["per_page"] or DEFAULT_PER_PAGE
    names = [name for name, _css, _sortable in LINE_COLUMNS]
    walk = walks_order_index(filters.form.cleaned_data.get("unit_prefix"))
    page = keyset.paginate(
        filters.qs.values("pk", *names), LINE_ORDERS[sort], per_page, cursor, walk
    )
    if cursor is not None and not page.rows:
        raise Http404(_("没有更多数据了：这一页已在最后一条之后。"))
    english = in_english()
    rows = [_row_html(row, english) for row in page.rows]
    csv_params = request.GET.copy()
    for paging in ("cursor", "per_page"):
        csv_params.pop(paging, None)
    csv_url = reverse("budgets:data_browse_csv")
    chosen = tuple(
        (name, request.GET[name]) for name in filters.base_filters if name in request.GET
    )
    return render(
        request,
        "budgets/browse.html",
        {
            "columns": [
                _header(name, css, sortable, sort, request) for name, css, sortable in LINE_COLUMNS
            ],
            "rows": rows,
            "count": _count(page, cursor, per_page),
            "previous_url": _page_url(request, page.previous) if page.previous else "",
            "next_url": _page_url(request, page.next) if page.next else "",
            "filter_fields": _filter_fields(chosen, current()),
            "applied": applied_filters(filters.form),
            "csv_url": f"{csv_url}?{csv_params.urlencode()}" if csv_params else csv_url,
        },
    )
