"""Figures as the publications print them: narrative statements and tables cell by cell."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from budgets.formatting import figure_text, stated_in_words
from budgets.models import PublishedFigure
from budgets.summaries.scope import Scope

WAN_YUAN = "万元"


def stated_figures(scope: Scope, condition: Q) -> list[PublishedFigure]:
    """Figures stated in the publications' explanations (narrative), in printed order."""
    return list(
        PublishedFigure.objects.filter(
            condition, section__publication_id__in=scope.publication_ids, section__kind="narrative"
        )
        .select_related("section", "section__publication")
        .order_by("section__publication__kind", "section__order", "row_order", "pk")
    )


@dataclass
class GridCell:
    """One printed cell: the stored amount (fact) or printed figure, and how it was printed."""

    value: Decimal | None
    unit_of_measure: str
    printed_text: str
    is_fact: bool
    note: str = ""
    kind: str = ""

    @property
    def stated_in_words(self) -> bool:
        return stated_in_words(self.printed_text)

    @property
    def text(self) -> str:
        """As the page shows it: 万元 with two places, other units with their sign."""
        return figure_text(self.value, self.unit_of_measure, self.printed_text)

    @property
    def csv_value(self):
        """Amounts in 万元 as Decimal; other figures as their text with the unit."""
        if self.unit_of_measure == WAN_YUAN and not self.stated_in_words:
            return self.value
        return self.text


@dataclass
class GridRow:
    order: int
    code: str
    label: str
    cells: dict = field(default_factory=dict)
    note: str = ""
    ordered: list = field(default_factory=list)  # cells in column order, None where blank
    # (column heading, cell) in column order, nested headings as "上级 · 下级": the label each
    # figure carries when the table is a card per row on phones
    labelled: list = field(default_factory=list)


@dataclass
class GridPart:
    name: str
    columns: list
    rows: list

    @property
    def header_rows(self) -> list[list[dict]]:
        """Header cells with colspan/rowspan for nested headings written "上级/下级"."""
        paths = [column.split("/") for column in self.columns]
        depth = max((len(path) for path in paths), default=1)
        header = []
        for level in range(depth):
            cells, index = [], 0
            while index < len(paths):
                path = paths[index]
                if len(path) <= level:
                    index += 1
                    continue
                span = 1
                while (
                    index + span < len(paths)
                    and len(path) > level + 1
                    and paths[index + span][: level + 1] == path[: level + 1]
                ):
                    span += 1
                rowspan = depth - level if len(path) == level + 1 else 1
                cells.append({"label": path[level], "colspan": span, "rowspan": rowspan})
                index += span
            header.append(cells)
        return header


def section_grid(section) -> list[GridPart]:
    """A table or narrative section rebuilt cell by cell from its citations and figures."""
    rows_by_part = defaultdict(dict)
    citations = section.citation_set.select_related("fact", "three_public", "project_amount")
    for citation in citations:
        row = rows_by_part[citation.part].setdefault(
            citation.row_order, GridRow(citation.row_order, citation.row_code, citation.row_label)
        )
        row.cells[citation.column] = GridCell(
            value=citation.amount,
            unit_of_measure="万元",
            printed_text=citation.printed_text,
            is_fact=True,
        )
    for figure in section.publishedfigure_set.all():
        row = rows_by_part[figure.part].setdefault(
            figure.row_order, GridRow(figure.row_order, figure.row_code, figure.row_label)
        )
        row.cells[figure.column] = GridCell(
            value=figure.value,
            unit_of_measure=figure.unit_of_measure,
            printed_text=figure.printed_text,
            is_fact=False,
            note=figure.note,
            kind=figure.kind,
        )
        if figure.note and not row.note:
            row.note = figure.note
    parts = []
    for entry in section.parts:
        rows = rows_by_part.get(entry.get("part", ""), {})
        columns = entry.get("columns", [])
        for row in rows.values():
            row.ordered = [row.cells.get(column) for column in columns]
            row.labelled = [
                (column.replace("/", " · "), cell)
                for column, cell in zip(columns, row.ordered, strict=True)
            ]
        parts.append(
            GridPart(
                name=entry.get("part", ""),
                columns=columns,
                rows=[rows[order] for order in sorted(rows)],
            )
        )
    return parts


def grid_rows(grid: list[GridPart]) -> tuple[list[str], list[list]]:
    """A section as one CSV: a part column when it has several parts, every printed column."""
    multi_part = len(grid) > 1
    columns = []
    for part in grid:
        columns += [column for column in part.columns if column not in columns]
    header = [*(["部分"] if multi_part else []), "行次或编码", "项目", *columns, "计量单位", "备注"]
    rows = []
    for part in grid:
        for row in part.rows:
            units = sorted({cell.unit_of_measure for cell in row.cells.values()})
            rows.append(
                [
                    *([part.name] if multi_part else []),
                    row.code,
                    row.label,
                    *[row.cells[c].csv_value if c in row.cells else None for c in columns],
                    "、".join(units),
                    row.note,
                ]
            )
    return header, rows
