"""Open data: the bulk downloads, served as the bytes that were built, and the data
dictionary. A request never builds anything."""

from django.core.exceptions import BadRequest
from django.core.paginator import EmptyPage
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse

from budgets import downloads
from budgets.choices import FundSource, ThreePublicKind
from budgets.datasets import DATASETS, LINES, line_rows, open_facts, project_links
from budgets.exports import content_disposition, stream_csv
from budgets.filters import LineFilter
from budgets.forms import TableQuery
from budgets.models import Citation
from budgets.tables import LinesTable
from budgets.views.common import no_parameters

CODE_LISTS = [
    ("stage", "阶段 Stage", [("initial_budget", "年初预算", "initial budget"),
                             ("adjusted_budget", "调整预算（全年预算数）", "adjusted budget"),
                             ("final", "决算", "final accounts")]),
    ("breakdown", "分类 Breakdown", [("functional", "支出功能分类", "functional"),
                                     ("economic", "支出经济分类（基本支出）", "economic"),
                                     ("", "空白：未细分的单位合计", "blank: unit-wide total")]),
    ("functional_level", "功能分类层级 Level", [("class", "类", "class (3 digits)"),
                                               ("section", "款", "section (5 digits)"),
                                               ("item", "项", "item (7 digits)")]),
    ("expenditure_type", "支出类型", [("basic", "基本支出", "basic"),
                                      ("project", "项目支出", "project")]),
    ("expense_class", "经费性质", [("personnel", "人员经费（经济分类 301、303）", "personnel"),
                                   ("public", "公用经费（经济分类 302、310）", "public")]),
    ("fund_source", "资金来源", [(value, label, value.replace("_", " "))
                                 for value, label in FundSource.choices]),
    ("kind", "“三公”经费项目", [(value, label, value.replace("_", " "))
                                for value, label in ThreePublicKind.choices]),
]  # fmt: skip


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
            "attribution": downloads.ATTRIBUTION,
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
            "attribution": downloads.ATTRIBUTION,
        },
    )


def download(request, name):
    path = downloads.file_path(name)
    if path is None or not path.exists():
        raise Http404(f"没有名为“{name}”的下载文件，或文件尚未生成。")
    entry = next(e for e in downloads.manifest()["files"] if e["name"] == name)
    response = FileResponse(path.open("rb"), content_type=entry["media_type"])
    response["Content-Disposition"] = content_disposition(name, name)
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-SHA256"] = entry["sha256"]
    return response


def applied_filters(form) -> str:
    """The filters in force, as the form labels them ("阶段：决算、分类：支出功能分类")."""
    applied = []
    for name, value in form.cleaned_data.items():
        if value in (None, ""):
            continue
        choices = dict(getattr(form.fields[name], "choices", ()))
        applied.append(f"{form.fields[name].label}：{choices.get(value, value)}")
    return "、".join(applied)


def browse(request, fmt=None):
    """Every published line, filtered and sorted by the address, with the CSV of exactly this
    view streamed from the database."""
    sortable = [column.name for column in LinesTable([]).columns if column.orderable]
    query = TableQuery(request.GET, sortable=sortable).parsed()
    filters = LineFilter(request.GET, queryset=open_facts().order_by("pk"))
    if not filters.is_valid():
        problems = "；".join(
            f"参数 {name}：{'，'.join(messages)}" for name, messages in filters.errors.items()
        )
        raise BadRequest(problems)
    facts = filters.qs.select_related("publication", "unit", "subject").prefetch_related(
        Prefetch("citations", Citation.objects.select_related("section__publication"))
    )
    links = project_links()
    table = LinesTable(facts, order_by=query["sort"] or None, links=links)
    if fmt == "csv":
        rows = line_rows(table.data.data, links)
        return stream_csv(LINES.header, rows, "lines-view.csv", "预算与决算明细（筛选）.csv")
    try:
        table.paginate(page=query["page"], per_page=query["per_page"])
    except EmptyPage:
        raise Http404(f"没有第 {query['page']} 页。") from None
    csv_url = reverse("budgets:data_browse_csv")
    return render(
        request,
        "budgets/browse.html",
        {
            "table": table,
            "filters": filters,
            "applied": applied_filters(filters.form),
            "csv_url": f"{csv_url}?{request.GET.urlencode()}" if request.GET else csv_url,
        },
    )
