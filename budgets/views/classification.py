"""Budget against final by classification: the whole tree, and one page per subject."""

from dataclasses import dataclass

from django.core.paginator import EmptyPage
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets import charts, summaries
from budgets.choices import Scheme, Topic
from budgets.exports import table_csv
from budgets.forms import ComparisonQuery, EconomicQuery
from budgets.i18n import in_english, local_name_text
from budgets.summaries.sources import VARIANCE_REASONS, topic_source
from budgets.tables import EconomicComparisonTable, FunctionalComparisonTable, StageSplitTable
from budgets.views.common import (
    csv_names,
    link_rows,
    no_parameters,
    scope_or_404,
    subject_url,
    year_context,
)

LEVEL_INDEX = {"class": 0, "section": 1, "item": 2}


@dataclass(frozen=True)
class ComparisonSpec:
    name: str
    scheme: str
    title: str  # a lazy translation
    table_class: type
    query_class: type
    # What the page's figures come from, by topic (budgets.summaries.sources.topic_source).
    budget_sources: tuple
    final_sources: tuple

    def source(self, scope):
        return topic_source(scope, self.budget_sources, self.final_sources)


FUNCTIONAL = ComparisonSpec(
    "functional",
    Scheme.FUNCTIONAL,
    gettext_lazy("预算与决算对比（支出功能分类）"),
    FunctionalComparisonTable,
    ComparisonQuery,
    (Topic.EXPENDITURE, Topic.GENERAL_BUDGET_BY_FUNCTION),
    (
        ((Topic.EXPENDITURE, Topic.GENERAL_BUDGET_BY_FUNCTION), ""),
        ((VARIANCE_REASONS,), gettext_lazy("（差异原因）")),
    ),
)
ECONOMIC = ComparisonSpec(
    "economic",
    Scheme.ECONOMIC,
    gettext_lazy("基本支出预算与决算对比（支出经济分类）"),
    EconomicComparisonTable,
    EconomicQuery,
    (Topic.BASIC_BY_ECONOMIC,),
    (Topic.BASIC_BY_ECONOMIC,),
)
SPECS = {spec.scheme: spec for spec in (FUNCTIONAL, ECONOMIC)}


def comparison_rows(spec: ComparisonSpec, scope, query) -> tuple[list, int]:
    """The rows a comparison page shows, and how many blank-in-both rows it hides."""
    rows = link_rows(summaries.comparison(scope, spec.scheme), scope, spec.scheme)
    if query.get("level"):
        rows = [row for row in rows if row.level == LEVEL_INDEX[query["level"]]]
    if query.get("expense_class"):
        rows = [row for row in rows if row.expense_class == query["expense_class"]]
    hidden = 0
    if spec.scheme == Scheme.ECONOMIC and query.get("blank") != "show":
        hidden = sum(1 for row in rows if row.is_blank)
        rows = [row for row in rows if not row.is_blank]
    return rows, hidden


def comparison(request, unit_code, year, spec, fmt=None):
    scope = scope_or_404(unit_code, year)
    sortable = [column.name for column in spec.table_class([]).columns if column.orderable]
    form = spec.query_class(request.GET, sortable=sortable)
    query = form.parsed()
    rows, hidden_blank = comparison_rows(spec, scope, query)
    table = spec.table_class(rows, order_by=query["sort"] or None)
    if fmt == "csv":
        return table_csv(table, *csv_names(scope, spec.name, str(spec.title)))
    try:
        table.paginate(page=query["page"], per_page=query["per_page"])
    except EmptyPage:
        raise Http404(_("没有第 %(page)s 页。") % {"page": query["page"]}) from None
    csv_url = reverse(f"budgets:{spec.name}_csv", args=[unit_code, year])
    context = {
        **year_context(scope, spec.name),
        "spec": spec,
        "table": table,
        "form": form,
        "hidden_blank": hidden_blank,
        "source": spec.source(scope),
        "csv_url": f"{csv_url}?{request.GET.urlencode()}" if request.GET else csv_url,
    }
    return render(request, "budgets/comparison.html", context)


def subject(request, unit_code, year, scheme, code, fmt=None):
    scope = scope_or_404(unit_code, year)
    if scheme not in SPECS:
        raise Http404(_("没有“%(scheme)s”这种分类。") % {"scheme": scheme})
    no_parameters(request)
    detail = summaries.subject_detail(scope, scheme, code)
    if detail is None:
        raise Http404(
            _("%(year)s 年的%(scheme)s中没有科目“%(code)s”。")
            % {"year": year, "scheme": Scheme(scheme).label, "code": code}
        )
    spec = SPECS[scheme]
    rows = [row for row in (detail.row, *detail.children) if row is not None]
    link_rows(rows, scope, scheme)
    # A subject and its few children keep the tree's order; the page takes no sort parameter,
    # so its headers must not offer one.
    table = spec.table_class(rows, orderable=False)
    subject_ = detail.subject
    if fmt == "csv":
        return table_csv(table, *csv_names(scope, f"{scheme}-{code}", f"{code}{subject_.name}"))
    chart_rows = detail.children or rows
    # The chart's subject: "事业运行的本科目" or "社会保障和就业支出的下级科目".
    what = _("%(subject)s的下级科目") if detail.children else _("%(subject)s的本科目")
    context = {
        **year_context(scope, spec.name),
        "spec": spec,
        "detail": detail,
        "subject": subject_,
        "row": detail.row,
        "ancestors": [(a, subject_url(scope, scheme, a.code)) for a in detail.ancestors],
        "table": table,
        "splits": StageSplitTable(summaries.stage_splits(detail), scheme=scheme),
        "chart": charts.budget_vs_final(chart_rows),
        "chart_summary": charts.describe_budget_vs_final(
            chart_rows,
            what % {"subject": local_name_text(subject_)},
            as_html=in_english(),
        ),
        "source": spec.source(scope),
        "csv_url": reverse("budgets:subject_csv", args=[unit_code, year, scheme, code]),
        "compare_years_url": reverse("budgets:compare_years", args=[unit_code, scheme, code]),
        "compare_department_url": department_subject_url(scope.unit, year, scheme, code),
    }
    return render(request, "budgets/subject.html", context)


def department_subject_url(unit, year, scheme, code) -> str:
    """The subject across the units of the unit's department, "" for a unit without one."""
    department = unit.parent
    if department is None or department.kind != department.Kind.DEPARTMENT:
        return ""
    return reverse("budgets:compare_department", args=[department.code, year, scheme, code])
