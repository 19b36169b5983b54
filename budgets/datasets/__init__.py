"""The open datasets: their columns (names, types, meaning in Chinese and English) and their
rows, read from the database as a stream.

One definition serves the bulk CSV and XLSX files, the data dictionary page, the Frictionless
descriptor and the filtered CSV of the lines page. Column names are fixed ASCII and never
translated; values are codes, not labels, so that a file reads the same in every language.
"""

from budgets.datasets.base import (
    CHUNK,
    KIND_LABELS,
    Column,
    Dataset,
    without_examples,
)
from budgets.datasets.facts import (
    LINE_FIELDS,
    LINES,
    THREE_PUBLIC,
    _batches,
    _line,
    fact_sources,
    line_rows,
    open_facts,
    project_links,
    three_public_rows,
)
from budgets.datasets.figures import FIGURES, figure_rows
from budgets.datasets.performance import (
    INDICATORS,
    PERFORMANCE_GOALS,
    goal_rows,
    indicator_rows,
)
from budgets.datasets.projects import (
    PROCUREMENT_ITEMS,
    PROJECT_COST_LINES,
    PROJECT_DETAILS,
    PROJECTS,
    cost_line_rows,
    procurement_rows,
    project_detail_rows,
    project_rows,
)

DATASETS = [
    LINES,
    FIGURES,
    INDICATORS,
    PERFORMANCE_GOALS,
    PROJECTS,
    PROJECT_DETAILS,
    PROJECT_COST_LINES,
    PROCUREMENT_ITEMS,
    THREE_PUBLIC,
]

ROWS = {
    LINES.name: line_rows,
    INDICATORS.name: indicator_rows,
    PROJECTS.name: project_rows,
    PROJECT_COST_LINES.name: cost_line_rows,
    THREE_PUBLIC.name: three_public_rows,
    FIGURES.name: figure_rows,
    PERFORMANCE_GOALS.name: goal_rows,
    PROJECT_DETAILS.name: project_detail_rows,
    PROCUREMENT_ITEMS.name: procurement_rows,
}

__all__ = [
    "CHUNK",
    "DATASETS",
    "FIGURES",
    "INDICATORS",
    "KIND_LABELS",
    "LINE_FIELDS",
    "ROWS",
    "Column",
    "Dataset",
    "_batches",
    "_line",
    "fact_sources",
    "open_facts",
    "project_links",
    "without_examples",
]
