"""Department (部门) pages: the years its units published, and one year's units side by side
with the department's totals by functional and economic subject. Each table has a CSV twin."""

from django.core.paginator import EmptyPage
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.charts import departments as department_charts
from budgets.city_tables import (
    CODE_MARK,
    UNIT_MARK,
    YEAR_MARK,
    DepartmentSubjectTable,
    DepartmentUnitTable,
    DepartmentYearsTable,
    addresses,
)
from budgets.exports import table_csv
from budgets.forms import TableQuery
from budgets.i18n import local_name_text
from budgets.summaries import departments as rollups
from budgets.views.common import no_parameters

SOURCE = gettext_lazy("各单位已公开的预算（年初预算）和决算，按单位逐项相加")
CSV_TABLES = {
    "units": "各单位预算与决算",
    "functional": "部门支出按功能分类",
    "economic": "部门基本支出按经济分类",
}


def department_or_404(department_code: str):
    department = rollups.department_or_none(department_code)
    if department is None:
        raise Http404(_("没有找到编码为“%(code)s”的部门。") % {"code": department_code})
    return department


def csv_names(department, year: int, table: str) -> tuple[str, str]:
    mark = ("example-", "示例数据-") if department.is_example else ("", "")
    return (
        f"{mark[0]}{department.code}-{year}-{table}.csv",
        f"{mark[1]}{department.name}{year}年{CSV_TABLES[table]}.csv",
    )


def department(request, department_code):
    department_ = department_or_404(department_code)
    no_parameters(request)
    years = rollups.department_years(department_)
    department_year_ = addresses("budgets:department_year", UNIT_MARK, YEAR_MARK)
    for row in years:
        row.url = department_year_(department_.code, row.year)
    return render(
        request,
        "budgets/department.html",
        {
            "department": department_,
            "table": DepartmentYearsTable(years),
            "years": years,
            "example_data": department_.is_example,
        },
    )


def department_year(request, department_code, year, fmt=None):
    department_ = department_or_404(department_code)
    query = TableQuery(request.GET, sortable=DepartmentUnitTable.sortable()).parsed()
    summary = rollups.department_year(department_, year)
    if summary is None:
        raise Http404(
            _("%(department)s的单位没有 %(year)s 年已公开的预算或决算。")
            % {"department": local_name_text(department_), "year": year}
        )
    overview = addresses("budgets:overview", UNIT_MARK, YEAR_MARK)
    unit = addresses("budgets:unit", UNIT_MARK)
    for row in summary.units:
        published = row.budget_published or row.final_published
        row.url = overview(row.code, year) if published else unit(row.code)
    # Each 类 and 款 opens the same subject across the department's units (no query: the
    # address is built from the row).
    for scheme, rows in (("functional", summary.functional), ("economic", summary.economic)):
        across_units = addresses(
            "budgets:compare_department", UNIT_MARK, YEAR_MARK, scheme, CODE_MARK
        )
        for row in rows:
            row.url = across_units(department_.code, year, scheme, row.code)
    units = DepartmentUnitTable(summary.units, order_by=query["sort"], query=request.GET)
    functional = DepartmentSubjectTable(summary.functional, row_id_prefix="functional-")
    economic = DepartmentSubjectTable(summary.economic, row_id_prefix="economic-")
    if fmt is not None:
        table = {"units": units, "functional": functional, "economic": economic}[fmt]
        return table_csv(table, *csv_names(department_, year, fmt))
    try:
        units.paginate(page=query["page"], per_page=query["per_page"])
    except EmptyPage:
        raise Http404(_("没有第 %(page)s 页。") % {"page": query["page"]}) from None
    chart, chart_summary = department_charts.by_class(summary.functional)
    return render(
        request,
        "budgets/department_year.html",
        {
            "department": department_,
            "year": year,
            "summary": summary,
            "units_table": units,
            "functional_table": functional,
            "economic_table": economic,
            "chart": chart,
            "chart_summary": chart_summary,
            "year_links": [
                {
                    "year": year_,
                    "url": reverse("budgets:department_year", args=[department_.code, year_]),
                    "current": year_ == year,
                }
                for year_ in summary.years
            ],
            "source": SOURCE,
            "csv_urls": {
                name: reverse(f"budgets:department_{name}_csv", args=[department_.code, year])
                for name in CSV_TABLES
            },
            "example_data": department_.is_example,
        },
    )
