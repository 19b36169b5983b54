"""Comparison pages: a subject of a unit across years, a subject across the units of a
department in a year, and the units like a given one. Each has a CSV twin; each runs a fixed
number of queries whatever the number of units, years or facts."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from budgets import charts
from budgets.charts import comparisons as comparison_charts
from budgets.choices import Scheme
from budgets.comparison_tables import (
    DepartmentSubjectTable,
    SimilarUnitsCsvTable,
    SimilarUnitsTable,
    SubjectYearsTable,
)
from budgets.exports import table_csv
from budgets.i18n import in_english, local_name_text
from budgets.models import Unit
from budgets.summaries import comparisons
from budgets.views.common import no_parameters, scope_or_404, year_context

EXAMPLE_MARK = ("example-", "示例数据-")


def _csv_names(example: bool, ascii_name: str, utf8_name: str) -> tuple[str, str]:
    """File names; an example unit's files say so (示例数据)."""
    mark = EXAMPLE_MARK if example else ("", "")
    return f"{mark[0]}{ascii_name}.csv", f"{mark[1]}{utf8_name}.csv"


def _unit_or_404(unit_code: str) -> Unit:
    unit = Unit.objects.select_related("parent").filter(code=unit_code).first()
    if unit is None:
        raise Http404(_("没有编码为“%(code)s”的单位。") % {"code": unit_code})
    return unit


def _department_or_404(code: str) -> Unit:
    department = Unit.objects.filter(code=code, kind=Unit.Kind.DEPARTMENT).first()
    if department is None:
        raise Http404(_("没有编码为“%(code)s”的部门。") % {"code": code})
    return department


def subject_years(request, unit_code, scheme, code, fmt=None):
    """One subject of a unit in every year it has: initial budget and final, 推算 marked."""
    no_parameters(request)
    unit = _unit_or_404(unit_code)
    found = comparisons.subject_years(unit, scheme, code)
    if found is None:
        raise Http404(
            _(
                "单位“%(unit)s”没有已公开的预算或决算，或其最近一年的%(scheme)s中没有科目“%(code)s”。"
            )
            % {"unit": unit.name, "scheme": Scheme(scheme).label, "code": code}
        )
    for row in found.rows:
        if row.published and row.code:
            row.url = reverse("budgets:subject", args=[unit.code, row.year, scheme, row.code])
    table = SubjectYearsTable(found.rows)
    if fmt == "csv":
        # The file's name stays Chinese, as the Chinese page names it.
        title = f"{code} {found.subject.name} 历年"
        names = _csv_names(
            unit.is_example, f"{unit.code}-{scheme}-{code}-years", f"{unit.name}{title}"
        )
        return table_csv(table, *names)
    name = local_name_text(found.subject)
    what = _("%(subject)s（%(code)s）各年") % {"subject": name, "code": code}
    context = {
        "unit": unit,
        "example_data": unit.is_example,
        "found": found,
        "title": _("%(code)s %(subject)s 历年") % {"code": code, "subject": name},
        "scheme_label": Scheme(scheme).label,
        "table": table,
        "chart": comparison_charts.subject_year_bars(found.rows),
        "chart_summary": comparison_charts.describe_subject_years(found.rows, what),
        "subject_url": reverse("budgets:subject", args=[unit.code, found.year, scheme, code]),
        "source": _("各年预算、决算的明细相加；未公开年度的数字取自以后年度公开文件的引用"),
        "csv_url": reverse("budgets:compare_years_csv", args=[unit.code, scheme, code]),
    }
    return render(request, "budgets/compare_years.html", context)


def department_subject(request, department_code, year, scheme, code, fmt=None):
    """One subject across the units of a department in a year, with each unit's share."""
    no_parameters(request)
    department = _department_or_404(department_code)
    found = comparisons.department_subject(department, year, scheme, code)
    if found is None:
        raise Http404(
            _("%(year)s 年的%(scheme)s中没有科目“%(code)s”。")
            % {"year": year, "scheme": Scheme(scheme).label, "code": code}
        )
    if not found.published_count:
        raise Http404(
            _("部门“%(department)s”的单位没有 %(year)s 年已公开的预算或决算。")
            % {"department": local_name_text(department), "year": year}
        )
    for row in found.rows:
        if row.published:
            row.url = reverse("budgets:overview", args=[row.unit.code, year])
    table = DepartmentSubjectTable(found.rows)
    example = department.is_example or found.has_example
    if fmt == "csv":
        title = f"{code} {found.subject.name} 各单位对比"
        names = _csv_names(
            example,
            f"{department.code}-{year}-{scheme}-{code}-units",
            f"{department.name}{year}年{title}",
        )
        return table_csv(table, *names)
    name = local_name_text(found.subject)
    context = {
        "department": department,
        "example_data": example,
        "year": year,
        "found": found,
        "title": _("%(code)s %(subject)s 各单位对比") % {"code": code, "subject": name},
        "scheme_label": Scheme(scheme).label,
        "table": table,
        "chart": charts.budget_vs_final(found.rows),
        "chart_summary": charts.describe_budget_vs_final(
            found.rows,
            _("%(subject)s（%(code)s）各单位") % {"subject": name, "code": code},
            as_html=in_english(),
        ),
        "source": _("%(year)s年各单位预算、决算的明细相加") % {"year": year},
        "csv_url": reverse(
            "budgets:compare_department_csv", args=[department.code, year, scheme, code]
        ),
    }
    return render(request, "budgets/compare_department.html", context)


def similar(request, unit_code, year, fmt=None):
    """The units of the same department and of the same main 类, totals beside this unit's."""
    no_parameters(request)
    scope = scope_or_404(unit_code, year)
    unit = scope.unit
    found = comparisons.similar_units(unit, year)
    for row in (*found.same_department, *found.same_class):
        row.url = reverse("budgets:overview", args=[row.unit.code, year])
    department_table = SimilarUnitsTable(found.same_department, prefix="d-")
    class_table = SimilarUnitsTable(found.same_class, prefix="c-")
    if fmt == "csv":
        # One file: the department's units, then the units of the same main 类.
        rows = [
            *found.same_department,
            *(r for r in found.same_class if r not in found.same_department),
        ]
        names = _csv_names(
            unit.is_example, f"{unit.code}-{year}-similar", f"{unit.name}{year}年同类单位"
        )
        return table_csv(SimilarUnitsCsvTable(rows), *names)
    example = unit.is_example or any(
        r.unit.is_example for r in (*found.same_department, *found.same_class)
    )
    context = {
        **year_context(scope, "similar"),
        "example_data": example,
        "found": found,
        "department_table": department_table,
        "class_table": class_table,
        "department_chart": charts.budget_vs_final(found.same_department),
        "department_summary": charts.describe_budget_vs_final(
            found.same_department, _("同部门各单位"), as_html=in_english()
        ),
        "class_chart": charts.budget_vs_final(found.same_class),
        "class_summary": charts.describe_budget_vs_final(
            found.same_class, _("同类单位"), as_html=in_english()
        ),
        "source": _("%(year)s年各单位预算、决算的明细相加（功能分类）") % {"year": year},
        "csv_url": reverse("budgets:similar_csv", args=[unit.code, year]),
    }
    return render(request, "budgets/compare_similar.html", context)
