"""Public pages: parse the request, ask summaries for rows, render. Each table page has a CSV
twin (same rows, same columns) at the same address ending in .csv."""

from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.core.paginator import EmptyPage
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from budgets import charts, summaries
from budgets.choices import PublicationKind, Scheme, Topic
from budgets.exports import stream_csv, table_csv, value_rows
from budgets.forms import ComparisonQuery, EconomicQuery, TableQuery
from budgets.models import Publication, Section, Unit
from budgets.rates import percent, percent_text
from budgets.tables import (
    CostLineTable,
    EconomicComparisonTable,
    EvaluationCsvTable,
    EvaluationTable,
    FunctionalComparisonTable,
    ProcurementTable,
    ProjectStageTable,
    SplitTable,
    TargetCsvTable,
    TargetTable,
    ThreePublicTable,
)

LEVEL_INDEX = {"class": 0, "section": 1, "item": 2}
YEAR_PAGES = [
    ("overview", "概览"),
    ("functional", "预算与决算对比"),
    ("economic", "基本支出"),
    ("projects", "项目支出"),
    ("three_public", "“三公”经费"),
    ("performance", "绩效"),
]


def scope_or_404(unit_code: str, year: int) -> summaries.Scope:
    scope = summaries.published_scope(unit_code, year)
    if scope is None:
        raise Http404(f"没有找到单位“{unit_code}”{year} 年已公开的预算或决算。")
    return scope


def year_context(scope: summaries.Scope, active: str) -> dict:
    """What every page of a unit's year shows: the unit, the year and the page links."""
    nav = [
        {
            "title": title,
            "url": reverse(f"budgets:{name}", args=[scope.unit.code, scope.year]),
            "active": name == active,
        }
        for name, title in YEAR_PAGES
    ]
    return {"scope": scope, "unit": scope.unit, "year": scope.year, "nav": nav}


def source_text(scope: summaries.Scope, budget_tables: str, final_tables: str) -> str:
    parts = []
    if scope.budget:
        parts.append(f"{scope.year}年单位预算{budget_tables}")
    if scope.final:
        parts.append(f"{scope.year}年度单位决算{final_tables}")
    return "；".join(parts)


def csv_names(scope: summaries.Scope, slug: str, title: str) -> tuple[str, str]:
    """An ASCII file name and the Chinese one, for Content-Disposition."""
    return (
        f"{scope.unit.code}-{scope.year}-{slug}.csv",
        f"{scope.unit.name}{scope.year}年{title}.csv",
    )


def no_parameters(request):
    """Pages without sorting or paging still refuse malformed paging parameters."""
    TableQuery(request.GET, sortable=[]).parsed()


@require_safe
def home(request):
    publications = (
        Publication.objects.published()
        .select_related("unit", "unit__parent")
        .order_by("unit__parent__code", "unit__code", "-year", "kind")
    )
    departments = {}
    for publication in publications:
        unit = publication.unit
        department = unit.parent or unit
        entry = departments.setdefault(department.code, {"department": department, "units": {}})
        unit_entry = entry["units"].setdefault(unit.code, {"unit": unit, "years": {}})
        unit_entry["years"].setdefault(publication.year, []).append(publication)
    return render(request, "budgets/home.html", {"departments": list(departments.values())})


@require_safe
def unit_detail(request, unit_code):
    unit = get_object_or_404(Unit.objects.select_related("parent"), code=unit_code)
    publications = (
        Publication.objects.published()
        .filter(unit=unit)
        .select_related("unit")
        .order_by("-year", "kind")
    )
    years = sorted({p.year for p in publications}, reverse=True)
    children = unit.children.order_by("code")
    return render(
        request,
        "budgets/unit.html",
        {"unit": unit, "publications": publications, "years": years, "children": children},
    )


def split_rows(totals: summaries.StageTotals) -> list[dict]:
    """Basic and project expenditure with shares at each publication's precision (the budget
    prints two places, the final accounts one)."""
    rows = [
        (
            "基本支出",
            totals.initial_basic,
            totals.initial_basic_share,
            totals.final_basic,
            totals.final_basic_share,
        ),
        (
            "项目支出",
            totals.initial_project,
            totals.initial_project_share,
            totals.final_project,
            totals.final_project_share,
        ),
        (
            "合计",
            totals.initial,
            percent(totals.initial, totals.initial),
            totals.final,
            percent(totals.final, totals.final),
        ),
    ]
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


@require_safe
def overview(request, unit_code, year, fmt=None):
    scope = scope_or_404(unit_code, year)
    no_parameters(request)
    totals = summaries.stage_totals(scope)
    split = SplitTable(split_rows(totals))
    if fmt == "csv":
        return table_csv(split, *csv_names(scope, "basic-project", "基本支出与项目支出"))
    classes = [row for row in summaries.comparison(scope, Scheme.FUNCTIONAL) if row.level == 0]
    source = source_text(scope, "表3", "公开03")
    sections = Section.objects.filter(publication__in=scope.publications).select_related(
        "publication__unit"
    )
    summary_topics = {
        Topic.INCOME_EXPENDITURE_SUMMARY,
        Topic.INCOME,
        Topic.EXPENDITURE,
        Topic.FISCAL_SUMMARY,
    }
    context = {
        **year_context(scope, "overview"),
        "totals": totals,
        "split": split,
        "split_csv_url": reverse("budgets:overview_csv", args=[unit_code, year]),
        "classes": classes,
        "chart": charts.budget_vs_final_by_class(classes),
        "chart_summary": charts.describe_by_class(classes, scope.year),
        "source": source,
        "sections": sections,
        "summary_sections": [s for s in sections if s.topic in summary_topics],
    }
    return render(request, "budgets/overview.html", context)


@dataclass(frozen=True)
class ComparisonSpec:
    name: str
    scheme: str
    title: str
    table_class: type
    query_class: type
    budget_tables: str
    final_tables: str


FUNCTIONAL = ComparisonSpec(
    "functional",
    Scheme.FUNCTIONAL,
    "预算与决算对比（支出功能分类）",
    FunctionalComparisonTable,
    ComparisonQuery,
    "表3、表5-1",
    "公开03、公开05，差异原因见说明五（三）",
)
ECONOMIC = ComparisonSpec(
    "economic",
    Scheme.ECONOMIC,
    "基本支出预算与决算对比（支出经济分类）",
    EconomicComparisonTable,
    EconomicQuery,
    "表6",
    "公开06",
)


def comparison_rows(spec: ComparisonSpec, scope, query) -> tuple[list, int]:
    """The rows a comparison page shows, and how many blank-in-both rows it hides."""
    rows = summaries.comparison(scope, spec.scheme)
    if query.get("level"):
        rows = [row for row in rows if row.level == LEVEL_INDEX[query["level"]]]
    if query.get("expense_class"):
        rows = [row for row in rows if row.expense_class == query["expense_class"]]
    hidden = 0
    if spec.scheme == Scheme.ECONOMIC and query.get("blank") != "show":
        hidden = sum(1 for row in rows if row.is_blank)
        rows = [row for row in rows if not row.is_blank]
    return rows, hidden


@require_safe
def comparison(request, unit_code, year, spec, fmt=None):
    scope = scope_or_404(unit_code, year)
    sortable = [column.name for column in spec.table_class([]).columns if column.orderable]
    form = spec.query_class(request.GET, sortable=sortable)
    query = form.parsed()
    rows, hidden_blank = comparison_rows(spec, scope, query)
    table = spec.table_class(rows, order_by=query["sort"] or None)
    if fmt == "csv":
        return table_csv(table, *csv_names(scope, spec.name, spec.title))
    try:
        table.paginate(page=query["page"], per_page=query["per_page"])
    except EmptyPage:
        raise Http404(f"没有第 {query['page']} 页。") from None
    csv_url = reverse(f"budgets:{spec.name}_csv", args=[unit_code, year])
    context = {
        **year_context(scope, spec.name),
        "spec": spec,
        "table": table,
        "form": form,
        "hidden_blank": hidden_blank,
        "source": source_text(scope, spec.budget_tables, spec.final_tables),
        "csv_url": f"{csv_url}?{request.GET.urlencode()}" if request.GET else csv_url,
    }
    return render(request, "budgets/comparison.html", context)


@require_safe
def three_public(request, unit_code, year, fmt=None):
    scope = scope_or_404(unit_code, year)
    no_parameters(request)
    title = "“三公”经费"
    table = ThreePublicTable(summaries.three_public(scope))
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
        "source": source_text(scope, "表7", "公开09"),
        "csv_url": reverse("budgets:three_public_csv", args=[unit_code, year]),
    }
    return render(request, "budgets/three_public.html", context)


PROJECT_TABLES = {
    # fmt: (table for one project's rows, file slug, title)
    "csv": (lambda card: ProjectStageTable(card.stage_rows()), "projects", "项目预算与执行"),
    "cost-lines": (
        lambda card: CostLineTable(card.cost_lines),
        "project-cost-lines",
        "项目支出明细测算",
    ),
    "procurement": (
        lambda card: ProcurementTable(card.procurement),
        "project-procurement",
        "项目采购",
    ),
}


def per_project_csv(scope, cards, fmt):
    """One project table for every project in one file, each row led by its project."""
    make_table, slug, title = PROJECT_TABLES[fmt]
    columns = [str(column.header) for column in make_table(cards[0]).columns] if cards else []
    rows = (
        [card.project.code, card.project.name, *row]
        for card in cards
        for row in value_rows(make_table(card))
    )
    return stream_csv(["项目编码", "项目名称", *columns], rows, *csv_names(scope, slug, title))


@require_safe
def projects(request, unit_code, year, fmt=None):
    scope = scope_or_404(unit_code, year)
    no_parameters(request)
    cards = summaries.project_cards(scope)
    if fmt:
        return per_project_csv(scope, cards, fmt)
    context = {
        **year_context(scope, "projects"),
        "title": "项目支出",
        "cards": [
            {
                "card": card,
                "stages": ProjectStageTable(card.stage_rows()),
                "cost_lines": CostLineTable(card.cost_lines),
                "procurement": ProcurementTable(card.procurement),
            }
            for card in cards
        ],
        "source": source_text(
            scope, "表10、表11、表12", "公开03、公开05、说明五（三）、项目自评表"
        ),
        "csv_urls": {
            fmt.replace("-", "_"): reverse(
                f"budgets:projects_{fmt.replace('-', '_')}", args=[unit_code, year]
            )
            for fmt in PROJECT_TABLES
        },
    }
    return render(request, "budgets/projects.html", context)


@require_safe
def performance(request, unit_code, year, fmt=None):
    scope = scope_or_404(unit_code, year)
    no_parameters(request)
    if fmt == "csv":
        items = [item for card in summaries.evaluation_cards(scope) for item in card.items]
        return table_csv(EvaluationCsvTable(items), *csv_names(scope, "performance", "绩效自评"))
    if fmt == "targets":
        targets = [t for plan in summaries.performance_plans(scope) for t in plan.targets.all()]
        return table_csv(
            TargetCsvTable(targets), *csv_names(scope, "performance-targets", "绩效目标")
        )
    context = {
        **year_context(scope, "performance"),
        "title": "绩效目标与自评",
        "plans": [
            (plan, TargetTable(list(plan.targets.all())))
            for plan in summaries.performance_plans(scope)
        ],
        "evaluations": [
            (card, EvaluationTable(card.items)) for card in summaries.evaluation_cards(scope)
        ],
        "source": source_text(scope, "表11、表12", "整体绩效自评表、项目自评表"),
        "csv_url": reverse("budgets:performance_csv", args=[unit_code, year]),
        "targets_csv_url": reverse("budgets:performance_targets", args=[unit_code, year]),
    }
    return render(request, "budgets/performance.html", context)


def publication_or_404(unit_code, year, kind) -> Publication:
    if kind not in PublicationKind.values:
        raise Http404(f"没有“{kind}”这类公开文件。")
    return get_object_or_404(
        Publication.objects.published().select_related("unit", "unit__parent"),
        unit__code=unit_code,
        year=year,
        kind=kind,
    )


@require_safe
def publication_detail(request, unit_code, year, kind):
    publication = publication_or_404(unit_code, year, kind)
    scope = scope_or_404(unit_code, year)
    return render(
        request,
        "budgets/publication.html",
        {
            **year_context(scope, ""),
            "publication": publication,
            "sections": publication.sections.all(),
        },
    )


@require_safe
def section_detail(request, unit_code, year, kind, slug, fmt=None):
    publication = publication_or_404(unit_code, year, kind)
    section = get_object_or_404(publication.sections, slug=slug)
    scope = scope_or_404(unit_code, year)
    no_parameters(request)
    grid = summaries.section_grid(section)
    if fmt == "csv":
        title = f"{publication.get_kind_display()}{section.code}{section.title}"
        header, rows = summaries.grid_rows(grid)
        return stream_csv(header, rows, *csv_names(scope, f"{kind}-{slug}", title))
    return render(
        request,
        "budgets/section.html",
        {
            **year_context(scope, ""),
            "publication": publication,
            "section": section,
            "grid": grid,
            "explanations": section.explanations.select_related("subject"),
            "csv_url": reverse("budgets:section_csv", args=[unit_code, year, kind, slug]),
        },
    )


def bad_request(request, exception):
    message = str(exception) if isinstance(exception, BadRequest) else ""
    return render(request, "400.html", {"message": message}, status=400)


def page_not_found(request, exception):
    message = str(exception) if isinstance(exception, Http404) else ""
    return render(request, "404.html", {"message": message}, status=404)


def server_error(request):
    return render(request, "500.html", status=500)
