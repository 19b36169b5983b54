"""The official tables of the two kinds of publication, as functions of the publication.

dsl       the vocabulary: tables, parts, columns, rows and what their cells measure; `fill`
          puts one publication's printed rows into a layout;
budget    表1–表12 of a unit budget (单位预算);
final     公开01–公开09 and the self-evaluations of a unit's final accounts (单位决算);
units     the unit and the projects a layout names;
classes   the 类 printed by name, the 人员经费 classes;
builder   a filled publication's cells → facts, citations and printed figures.

`layouts_for(kind, year, unit, projects)` gives a publication's tables, their labels and the
years their cells measure computed from its year, one project table per project. The fixture
build fills them from the transcriptions of the 2024 publications (fixtures/transcription);
the importer (budgets.imports) fills them from the sheets finance staff upload.
"""

from budgets.layouts import budget, final
from budgets.layouts.dsl import Table
from budgets.layouts.units import LayoutProject, LayoutUnit

KINDS = {"budget": budget, "final": final}


def layouts_for(kind: str, year: int, unit: LayoutUnit, projects=()) -> list[Table]:
    """The tables of a publication of `kind` for `year`, in printed order; [] for a kind
    that has none."""
    module = KINDS.get(kind)
    if module is None:
        return []
    return module.tables(year, unit, list(projects))


def defaults(kind: str, unit_code: str, year: int) -> dict:
    """What every cell of such a publication measures unless a layout says otherwise."""
    return {"unit": unit_code, "year": year, "stage": KINDS[kind].STAGE}


def project_table_code(kind: str) -> str:
    """The number of the table printed once per project ("表12", "项目自评表"), or ""."""
    module = KINDS.get(kind)
    return module.PROJECT_TABLE if module else ""


__all__ = ["LayoutProject", "LayoutUnit", "defaults", "layouts_for", "project_table_code"]
