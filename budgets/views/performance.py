"""Performance targets and self-evaluations."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from budgets import charts, summaries
from budgets.choices import Topic
from budgets.exports import table_csv
from budgets.i18n import in_english
from budgets.quality import about_indicator
from budgets.summaries.answers import findings_about, notes_for
from budgets.summaries.sources import topic_source
from budgets.tables import EvaluationCsvTable, EvaluationTable, TargetCsvTable, TargetTable
from budgets.views.common import csv_names, no_parameters, scope_or_404, year_context

PERFORMANCE_TOPICS = (Topic.UNIT_PERFORMANCE, Topic.PROJECT_PERFORMANCE)


def indicators(card) -> list:
    return [item for item in card.items if item.kind == item.Kind.INDICATOR]


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
    found = findings_about(scope)
    context = {
        **year_context(scope, "performance"),
        "title": _("绩效目标与自评"),
        "plans": [
            (plan, TargetTable(list(plan.targets.all())))
            for plan in summaries.performance_plans(scope)
        ],
        "evaluations": [
            {
                "card": card,
                "table": EvaluationTable(card.items),
                "chart": charts.performance_bullets(indicators(card)),
                "chart_summary": charts.describe_performance(
                    indicators(card), card.total_score, as_html=in_english()
                ),
                "chart_id": f"chart-performance-{card.evaluation.pk}",
                "notes": notes_for(
                    found,
                    [
                        (item.level3, about_indicator(card.evaluation.section.code, item.level3))
                        for item in indicators(card)
                    ],
                ),
            }
            for card in summaries.evaluation_cards(scope)
        ],
        "source": topic_source(scope, PERFORMANCE_TOPICS, PERFORMANCE_TOPICS),
        "csv_url": reverse("budgets:performance_csv", args=[unit_code, year]),
        "targets_csv_url": reverse("budgets:performance_targets", args=[unit_code, year]),
    }
    return render(request, "budgets/performance.html", context)
