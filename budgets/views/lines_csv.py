"""The CSV of the lines page (/data/browse.csv): every open line with the page's filters and
sort, as lines.csv prints them.

Unfiltered, it is the built lines.csv, served from its file: the very bytes /data/ lists with
their SHA-256, at no cost to the database, whatever the number of lines. (Served here rather than
redirected to /data/lines.csv, so that a script or a spreadsheet fetching this address gets the
data without following a redirect and the file keeps the name it is saved under.) Before the
first build it is streamed like a filtered one.

Filtered, it is streamed from the open lines (budgets.lines_csv.csv_chunks: on PostgreSQL one
SELECT of their stored records). A stream that fails after its first bytes is cut without its
final chunk, so that a client reports an incomplete download, never a short file (see README,
"PostgreSQL").
"""

from django.core.exceptions import BadRequest
from django.http import StreamingHttpResponse

from budgets import downloads, served_files
from budgets.datasets import LINES
from budgets.exports import content_disposition
from budgets.filters import LINE_ORDERS, OpenLineFilter
from budgets.lines_csv import csv_chunks
from budgets.models import OpenLine
from budgets.parameters import parameter_problems


def _sort(request) -> str:
    sort = request.GET.get("sort", "").strip()
    if sort and sort not in LINE_ORDERS:
        raise BadRequest(f"参数 sort：不能按“{sort}”排序，可用：{'、'.join(LINE_ORDERS)}。")
    return sort or "pk"


def _filters(request) -> OpenLineFilter:
    filters = OpenLineFilter(request.GET, queryset=OpenLine.objects.all())
    if not filters.is_valid():
        raise BadRequest(parameter_problems(filters.errors))
    return filters


def _built_file(request):
    """The built lines.csv as a response (with its validators and ranges, as at
    /data/lines.csv), or None before the first build."""
    found = downloads.built_file(LINES.filename)
    if found is None:
        return None
    path, entry, listed = found
    return served_files.serve(request, path, entry, listed["built_at"], immutable=False)


def browse_csv(request):
    sort = _sort(request)
    filters = _filters(request)
    filtered = any(value not in (None, "") for value in filters.form.cleaned_data.values())
    if not filtered and sort == "pk":
        built = _built_file(request)
        if built is not None:
            return built
    lines = LINE_ORDERS[sort].apply(filters.qs)
    # A HEAD gets the headers only: servers read (and drop) whatever body they are given, and a
    # started stream holds the database connection until its generator is closed.
    chunks = csv_chunks(lines) if request.method != "HEAD" else iter(())
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(
        "lines-view.csv", "预算与决算明细（筛选）.csv"
    )
    return response
