"""The pages of a unit's year that tell the story: the overview (plan, outcome and the way
from one to the other), where the money went, the three public expenses, earlier years."""

from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from budgets import charts, summaries
from budgets.choices import ExpenseClass, PublicationKind, Scheme, Stage, Topic
from budgets.exports import table_csv
from budgets.quality import about_three_public
from budgets.rates import Denominator, percent_text, rate
from budgets.summaries.answers import answers, findings_about, notes_for
from budgets.summaries.sources import VARIANCE_REASONS, topic_source
from budgets.tables import HistoryTable, SplitTable, ThreePublicTable, WaterfallTable
from budgets.views.common import (
    csv_names,
    link_rows,
    no_parameters,
    scope_or_404,
    year_context,
)

# The tables that print the year's total expenditure (支出总表, 支出决算表).
TOTAL_TOPICS = (Topic.EXPENDITURE,)

SUMMARY_TOPICS = {
    Topic.INCOME_EXPENDITURE_SUMMARY,
    Topic.INCOME,
    Topic.EXPENDITURE,
    Topic.FISCAL_SUMMARY,
}


def split_rows(totals: summaries.StageTotals) -> list[dict]:
    """Basic and project expenditure with shares at each publication's precision (the budget
    prints two places, the final accounts one)."""
    rows = [
        (_("基本支出"), totals.initial_basic, totals.initial_basic_share, totals.final_basic,
         totals.final_basic_share),
        (_("项目支出"), totals.initial_project, totals.initial_project_share, totals.final_project,
         totals.final_project_share),
        (_("合计"), totals.initial, rate(totals.initial, totals.initial, of=Denominator.WHOLE),
         totals.final, rate(totals.final, totals.final, of=Denominator.WHOLE)),
    ]  # fmt: skip
    return [
        {
            "label": label,
            "initial": initial,
            "initial_share": percent_text(initial_share, 2),
            "final": final,
            "final_share": percent_text(final_share),
        }
        for label, initial, initial_share, final, final_share in rows
    ]


def variance_steps(rows) -> list:
    """The 项 whose figure changed between the initial budget and the final accounts."""
    return [row for row in rows if row.level == 2 and row.change]


def overview(request, unit_code, year, fmt=None):
    scope = scope_or_404(unit_code, year)
    no_parameters(request)
    totals = summaries.stage_totals(scope)
    split = SplitTable(split_rows(totals))
    rows = link_rows(summaries.comparison(scope, Scheme.FUNCTIONAL), scope, Scheme.FUNCTIONAL)
    steps = variance_steps(rows)
    if fmt == "csv":
        return table_csv(split, *csv_names(scope, "basic-project", "基本支出与项目支出"))
    if fmt == "changes":
        return table_csv(WaterfallTable(steps), *csv_names(scope, "changes", "预算到决算的变化"))
    classes = [row for row in rows if row.level == 0]
    has_both = totals.initial is not None and totals.final is not None
    context = {
        **year_context(scope, "overview"),
        "totals": totals,
        "answers": answers(scope, totals, steps),
        "split": split,
        "split_csv_url": reverse("budgets:overview_csv", args=[unit_code, year]),
        "classes": classes,
        "chart": charts.budget_vs_final(classes),
        "chart_summary": charts.describe_budget_vs_final(
            classes, _("%(year)s 年按功能分类（类）") % {"year": year}, as_html=True
        ),
        "waterfall": charts.variance_waterfall(totals.initial, totals.final, steps)
        if has_both
        else None,
        "waterfall_summary": charts.describe_waterfall(
            totals.initial, totals.final, steps, as_html=True
        )
        if has_both
        else "",
        "steps": WaterfallTable(steps),
        "steps_csv_url": reverse("budgets:overview_changes", args=[unit_code, year]),
        "source": topic_source(scope, TOTAL_TOPICS, TOTAL_TOPICS),
        "steps_source": topic_source(
            scope, TOTAL_TOPICS, ((TOTAL_TOPICS, ""), ((VARIANCE_REASONS,), _("（差异原因）")))
        ),
        # Where the figures at the top are printed, and where the adjusted budget is.
        "total_sections": {
            "budget": scope.sections_of(PublicationKind.BUDGET, *TOTAL_TOPICS),
            "final": scope.sections_of(PublicationKind.FINAL, *TOTAL_TOPICS),
            "adjusted": scope.sections_of(PublicationKind.FINAL, Topic.UNIT_PERFORMANCE),
        },
        "sections": scope.sections,
        "summary_sections": [s for s in scope.sections if s.topic in SUMMARY_TOPICS],
    }
    return render(request, "budgets/overview.html", context)


def structure(request, unit_code, year):
    scope = scope_or_404(unit_code, year)
    no_parameters(request)
    totals = summaries.stage_totals(scope)
    functional = link_rows(summaries.comparison(scope, Scheme.FUNCTIONAL), scope, Scheme.FUNCTIONAL)
    economic = link_rows(summaries.comparison(scope, Scheme.ECONOMIC), scope, Scheme.ECONOMIC)
    projects = summaries.project_amounts(scope, Stage.FINAL)
    personnel = [row for row in economic if row.expense_class == ExpenseClass.PERSONNEL]
    public = [row for row in economic if row.expense_class == ExpenseClass.PUBLIC]
    context = {
        **year_context(scope, "structure"),
        "totals": totals,
        "functional_chart": charts.functional_treemap(functional, totals.final)
        if totals.final is not None
        else None,
        "economic_chart": charts.economic_treemap(personnel, public, projects, totals)
        if totals.final is not None
        else None,
        "classes": [row for row in functional if row.level == 0 and row.final is not None],
        "functional_source": topic_source(scope, final=TOTAL_TOPICS),
        "economic_source": topic_source(
            scope,
            final=(
                ((Topic.BASIC_BY_ECONOMIC,), _("（基本支出）")),
                ((Topic.EXPENDITURE, Topic.PROJECT_PERFORMANCE), _("（项目支出）")),
            ),
        ),
    }
    return render(request, "budgets/structure.html", context)


def history_source(points, year: int) -> str:
    """Where the earlier years' figures are printed or implied, and which are implied (推算),
    from the figures themselves, e.g.
    "2024年预算表11、2024年决算第三部分一（2023 年决算为推算）"."""
    earlier = [point for point in points if point.year < year and point.series == "total"]
    sources = list(dict.fromkeys(point.source for point in earlier))
    implied = list(
        dict.fromkeys(
            _("%(year)s 年%(stage)s") % {"year": p.year, "stage": Stage(p.stage).label}
            for p in earlier
            if p.derived
        )
    )
    text = _("、").join(sources) or _("%(year)s年的公开文件") % {"year": year}
    if implied:
        return _("%(sources)s（%(implied)s为推算）") % {
            "sources": text,
            "implied": _("、").join(implied),
        }
    return text


def history(request, unit_code, year, fmt=None):
    scope = scope_or_404(unit_code, year)
    no_parameters(request)
    points = summaries.history(scope, summaries.stage_totals(scope))
    table = HistoryTable(points)
    if fmt == "csv":
        return table_csv(table, *csv_names(scope, "history", "历年支出"))
    context = {
        **year_context(scope, "history"),
        "chart": charts.history_bars(points),
        "chart_summary": charts.describe_history(points),
        "table": table,
        "source": history_source(points, year),
        "derived": [point for point in points if point.derived],
        "csv_url": reverse("budgets:history_csv", args=[unit_code, year]),
    }
    return render(request, "budgets/history.html", context)


def three_public(request, unit_code, year, fmt=None):
    scope = scope_or_404(unit_code, year)
    no_parameters(request)
    title = "“三公”经费"
    rows = summaries.three_public(scope)
    table = ThreePublicTable(rows)
    if fmt == "csv":
        return table_csv(table, *csv_names(scope, "three-public", title))
    statements = summaries.stated_figures(
        scope, Q(measure="three_public") | ~Q(three_public_kind="")
    )
    context = {
        **year_context(scope, "three_public"),
        "title": title,
        "table": table,
        "statements": statements,
        "notes": notes_for(
            findings_about(scope),
            [(row.label, about_three_public(row.kind)) for row in rows if row.kind],
        ),
        "source": topic_source(scope, (Topic.THREE_PUBLIC,), (Topic.THREE_PUBLIC,)),
        "three_public_sections": {
            "budget": scope.sections_of(PublicationKind.BUDGET, Topic.THREE_PUBLIC),
            "final": scope.sections_of(PublicationKind.FINAL, Topic.THREE_PUBLIC),
        },
        "csv_url": reverse("budgets:three_public_csv", args=[unit_code, year]),
    }
    return render(request, "budgets/three_public.html", context)
