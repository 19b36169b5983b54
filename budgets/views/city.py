"""The home page: the city's departments with their totals for a year (not every unit: with
1,500 units that was megabytes a visit), sortable and paginated, and the latest real
publications."""

from django.core.paginator import EmptyPage
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from budgets.city_tables import UNIT_MARK, YEAR_MARK, CityDepartmentTable, addresses
from budgets.forms import CityQuery
from budgets.models import Publication
from budgets.summaries import departments as rollups

LATEST_COUNT = 10


def home(request):
    query = CityQuery(request.GET, sortable=CityDepartmentTable.sortable()).parsed()
    years = rollups.city_years()
    year = query.get("year") or (years[0] if years else None)
    if query.get("year") and year not in years:
        raise Http404(_("没有 %(year)s 年已公开的预算或决算。") % {"year": year})
    rows = rollups.city_year(year) if year else []
    department_year = addresses("budgets:department_year", UNIT_MARK, YEAR_MARK)
    for row in rows:
        row.url = department_year(row.code, year)
    table = CityDepartmentTable(rows, order_by=query["sort"], query=request.GET)
    try:
        table.paginate(page=query["page"], per_page=query["per_page"])
    except EmptyPage:
        raise Http404(_("没有第 %(page)s 页。") % {"page": query["page"]}) from None
    # Real publications only: generated example units (示例数据) never crowd them out.
    latest = (
        Publication.objects.published()
        .filter(unit__is_example=False)
        .select_related("unit")
        .order_by("-year", "-published_on", "unit__code", "kind")[:LATEST_COUNT]
    )
    return render(
        request,
        "budgets/home.html",
        {"years": years, "year": year, "table": table, "latest": latest},
    )
