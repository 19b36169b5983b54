"""Projects: amounts by stage and year, cost estimates, purchases."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from budgets import summaries
from budgets.choices import Topic
from budgets.exports import stream_csv, value_rows
from budgets.summaries.sources import VARIANCE_REASONS, section_source, topic_source
from budgets.tables import CostLineTable, ProcurementTable, ProjectStageTable
from budgets.views.common import csv_names, no_parameters, scope_or_404, year_context

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
    header = [_("项目编码"), _("项目名称"), *columns]
    return stream_csv(header, rows, *csv_names(scope, slug, title))


def projects(request, unit_code, year, fmt=None):
    scope = scope_or_404(unit_code, year)
    no_parameters(request)
    cards = summaries.project_cards(scope)
    if fmt:
        return per_project_csv(scope, cards, fmt)
    context = {
        **year_context(scope, "projects"),
        "title": _("项目支出"),
        "cards": [
            {
                "card": card,
                "stages": ProjectStageTable(card.stage_rows()),
                "cost_lines": CostLineTable(card.cost_lines),
                "procurement": ProcurementTable(card.procurement),
                # The budget's table of this project's cost lines and purchases (表12 or,
                # for a unit with several projects, 表12（项目编码）).
                "cost_lines_source": section_source(
                    scope, {line.section_id for line in card.cost_lines}
                ),
                "procurement_source": section_source(
                    scope, {item.section_id for item in card.procurement}
                ),
            }
            for card in cards
        ],
        "source": topic_source(
            scope,
            (Topic.PROJECTS, Topic.UNIT_PERFORMANCE, Topic.PROJECT_PERFORMANCE),
            (
                Topic.EXPENDITURE,
                Topic.GENERAL_BUDGET_BY_FUNCTION,
                VARIANCE_REASONS,
                Topic.PROJECT_PERFORMANCE,
            ),
        ),
        "csv_urls": {
            fmt.replace("-", "_"): reverse(
                f"budgets:projects_{fmt.replace('-', '_')}", args=[unit_code, year]
            )
            for fmt in PROJECT_TABLES
        },
    }
    return render(request, "budgets/projects.html", context)
