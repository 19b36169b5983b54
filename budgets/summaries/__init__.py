"""Aggregate queries for the public pages, returning plain rows.

Every function runs a fixed number of queries whatever the number of facts; sums are done by
the database over integer-stored amounts, so they are exact. Amounts are in 万元.
"""

from budgets.summaries.expenditure import (
    NOT_BUDGETED,
    ComparisonRow,
    StageTotals,
    ThreePublicRow,
    comparison,
    stage_totals,
    three_public,
)
from budgets.summaries.performance import EvaluationCard, evaluation_cards, performance_plans
from budgets.summaries.projects import ProjectCard, project_cards
from budgets.summaries.published import (
    GridCell,
    GridPart,
    GridRow,
    grid_rows,
    section_grid,
    stated_figures,
)
from budgets.summaries.scope import Scope, published_scope

__all__ = [
    "NOT_BUDGETED",
    "ComparisonRow",
    "EvaluationCard",
    "GridCell",
    "GridPart",
    "GridRow",
    "ProjectCard",
    "Scope",
    "StageTotals",
    "ThreePublicRow",
    "comparison",
    "evaluation_cards",
    "grid_rows",
    "performance_plans",
    "project_cards",
    "published_scope",
    "section_grid",
    "stage_totals",
    "stated_figures",
    "three_public",
]
