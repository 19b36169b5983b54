"""Aggregate queries for the public pages, returning plain rows.

Every function runs a fixed number of queries whatever the number of facts; sums are done by
the database over integer-stored amounts, so they are exact. Amounts are in 万元.
"""

from budgets.summaries.corrections import CorrectionRow, corrections_in_scope, corrections_of
from budgets.summaries.expenditure import (
    NOT_BUDGETED,
    ComparisonRow,
    StageTotals,
    ThreePublicRow,
    comparison,
    stage_totals,
    three_public,
)
from budgets.summaries.history import HistoryPoint, history
from budgets.summaries.performance import EvaluationCard, evaluation_cards, performance_plans
from budgets.summaries.projects import ProjectCard, project_amounts, project_cards
from budgets.summaries.published import (
    GridCell,
    GridPart,
    GridRow,
    grid_rows,
    section_grid,
    stated_figures,
)
from budgets.summaries.scope import Scope, published_scope
from budgets.summaries.subjects import SubjectDetail, stage_splits, subject_detail

__all__ = [
    "NOT_BUDGETED",
    "ComparisonRow",
    "CorrectionRow",
    "EvaluationCard",
    "GridCell",
    "GridPart",
    "GridRow",
    "HistoryPoint",
    "ProjectCard",
    "Scope",
    "StageTotals",
    "SubjectDetail",
    "ThreePublicRow",
    "comparison",
    "corrections_in_scope",
    "corrections_of",
    "evaluation_cards",
    "grid_rows",
    "history",
    "performance_plans",
    "project_amounts",
    "project_cards",
    "published_scope",
    "section_grid",
    "stage_splits",
    "stage_totals",
    "stated_figures",
    "subject_detail",
    "three_public",
]
