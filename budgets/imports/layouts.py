"""The official tables as the sheets of the import template.

A publication's tables are the app's layouts (budgets.layouts) for its kind and year, its unit
and the unit's projects of that year: labels name the publication's year, 表10 and 表11 list
the unit's projects, and 表12 (a budget) or the 项目自评表 (final accounts) is one sheet per
project. Nothing here is taken from a transcribed publication.
"""

from dataclasses import dataclass

from django.db.models import Q

from budgets import layouts
from budgets.layouts import LayoutProject, LayoutUnit
from budgets.layouts.dsl import Part, Row, Table
from budgets.models import Project

CODE_HEADER = "编码"
LABEL_HEADER = "项目"
PART_HEADER = "部分"


@dataclass(frozen=True)
class Layout:
    table: Table
    order: int  # the table's place among the tables of a publication of its kind
    kind: str = ""  # the publication's kind: budget or final

    @property
    def slug(self) -> str:
        return self.table.slug

    @property
    def code(self) -> str:
        return self.table.code

    @property
    def project(self) -> str:
        """The project a per-project table is about, or ""."""
        return self.table.project

    @property
    def title(self) -> str:
        return self.table.title

    @property
    def sheet_name(self) -> str:
        # Excel allows 31 characters and no []:*?/\ in a sheet name.
        return self.code[:31]

    @property
    def has_parts(self) -> bool:
        return len(self.table.parts) > 1

    @property
    def has_subject_rows(self) -> bool:
        return bool(self.table.subject_scheme)

    @property
    def scheme(self) -> str:
        return self.table.subject_scheme

    def value_headers(self) -> list[str]:
        """The amount columns as printed, each once, in printed order (parts side by side
        become one list with a 部分 column)."""
        headers = []
        for part in self.table.parts:
            for column in part.columns:
                if column.label not in headers:
                    headers.append(column.label)
        return headers

    def headers(self) -> list[str]:
        fixed = [CODE_HEADER, LABEL_HEADER] + ([PART_HEADER] if self.has_parts else [])
        return fixed + self.value_headers()

    def part(self, name: str) -> Part | None:
        for part in self.table.parts:
            if part.name == name:
                return part
        return None

    def fixed_rows(self) -> list[tuple[Part, Row]]:
        """Rows the template lists: every row of a table without subject codes; the total rows
        of one with them (its subject rows are the unit's own)."""
        rows = []
        for part in self.table.parts:
            for row in part.rows:
                if not self.has_subject_rows or row.total or not row.code.isdigit():
                    rows.append((part, row))
        return rows


def unit_projects(unit, year: int) -> list[Project]:
    """The unit's projects that run in `year` (no start or end year: every year), by code."""
    running = (Q(start_year__isnull=True) | Q(start_year__lte=year)) & (
        Q(end_year__isnull=True) | Q(end_year__gte=year)
    )
    return list(Project.objects.filter(running, unit=unit).order_by("code"))


def sheet_layouts(kind: str, year: int, unit: LayoutUnit, projects) -> list[Layout]:
    """Every table of a publication of `kind` (the self-evaluation forms too), in order."""
    tables = layouts.layouts_for(kind, year, unit, projects)
    return [Layout(table, order, kind) for order, table in enumerate(tables, start=1)]


def layouts_for(publication) -> list[Layout]:
    """The tables of this publication: of its kind and year, its unit and the unit's projects."""
    unit = publication.unit
    projects = [LayoutProject.of(p) for p in unit_projects(unit, publication.year)]
    return sheet_layouts(publication.kind, publication.year, LayoutUnit.of(unit), projects)
